"""Auto-layout: nodes without a position go in columns, left to right by dependency depth."""

from __future__ import annotations

from ..core.graph import Graph
from ..core.topology import dependencies

COLUMN = 260.0  # node width (200) plus room for wires
ROW = 260.0  # a node with its thumbnail (~230 px) plus a gap
ORIGIN = (40.0, 80.0)


def depths(graph: Graph) -> dict[str, int]:
    """Longest path from a source to each node (nodes on a cycle count from where it is entered)."""
    deps = dependencies(graph)
    depth: dict[str, int] = {}
    visiting: set[str] = set()

    # Iterative DFS: a pasted graph can be deep enough to hit the recursion limit.
    for root in deps:
        stack = [(root, False)]
        while stack:
            node_id, expanded = stack.pop()
            if node_id in depth:
                continue
            if expanded:
                visiting.discard(node_id)
                depth[node_id] = max((depth.get(d, 0) + 1 for d in deps[node_id] if d in depth), default=0)
                continue
            visiting.add(node_id)
            stack.append((node_id, True))
            stack.extend((d, False) for d in deps[node_id] if d not in depth and d not in visiting)
    return depth


def layout(graph: Graph, *, only_missing: bool = True) -> dict[str, tuple[float, float]]:
    """Positions for the nodes to place (those without one, or all): column by depth, then the
    first free row in that column, so placed nodes never land on positioned ones."""
    depth = depths(graph)
    todo = [n for n in graph.nodes.values() if not only_missing or n.position is None]
    taken: dict[int, list[float]] = {}
    if only_missing:
        for node in graph.nodes.values():
            if node.position is not None:
                column = round((node.position[0] - ORIGIN[0]) / COLUMN)
                taken.setdefault(column, []).append(node.position[1])
    placed: dict[str, tuple[float, float]] = {}
    for node in todo:
        column = depth.get(node.id, 0)
        ys = taken.setdefault(column, [])
        y = ORIGIN[1]
        while any(abs(y - other) < ROW for other in ys):
            y += ROW
        ys.append(y)
        placed[node.id] = (ORIGIN[0] + column * COLUMN, y)
    return placed


NODE_SIZE = (200.0, 230.0)  # a node's box on the canvas, thumbnail included


def free_spot(graph: Graph, point: tuple[float, float], *, limit: int = 50) -> tuple[float, float]:
    """`point`, or the nearest spot below it (then to the right) where a new node's box
    overlaps no other node, so a node added at the view's centre never hides another."""
    boxes = [n.position for n in graph.nodes.values() if n.position is not None]
    width, height = NODE_SIZE

    def overlaps(x: float, y: float) -> bool:
        return any(abs(x - bx) < width and abs(y - by) < height for bx, by in boxes)

    x, y = point
    for step in range(limit):
        candidate = (x + (step // 5) * COLUMN, y + (step % 5) * ROW / 2)
        if not overlaps(*candidate):
            return candidate
    return point
