"""The run status pill over the canvas: the run going on ("Running 2 of 5…"), then what the graph shows."""

from __future__ import annotations

from typing import Any

from ...app.messages import RunFinished
from ...app.node_states import pill_text


class RunPill:
    """Writes the pill (the toolbar's `run-status` element) from the canvas's node states, so it
    follows every run event and every edit (a deleted graph leaves no "5 done" behind)."""

    def __init__(self, el: Any, canvas: Any, app: Any) -> None:
        self.el = el
        self.canvas = canvas
        self.board = app.board
        self.cancelled = False  # the last run was cancelled
        canvas.on_shown.append(self.refresh)
        app.subscribe(RunFinished, self._finished)
        self.refresh()

    def refresh(self) -> None:
        if self.board.running:
            self.cancelled = False
        text = pill_text(self.canvas.shown, self.board, cancelled=self.cancelled)
        if self.el.textContent != text:
            self.el.textContent = text

    def _finished(self, event: RunFinished) -> None:
        self.cancelled = event.result.cancelled
        self.refresh()
