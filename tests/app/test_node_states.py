"""What each node shows after real runs (Pillow, the shipped examples): normal states are neutral,
only a real failure is drawn as one; the status pill sums it up."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from studio.app.editor import Editor
from studio.app.node_states import BLOCKED, FAIL, NEUTRAL, OK, READY, WAITING, ai_calls, pill_text, present
from studio.app.run_state import RunBoard, keep_good_results
from studio.app.session import Session
from studio.backend.pillow_backend import PillowBackend
from studio.core.graph import Node
from studio.core.run_result import NodeEvent, NodeResult, RunResult
from studio.nodes import default_catalog

EXAMPLES = Path(__file__).resolve().parents[2] / "static" / "examples"

AI_GRAPH = """{
  "format": "pyxis.workflow", "version": 1, "name": "AI",
  "nodes": [
    {"id": "bg", "type": "source.gradient", "params": {"width": 32, "height": 24}},
    {"id": "edit", "type": "ai.edit", "params": {"prompt": "Make it green"}},
    {"id": "out", "type": "output.export", "params": {"format": "png"}}
  ],
  "edges": [{"from": "bg.image", "to": "edit.image"}, {"from": "edit.image", "to": "out.image"}]
}"""


class Studio:
    """An editor, a session on Pillow and a run board fed as the page feeds it."""

    def __init__(self, text: str) -> None:
        self.session = Session(default_catalog(), PillowBackend())
        self.editor = Editor(self.session)
        self.board = RunBoard()
        self.session.listeners.append(self.board.apply)
        self.editor.subscribe(lambda change: self.board.revalidate(self.editor.graph, self.editor.catalog))
        self.editor.load_text(text)

    def run(self, *, automatic: bool = False) -> RunResult:
        """A Run press, or an automatic run (AI nodes and what follows them left out, offline)."""
        graph = self.editor.graph
        targets = None
        if automatic:
            ai = [n.id for n in graph.nodes.values() if n.type.startswith("ai.")]
            avoid = set(ai) | graph.descendants(ai)
            targets = [n for n in graph.nodes if n not in avoid]
        result = asyncio.run(self.session.run(targets=targets, offline=automatic))
        self.board.apply_result(result)
        return result

    def shown(self) -> dict[str, tuple[str, str, str]]:
        items = present(self.editor.graph, self.editor.catalog, self.board, self.session.inputs)
        return {node_id: (s.state, s.tone, s.label) for node_id, s in items.items()}

    def pill(self, **kwargs) -> str:
        items = present(self.editor.graph, self.editor.catalog, self.board, self.session.inputs)
        return pill_text(items, self.board, **kwargs)


def example(name: str) -> Studio:
    return Studio((EXAMPLES / name).read_text(encoding="utf-8"))


def test_photo_cleanup_waits_for_a_picture_without_a_wall_of_red():
    studio = example("photo-cleanup.json")
    result = studio.run(automatic=True)
    assert result.nodes["photo"].status == "failed"  # the executor's view: no picture to read
    shown = studio.shown()
    assert shown["photo"] == (WAITING, NEUTRAL, "waiting for a picture")
    assert shown["crop"] == (BLOCKED, NEUTRAL, "waiting for photo")
    assert shown["photo-jpeg"] == (BLOCKED, NEUTRAL, "waiting for sharpen")
    assert {tone for _, tone, _ in shown.values()} == {NEUTRAL}
    assert studio.pill() == "waiting for a picture"
    studio.editor.set_picture("photo", (EXAMPLES.parent.parent / "docs" / "screenshot.png").read_bytes(), "s.png")
    studio.run(automatic=True)
    assert {state for state, _, _ in studio.shown().values()} == {"done"}


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in EXAMPLES.glob("*.json") if p.name != "index.json"),
)
def test_no_example_opens_with_a_failure(name):
    studio = example(name)
    studio.run(automatic=True)
    assert [n for n, (_, tone, _) in studio.shown().items() if tone == FAIL] == []


def test_poster_is_done_and_the_pill_counts_it():
    studio = example("poster.json")
    studio.run(automatic=True)
    assert {tone for _, tone, _ in studio.shown().values()} == {OK}
    assert studio.pill().startswith("5 done · ")
    studio.run()
    assert studio.pill() == "5 cached"


def test_an_ai_node_left_out_of_auto_run_is_ready_not_failed():
    studio = Studio(AI_GRAPH)
    studio.run(automatic=True)
    shown = studio.shown()
    assert shown["bg"][1] == OK
    assert shown["edit"] == (READY, NEUTRAL, "ready — press Run (1 Gemini call)")
    assert shown["out"] == (BLOCKED, NEUTRAL, "waiting for edit")
    assert studio.pill().endswith("1 AI node waiting for Run")


def test_an_ai_node_run_offline_says_ready():
    studio = Studio(AI_GRAPH)
    asyncio.run(studio.session.run(offline=True))  # e.g. a graph-only file opened: prompts, no images
    assert studio.shown()["edit"][0] == READY


@pytest.mark.parametrize(
    ("data", "calls"),
    [
        ({}, 1),
        ({"followups": ["warmer", "brighter"]}, 3),
        ({"followups": ["warmer"], "turns": [{"prompt": "Make it green"}]}, 1),
        ({"followups": ["warmer"], "turns": [{"prompt": "Another prompt"}]}, 2),
    ],
)
def test_ai_calls_counts_unanswered_instructions(data, calls):
    assert ai_calls(Node("e", "ai.edit", {"prompt": "Make it green"}, None, data)) == calls


def test_a_missing_input_is_a_hint_and_goes_when_connected():
    studio = Studio(AI_GRAPH)
    studio.editor.disconnect(next(e for e in studio.editor.graph.edges if e.target.node == "edit"))
    assert studio.shown()["edit"] == (WAITING, NEUTRAL, "connect image")
    result = studio.run()  # Run: validation fails the node
    assert "is required but not connected" in result.nodes["edit"].error
    studio.editor.connect("bg.image", "edit.image")  # no run follows (auto-run leaves AI out)
    assert studio.shown()["edit"][0] == READY


def test_a_bad_param_is_a_failure_at_once():
    studio = example("poster.json")
    studio.editor.graph.nodes["corners"].params["radius"] = -5  # as a hand-edited file could have it
    studio.board.revalidate(studio.editor.graph, studio.editor.catalog)
    state, tone, _ = studio.shown()["corners"]
    assert (state, tone) == ("failed", FAIL)
    assert studio.shown()["poster"] == (BLOCKED, NEUTRAL, "stopped: corners failed")


def test_cancel_is_neutral_and_keeps_the_last_good_result():
    studio = example("poster.json")
    first = studio.run()
    cancelled = RunResult(
        {
            "bg": NodeResult("cached", outputs=first.nodes["bg"].outputs),
            "title": NodeResult("failed", 3.0, "cancelled"),
            "tagline": NodeResult("skipped", error="cancelled"),
        },
        cancelled=True,
    )
    keep_good_results(first, cancelled)
    assert cancelled.nodes["title"].outputs is first.nodes["title"].outputs
    assert cancelled.nodes["title"].status == "failed"  # what the hooks report stays the executor's
    studio.board.apply_result(cancelled)
    shown = present(studio.editor.graph, studio.editor.catalog, studio.board, {})
    assert (shown["title"].state, shown["title"].tone, shown["title"].stale) == ("cancelled", NEUTRAL, True)
    assert shown["tagline"].state == "cancelled"
    assert pill_text(shown, studio.board, cancelled=True).startswith("cancelled · 2 done · 1 cached")


def test_the_pill_shows_the_run_going_on():
    board = RunBoard()
    for node_id in "abcde":
        board.apply(NodeEvent(node_id, "queued"))
    board.apply(NodeEvent("a", "running"))
    board.apply(NodeEvent("a", "done", 4))
    board.apply(NodeEvent("b", "running"))
    assert pill_text({}, board) == "Running 2 of 5… b"
    for node_id in "bcde":
        board.apply(NodeEvent(node_id, "done", 1))
    assert not board.running
    board.apply(NodeEvent("a", "queued"))  # the next run starts afresh
    assert board.progress() == (0, 1, "a")


def test_an_ai_node_behind_a_missing_picture_waits_for_it():
    studio = Studio(AI_GRAPH.replace('"source.gradient", "params": {"width": 32, "height": 24}', '"source.image"'))
    studio.run(automatic=True)
    shown = studio.shown()
    assert shown["bg"][0] == WAITING
    assert shown["edit"] == (BLOCKED, NEUTRAL, "waiting for bg")
    assert "AI node" not in studio.pill()
