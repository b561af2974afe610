"""Graph.copy, which undo takes before every edit: equal to a deep copy, and nothing the copy
holds is shared in a way an edit could reach (params, data, frames, edges)."""

from __future__ import annotations

import copy
from pathlib import Path

from studio.core.graph import Frame
from studio.core.workflow import load_workflow
from studio.nodes import default_catalog

CATALOG = default_catalog()
AI_EXAMPLE = Path(__file__).parents[2] / "static" / "examples" / "ai-edit.json"


def test_a_copy_equals_a_deep_copy_and_edits_to_it_never_reach_the_original():
    graph = load_workflow(AI_EXAMPLE.read_text(encoding="utf-8"), CATALOG)
    first = next(iter(graph.nodes.values()))
    first.params["points"] = [[0, 0], [4, 4]]  # a nested param value
    first.title, first.color, first.bypass = "Mine", "#2f9e44", False
    graph.add_frame(Frame("f", 0, 0, 10, 10, nodes=[first.id]))
    before = copy.deepcopy(graph)

    duplicate = graph.copy()
    assert duplicate == before
    ai = next(n for n in duplicate.nodes.values() if n.data.get("turns"))
    ai.data["turns"][0]["prompt"] = "changed"
    ai.data["turns"].append({"prompt": "more"})
    duplicate.nodes[first.id].params["points"][1][0] = 99
    duplicate.nodes[first.id].params["extra"] = 1
    duplicate.frames[0].nodes.append("other")
    duplicate.frames[0].x = 50
    duplicate.edges.pop()
    duplicate.nodes.pop(first.id)
    assert graph == before  # the original is as it was
