"""Operations that move pixels on RGBA images: resize, crop, flip, rotate, pad, edge extension."""

from __future__ import annotations

import math

from PIL import Image

from ..core.colors import RGBA
from ..core.errors import NodeInputError

AFFINE = Image.Transform.AFFINE
NEAREST = Image.Resampling.NEAREST
BILINEAR = Image.Resampling.BILINEAR

# An angle this close to a multiple of 90 degrees counts as one (floats from a slider).
_RIGHT_ANGLE_TOLERANCE = 1e-9


def cos_sin(degrees: float) -> tuple[float, float]:
    """cos and sin of an angle in degrees, exactly 0 or +-1 at multiples of 90 so that
    right angles give pixel-exact geometry instead of 6e-17 leftovers."""
    quarter = round(degrees / 90)
    if abs(degrees - quarter * 90) < _RIGHT_ANGLE_TOLERANCE:
        return ((1.0, 0.0), (0.0, 1.0), (-1.0, 0.0), (0.0, -1.0))[quarter % 4]
    radians = math.radians(degrees)
    return math.cos(radians), math.sin(radians)


def resize(image: Image.Image, width: int, height: int) -> Image.Image:
    """Stretch to width x height: Lanczos if either side shrinks, else bicubic.

    Pillow resizes RGBA through premultiplied RGBa, so transparent pixels lend no color.
    """
    if (width, height) == image.size:
        return image.copy()
    shrinking = width < image.width or height < image.height
    method = Image.Resampling.LANCZOS if shrinking else Image.Resampling.BICUBIC
    return image.resize((width, height), method)


def crop(image: Image.Image, x: int, y: int, width: int, height: int) -> Image.Image:
    return image.crop((x, y, x + width, y + height))


def flip(image: Image.Image, axis: str) -> Image.Image:
    if axis == "horizontal":
        return image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    if axis == "vertical":
        return image.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    raise NodeInputError(f"flip axis must be 'horizontal' or 'vertical', not {axis!r}")


def pad(image: Image.Image, top: int, right: int, bottom: int, left: int, color: RGBA) -> Image.Image:
    width = image.width + left + right
    height = image.height + top + bottom
    canvas = Image.new("RGBA", (width, height), color)
    canvas.paste(image, (left, top))  # a plain paste: the image's own pixels, not composited
    return canvas


def rotated_size(width: int, height: int, degrees: float) -> tuple[int, int]:
    """The smallest size holding the whole rotated image, as the protocol defines it."""
    c, s = cos_sin(degrees)
    return (
        max(1, round(abs(width * c) + abs(height * s))),
        max(1, round(abs(width * s) + abs(height * c))),
    )


def rotate(image: Image.Image, degrees: float, expand: bool, fill: RGBA) -> Image.Image:
    """Rotate clockwise about the centre (bilinear, anti-aliased edges); uncovered is `fill`."""
    turn = degrees % 360
    nearest = round(turn / 90)
    quarter = nearest % 4
    if abs(turn - nearest * 90) < _RIGHT_ANGLE_TOLERANCE:
        # Quarter turns that keep every pixel on the grid: a permutation, no resampling.
        if quarter == 0:
            return image.copy()
        if quarter == 2:
            return image.transpose(Image.Transpose.ROTATE_180)
        if expand or image.width == image.height:
            # Pillow's ROTATE_* turn counter-clockwise.
            method = Image.Transpose.ROTATE_270 if quarter == 1 else Image.Transpose.ROTATE_90
            return image.transpose(method)
    width, height = image.size
    size = rotated_size(width, height, turn) if expand else (width, height)
    return _rotate_resampled(image, turn, size, fill)


def _rotate_resampled(image: Image.Image, degrees: float, size: tuple[int, int], fill: RGBA) -> Image.Image:
    width, height = image.size
    c, s = cos_sin(degrees)
    # Output pixel -> source point, about the two centres. The source is the image with a
    # 1 px border, hence the +1. Clockwise with y down is the matrix [[c, -s], [s, c]]; the
    # transform needs its inverse, the transpose.
    out_cx, out_cy = size[0] / 2, size[1] / 2
    in_cx, in_cy = width / 2 + 1, height / 2 + 1
    inverse = (
        c, s, in_cx - c * out_cx - s * out_cy,
        -s, c, in_cy + s * out_cx - c * out_cy,
    )  # fmt: skip

    # Colors come from the image with its edge pixels repeated one pixel outward, interpolated
    # premultiplied so transparent pixels lend no color.
    colors = extend_edges(image.convert("RGBa"), 1)
    turned = colors.transform(size, AFFINE, inverse, resample=BILINEAR)
    # Coverage: 255 inside the image fading to 0 across its edge. Blending by coverage (not
    # a hard inside/outside test) anti-aliases the rotated edges.
    inside = Image.new("L", (width + 2, height + 2), 0)
    inside.paste(255, (1, 1, width + 1, height + 1))
    coverage = inside.transform(size, AFFINE, inverse, resample=BILINEAR)

    # Pillow's own premultiplication of the fill, so it rounds as the image's pixels do.
    premultiplied = Image.new("RGBA", (1, 1), fill).convert("RGBa").getpixel((0, 0))
    background = Image.new("RGBa", size, premultiplied)
    # A lerp between two premultiplied images is the correct "part image, part fill" mix.
    return Image.composite(turned, background, coverage).convert("RGBA")


def extend_edges(image: Image.Image, border: int) -> Image.Image:
    """The image with its outermost pixels repeated `border` pixels outward on every side
    (what filters need so that edges neither darken nor fade)."""
    if border <= 0:
        return image.copy()
    w, h = image.size
    n = border
    out = Image.new(image.mode, (w + 2 * n, h + 2 * n))
    out.paste(image, (n, n))
    out.paste(image.crop((0, 0, w, 1)).resize((w, n), NEAREST), (n, 0))
    out.paste(image.crop((0, h - 1, w, h)).resize((w, n), NEAREST), (n, n + h))
    out.paste(image.crop((0, 0, 1, h)).resize((n, h), NEAREST), (0, n))
    out.paste(image.crop((w - 1, 0, w, h)).resize((n, h), NEAREST), (n + w, n))
    corners = (  # (source pixel, top-left of the n x n block it fills)
        ((0, 0), (0, 0)),
        ((w - 1, 0), (n + w, 0)),
        ((0, h - 1), (0, n + h)),
        ((w - 1, h - 1), (n + w, n + h)),
    )
    for (x, y), (left, top) in corners:
        corner = image.getpixel((x, y))
        assert isinstance(corner, tuple)  # an RGBA image's pixel is (r, g, b, a)
        out.paste(corner, (left, top, left + n, top + n))
    return out
