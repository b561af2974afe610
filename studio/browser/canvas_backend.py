"""The ImageBackend on the browser's canvas (Pyodide): pixels stay on the JS side.

Handles are CanvasImage (an OffscreenCanvas and its size). Python never touches pixels: each
operation is a few 2D-context calls on a new canvas, which the browser runs natively, so
the UI stays responsive. The semantics are those of studio/backend/protocol.py; the parity
tests (tests/browser/test_parity.py) hold this backend to the Pillow one.
"""

from __future__ import annotations

from typing import Any

from ..backend.protocol import RGB, Fill
from ..core.colors import RGBA
from ..core.fit import fit_within
from . import canvas_compose, canvas_filters, canvas_geometry, canvas_io, canvas_pixels, canvas_tone
from .canvas_surface import CanvasImage

# Filter Effects functions at full strength.
_GRAYSCALE = "grayscale(1)"
_INVERT = "invert(1)"
_SEPIA = "sepia(1)"


class CanvasBackend:
    """Every method returns a new CanvasImage and never draws into its arguments."""

    name = "canvas"

    async def decode(self, data: bytes) -> CanvasImage:
        return await canvas_io.decode(data)

    async def encode(self, image: CanvasImage, format: str, quality: int) -> bytes:
        return await canvas_io.encode(image, format, quality)

    async def adopt(self, bitmap: Any) -> CanvasImage:
        """An ImageBitmap decoded elsewhere (the page's early decode of a Gemini answer) as a picture."""
        return CanvasImage(bitmap, int(bitmap.width), int(bitmap.height))

    async def drawable(self, image: CanvasImage) -> Any:
        """Something the page can drawImage: here, where the pixels are, the canvas itself."""
        return image.canvas

    def size(self, image: CanvasImage) -> tuple[int, int]:
        return image.size

    def nbytes(self, image: CanvasImage) -> int:
        return image.width * image.height * 4

    async def solid(self, width: int, height: int, color: RGBA) -> CanvasImage:
        return canvas_compose.solid(width, height, color)

    async def gradient(self, width: int, height: int, start: RGBA, end: RGBA, angle: float) -> CanvasImage:
        return canvas_compose.gradient(width, height, start, end, angle)

    async def resize(self, image: CanvasImage, width: int, height: int) -> CanvasImage:
        return canvas_geometry.resize(image, width, height)

    async def thumbnail_png(self, image: CanvasImage, side: int) -> bytes:
        """A thumbnail's PNG, at most `side` px (never enlarged), in one call: from the engine's
        worker one round trip instead of two (a shrunk picture, then its bytes)."""
        fitted = fit_within(*image.size, side)
        if fitted is None:
            return await canvas_io.encode(image, "png", 90)
        return await canvas_io.shrunk_png(image, *fitted)

    async def crop(self, image: CanvasImage, x: int, y: int, width: int, height: int) -> CanvasImage:
        return canvas_geometry.crop(image, x, y, width, height)

    async def rotate(self, image: CanvasImage, angle: float, expand: bool, fill: RGBA) -> CanvasImage:
        return canvas_geometry.rotate(image, angle, expand, fill)

    async def flip(self, image: CanvasImage, axis: str) -> CanvasImage:
        return canvas_geometry.flip(image, axis)

    async def blur(self, image: CanvasImage, radius: float) -> CanvasImage:
        return canvas_filters.blur(image, radius)

    async def sharpen(self, image: CanvasImage, amount: float) -> CanvasImage:
        return canvas_filters.sharpen(image, amount)

    async def adjust(
        self, image: CanvasImage, brightness: float, contrast: float, saturation: float, hue: float
    ) -> CanvasImage:
        return canvas_filters.filtered(image, canvas_filters.adjust_filter(brightness, contrast, saturation, hue))

    async def grayscale(self, image: CanvasImage) -> CanvasImage:
        return canvas_filters.filtered(image, _GRAYSCALE)

    async def invert(self, image: CanvasImage) -> CanvasImage:
        return canvas_filters.filtered(image, _INVERT)

    async def sepia(self, image: CanvasImage) -> CanvasImage:
        return canvas_filters.filtered(image, _SEPIA)

    async def tint(self, image: CanvasImage, color: RGBA, amount: float) -> CanvasImage:
        return canvas_filters.tint(image, color, amount)

    async def pad(self, image: CanvasImage, top: int, right: int, bottom: int, left: int, color: RGBA) -> CanvasImage:
        return canvas_geometry.pad(image, top, right, bottom, left, color)

    async def round_corners(self, image: CanvasImage, radius: int) -> CanvasImage:
        return canvas_compose.round_corners(image, radius)

    async def overlay(
        self, base: CanvasImage, overlay: CanvasImage, x: int, y: int, opacity: float, blend: str
    ) -> CanvasImage:
        return canvas_compose.overlay(base, overlay, x, y, opacity, blend)

    async def text(
        self,
        image: CanvasImage,
        text: str,
        size: int,
        color: RGBA,
        position: str,
        background: RGBA | None,
    ) -> CanvasImage:
        return canvas_compose.text(image, text, size, color, position, background)

    # -- Second wave (issue 12) --

    async def pixels(self, image: CanvasImage) -> bytes:
        return canvas_pixels.pixels(image)

    async def from_pixels(self, width: int, height: int, data: bytes) -> CanvasImage:
        return canvas_pixels.from_pixels(width, height, data)

    async def histogram(self, image: CanvasImage) -> list[int]:
        return canvas_pixels.histogram(image)

    async def levels(self, image: CanvasImage, black: RGB, white: RGB, gamma: float) -> CanvasImage:
        return canvas_tone.levels(image, black, white, gamma)

    async def threshold(self, image: CanvasImage, level: int) -> CanvasImage:
        return canvas_tone.threshold(image, level)

    async def posterize(self, image: CanvasImage, levels: int) -> CanvasImage:
        return canvas_tone.posterize(image, levels)

    async def pixelate(self, image: CanvasImage, block: int) -> CanvasImage:
        return canvas_tone.pixelate(image, block)

    async def add_noise(self, image: CanvasImage, offsets: bytes) -> CanvasImage:
        return canvas_tone.add_noise(image, offsets)

    async def vignette(self, image: CanvasImage, amount: float, start: float, color: RGBA) -> CanvasImage:
        return canvas_tone.vignette(image, amount, start, color)

    async def convolve(self, image: CanvasImage, kernel: tuple[float, ...], offset: float) -> CanvasImage:
        return canvas_tone.convolve(image, kernel, offset)

    async def opacity(self, image: CanvasImage, amount: float) -> CanvasImage:
        return canvas_pixels.opacity(image, amount)

    async def channel(self, image: CanvasImage, channel: str) -> CanvasImage:
        return canvas_tone.channel(image, channel)

    async def mask(self, image: CanvasImage, mask: CanvasImage, source: str, invert: bool) -> CanvasImage:
        return canvas_tone.mask(image, mask, source, invert)

    async def chroma_key(self, image: CanvasImage, color: RGBA, tolerance: float, softness: float) -> CanvasImage:
        return canvas_tone.chroma_key(image, color, tolerance, softness)

    async def fill_shapes(self, width: int, height: int, fills: tuple[Fill, ...]) -> CanvasImage:
        return canvas_pixels.fill_shapes(width, height, fills)
