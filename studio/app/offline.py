"""What AI nodes show while the browser is offline: a neutral state, not a failure (the browser side says when)."""

from __future__ import annotations

from typing import Any

OFFLINE = "offline"  # a node state beside idle/done/failed…: drawn neutral


def offline_text(title: str) -> str:
    """The node's line while offline, e.g. "offline — AI Edit needs a connection to Gemini"."""
    return f"offline — {title} needs a connection to Gemini"


def needs_network(graph: Any, catalog: Any, board: Any) -> dict[str, str]:
    """The nodes a run cannot finish offline, with their offline line: non-deterministic (AI) nodes that
    would have to ask the service, because they recorded nothing yet or an edit made their result stale.
    Nodes that recorded their turns replay them offline and are not listed."""
    waiting = {}
    for node in graph.nodes.values():
        spec = catalog.get(node.type)
        if spec is None or spec.deterministic:
            continue
        if not node.data or board.get(node.id).stale:
            waiting[node.id] = offline_text(spec.title)
    return waiting
