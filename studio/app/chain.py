"""Bypass, delete-keeping-the-chain and insert-on-a-wire as the editor applies them: which nodes
may be bypassed, the wires that keep a chain connected when a node in its middle goes, and the
ports a node dropped on a wire is spliced in by."""

from __future__ import annotations

from ..core.catalog import Catalog
from ..core.graph import Edge, Graph, PortRef
from ..core.reach import bypass_ports


def bypass_refusal(graph: Graph, catalog: Catalog, node_id: str) -> str | None:
    """Why the node cannot be bypassed (it has no image input and image output to pass the
    picture through), or None when it can."""
    node = graph.nodes[node_id]
    spec = catalog.get(node.type)
    if spec is not None and bypass_ports(spec) is not None:
        return None
    title = spec.title if spec is not None else node.type
    return f"{title} “{node_id}” cannot be bypassed: it has no image to pass through"


def bridges(graph: Graph, catalog: Catalog, node_id: str) -> list[Edge]:
    """The wires that keep the chain when `node_id` is deleted: what fed its first image input
    now feeds every input its first image output fed. Empty for a node without such a pair, or
    with nothing on either side."""
    node = graph.nodes[node_id]
    spec = catalog.get(node.type)
    pair = bypass_ports(spec) if spec is not None else None
    if pair is None:
        return []
    feed = next((e.source for e in graph.edges if e.target == PortRef(node_id, pair[0])), None)
    if feed is None:
        return []
    fed = [e.target for e in graph.edges if e.source == PortRef(node_id, pair[1])]
    return [Edge(feed, target) for target in fed if target.node != feed.node]


def unwired(graph: Graph, node_id: str) -> bool:
    """Whether no wire starts or ends at the node (only such a node is spliced into a wire)."""
    return not any(node_id in (e.source.node, e.target.node) for e in graph.edges)


def insertion(graph: Graph, catalog: Catalog, node_id: str, edge: Edge) -> tuple[PortRef, PortRef] | None:
    """(input, output) of `node_id` that splice it into `edge` (A -> B becomes A -> node -> B):
    a node with no wires yet, an input and an output of the wire's type (the first image pair
    when it carries a picture). None when it does not fit."""
    node = graph.nodes.get(node_id)
    spec = catalog.get(node.type) if node is not None else None
    if spec is None or node_id in (edge.source.node, edge.target.node) or edge not in graph.edges:
        return None
    if not unwired(graph, node_id):
        return None  # already wired: dropping it on another wire would be a guess
    source = graph.nodes.get(edge.source.node)
    source_spec = catalog.get(source.type) if source is not None else None
    out = source_spec.output(edge.source.port) if source_spec is not None else None
    if out is None:
        return None
    into = next((p for p in spec.inputs if p.type == out.type), None)
    onward = next((p for p in spec.outputs if p.type == out.type), None)
    if into is None or onward is None:
        return None
    return PortRef(node_id, into.name), PortRef(node_id, onward.name)
