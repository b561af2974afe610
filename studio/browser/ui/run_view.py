"""Draws the run controller's events on the canvas: node badges and thumbnails."""

from __future__ import annotations

from typing import Any

from ...app.messages import NodeStateChanged, ThumbnailChanged
from .canvas_view import CanvasView
from .dom import after_paint, later


class RunView:
    """A node's step within a run is drawn with the next turn, every step of a turn in one go: with
    the engine in its worker, each call waited for the main thread to redraw the previous node
    before it could even be sent. Everything else (a run's end, a wait, an edit) is drawn at once."""

    def __init__(self, app: Any, canvas: CanvasView) -> None:
        self.canvas = canvas
        self._to_redraw: set[str] = set()
        app.runs.after_paint = after_paint
        app.subscribe(NodeStateChanged, self._state)
        app.subscribe(ThumbnailChanged, lambda e: canvas.set_thumbnail(e.node, e.url, e.size))

    def _state(self, event: NodeStateChanged) -> None:
        if not event.during_run:
            self.canvas.update_status(*event.nodes)
            return
        if not self._to_redraw:
            later(0, self._redraw)
        self._to_redraw.update(event.nodes)

    def _redraw(self) -> None:
        changed, self._to_redraw = self._to_redraw, set()
        self.canvas.update_status(*changed)
