"""Run history (issue 12, item 7): which nodes get one, what made each shot, what differed,
twenty per node, a slider drag kept as one shot, and storage that may hold anything."""

from __future__ import annotations

import asyncio

import pytest

from studio.app import compare, run_history
from studio.app.run_history import LIMIT, RunHistory, Shot
from studio.nodes import default_catalog

from .helpers import make_editor

T0 = 1_800_000_000_000.0  # ms
LATER = 60_000.0  # far enough apart never to be taken for one slider drag
AI_CHAIN = """{
  "format": "pyxis.workflow", "version": 2, "name": "AI",
  "nodes": [
    {"id": "bg", "type": "source.solid", "params": {"width": 8, "height": 8}},
    {"id": "edit", "type": "ai.edit", "params": {"prompt": "make it blue"},
     "data": {"turns": [{"prompt": "make it blue", "text": "",
                         "model": {"role": "model", "parts": [{"inlineData": {"mimeType": "image/png", "data": "QUFBQQ=="}}]}}]}},
    {"id": "out", "type": "output.export", "params": {"format": "png"}}
  ],
  "edges": [{"from": "bg.image", "to": "edit.image"}, {"from": "edit.image", "to": "out.image"}]
}"""


def test_output_nodes_are_exports_and_image_nodes_nothing_reads():
    editor = make_editor()
    assert run_history.output_nodes(editor.graph, default_catalog()) == ["out"]
    graph = editor.graph.copy()
    graph.edges = [e for e in graph.edges if e.target.node != "out"]
    assert sorted(run_history.output_nodes(graph, default_catalog())) == ["blur", "out"]


def test_the_recipe_is_the_node_and_what_feeds_it_with_long_values_as_digests():
    editor = make_editor()
    graph = editor.graph.copy()
    graph.nodes["bg"].params["start"] = "#" + "a" * 500
    graph.nodes["blur"].bypass = True
    made = run_history.recipe(graph, "blur")
    assert sorted(made) == ["bg", "blur"]  # not the export downstream
    assert made["blur"]["params"] == {"radius": 3, run_history.BYPASS: True}
    assert made["bg"]["params"]["start"].startswith("sha256:")
    assert len(made["bg"]["params"]["start"]) < 40


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda g: g.nodes["blur"].params.update(radius=5), ["blur.radius: 3 → 5"]),
        (lambda g: setattr(g.nodes["blur"], "bypass", True), ["blur: bypassed"]),
        (lambda g: g.nodes["bg"].params.update(width=80), ["bg.width: 64 → 80"]),
        (lambda g: g.nodes.pop("bg"), ["− bg (source.gradient)"]),
    ],
)
def test_differences_name_each_change_on_a_line(edit, expected):
    graph = make_editor().graph
    before = run_history.recipe(graph, "out")
    changed = graph.copy()
    edit(changed)
    lines = run_history.differences(before, run_history.recipe(changed, "out"))
    assert lines == expected


def test_each_run_is_a_shot_numbered_with_what_changed_and_twenty_are_kept():
    graph = make_editor().graph
    history = RunHistory()
    shot, gone = history.record("out", run_history.recipe(graph, "out"), (64, 48), T0)
    assert (shot.id, shot.label, shot.summary, gone) == ("out~1", "Run 1", "first run", [])
    gone_all = []
    for radius in range(1, LIMIT + 5):
        graph.nodes["blur"].params["radius"] = radius
        shot, gone = history.record("out", run_history.recipe(graph, "out"), (64, 48), T0 + radius * LATER)
        gone_all += gone
    shots = history.of("out")
    assert len(shots) == LIMIT
    assert shots[-1].number == LIMIT + 5 and shots[-1].changed == (f"blur.radius: {LIMIT + 3} → {LIMIT + 4}",)
    assert gone_all == [f"out~{n}" for n in range(1, 6)]  # the oldest went first
    assert history.get("out~1") is None and history.get(shots[0].id) == shots[0]


def test_a_slider_drag_with_auto_run_stays_one_shot_and_another_knob_starts_a_new_one():
    graph = make_editor().graph
    history = RunHistory()
    history.record("out", run_history.recipe(graph, "out"), (64, 48), T0)
    for i, radius in enumerate((4, 5, 6, 7)):
        graph.nodes["blur"].params["radius"] = radius
        history.record("out", run_history.recipe(graph, "out"), (64, 48), T0 + LATER + i * 1000)
    shots = history.of("out")
    assert [s.number for s in shots] == [1, 2]
    assert shots[-1].changed == ("blur.radius: 3 → 7",)  # against the shot before the drag
    graph.nodes["bg"].params["angle"] = 45
    history.record("out", run_history.recipe(graph, "out"), (64, 48), T0 + LATER + 5000)
    assert [s.number for s in history.of("out")] == [1, 2, 3]


