"""Offline, AI nodes that would have to call Gemini are listed with a neutral line; those that recorded turns are not."""

from __future__ import annotations

import pytest

from studio.app.offline import OFFLINE, needs_network, offline_text
from studio.app.run_state import NodeStatus, RunBoard
from studio.core.run_result import NodeEvent

from .helpers import make_editor

GRAPH = """{
  "format": "pyxis.workflow", "version": 1, "name": "AI",
  "nodes": [
    {"id": "bg", "type": "source.gradient", "params": {"width": 8, "height": 8}},
    {"id": "edit", "type": "ai.edit", "params": {"prompt": "make it blue"}},
    {"id": "gen", "type": "ai.generate", "params": {"prompt": "a cat"}}
  ],
  "edges": [{"from": "bg.image", "to": "edit.image"}]
}"""


@pytest.mark.parametrize(
    "recorded, stale, listed",
    [
        ((), (), {"edit", "gen"}),  # nothing recorded: both would call Gemini
        (("edit",), (), {"gen"}),  # a recorded conversation replays offline
        (("edit",), ("edit",), {"edit", "gen"}),  # an edit made the recorded result stale
    ],
)
def test_ai_nodes_that_would_call_gemini(recorded, stale, listed):
    editor = make_editor(GRAPH)
    board = RunBoard()
    for node_id in recorded:
        editor.graph.nodes[node_id].data["turns"] = [{"prompt": "make it blue"}]
    for node_id in stale:
        board.get(node_id).stale = True
    waiting = needs_network(editor.graph, editor.session.catalog, board)
    assert set(waiting) == listed
    if "edit" in waiting:
        assert waiting["edit"] == "offline — AI Edit needs a connection to Gemini"
    if "gen" in waiting:
        assert waiting["gen"] == offline_text("AI Generate")


def test_offline_state_shows_its_line_and_a_real_event_clears_it():
    status = NodeStatus(state=OFFLINE, neutral=offline_text("AI Edit"))
    assert status.label() == "offline — AI Edit needs a connection to Gemini"
    board = RunBoard()
    board.nodes["edit"] = status
    board.apply(NodeEvent("edit", "running", 0, None))
    assert board.get("edit").neutral is None and board.get("edit").label() == "running"
