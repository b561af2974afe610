"""Pan and zoom of the canvas: converting between screen and graph coordinates."""

from __future__ import annotations

from dataclasses import dataclass

MIN_ZOOM = 0.2
MAX_ZOOM = 2.5
# Frame all never zooms out past this: the smallest node text (11.5 px) stays at least 9 px tall.
# A graph too big for the view at this zoom is framed from its start (top-left) instead.
LEGIBLE_ZOOM = 0.8

Rect = tuple[float, float, float, float]  # x, y, width, height


@dataclass
class Viewport:
    """screen = graph * zoom + (x, y)."""

    x: float = 0.0
    y: float = 0.0
    zoom: float = 1.0
    min_zoom: float = MIN_ZOOM
    max_zoom: float = MAX_ZOOM
    frame_min_zoom: float = LEGIBLE_ZOOM  # the preview of a picture sets 0: a picture may shrink to fit

    def to_graph(self, sx: float, sy: float) -> tuple[float, float]:
        return (sx - self.x) / self.zoom, (sy - self.y) / self.zoom

    def to_screen(self, gx: float, gy: float) -> tuple[float, float]:
        return gx * self.zoom + self.x, gy * self.zoom + self.y

    def pan(self, dx: float, dy: float) -> None:
        self.x += dx
        self.y += dy

    def zoom_at(self, sx: float, sy: float, factor: float) -> None:
        """Zoom by factor keeping the graph point under (sx, sy) where it is (wheel zoom)."""
        gx, gy = self.to_graph(sx, sy)
        self.zoom = _clamp(self.zoom * factor, self.min_zoom, self.max_zoom)
        self.x = sx - gx * self.zoom
        self.y = sy - gy * self.zoom

    def fit(self, content: Rect | None, view_w: float, view_h: float, margin: float = 40.0) -> None:
        """Frame the content (graph coordinates) in the view, never zooming in past 1 nor out past
        frame_min_zoom; an axis that does not fit then shows the content's start."""
        if content is None or view_w <= 0 or view_h <= 0:
            self.x, self.y, self.zoom = 0.0, 0.0, 1.0
            return
        cx, cy, cw, ch = content
        room_w, room_h = max(view_w - 2 * margin, 1), max(view_h - 2 * margin, 1)
        low = max(self.min_zoom, self.frame_min_zoom)
        self.zoom = _clamp(min(room_w / max(cw, 1), room_h / max(ch, 1), 1.0), low, self.max_zoom)
        self.x = _place(cx, cw, view_w, margin, self.zoom)
        self.y = _place(cy, ch, view_h, margin, self.zoom)

    def centre(self, view_w: float, view_h: float) -> tuple[float, float]:
        """The graph point at the middle of the view (where a clicked palette item lands)."""
        return self.to_graph(view_w / 2, view_h / 2)


def bounds(boxes: list[Rect]) -> Rect | None:
    if not boxes:
        return None
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    return left, top, right - left, bottom - top


def _place(start: float, size: float, view: float, margin: float, zoom: float) -> float:
    """The offset that centres [start, start + size] in the view, or shows its start if it is too big."""
    if size * zoom <= view - 2 * margin:
        return (view - size * zoom) / 2 - start * zoom
    return margin - start * zoom


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))
