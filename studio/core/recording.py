"""Recordings: what a node body kept of its run (an AI conversation), handed back under the same basis.

A body never writes into the graph it runs on. It calls `ctx.record(...)`; the executor stamps what
was recorded with the node's basis (its type, params and inputs) and passes it on in the node's
result and its finishing event, whatever the outcome (a follow-up that fails keeps the answers
before it). Whoever owns the document writes it into the node's data (`keep`), where it travels
with saved files. On the next run the executor hands the body back only what was recorded under
the same basis: change the prompt or the input and the recording no longer applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .catalog import RECORDED_BASIS
from .graph import Graph


def recorded_under(data: Mapping[str, Any], keys: tuple[str, ...], basis: str | None) -> dict[str, Any]:
    """A node's recordings (its `keys` of `data`) if they were made under `basis`; None takes them
    under any basis (what a file holds, before any run)."""
    if not keys or (basis is not None and data.get(RECORDED_BASIS) != basis):
        return {}
    return {key: data[key] for key in keys if key in data}


def stamped(recording: Mapping[str, Any], basis: str) -> dict[str, Any] | None:
    """What goes into the node's data: the new recordings and the basis they belong to."""
    return {**recording, RECORDED_BASIS: basis} if recording else None


def keep(graph: Graph, node_id: str, node_type: str, recorded: Mapping[str, Any]) -> bool:
    """Write a node's new recordings into `graph` (the open document), unless the node was deleted
    or given another type meanwhile. True if they were kept."""
    node = graph.nodes.get(node_id)
    if node is None or node.type != node_type:
        return False
    node.data.update(recorded)
    return True
