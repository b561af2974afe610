"""The run history under the preview: the shown node's last results, newest first; a click compares.

Clicking a shot compares it with the newest one; Compare opens the newest against the one
before it. For an AI node the dialog also offers its steps (step 2 against step 3).
"""

from __future__ import annotations

import base64
from typing import Any

import js  # browser-only

from ...app import compare, events
from ...app.compare import Pick
from ...app.events import Change
from .compare_view import CompareDialog
from .dom import Listeners, h, spawn
from .run_history_keeper import HistoryKeeper


def clock(ms: float) -> str:
    """The time of day in the user's own format."""
    return str(js.Date.new(ms).toLocaleTimeString())


class HistoryStrip:
    def __init__(self, keeper: HistoryKeeper, preview: Any, app: Any, dialog: CompareDialog) -> None:
        self.keeper = keeper
        self.preview = preview
        self.editor = app.editor
        self.dialog = dialog
        self._listeners = Listeners()
        self._item_listeners = Listeners()
        self.count = h("span", {"cls": "muted", "testid": "history-count"})
        self.compare_button = h(
            "button",
            {"cls": "btn small", "type": "button", "text": "Compare…", "testid": "history-compare",
             "title": "Compare two results of this node, with a slider or side by side"},
        )  # fmt: skip
        self.list = h("ol", {"cls": "history-shots", "testid": "history-shots", "aria-label": "Run history"})
        self.unkept = h(
            "p",
            {"cls": "history-unkept muted", "testid": "history-unkept", "hidden": True,
             "text": "Kept for this page only: this browser's storage refused the history."},
        )  # fmt: skip
        self.el = h(
            "div",
            {"cls": "history-strip", "testid": "history-strip", "hidden": True},
            h(
                "div",
                {"cls": "history-head"},
                h("span", {"text": "History"}),
                self.count,
                h("span", {"cls": "spacer"}),
                self.compare_button,
            ),  # fmt: skip
            self.list,
            self.unkept,
        )
        self.node_id: str | None = None
        self._listeners.on(self.compare_button, "click", lambda e: self.open_compare(self.node_id))
        keeper.on_change.append(self.render)
        app.on_document(self._on_change)

    def _on_change(self, change: Change) -> None:
        if change.kind in (events.SELECTION, events.REPLACED, events.STRUCTURE):
            spawn(self._refresh(), "history strip")

    async def _refresh(self) -> None:
        await self.keeper.current()  # another document: its history
        self.render()

    def render(self) -> None:
        self.node_id = self.preview.target()
        shots = self.keeper.history.of(self.node_id) if self.node_id else []
        self._item_listeners.clear()
        items = []
        for shot in reversed(shots):
            button = h(
                "button",
                {"cls": "history-shot", "type": "button", "testid": f"history-shot-{shot.number}",
                 "title": f"{shot.label} at {clock(shot.time)}: {shot.summary}. Click to compare with the newest."},
                h("img", {"src": self.keeper.thumbs.get(shot.id, ""), "alt": shot.label, "draggable": "false"}),
                h("span", {"text": f"{shot.number}"}),
            )  # fmt: skip
            self._item_listeners.on(button, "click", lambda e, key=shot.id: self.open_compare(self.node_id, key))
            items.append(h("li", {}, button))
        self.list.replaceChildren(*items)
        self.count.textContent = f"{len(shots)} run{'s' if len(shots) != 1 else ''}" if shots else ""
        self.compare_button.disabled = len(self._picks(self.node_id)) < 2 if self.node_id else True
        self.unkept.hidden = self.keeper.kept or not shots
        self.el.hidden = not shots

    def _picks(self, node_id: str | None, *, steps_first: bool = False) -> list[Pick]:
        if node_id is None:
            return []
        shots = compare.shot_picks(self.keeper.history.of(node_id), self.keeper.picture, clock)
        node = self.editor.graph.nodes.get(node_id)
        steps = compare.step_picks(node, self._decode_step) if node is not None else []
        return steps + shots if steps_first else shots + steps

    async def _decode_step(self, b64: str) -> Any:
        return await self.keeper.session.backend.decode(base64.b64decode(b64))

    def open_compare(self, node_id: str | None, clicked: str | None = None, *, steps_first: bool = False) -> bool:
        """The compare dialog for the node's results and AI steps (the latest two steps first when
        `steps_first`), or False when there are not two."""
        picks = self._picks(node_id, steps_first=steps_first)
        pair = compare.default_pair(picks, clicked)
        if pair is None:
            return False
        self.dialog.open(f"Compare · {node_id}", picks, *pair)
        return True