def test_the_same_recipe_again_is_the_same_picture_and_makes_no_shot():
    graph = make_editor().graph
    history = RunHistory()
    made = run_history.recipe(graph, "out")
    history.record("out", made, (64, 48), T0)
    shot, gone = history.record("out", run_history.recipe(graph.copy(), "out"), (64, 48), T0 + LATER)
    assert (shot, gone) == (None, []) and len(history.of("out")) == 1


def test_another_gemini_answer_to_the_same_step_is_a_shot_of_its_own():
    editor = make_editor(AI_CHAIN)
    graph = editor.graph
    history = RunHistory()
    history.record("out", run_history.recipe(graph, "out"), (8, 8), T0)
    graph.nodes["edit"].data["turns"][0]["model"]["parts"][0]["inlineData"]["data"] = "QkJCQg=="
    shot, _ = history.record("out", run_history.recipe(graph, "out"), (8, 8), T0 + LATER)
    assert shot is not None and shot.changed == ("edit: another answer from Gemini",)


def test_shots_survive_storage_and_anything_else_there_is_refused():
    graph = make_editor().graph
    history = RunHistory()
    shot, _ = history.record("out", run_history.recipe(graph, "out"), (64, 48), T0)
    again = Shot.from_json(shot.to_json())
    assert again == shot and again is not None and again.recipe == shot.recipe
    for junk in (None, "", "[]", "{}", '{"id": "x~1", "node": "out", "number": 1}', 42,
                 shot.to_json().replace('"out~1"', '"other~9"')):  # fmt: skip
        assert Shot.from_json(junk) is None
    restored = RunHistory([again])
    assert restored.of("out") == [shot] and restored.nodes == ["out"]


def test_compare_lines_go_from_one_shot_to_any_other():
    graph = make_editor().graph
    history = RunHistory()
    first, _ = history.record("out", run_history.recipe(graph, "out"), (64, 48), T0)
    graph.nodes["blur"].params["radius"] = 8
    history.record("out", run_history.recipe(graph, "out"), (64, 48), T0 + LATER)
    graph.nodes["bg"].params["width"] = 80
    third, _ = history.record("out", run_history.recipe(graph, "out"), (80, 48), T0 + 2 * LATER)
    assert run_history.compare_lines(first, third) == ["bg.width: 64 → 80", "blur.radius: 3 → 8"]


def _history_of_three() -> RunHistory:
    graph = make_editor().graph
    history = RunHistory()
    for i, radius in enumerate((3, 6, 9)):
        graph.nodes["blur"].params["radius"] = radius
        history.record("out", run_history.recipe(graph, "out"), (64, 48), T0 + i * LATER)
    return history


async def _load(key: str) -> str:
    return f"picture of {key}"


def test_picks_are_newest_first_and_say_what_differs_between_any_two():
    picks = compare.shot_picks(_history_of_three().of("out"), _load, lambda ms: "12:00")
    assert [p.label for p in picks] == ["Run 3 · 12:00", "Run 2 · 12:00", "Run 1 · 12:00"]
    assert compare.what_differs(picks[2], picks[0]) == ["blur.radius: 3 → 9"]
    assert compare.what_differs(picks[0], picks[0]) == ["the same result on both sides: pick another one"]
    assert asyncio.run(picks[1].load()) == "picture of out~2"


@pytest.mark.parametrize(
    ("clicked", "pair"),
    [
        (None, ("out~2", "out~3")),
        ("out~3", ("out~2", "out~3")),
        ("out~1", ("out~1", "out~3")),
        ("gone", ("out~2", "out~3")),
    ],
)
def test_the_dialog_opens_on_what_was_clicked_against_the_newest(clicked, pair):
    picks = compare.shot_picks(_history_of_three().of("out"), _load, str)
    assert compare.default_pair(picks, clicked) == pair
    assert compare.default_pair(picks[:1]) is None


def test_ai_steps_are_picks_captioned_with_what_they_asked():
    editor = make_editor(AI_CHAIN)
    node = editor.graph.nodes["edit"]
    second = {
        "prompt": "now red",
        "text": "",
        "model": {"role": "model", "parts": [{"inlineData": {"mimeType": "image/png", "data": "Q0NDQw=="}}]},
    }
    node.data["turns"].append(second)
    picks = compare.step_picks(node, _load)
    assert [(p.key, p.label, p.caption) for p in picks] == [
        ("step-2", "Step 2", "asked 'now red'"),
        ("step-1", "Step 1", "asked 'make it blue'"),
    ]
    assert asyncio.run(picks[0].load()) == "picture of Q0NDQw=="
    assert compare.what_differs(picks[1], picks[0]) == ["Step 1: asked 'make it blue'", "Step 2: asked 'now red'"]
