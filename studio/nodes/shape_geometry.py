"""Outlines of the shapes source.shapes draws: rectangle, ellipse, regular polygon and star, and their insets."""

from __future__ import annotations

import math

from ..backend.polygon_math import inset
from ..backend.protocol import Point

__all__ = ["SHAPES", "inset", "outline"]

SHAPES = ("rectangle", "ellipse", "polygon", "star")
# Segments of an ellipse's outline: under 0.05 px from the true curve up to a radius of 8000 px.
_ELLIPSE_SEGMENTS = 720


def outline(shape: str, width: float, height: float, sides: int, inner: float, rotation: float) -> tuple[Point, ...]:
    """The shape's outline filling the width x height box, clockwise on screen (y down)."""
    cx, cy, rx, ry = width / 2, height / 2, width / 2, height / 2
    radii: tuple[float, ...]
    if shape == "rectangle":
        return ((0.0, 0.0), (width, 0.0), (width, height), (0.0, height))
    if shape == "ellipse":
        count, radii = _ELLIPSE_SEGMENTS, (1.0,)
    elif shape == "polygon":
        count, radii = sides, (1.0,)
    else:
        count, radii = sides * 2, (1.0, inner)
    points = []
    for i in range(count):
        # The first corner points straight up; rotation turns the shape clockwise.
        angle = math.radians(rotation) - math.pi / 2 + 2 * math.pi * i / count
        r = radii[i % len(radii)]
        points.append((cx + rx * r * math.cos(angle), cy + ry * r * math.sin(angle)))
    return tuple(points)
