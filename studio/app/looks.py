"""How a node looks, as the editor changes it: a title of its own and a colour for its head.

Neither changes a run (the change kind is LOOKS, not a result kind); both are saved in the
workflow (version 3) and each change is one undo step.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..core.format_values import color_problem
from ..core.limits import MAX_TITLE_LENGTH
from ..core.quoting import quote
from . import events
from .ports import EditError

# The context menu's colours: (name, #rrggbb), chosen to read on both themes behind white text
# and to stay apart for colour-blind eyes (blue/orange first, as most palettes for them do).
COLORS: tuple[tuple[str, str], ...] = (
    ("Blue", "#3b6fd4"),
    ("Orange", "#d9822b"),
    ("Green", "#2f9e44"),
    ("Purple", "#8e5bd6"),
    ("Red", "#d64545"),
    ("Grey", "#6b7280"),
)


class LookCommands:
    def __init__(self, editor: Any) -> None:
        self.editor = editor

    def retitle(self, node_id: str, title: str) -> None:
        """Give the node a title of its own; an empty one (or its type's) gives it back its type's."""
        graph, catalog = self.editor.graph, self.editor.catalog
        node = graph.nodes.get(node_id)
        if node is None:
            raise EditError(f"no node {quote(node_id)}")
        spec = catalog.get(node.type)
        text = " ".join(title.split())[:MAX_TITLE_LENGTH] or None
        if spec is not None and text == spec.title:
            text = None
        if text != node.title:
            with self.editor.edit("rename the node", events.LOOKS, [node_id]):
                node.title = text

    def set_color(self, color: str | None, node_ids: Iterable[str] | None = None) -> None:
        """Colour the nodes' heads (or the selected ones'); None takes the colour off (one undo step)."""
        if color is not None and (why := color_problem(color)) is not None:
            raise EditError(why)
        graph = self.editor.graph
        chosen = self.editor.selection.nodes if node_ids is None else node_ids
        ids = [n for n in chosen if n in graph.nodes and graph.nodes[n].color != color]
        if ids:
            with self.editor.edit("colour" if color else "no colour", events.LOOKS, ids):
                for node_id in ids:
                    graph.nodes[node_id].color = color
