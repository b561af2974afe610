"""Compositing on RGBA images: W3C blend modes with opacity, and anti-aliased round corners."""

from __future__ import annotations

from PIL import Image, ImageChops, ImageDraw

from ..core.errors import NodeInputError
from .protocol import BLEND_MODES

# Round corners are drawn this many times larger and averaged down, for 17 levels of edge
# coverage; very large radii use less so the corner image stays under ~16 megapixels.
_CORNER_SUPERSAMPLING = 4
_CORNER_MAX_PIXELS = 16 * 1024 * 1024


def overlay(base: Image.Image, top: Image.Image, x: int, y: int, opacity: float, blend: str) -> Image.Image:
    """Draw `top` onto `base` at (x, y) with the W3C compositing model.

    Per the Compositing and Blending spec the source color is first mixed with the blend
    result where the backdrop is opaque, Cs' = (1 - ab) Cs + ab B(Cb, Cs), then composited
    source-over with alpha as * opacity. Only the overlapping box is computed.
    """
    if blend not in BLEND_MODES:
        modes = ", ".join(BLEND_MODES)
        raise NodeInputError(f"unknown blend mode {blend!r}; the modes are {modes}")
    left, upper = max(0, x), max(0, y)
    right, lower = min(base.width, x + top.width), min(base.height, y + top.height)
    result = base.copy()
    if left >= right or upper >= lower or opacity <= 0:
        return result
    backdrop = base.crop((left, upper, right, lower))
    source = top.crop((left - x, upper - y, right - x, lower - y))
    if blend != "normal":
        mixed = _blend_rgb(backdrop.convert("RGB"), source.convert("RGB"), blend)
        # composite() lerps by the mask: B where the backdrop is opaque, Cs where it is clear.
        rgb = Image.composite(mixed, source.convert("RGB"), backdrop.getchannel("A"))
        source = Image.merge("RGBA", (*rgb.split(), source.getchannel("A")))
    if opacity < 1:
        alpha = source.getchannel("A").point([int(v * opacity + 0.5) for v in range(256)])
        source = Image.merge("RGBA", (*source.split()[:3], alpha))
    result.paste(Image.alpha_composite(backdrop, source), (left, upper))
    return result


def _blend_rgb(backdrop: Image.Image, source: Image.Image, blend: str) -> Image.Image:
    """B(Cb, Cs) for the separable blend modes, on RGB images of the same size (each of
    these ImageChops functions is within one level of the W3C formula)."""
    if blend == "multiply":
        return ImageChops.multiply(backdrop, source)
    if blend == "screen":
        return ImageChops.screen(backdrop, source)
    if blend == "darken":
        return ImageChops.darker(backdrop, source)
    if blend == "lighten":
        return ImageChops.lighter(backdrop, source)
    # overlay(Cb, Cs) = hard-light(Cs, Cb): the backdrop decides the branch, so it goes first.
    return ImageChops.overlay(backdrop, source)


def round_corners(image: Image.Image, radius: int) -> Image.Image:
    """Corners outside a rounded rectangle of `radius` become transparent (anti-aliased)."""
    width, height = image.size
    radius = min(radius, width // 2, height // 2)
    if radius <= 0:
        return image.copy()
    corner = corner_mask(radius)
    mask = Image.new("L", image.size, 255)
    mask.paste(corner, (0, 0))
    mask.paste(corner.transpose(Image.Transpose.FLIP_LEFT_RIGHT), (width - radius, 0))
    mask.paste(corner.transpose(Image.Transpose.FLIP_TOP_BOTTOM), (0, height - radius))
    mask.paste(corner.transpose(Image.Transpose.ROTATE_180), (width - radius, height - radius))
    alpha = ImageChops.multiply(image.getchannel("A"), mask)
    return Image.merge("RGBA", (*image.split()[:3], alpha))


def corner_mask(radius: int) -> Image.Image:
    """The top-left radius x radius corner: 255 inside the quarter circle centred at
    (radius, radius), 0 outside, the share of each pixel covered in between."""
    factor = _CORNER_SUPERSAMPLING
    while factor > 1 and (radius * factor) ** 2 > _CORNER_MAX_PIXELS:
        factor //= 2
    big = radius * factor
    corner = Image.new("L", (big, big), 0)
    # The ellipse's box covers the whole circle; drawing is clipped to the corner square.
    ImageDraw.Draw(corner).ellipse((0, 0, 2 * big - 1, 2 * big - 1), fill=255)
    return corner.reduce(factor) if factor > 1 else corner
