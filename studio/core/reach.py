"""What a run reaches: which inputs a node needs (a bypassed node only its pass-through), what a
set of targets needs upstream, and why a node after a bypassed one has nothing to run on."""

from __future__ import annotations

from .catalog import IMAGE, Catalog, NodeSpec
from .graph import Edge, Graph, Node
from .run_result import RunResult


def bypass_ports(spec: NodeSpec) -> tuple[str, str] | None:
    """(first image input, first image output) of a node type: what bypassing it connects, or
    None when it has no such pair (a source, an export) and so cannot be bypassed."""
    first_in = next((p.name for p in spec.inputs if p.type == IMAGE), None)
    first_out = next((p.name for p in spec.outputs if p.type == IMAGE), None)
    return (first_in, first_out) if first_in is not None and first_out is not None else None


def needed(node: Node, incoming: list[Edge], catalog: Catalog) -> list[Edge]:
    """The incoming edges a node needs: all of them, or for a bypassed node only its pass-through
    input (a failed or unrun node on its other inputs does not stop the picture going through)."""
    if not node.bypass:
        return incoming
    spec = catalog.get(node.type)
    pair = bypass_ports(spec) if spec is not None else None
    return incoming if pair is None else [e for e in incoming if e.target.port == pair[0]]


def bypassed_gap(incoming: list[Edge], spec: NodeSpec, graph: Graph, result: RunResult) -> str | None:
    """Why a node cannot run because a bypassed node upstream gives it nothing: a wire from an
    output a bypassed node leaves empty (its text, its second image) or a bypassed node whose
    own input is empty, into a required input. None when every required input has a value."""
    for edge in incoming:
        upstream = graph.nodes.get(edge.source.node)
        if upstream is None or not upstream.bypass:
            continue
        port = spec.input(edge.target.port)
        if port is None or not port.required or port.multiple:
            continue
        if result.nodes[edge.source.node].outputs.get(edge.source.port) is None:
            return f"upstream node {edge.source.node!r} is bypassed and gives nothing on {edge.source.port!r}"
    return None


def ancestors_and_self(graph: Graph, targets: set[str], catalog: Catalog) -> set[str]:
    """What the targets need. Through a bypassed node only its pass-through input is needed:
    what feeds its other inputs (an AI node on an overlay's second input) is not run."""
    incoming = graph.incoming()
    seen = set(targets)
    stack = list(targets)
    while stack:
        current = stack.pop()
        node = graph.nodes.get(current)
        edges = incoming.get(current, []) if node is None else needed(node, incoming.get(current, []), catalog)
        for edge in edges:
            if edge.source.node not in seen:
                seen.add(edge.source.node)
                stack.append(edge.source.node)
    return seen
