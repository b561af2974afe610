"""New RGBA images painted from parameters: solid fills and linear gradients."""

from __future__ import annotations

from PIL import Image

from ..core.colors import RGBA
from .pillow_geometry import AFFINE, NEAREST, cos_sin

# Steps in the color ramp a gradient samples: fine enough that quantising the position
# costs under 0.1 of a level on any channel.
_RAMP_STEPS = 4096


def solid(width: int, height: int, color: RGBA) -> Image.Image:
    return Image.new("RGBA", (width, height), color)


def gradient(width: int, height: int, start: RGBA, end: RGBA, degrees: float) -> Image.Image:
    """A CSS-like linear gradient whose corner pixels are exactly `start` and `end`.

    Position t along the direction (cos a, sin a), y down, is measured between pixel
    centres: t = ((x - cx) cos a + (y - cy) sin a) / span + 1/2 with cx = (w - 1)/2,
    cy = (h - 1)/2 and span = |(w - 1) cos a| + |(h - 1) sin a|, so the two corner pixels
    farthest along the line get t = 0 and t = 1. Colors are mixed per channel (alpha too,
    straight), linearly in sRGB.

    t is affine in (x, y), so the picture is an affine map of a 1-pixel-high color ramp:
    one Image.transform with nearest sampling, all in C.
    """
    c, s = cos_sin(degrees)
    span = abs((width - 1) * c) + abs((height - 1) * s)
    if span == 0:
        # Every pixel centre sits on the same point of the line (e.g. one pixel wide at 0
        # degrees): the middle of the gradient, as CSS would sample it.
        return solid(width, height, _mix(start, end, 0.5))
    steps = _RAMP_STEPS
    ramp = _ramp(start, end, steps)
    # Ramp index u = 1 + t * (steps - 1) + 1/2, floored by nearest sampling: the 1 skips
    # the ramp's leading guard pixel, the 1/2 turns flooring into rounding.
    k = (steps - 1) / span
    a, b = k * c, k * s
    cx, cy = (width - 1) / 2, (height - 1) / 2
    at_origin = 1.5 + (steps - 1) / 2 - a * cx - b * cy
    # Pillow samples output pixel (i, j) at (i + 1/2, j + 1/2); take that half back.
    offset = at_origin - (a + b) / 2
    matrix = (a, b, offset, 0.0, 0.0, 0.5)
    return ramp.transform((width, height), AFFINE, matrix, resample=NEAREST)


def _ramp(start: RGBA, end: RGBA, steps: int) -> Image.Image:
    """steps colors from start to end, plus a guard pixel at each end (against rounding
    in the transform reaching just past t = 0 or 1)."""
    last = steps - 1
    pixels = bytearray(start)
    for i in range(steps):
        pixels += bytes(_mix(start, end, i / last))
    pixels += bytes(end)
    return Image.frombytes("RGBA", (steps + 2, 1), bytes(pixels))


def _mix(start: RGBA, end: RGBA, t: float) -> RGBA:
    r, g, b, a = (int(p + (q - p) * t + 0.5) for p, q in zip(start, end, strict=False))
    return (r, g, b, a)
