"""Per-pixel color operations on RGBA images: the CSS Filter Effects functions, invert and tint.

Each operation acts on RGB and keeps alpha. Per-channel functions become one 256-entry lookup
table per band (Image.point); cross-channel ones are 3x3 matrices (Image.convert with a
matrix). Both run in Pillow's C code, so the cost does not grow with Python per pixel.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PIL import Image

from ..core.colors import RGBA

Matrix = tuple[float, float, float, float, float, float, float, float, float]  # 3x3, by rows

# grayscale(1) of the Filter Effects spec: every channel becomes the luminance.
LUMINANCE = (0.2126, 0.7152, 0.0722)
GRAYSCALE: Matrix = (*LUMINANCE, *LUMINANCE, *LUMINANCE)

# sepia(1) of the Filter Effects spec.
SEPIA: Matrix = (
    0.393, 0.769, 0.189,
    0.349, 0.686, 0.168,
    0.272, 0.534, 0.131,
)  # fmt: skip

_IDENTITY_BAND = list(range(256))


def saturate_matrix(amount: float) -> Matrix:
    """The feColorMatrix type="saturate" matrix (note: 0.213/0.715/0.072, not grayscale's)."""
    s = amount
    return (
        0.213 + 0.787 * s, 0.715 - 0.715 * s, 0.072 - 0.072 * s,
        0.213 - 0.213 * s, 0.715 + 0.285 * s, 0.072 - 0.072 * s,
        0.213 - 0.213 * s, 0.715 - 0.715 * s, 0.072 + 0.928 * s,
    )  # fmt: skip


def hue_rotate_matrix(degrees: float) -> Matrix:
    """The feColorMatrix type="hueRotate" matrix for an angle in degrees."""
    c = math.cos(math.radians(degrees))
    s = math.sin(math.radians(degrees))
    return (
        0.213 + 0.787 * c - 0.213 * s, 0.715 - 0.715 * c - 0.715 * s, 0.072 - 0.072 * c + 0.928 * s,
        0.213 - 0.213 * c + 0.143 * s, 0.715 + 0.285 * c + 0.140 * s, 0.072 - 0.072 * c - 0.283 * s,
        0.213 - 0.213 * c - 0.787 * s, 0.715 - 0.715 * c + 0.715 * s, 0.072 + 0.928 * c + 0.072 * s,
    )  # fmt: skip


def apply_matrix(image: Image.Image, matrix: Matrix) -> Image.Image:
    """RGB' = matrix x RGB, rounded and clamped to 0..255; alpha kept."""
    m = matrix
    # Pillow wants 3 rows of 4 (the 4th is an offset in 0..255 units).
    pillow_matrix = (m[0], m[1], m[2], 0.0, m[3], m[4], m[5], 0.0, m[6], m[7], m[8], 0.0)
    rgb = image.convert("RGB").convert("RGB", pillow_matrix)
    return Image.merge("RGBA", (*rgb.split(), image.getchannel("A")))


def map_channels(image: Image.Image, functions: tuple[Callable[[float], float], ...]) -> Image.Image:
    """Apply one function per RGB channel (0..1 in, 0..1 out, clamped and rounded); alpha kept."""
    table: list[int] = []
    for function in functions:
        table += [_to_byte(function(v / 255)) for v in range(256)]
    return image.point(table + _IDENTITY_BAND)


def adjust(image: Image.Image, brightness: float, contrast: float, saturation: float, hue: float) -> Image.Image:
    """CSS `brightness(b) contrast(c) saturate(s) hue-rotate(h)`, clamped after each step."""
    out = image
    if brightness != 1 or contrast != 1:
        # Both are per channel, so they fold into one table, clamping between them as CSS does.
        def tone(v: float) -> float:
            v = _clamp01(v * brightness)
            return (v - 0.5) * contrast + 0.5

        out = map_channels(out, (tone, tone, tone))
    if saturation != 1:
        out = apply_matrix(out, saturate_matrix(saturation))
    if hue % 360 != 0:
        out = apply_matrix(out, hue_rotate_matrix(hue))
    return image.copy() if out is image else out


def grayscale(image: Image.Image) -> Image.Image:
    return apply_matrix(image, GRAYSCALE)


def sepia(image: Image.Image) -> Image.Image:
    return apply_matrix(image, SEPIA)


def invert(image: Image.Image) -> Image.Image:
    flip = [255 - v for v in range(256)]
    return image.point(flip * 3 + _IDENTITY_BAND)


def tint(image: Image.Image, color: RGBA, amount: float) -> Image.Image:
    """Mix RGB toward color's RGB by amount * alpha/255 (a translucent tint tints less)."""
    weight = _clamp01(amount * color[3] / 255)
    functions = tuple(_mix_toward(channel / 255, weight) for channel in color[:3])
    return map_channels(image, functions)


def _mix_toward(target: float, weight: float) -> Callable[[float], float]:
    return lambda v: v + (target - v) * weight


def _clamp01(v: float) -> float:
    return 0.0 if v < 0 else 1.0 if v > 1 else v


def _to_byte(v: float) -> int:
    return int(_clamp01(v) * 255 + 0.5)
