"""The ImageBackend on Pillow (CPython): RGBA PIL images as handles, one module per concern."""

from __future__ import annotations

from PIL import Image

from ..core.colors import RGBA
from ..core.fit import fit_within
from . import (
    pillow_color,
    pillow_compose,
    pillow_effects,
    pillow_filters,
    pillow_geometry,
    pillow_io,
    pillow_masking,
    pillow_paint,
    pillow_shapes,
    pillow_text,
    pillow_tone,
)
from .protocol import RGB, Fill

# The methods are async to match the browser backend, whose canvas work is awaited; here
# they compute synchronously. Every one returns a new image and leaves its arguments alone.


class PillowBackend:
    """Images are PIL.Image.Image in mode "RGBA" (straight alpha)."""

    name = "pillow"

    async def decode(self, data: bytes) -> Image.Image:
        return pillow_io.decode(data)

    async def encode(self, image: Image.Image, format: str, quality: int) -> bytes:
        return pillow_io.encode(image, format, quality)

    def size(self, image: Image.Image) -> tuple[int, int]:
        return image.size

    def nbytes(self, image: Image.Image) -> int:
        return image.width * image.height * 4

    async def solid(self, width: int, height: int, color: RGBA) -> Image.Image:
        return pillow_paint.solid(width, height, color)

    async def gradient(self, width: int, height: int, start: RGBA, end: RGBA, angle: float) -> Image.Image:
        return pillow_paint.gradient(width, height, start, end, angle)

    async def resize(self, image: Image.Image, width: int, height: int) -> Image.Image:
        return pillow_geometry.resize(image, width, height)

    async def thumbnail_png(self, image: Image.Image, side: int) -> bytes:
        """A thumbnail's PNG, at most `side` px (never enlarged), as the canvas backend makes it."""
        fitted = fit_within(*image.size, side)
        small = image if fitted is None else pillow_geometry.resize(image, *fitted)
        return pillow_io.encode(small, "png", 90)

    async def crop(self, image: Image.Image, x: int, y: int, width: int, height: int) -> Image.Image:
        return pillow_geometry.crop(image, x, y, width, height)

    async def rotate(self, image: Image.Image, angle: float, expand: bool, fill: RGBA) -> Image.Image:
        return pillow_geometry.rotate(image, angle, expand, fill)

    async def flip(self, image: Image.Image, axis: str) -> Image.Image:
        return pillow_geometry.flip(image, axis)

    async def blur(self, image: Image.Image, radius: float) -> Image.Image:
        return pillow_filters.blur(image, radius)

    async def sharpen(self, image: Image.Image, amount: float) -> Image.Image:
        return pillow_filters.sharpen(image, amount)

    async def adjust(
        self, image: Image.Image, brightness: float, contrast: float, saturation: float, hue: float
    ) -> Image.Image:
        return pillow_color.adjust(image, brightness, contrast, saturation, hue)

    async def grayscale(self, image: Image.Image) -> Image.Image:
        return pillow_color.grayscale(image)

    async def invert(self, image: Image.Image) -> Image.Image:
        return pillow_color.invert(image)

    async def sepia(self, image: Image.Image) -> Image.Image:
        return pillow_color.sepia(image)

    async def tint(self, image: Image.Image, color: RGBA, amount: float) -> Image.Image:
        return pillow_color.tint(image, color, amount)

    async def pad(self, image: Image.Image, top: int, right: int, bottom: int, left: int, color: RGBA) -> Image.Image:
        return pillow_geometry.pad(image, top, right, bottom, left, color)

    async def round_corners(self, image: Image.Image, radius: int) -> Image.Image:
        return pillow_compose.round_corners(image, radius)

    async def overlay(
        self, base: Image.Image, overlay: Image.Image, x: int, y: int, opacity: float, blend: str
    ) -> Image.Image:
        return pillow_compose.overlay(base, overlay, x, y, opacity, blend)

    async def text(
        self,
        image: Image.Image,
        text: str,
        size: int,
        color: RGBA,
        position: str,
        background: RGBA | None,
    ) -> Image.Image:
        return pillow_text.draw_text(image, text, size, color, position, background)

    # -- Second wave (issue 12) --

    async def pixels(self, image: Image.Image) -> bytes:
        return pillow_tone.pixels(image)

    async def from_pixels(self, width: int, height: int, data: bytes) -> Image.Image:
        return pillow_tone.from_pixels(width, height, data)

    async def histogram(self, image: Image.Image) -> list[int]:
        return pillow_tone.histogram(image)

    async def levels(self, image: Image.Image, black: RGB, white: RGB, gamma: float) -> Image.Image:
        return pillow_tone.levels(image, black, white, gamma)

    async def threshold(self, image: Image.Image, level: int) -> Image.Image:
        return pillow_tone.threshold(image, level)

    async def posterize(self, image: Image.Image, levels: int) -> Image.Image:
        return pillow_tone.posterize(image, levels)

    async def pixelate(self, image: Image.Image, block: int) -> Image.Image:
        return pillow_effects.pixelate(image, block)

    async def add_noise(self, image: Image.Image, offsets: bytes) -> Image.Image:
        return pillow_effects.add_noise(image, offsets)

    async def vignette(self, image: Image.Image, amount: float, start: float, color: RGBA) -> Image.Image:
        return pillow_effects.vignette(image, amount, start, color)

    async def convolve(self, image: Image.Image, kernel: tuple[float, ...], offset: float) -> Image.Image:
        return pillow_effects.convolve(image, kernel, offset)

    async def opacity(self, image: Image.Image, amount: float) -> Image.Image:
        return pillow_tone.opacity(image, amount)

    async def channel(self, image: Image.Image, channel: str) -> Image.Image:
        return pillow_tone.channel(image, channel)

    async def mask(self, image: Image.Image, mask: Image.Image, source: str, invert: bool) -> Image.Image:
        return pillow_masking.mask(image, mask, source, invert)

    async def chroma_key(self, image: Image.Image, color: RGBA, tolerance: float, softness: float) -> Image.Image:
        return pillow_masking.chroma_key(image, color, tolerance, softness)

    async def fill_shapes(self, width: int, height: int, fills: tuple[Fill, ...]) -> Image.Image:
        return pillow_shapes.fill_shapes(width, height, fills)
