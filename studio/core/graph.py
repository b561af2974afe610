"""The graph as plain data: nodes with params, and edges between named ports."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple, TypeGuard

from .limits import MAX_COORDINATE, MAX_ID_LENGTH
from .quoting import quote

# Matched whole (fullmatch): with `$`, "poster\n" passed and became a file named "poster⏎.png".
NODE_ID = re.compile(rf"[A-Za-z0-9_-]{{1,{MAX_ID_LENGTH}}}")


def is_node_id(value: object) -> TypeGuard[str]:
    """Letters, digits, '_' and '-', 1 to MAX_ID_LENGTH of them (ids become file names)."""
    return isinstance(value, str) and NODE_ID.fullmatch(value) is not None


class GraphError(ValueError):
    """An edit that cannot be applied (unknown node, id taken, malformed port reference)."""


class PortRef(NamedTuple):
    """`<node id>.<port>` — a port on a node. (Named tuples, not dataclasses: a file of 100,000
    edges makes 200,000 of them, and a tuple is built and hashed several times faster.)"""

    node: str
    port: str

    @classmethod
    def parse(cls, text: str) -> PortRef:
        node, dot, port = text.rpartition(".")
        if not dot or not node or not port:
            raise GraphError(f"expected '<node id>.<port>', got {quote(text)}")
        return cls(node, port)

    def __str__(self) -> str:
        return f"{self.node}.{self.port}"


class Edge(NamedTuple):
    source: PortRef
    target: PortRef

    def __str__(self) -> str:
        return f"{self.source} -> {self.target}"


@dataclass
class Node:
    """A node instance. `data` holds node-local state that is not a param (e.g. AI history)."""

    id: str
    type: str
    params: dict[str, Any] = field(default_factory=dict)
    position: tuple[float, float] | None = None
    data: dict[str, Any] = field(default_factory=dict)
    # Bypassed: the node does not run; its first image input goes to its first image output
    # (studio/core/executor.py says what a node without such a pair does).
    bypass: bool = False
    # How it looks, nothing more: a title of its own (else its type's) and a colour for its head.
    title: str | None = None
    color: str | None = None


DEFAULT_FRAME_COLOR = "#4a5568"


@dataclass
class Frame:
    """A titled, coloured rectangle drawn behind nodes (a group). `nodes` are the ids it holds:
    moving the frame moves them. Frames are drawn in list order, the first at the back."""

    id: str
    x: float
    y: float
    width: float
    height: float
    title: str = "Frame"
    color: str = DEFAULT_FRAME_COLOR
    nodes: list[str] = field(default_factory=list)
    collapsed: bool = False


@dataclass
class Graph:
    name: str = "Untitled"
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)

    # --- edits (the UI turns user actions into these) ---

    def add_node(self, node: Node) -> Node:
        if not is_node_id(node.id):
            raise GraphError(
                f"node id {quote(node.id)} may use only letters, digits, '_' and '-' (at most {MAX_ID_LENGTH})"
            )
        if node.id in self.nodes:
            raise GraphError(f"node id {quote(node.id)} is already taken")
        self.nodes[node.id] = node
        return node

    def remove_node(self, node_id: str) -> Node:
        node = self._node(node_id)
        del self.nodes[node_id]
        self.edges = [e for e in self.edges if node_id not in (e.source.node, e.target.node)]
        for frame in self.frames:  # a frame naming a deleted node would make the saved file invalid
            if node_id in frame.nodes:
                frame.nodes = [n for n in frame.nodes if n != node_id]
        return node

    def connect(self, source: PortRef | str, target: PortRef | str) -> Edge:
        edge = Edge(_ref(source), _ref(target))
        self._node(edge.source.node)
        self._node(edge.target.node)
        if edge not in self.edges:
            self.edges.append(edge)
        return edge

    def disconnect(self, edge: Edge) -> None:
        self.edges = [e for e in self.edges if e != edge]

    def set_param(self, node_id: str, name: str, value: Any) -> None:
        self._node(node_id).params[name] = value

    def set_bypass(self, node_id: str, on: bool) -> None:
        self._node(node_id).bypass = bool(on)

    def add_frame(self, frame: Frame) -> Frame:
        """Adds a frame on top of the others. Its node ids must name nodes of this graph."""
        if not is_node_id(frame.id):
            raise GraphError(
                f"frame id {quote(frame.id)} may use only letters, digits, '_' and '-' (at most {MAX_ID_LENGTH})"
            )
        if self.frame(frame.id) is not None:
            raise GraphError(f"frame id {quote(frame.id)} is already taken")
        for node_id in frame.nodes:
            self._node(node_id)
        frame.nodes = list(dict.fromkeys(frame.nodes))
        self.frames.append(frame)
        return frame

    def remove_frame(self, frame_id: str) -> Frame:
        """Removes the frame only; its nodes stay where they are."""
        frame = self._frame(frame_id)
        self.frames.remove(frame)
        return frame

    def move_frame(self, frame_id: str, dx: float, dy: float) -> None:
        """Moves the frame and every node it holds (that has a position) by (dx, dy)."""
        frame = self._frame(frame_id)
        frame.x, frame.y = _clamp(frame.x + dx), _clamp(frame.y + dy)
        for node_id in frame.nodes:
            node = self.nodes.get(node_id)
            if node is not None and node.position is not None:
                node.position = (_clamp(node.position[0] + dx), _clamp(node.position[1] + dy))

    def frame(self, frame_id: str) -> Frame | None:
        return next((f for f in self.frames if f.id == frame_id), None)

    def frames_of(self, node_id: str) -> list[Frame]:
        return [f for f in self.frames if node_id in f.nodes]

    def unique_frame_id(self, stem: str = "frame") -> str:
        taken = {f.id for f in self.frames}
        if stem not in taken:
            return stem
        n = 2
        while f"{stem}-{n}" in taken:
            n += 1
        return f"{stem}-{n}"

    def unique_id(self, stem: str) -> str:
        """A fresh node id like `resize`, `resize-2`, … from a type id's last part."""
        base = re.sub(r"[^A-Za-z0-9_-]", "-", stem.rpartition(".")[2])[: MAX_ID_LENGTH - 6] or "node"
        if base not in self.nodes:
            return base
        n = 2
        while f"{base}-{n}" in self.nodes:
            n += 1
        return f"{base}-{n}"

    # --- queries ---

    def inputs_of(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges if e.target.node == node_id]

    def incoming(self) -> dict[str, list[Edge]]:
        """Every node's incoming edges in edge order, in one pass (for whole-graph work)."""
        index: dict[str, list[Edge]] = {node_id: [] for node_id in self.nodes}
        for edge in self.edges:
            into = index.get(edge.target.node)
            if into is not None:  # an edge to a missing node is reported by validation, not indexed
                into.append(edge)
        return index

    def descendants(self, node_ids: Iterable[str]) -> set[str]:
        """Every node reachable downstream of the given ones (not including them)."""
        # One pass over the edges, not one per node reached (a 200-node chain was quadratic).
        downstream: dict[str, list[str]] = {}
        for edge in self.edges:
            downstream.setdefault(edge.source.node, []).append(edge.target.node)
        seen: set[str] = set()
        stack = list(node_ids)
        while stack:
            current = stack.pop()
            for target in downstream.get(current, ()):
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        return seen

    def copy(self) -> Graph:
        """An independent copy (undo takes one before every edit, a slider tick included).
        Built field by field: `copy.deepcopy` took 4 ms for 200 nodes under CPython, several
        times that in the page, walking its memo for values that are plain JSON."""
        nodes = {
            node_id: Node(
                node.id,
                node.type,
                _json_copy(node.params),
                node.position,
                _json_copy(node.data),
                node.bypass,
                node.title,
                node.color,
            )
            for node_id, node in self.nodes.items()
        }
        frames = [replace(frame, nodes=list(frame.nodes)) for frame in self.frames]
        return Graph(self.name, nodes, list(self.edges), frames)

    def _frame(self, frame_id: str) -> Frame:
        frame = self.frame(frame_id)
        if frame is None:
            raise GraphError(f"no frame with id {quote(frame_id)}")
        return frame

    def _node(self, node_id: str) -> Node:
        try:
            return self.nodes[node_id]
        except KeyError:
            raise GraphError(f"no node with id {quote(node_id)}") from None


def _json_copy(value: Any) -> Any:
    """A copy of a JSON-shaped value: containers new, everything else (str, numbers, and any
    immutable value) shared. Anything else is deep-copied, as before."""
    kind = type(value)
    if kind is dict:
        return {key: _json_copy(item) for key, item in value.items()}
    if kind is list:
        return [_json_copy(item) for item in value]
    if kind in (str, int, float, bool, tuple) or value is None:
        return value
    return copy.deepcopy(value)


def _clamp(value: float) -> float:
    """Kept within the loader's coordinate limit, so a moved frame still saves a loadable file."""
    return max(-MAX_COORDINATE, min(MAX_COORDINATE, value))


def _ref(value: PortRef | str) -> PortRef:
    return value if isinstance(value, PortRef) else PortRef.parse(value)
