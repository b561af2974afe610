"""Filled, anti-aliased shapes on a transparent picture: each fill drawn 4x larger and averaged down."""

from __future__ import annotations

from PIL import Image, ImageChops, ImageDraw

from .polygon_math import inset
from .protocol import Fill, Point

# 4 x 4 samples per pixel: 17 levels of edge coverage, as round corners use.
_SUPERSAMPLING = 4
# Above this many samples the shapes are drawn at 2x, to bound memory.
_MAX_SAMPLES = 64 * 1024 * 1024


def fill_shapes(width: int, height: int, fills: tuple[Fill, ...]) -> Image.Image:
    scale = _SUPERSAMPLING if width * height * _SUPERSAMPLING**2 <= _MAX_SAMPLES else 2
    out = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    for rings, color in fills:
        coverage = _coverage(width, height, rings, scale)
        layer = Image.new("RGBA", (width, height), color[:3] + (0,))
        layer.putalpha(coverage.point([int(v * color[3] / 255 + 0.5) for v in range(256)]))
        out = Image.alpha_composite(out, layer)
    return out


def _coverage(width: int, height: int, rings: tuple[tuple[Point, ...], ...], scale: int) -> Image.Image:
    """The even-odd union of the rings as a 0..255 coverage mask: XOR of each ring's fill."""
    big = (width * scale, height * scale)
    total = Image.new("L", big, 0)
    for ring in rings:
        if len(ring) < 3:
            continue
        # ImageDraw fills every sample from floor(x0) to floor(x1) inclusive: moving each edge
        # half a sample inward makes that exactly the samples whose centres lie inside.
        points = inset(tuple((x * scale, y * scale) for x, y in ring), 0.5)
        if not points:
            continue
        one = Image.new("L", big, 0)
        ImageDraw.Draw(one).polygon(points, fill=255)
        total = ImageChops.difference(total, one)
    return total.reduce(scale)
