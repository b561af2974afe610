"""Polygon arithmetic shared by the shapes node and the Pillow rasterizer: signed area and mitred insets."""

from __future__ import annotations

import math

from .protocol import Point


def signed_area(points: tuple[Point, ...]) -> float:
    """Twice the signed area: positive for outlines clockwise on screen (y down)."""
    n = len(points)
    return sum(points[i][0] * points[(i + 1) % n][1] - points[(i + 1) % n][0] * points[i][1] for i in range(n))


def inset(points: tuple[Point, ...], distance: float) -> tuple[Point, ...]:
    """The outline moved `distance` inward: each edge shifted along its normal, corners where
    neighbouring shifted edges meet (mitred). Empty when the shape is thinner than that."""
    n = len(points)
    if distance <= 0:
        return points
    area = signed_area(points)
    side = 1 if area > 0 else -1  # clockwise on screen has a positive area with y down
    lines = []
    for i in range(n):
        (x0, y0), (x1, y1) = points[i], points[(i + 1) % n]
        length = math.hypot(x1 - x0, y1 - y0)
        if length == 0:
            continue
        nx, ny = -(y1 - y0) / length * side, (x1 - x0) / length * side
        lines.append(((x0 + nx * distance, y0 + ny * distance), (x1 - x0, y1 - y0)))
    out = []
    for i in range(len(lines)):
        (p, d), (q, e) = lines[i - 1], lines[i]
        cross = d[0] * e[1] - d[1] * e[0]
        if abs(cross) < 1e-12:
            out.append(q)
            continue
        t = ((q[0] - p[0]) * e[1] - (q[1] - p[1]) * e[0]) / cross
        out.append((p[0] + d[0] * t, p[1] + d[1] * t))
    result = tuple(out)
    new_area = sum(
        result[i][0] * result[(i + 1) % len(result)][1] - result[(i + 1) % len(result)][0] * result[i][1]
        for i in range(len(result))
    )
    if new_area * area <= 0 or abs(new_area) > abs(area):
        return ()
    return result
