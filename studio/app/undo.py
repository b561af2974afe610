"""Undo and redo by snapshots: each step keeps the document as it was before the edit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.graph import Graph

LIMIT = 200  # steps kept; the oldest go first


@dataclass
class Snapshot:
    """The document an edit changes: the graph and the uploaded pictures (bytes are shared, not copied)."""

    graph: Graph
    inputs: dict[str, bytes]

    @classmethod
    def take(cls, graph: Graph, inputs: dict[str, bytes]) -> Snapshot:
        return cls(graph.copy(), dict(inputs))


@dataclass
class Step:
    label: str
    before: Snapshot
    gesture: Any = None  # edits with the same gesture (one drag, one slider slide) merge into one step


class History:
    def __init__(self, limit: int = LIMIT) -> None:
        self.limit = limit
        self._undo: list[Step] = []
        self._redo: list[Step] = []

    def continues(self, gesture: Any) -> bool:
        """True when an edit with this gesture belongs to the last step (so no new snapshot is needed)."""
        return gesture is not None and bool(self._undo) and self._undo[-1].gesture == gesture and not self._redo

    def record(self, label: str, before: Snapshot, gesture: Any = None) -> None:
        self._undo.append(Step(label, before, gesture))
        del self._undo[: -self.limit]
        self._redo.clear()

    def end_gesture(self) -> None:
        """Close the last step so the next edit with the same gesture key starts a new one."""
        if self._undo:
            self._undo[-1].gesture = None

    def undo(self, current: Snapshot) -> Step | None:
        if not self._undo:
            return None
        step = self._undo.pop()
        self._redo.append(Step(step.label, current))
        return step

    def redo(self, current: Snapshot) -> Step | None:
        if not self._redo:
            return None
        step = self._redo.pop()
        self._undo.append(Step(step.label, current))
        return step

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_label(self) -> str | None:
        return self._undo[-1].label if self._undo else None

    @property
    def redo_label(self) -> str | None:
        return self._redo[-1].label if self._redo else None


def changed_nodes(old: Snapshot, new: Snapshot) -> set[str]:
    """Nodes whose result may differ between two documents: added, removed, re-typed,
    re-paramed, re-wired or given another picture (the run controller marks their descendants too)."""
    a_nodes, b_nodes = old.graph.nodes, new.graph.nodes
    changed = set(a_nodes) ^ set(b_nodes)
    for node_id in set(a_nodes) & set(b_nodes):
        a, b = a_nodes[node_id], b_nodes[node_id]
        if (a.type, a.params, a.data, a.bypass) != (b.type, b.params, b.data, b.bypass):
            changed.add(node_id)
        if old.inputs.get(node_id) is not new.inputs.get(node_id):
            changed.add(node_id)
    for edge in set(old.graph.edges) ^ set(new.graph.edges):
        changed.add(edge.target.node)
    return changed
