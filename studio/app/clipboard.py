"""Copy and paste as workflow JSON: a selection with its internal edges, pasted with fresh ids."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..core.catalog import Catalog
from ..core.document import parse_json
from ..core.graph import Edge, Graph, PortRef
from ..core.workflow import WorkflowError, dump_workflow, workflow_from_dict
from .ports import EditError

OFFSET = (40.0, 40.0)  # a paste lands this far from the copied nodes, so both stay visible
_SUFFIX = re.compile(r"-\d+\Z")


def copy_text(graph: Graph, node_ids: Iterable[str]) -> str:
    """The chosen nodes and the edges between them, as a workflow file's text."""
    chosen = [n for n in graph.nodes if n in set(node_ids)]
    part = Graph(name=graph.name)
    for node_id in chosen:
        part.nodes[node_id] = graph.nodes[node_id]
    part.edges = [e for e in graph.edges if e.source.node in part.nodes and e.target.node in part.nodes]
    return dump_workflow(part.copy())


def looks_like_workflow(text: str) -> bool:
    """A cheap check before parsing: clipboard text is often something else entirely."""
    return '"pyxis.workflow"' in text[:2000]


def parse_clip(text: str, catalog: Catalog) -> Graph:
    # Size and nesting are checked before parsing: 10,000 `[` pasted killed the page's Python.
    try:
        data = parse_json(text, what="the clipboard")
    except WorkflowError as exc:
        raise EditError(f"the clipboard does not hold Pyxis nodes: {exc.problems[0]}") from None
    try:
        # Pasted pieces may leave required inputs open: the user wires them next.
        return workflow_from_dict(data, catalog, complete=False)
    except WorkflowError as exc:
        raise EditError(f"cannot paste: {exc}") from None


def remap(clip: Graph, into: Graph, at: tuple[float, float] | None = None) -> tuple[Graph, dict[str, str]]:
    """The clip with ids that are free in `into`, and positions moved: so that its top-left
    is at `at`, or by OFFSET from where it was copied."""
    taken = set(into.nodes)
    mapping: dict[str, str] = {}
    for old in clip.nodes:
        new = _fresh(old, taken)
        taken.add(new)
        mapping[old] = new
    placed = [n.position for n in clip.nodes.values() if n.position is not None]
    if at is not None and placed:
        dx = at[0] - min(p[0] for p in placed)
        dy = at[1] - min(p[1] for p in placed)
    else:
        dx, dy = OFFSET
    out = Graph(name=clip.name)
    for old, node in clip.nodes.items():
        copy = node.__class__(mapping[old], node.type, dict(node.params), None, dict(node.data), bypass=node.bypass)
        if node.position is not None:
            copy.position = (node.position[0] + dx, node.position[1] + dy)
        out.nodes[copy.id] = copy
    out.edges = [
        Edge(PortRef(mapping[e.source.node], e.source.port), PortRef(mapping[e.target.node], e.target.port))
        for e in clip.edges
    ]
    return out, mapping


def _fresh(old: str, taken: set[str]) -> str:
    base = _SUFFIX.sub("", old) or "node"
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
