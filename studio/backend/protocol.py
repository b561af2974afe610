"""The image backend protocol: opaque image handles and the operations the nodes need.

Two implementations hold to it: Pillow under CPython (`pillow_backend.py`) and the browser's
canvas under Pyodide (`studio/browser/canvas_backend.py`). Parity tests run both on the same
inputs, so the semantics below are the definition both follow:

- Images are 8-bit RGBA, straight (non-premultiplied) alpha. Handles are immutable: every
  operation returns a new handle and never changes its arguments.
- Colors are (r, g, b, a) tuples of 0..255.
- Geometry is in whole pixels; the core validates and clamps arguments before calling.
- Color operations follow the CSS Filter Effects definitions in sRGB space (so that the canvas
  `filter` property and Pillow agree); each acts on RGB and keeps alpha.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from ..core.colors import RGBA

Image = Any  # an opaque handle owned by the backend

# Decoding refuses images larger than this many pixels (a documented limit against
# decompression bombs and absurd sizes; 64 megapixels is e.g. 8192 x 8192).
MAX_PIXELS = 64 * 1024 * 1024
# No side may exceed this (canvas implementations fail above it).
MAX_SIDE = 16384

ENCODE_FORMATS = ("png", "jpeg", "webp")
BLEND_MODES = ("normal", "multiply", "screen", "overlay", "darken", "lighten")
TEXT_POSITIONS = ("top", "center", "bottom")
CHANNELS = ("red", "green", "blue", "alpha")
MASK_SOURCES = ("luminance", "alpha")

RGB = tuple[int, int, int]
Point = tuple[float, float]
# One filled shape: rings of points (filled together with the even-odd rule) and a color.
Fill = tuple[tuple[tuple[Point, ...], ...], RGBA]


@runtime_checkable
class ImageBackend(Protocol):
    name: str

    async def decode(self, data: bytes) -> Image:
        """Decode PNG/JPEG/WebP/GIF(first frame)/BMP bytes to RGBA, applying EXIF orientation.
        Raises ImageError naming the problem for corrupt or unknown data, or an image over
        MAX_PIXELS / MAX_SIDE (checked from the header, before the pixels are decoded)."""

    async def encode(self, image: Image, format: str, quality: int) -> bytes:
        """Encode as png/jpeg/webp. quality 1..100 applies to jpeg and webp. JPEG has no alpha:
        the image is flattened onto white first. PNG and WebP keep alpha."""

    def size(self, image: Image) -> tuple[int, int]:
        """(width, height) in pixels."""

    def nbytes(self, image: Image) -> int:
        """Approximate memory held by the image (for the cache's memory bound)."""

    async def solid(self, width: int, height: int, color: RGBA) -> Image:
        """A new image filled with one color."""

    async def gradient(self, width: int, height: int, start: RGBA, end: RGBA, angle: float) -> Image:
        """A linear gradient. The direction is (cos a, sin a) with y pointing down, so 0 runs
        left to right and 90 top to bottom (clockwise positive). As in CSS, the gradient line
        passes through the centre and is just long enough that opposite corners get exactly
        `start` and `end`; colors are interpolated per channel, linearly, in sRGB."""

    async def resize(self, image: Image, width: int, height: int) -> Image:
        """Scale to exactly width x height (a stretch; the node computes contain/cover boxes).
        High quality: Lanczos/bicubic-class filtering when shrinking."""

    async def crop(self, image: Image, x: int, y: int, width: int, height: int) -> Image:
        """The box with top-left (x, y); the core guarantees it lies inside the image."""

    async def rotate(self, image: Image, angle: float, expand: bool, fill: RGBA) -> Image:
        """Rotate clockwise by `angle` degrees about the centre, bilinear. With expand the
        result is round(|w cos| + |h sin|) x round(|w sin| + |h cos|) so that the whole image
        fits; without it the size is unchanged. Uncovered pixels get `fill`."""

    async def flip(self, image: Image, axis: str) -> Image:
        """axis 'horizontal' mirrors left-right; 'vertical' mirrors top-bottom."""

    async def blur(self, image: Image, radius: float) -> Image:
        """Gaussian blur with standard deviation `radius` px; edge pixels extend outward
        (no dark or transparent fringe). radius 0 returns an equal image."""

    async def sharpen(self, image: Image, amount: float) -> Image:
        """3x3 convolution [[0,-a,0],[-a,1+4a,-a],[0,-a,0]] with a = amount on RGB, edges
        extended, results clamped to 0..255; alpha kept. amount 0 returns an equal image."""

    async def adjust(self, image: Image, brightness: float, contrast: float, saturation: float, hue: float) -> Image:
        """CSS `brightness(b) contrast(c) saturate(s) hue-rotate(h deg)`, applied in that order
        (brightness: v*b; contrast: (v-0.5)*c+0.5; saturate and hue-rotate: the Filter Effects
        matrices), clamped after each step."""

    async def grayscale(self, image: Image) -> Image:
        """CSS grayscale(1): the luminance matrix (0.2126, 0.7152, 0.0722)."""

    async def invert(self, image: Image) -> Image:
        """255 - v on RGB."""

    async def sepia(self, image: Image) -> Image:
        """CSS sepia(1): the Filter Effects sepia matrix."""

    async def tint(self, image: Image, color: RGBA, amount: float) -> Image:
        """Mix each pixel's RGB toward color's RGB by amount * color alpha / 255; alpha kept."""

    async def pad(self, image: Image, top: int, right: int, bottom: int, left: int, color: RGBA) -> Image:
        """Add borders of the given widths filled with color."""

    async def round_corners(self, image: Image, radius: int) -> Image:
        """Make the corners transparent outside a rounded rectangle of `radius` (anti-aliased;
        the core clamps radius to half the shorter side)."""

    async def overlay(self, base: Image, overlay: Image, x: int, y: int, opacity: float, blend: str) -> Image:
        """Draw `overlay` onto `base` with its top-left at (x, y) (may be partly or wholly
        outside), its alpha multiplied by opacity, using the W3C compositing blend mode
        (normal = source-over, multiply, screen, overlay, darken, lighten). Size of base."""

    async def text(
        self,
        image: Image,
        text: str,
        size: int,
        color: RGBA,
        position: str,
        background: RGBA | None,
    ) -> Image:
        """Draw text (lines split on newlines) centred horizontally at the top, centre or bottom
        with a margin of size/2; with `background`, a full-width band behind the text first.
        Font: a sans-serif face (engines differ in glyphs; the parity tests say what holds)."""

    # -- Second wave (issue 12). Shared pixel rules live in studio/backend/pixel_math.py. --

    async def pixels(self, image: Image) -> bytes:
        """Straight RGBA bytes, row by row; fully transparent pixels read (0, 0, 0, 0) (a
        canvas keeps no color under alpha 0). Translucent colors may differ by the canvas's
        premultiplied rounding."""

    async def from_pixels(self, width: int, height: int, data: bytes) -> Image:
        """A new image from straight RGBA bytes (width x height x 4)."""

    async def histogram(self, image: Image) -> list[int]:
        """pixel_math.histogram of pixels(image): R, G, B, A counts over pixels with alpha > 0."""

    async def levels(self, image: Image, black: RGB, white: RGB, gamma: float) -> Image:
        """Per channel c of RGB: pixel_math.levels_table(black[c], white[c], gamma); alpha kept."""

    async def threshold(self, image: Image, level: int) -> Image:
        """RGB becomes white where pixel_math.luma(r, g, b) >= level, else black; alpha kept."""

    async def posterize(self, image: Image, levels: int) -> Image:
        """pixel_math.posterize_table(levels) on each of R, G, B; alpha kept."""

    async def pixelate(self, image: Image, block: int) -> Image:
        """Blocks of block x block px from the top-left (the last row and column may be
        partial), each filled with its premultiplied average. Same size."""

    async def add_noise(self, image: Image, offsets: bytes) -> Image:
        """RGB + (offset - 128), clamped, with pixel_math.noise_offsets' w x h x 3 bytes; alpha kept."""

    async def vignette(self, image: Image, amount: float, start: float, color: RGBA) -> Image:
        """Mix RGB toward color by w = amount x color alpha/255 x smoothstep(start, 1, d),
        d = sqrt((u^2 + v^2) / 2) with u, v the pixel centre's offsets from the image centre
        in half-widths and half-heights (0 in the middle, 1 in the corners); alpha kept."""

    async def convolve(self, image: Image, kernel: tuple[float, ...], offset: float) -> Image:
        """A 3x3 kernel (9 weights by rows) on the RGB of pixels(image) plus offset (in 0..255 levels),
        edges extended, rounded and clamped; alpha kept."""

    async def opacity(self, image: Image, amount: float) -> Image:
        """Alpha multiplied by amount (0..1)."""

    async def channel(self, image: Image, channel: str) -> Image:
        """One of CHANNELS as an opaque grey picture (of pixels(image), so 0 under alpha 0)."""

    async def mask(self, image: Image, mask: Image, source: str, invert: bool) -> Image:
        """Alpha multiplied by m/255, where m is the mask's luma composited on black
        (source "luminance") or its alpha, inverted (255 - m) with invert. Same sizes."""

    async def chroma_key(self, image: Image, color: RGBA, tolerance: float, softness: float) -> Image:
        """Alpha multiplied by clamp((d - tolerance) / softness, 0, 1) where d is the RGB
        distance (Euclidean, 0..441) to color; with softness 0, by d > tolerance."""

    async def fill_shapes(self, width: int, height: int, fills: tuple[Fill, ...]) -> Image:
        """A transparent picture with each Fill drawn in order (source-over), anti-aliased,
        its rings filled together by the even-odd rule. Points are in pixels, (0, 0) the
        top-left corner of the picture."""
