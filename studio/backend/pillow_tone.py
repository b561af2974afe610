"""Tone operations on RGBA images: raw pixels, histograms, levels, threshold, posterize, opacity, channels.

The tables come from studio/backend/pixel_math.py, which the canvas backend uses too.
"""

from __future__ import annotations

from PIL import Image

from ..core.errors import NodeInputError
from . import pixel_math
from .protocol import CHANNELS, RGB

_IDENTITY_BAND = list(range(256))
_OPAQUE = [0] + [255] * 255


def visible(image: Image.Image) -> Image.Image:
    """The image with fully transparent pixels set to (0, 0, 0, 0), as a canvas holds them."""
    clear = Image.new("RGBA", image.size, (0, 0, 0, 0))
    return Image.composite(image, clear, image.getchannel("A").point(_OPAQUE))


def pixels(image: Image.Image) -> bytes:
    return visible(image).tobytes()


def from_pixels(width: int, height: int, data: bytes) -> Image.Image:
    if len(data) != width * height * 4:
        raise NodeInputError(f"expected {width * height * 4} bytes of RGBA for {width} x {height}, got {len(data)}")
    return Image.frombytes("RGBA", (width, height), bytes(data))


def histogram(image: Image.Image) -> list[int]:
    """What pixel_math.histogram gives for pixels(image), counted by Pillow in C."""
    return image.histogram(mask=image.getchannel("A").point(_OPAQUE))


def levels(image: Image.Image, black: RGB, white: RGB, gamma: float) -> Image.Image:
    table: list[int] = []
    for channel in range(3):
        table += pixel_math.levels_table(black[channel], white[channel], gamma)
    return image.point(table + _IDENTITY_BAND)


def threshold(image: Image.Image, level: int) -> Image.Image:
    # Pillow's RGB -> L is exactly pixel_math.luma (Rec. 601 in 16-bit fixed point).
    luma = image.convert("RGB").convert("L")
    cut = luma.point([255 if v >= level else 0 for v in range(256)])
    return Image.merge("RGBA", (cut, cut, cut, image.getchannel("A")))


def posterize(image: Image.Image, levels: int) -> Image.Image:
    return image.point(pixel_math.posterize_table(levels) * 3 + _IDENTITY_BAND)


def opacity(image: Image.Image, amount: float) -> Image.Image:
    alpha = [int(v * amount + 0.5) for v in range(256)]
    return image.point(_IDENTITY_BAND * 3 + alpha)


def channel(image: Image.Image, name: str) -> Image.Image:
    if name not in CHANNELS:
        raise NodeInputError(f"the channel must be one of {', '.join(CHANNELS)}, not {name!r}")
    band = visible(image).getchannel("RGBA"[CHANNELS.index(name)])
    return Image.merge("RGBA", (band, band, band, Image.new("L", image.size, 255)))
