"""What is selected on the canvas: a set of nodes, or one edge."""

from __future__ import annotations

from collections.abc import Iterable

from ..core.graph import Edge


class Selection:
    """Plain state; the editor announces its changes. The primary node is the one the inspector shows."""

    def __init__(self) -> None:
        self.nodes: list[str] = []  # in selection order: the last one is primary
        self.edge: Edge | None = None

    @property
    def primary(self) -> str | None:
        return self.nodes[-1] if self.nodes else None

    def set(self, node_ids: Iterable[str]) -> None:
        self.nodes = list(dict.fromkeys(node_ids))
        self.edge = None

    def add(self, node_ids: Iterable[str]) -> None:
        new = list(node_ids)
        self.set([*[n for n in self.nodes if n not in new], *new])

    def toggle(self, node_id: str) -> None:
        if node_id in self.nodes:
            self.nodes = [n for n in self.nodes if n != node_id]
        else:
            self.nodes = [*self.nodes, node_id]
        self.edge = None

    def select_edge(self, edge: Edge | None) -> None:
        self.nodes = []
        self.edge = edge

    def clear(self) -> None:
        self.nodes = []
        self.edge = None

    def keep_only(self, existing: Iterable[str], edges: Iterable[Edge]) -> bool:
        """Drop what no longer exists (after undo or delete); True if anything was dropped."""
        alive = set(existing)
        before = (list(self.nodes), self.edge)
        self.nodes = [n for n in self.nodes if n in alive]
        if self.edge is not None and self.edge not in list(edges):
            self.edge = None
        return before != (self.nodes, self.edge)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.nodes

    def __bool__(self) -> bool:
        return bool(self.nodes) or self.edge is not None


def nodes_in_rect(
    boxes: dict[str, tuple[float, float, float, float]], rect: tuple[float, float, float, float]
) -> list[str]:
    """Ids of the boxes (x, y, w, h) that the rect (x, y, w, h) touches (box selection)."""
    rx, ry, rw, rh = _normal(rect)
    return [
        node_id for node_id, (x, y, w, h) in boxes.items() if x < rx + rw and x + w > rx and y < ry + rh and y + h > ry
    ]


def _normal(rect: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    x, y, w, h = rect
    if w < 0:
        x, w = x + w, -w
    if h < 0:
        y, h = y + h, -h
    return x, y, w, h
