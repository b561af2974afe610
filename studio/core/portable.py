"""The workflow that travels (share links, the PNG chunk): params, positions and wires only.

Never node data (AI turns and their images), never pictures (data: URLs in params); a workflow
never holds a key in the first place (CONTRACT §2). Loading it back goes through the normal loader.
"""

from __future__ import annotations

import json
from typing import Any

from .graph import Graph
from .workflow import workflow_to_dict

LEFT_OUT_NOTICE = "pictures and AI results are not part of a share link"


def _is_picture(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("data:")


def portable_workflow(graph: Graph) -> dict[str, Any]:
    """The graph-only workflow as a dict: node data and embedded pictures left out."""
    document = workflow_to_dict(graph, include_data=False)
    for item in document["nodes"]:
        item["params"] = {name: value for name, value in item["params"].items() if not _is_picture(value)}
    return document


def portable_text(graph: Graph) -> str:
    """Compact JSON of portable_workflow(): what goes into links and PNG chunks."""
    return json.dumps(portable_workflow(graph), ensure_ascii=False, separators=(",", ":"))


def what_is_left_out(graph: Graph) -> list[str]:
    """What the graph has that a portable copy drops, in words ("2 pictures", "AI results of edit")."""
    pictures = sum(1 for node in graph.nodes.values() for value in node.params.values() if _is_picture(value))
    with_data = [node.id for node in graph.nodes.values() if node.data]
    said = []
    if pictures:
        said.append(f"{pictures} picture{'s' if pictures != 1 else ''}")
    if with_data:
        said.append("the recorded results of " + ", ".join(with_data))
    return said
