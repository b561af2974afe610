"""Effects on RGBA images: pixelate, seeded noise, vignette and 3x3 convolutions (edges, emboss)."""

from __future__ import annotations

from typing import Any

from PIL import Image, ImageChops, ImageFilter, ImageMath

from ..core.colors import RGBA
from .pillow_geometry import NEAREST, extend_edges
from .pillow_tone import visible


def pixelate(image: Image.Image, block: int) -> Image.Image:
    """reduce() averages block x block boxes (partial at the right and bottom) in C; working
    premultiplied keeps transparent pixels from lending their hidden color."""
    if block <= 1:
        return image.copy()
    small = image.convert("RGBa").reduce(block)
    big = small.resize((small.width * block, small.height * block), NEAREST)
    return big.crop((0, 0, image.width, image.height)).convert("RGBA")


def add_noise(image: Image.Image, offsets: bytes) -> Image.Image:
    noise = Image.frombytes("RGB", image.size, bytes(offsets))
    rgb = ImageChops.add(image.convert("RGB"), noise, scale=1.0, offset=-128)
    return Image.merge("RGBA", (*rgb.split(), image.getchannel("A")))


def _offsets(size: tuple[int, int], across: bool) -> Image.Image:
    """Float offsets of pixel centres from the middle in half-widths (across) or half-heights."""
    w, h = size
    length = w if across else h
    half = length / 2
    line = Image.new("F", (length, 1) if across else (1, length))
    line.putdata([((i + 0.5) - half) / half for i in range(length)])
    return line.resize(size, NEAREST)


def vignette(image: Image.Image, amount: float, start: float, color: RGBA) -> Image.Image:
    """protocol.vignette: the weight computed per pixel in float (ImageMath), then mixed."""
    u, v = _offsets(image.size, True), _offsets(image.size, False)
    strength = amount * color[3] / 255
    span = max(1e-6, 1 - start)

    def weight(x: dict[str, Any]) -> Any:
        d = ((x["u"] * x["u"] + x["v"] * x["v"]) * 0.5) ** 0.5
        t = x["min"](x["max"]((d - start) / span, 0.0), 1.0)
        return t * t * (3.0 - 2.0 * t) * (strength * 255.0) + 0.5

    mask = ImageMath.lambda_eval(weight, u=u, v=v).convert("L")
    paint = Image.new("RGBA", image.size, color[:3] + (0,))
    paint.putalpha(image.getchannel("A"))
    return Image.composite(paint, image, mask)


def convolve(image: Image.Image, kernel: tuple[float, ...], offset: float) -> Image.Image:
    """Pillow copies a 3x3 filter's outermost pixels unfiltered; a 1 px extended border
    makes the real edge pixels interior ones. Colors hidden under alpha 0 count as black, as
    on a canvas."""
    padded = extend_edges(visible(image).convert("RGB"), 1)
    # The protocol's row 0 weighs the row above; Pillow's Kernel weighs the row below with its
    # first row (columns are not mirrored), so the rows go in reversed.
    rows = (*kernel[6:9], *kernel[3:6], *kernel[0:3])
    filtered = padded.filter(ImageFilter.Kernel((3, 3), rows, scale=1, offset=offset))
    rgb = filtered.crop((1, 1, 1 + image.width, 1 + image.height))
    return Image.merge("RGBA", (*rgb.split(), image.getchannel("A")))
