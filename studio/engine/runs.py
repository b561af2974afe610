"""What crosses when a whole run goes to the engine: the run asked for, a body the engine hands back
to the caller (a node that needs a service only the caller has: Gemini's key and meter are the
page's), and the run's end. Each travels as `wire` bytes, pictures as handles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.catalog import Catalog
from ..core.executor import state_of
from ..core.graph import Graph, Node


@dataclass(frozen=True)
class RunCall:
    """Executor.run's arguments, and the caller's "run again" counts (the caller owns them)."""

    graph: Graph
    inputs: dict[str, bytes]
    force: tuple[str, ...] = ()
    targets: tuple[str, ...] | None = None
    offline: bool = False
    generations: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class BodyAsk:
    """Run this node's body where you are, with these inputs (pictures: handles of the engine's)."""

    node: str
    args: dict[str, Any]
    basis: str
    force: bool
    offline: bool


@dataclass(frozen=True)
class BodyAnswer:
    """What the body returned, or the error it raised, with its notes. What it recorded stays with
    the caller (the document is the caller's): it never crosses."""

    outputs: Any = None
    notes: tuple[str, ...] = ()
    error: BaseException | None = None


@dataclass(frozen=True)
class RunDone:
    """The run's end; each node's result came with its finishing event, but not its notes."""

    cancelled: bool
    notes: dict[str, list[str]]
    held: tuple[str, ...]  # the engine's cache keys now: what a preview may count as cached


def engine_graph(graph: Graph, catalog: Catalog) -> Graph:
    """The graph as the engine needs it: each node's data cut to its state keys when its type names
    them. What a node recorded (an AI conversation, megabytes of pictures) is read by its body, which
    runs where the document is, so it does not cross with every run."""
    nodes: dict[str, Node] = {}
    for node_id, node in graph.nodes.items():
        spec = catalog.get(node.type)
        data = node.data if spec is None else state_of(node, spec)
        nodes[node_id] = Node(node.id, node.type, node.params, data=data, bypass=node.bypass)
    return Graph(graph.name, nodes, list(graph.edges))


class NoEngine(RuntimeError):
    """The engine could not start: the caller runs the graph itself."""
