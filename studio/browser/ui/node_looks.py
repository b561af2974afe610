"""Rename a node where it stands and colour it: the context menu's Rename… (F2) and its swatches.

The commands (Retitle, SetColor) are studio/app/looks.py's; this file only edits the title in place (Enter or a
click elsewhere keeps it, Escape cancels) and reports a refusal as a hint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...app.commands import Retitle, SetColor
from ...app.ports import EditError
from .dom import Listeners, h
from .in_place import edit_in_place


class NodeLooks:
    def __init__(self, canvas: Any, app: Any, hint: Callable[[str], Any]) -> None:
        self.canvas, self.app, self.editor, self.hint = canvas, app, app.editor, hint
        self._listeners = Listeners()

    def rename_selected(self) -> None:
        """F2 and Rename…: the one selected node's title becomes a text field."""
        selected = [n for n in self.editor.selection.nodes if n in self.canvas.views]
        if len(selected) != 1:
            self.hint("select one node to rename it")
            return
        self.rename(selected[0])

    def rename(self, node_id: str) -> None:
        view = self.canvas.views.get(node_id)
        node = self.editor.graph.nodes.get(node_id)
        if view is None or node is None:
            return
        self._listeners.clear()
        box = h("input", {"cls": "node-title-input", "value": str(view.title.textContent), "maxlength": "200",
                          "aria-label": "Node title (empty: the type's)", "testid": f"node-title-input-{node_id}"})  # fmt: skip

        def finish(text: str | None) -> None:
            by_key = box.isSameNode(box.ownerDocument.activeElement)  # Enter/Escape, not a click elsewhere
            box.remove()
            current = self.editor.graph.nodes.get(node_id)
            if current is not None:
                view.update(current)  # the title as it was, until the command says otherwise
            if text is not None:
                self._act(lambda: self.app.send(Retitle(node_id, text)))
            if by_key:
                self.canvas.el.focus()  # the keys are the canvas's again (F2, Delete, …)

        edit_in_place(view.title, box, self._listeners, finish)

    def color(self, value: str | None) -> None:
        self._act(lambda: self.app.send(SetColor(value)))

    def _act(self, action: Callable[[], Any]) -> None:
        try:
            action()
        except EditError as exc:
            self.hint(str(exc))
