"""Bypass and delete-keeping-the-chain as the editor applies them: which nodes may be bypassed,
and the wires that keep a chain connected when a node in its middle goes."""

from __future__ import annotations

from ..core.catalog import Catalog
from ..core.executor import bypass_ports
from ..core.graph import Edge, Graph, PortRef


def can_bypass(graph: Graph, catalog: Catalog, node_id: str) -> bool:
    """A node may be bypassed when it has an image input and an image output to pass through."""
    node = graph.nodes.get(node_id)
    spec = catalog.get(node.type) if node is not None else None
    return spec is not None and bypass_ports(spec) is not None


def bridges(graph: Graph, catalog: Catalog, node_id: str) -> list[Edge]:
    """The wires that keep the chain when `node_id` is deleted: what fed its first image input
    now feeds every input its first image output fed. None for a node without such a pair, or
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
