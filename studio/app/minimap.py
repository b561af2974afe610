"""The minimap's geometry: the whole graph and the part on screen, scaled into a small box, and
a point on the map back to the graph (pure, so it is tested under CPython)."""

from __future__ import annotations

from dataclasses import dataclass

from .viewport import Rect, Viewport, bounds

PADDING = 8.0  # map pixels around the drawing
# The map's size follows the canvas: a quarter of its width, between these, at a 10:7 ratio, so
# that in a narrow window (a 440 px canvas at 900 x 700) it covers little of what it maps.
MAP_MAX_W, MAP_MIN_W, MAP_SHARE, MAP_RATIO = 200, 112, 0.25, 0.7


def map_size(view_w: float, view_h: float) -> tuple[int, int]:
    """The map's size in CSS pixels for a canvas of view_w x view_h."""
    width = round(max(MAP_MIN_W, min(MAP_MAX_W, view_w * MAP_SHARE, view_h * MAP_SHARE / MAP_RATIO)))
    return width, round(width * MAP_RATIO)


@dataclass(frozen=True)
class MapFrame:
    """How graph coordinates map onto the map: map = (graph - origin) * scale + PADDING."""

    origin_x: float
    origin_y: float
    scale: float

    def to_map(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.origin_x) * self.scale + PADDING, (y - self.origin_y) * self.scale + PADDING

    def to_graph(self, mx: float, my: float) -> tuple[float, float]:
        return (mx - PADDING) / self.scale + self.origin_x, (my - PADDING) / self.scale + self.origin_y

    def rect(self, box: Rect) -> Rect:
        x, y = self.to_map(box[0], box[1])
        return x, y, box[2] * self.scale, box[3] * self.scale


def visible_area(viewport: Viewport, view_w: float, view_h: float) -> Rect:
    """The part of the graph on screen, in graph coordinates."""
    left, top = viewport.to_graph(0, 0)
    return left, top, view_w / viewport.zoom, view_h / viewport.zoom


def map_frame(boxes: list[Rect], visible: Rect, map_w: float, map_h: float) -> MapFrame:
    """Fit the nodes and the visible area together in the map (so the viewport is always drawn)."""
    whole = bounds([*boxes, visible]) or visible
    room_w, room_h = max(map_w - 2 * PADDING, 1.0), max(map_h - 2 * PADDING, 1.0)
    scale = min(room_w / max(whole[2], 1.0), room_h / max(whole[3], 1.0))
    # Centred in the map along the axis with room to spare.
    origin_x = whole[0] - (room_w / scale - whole[2]) / 2
    origin_y = whole[1] - (room_h / scale - whole[3]) / 2
    return MapFrame(origin_x, origin_y, scale)


def centre_on(viewport: Viewport, gx: float, gy: float, view_w: float, view_h: float) -> None:
    """Pan (same zoom) so that the graph point (gx, gy) is in the middle of the view."""
    viewport.x = view_w / 2 - gx * viewport.zoom
    viewport.y = view_h / 2 - gy * viewport.zoom
