"""Bypass and frames (workflow format version 2): saved, loaded, checked, run with real Pillow."""

from __future__ import annotations

import asyncio
import copy
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from PIL import Image

from studio.app.session import Session
from studio.backend.pillow_backend import PillowBackend
from studio.core import schema
from studio.core.catalog import IMAGE, TEXT, Catalog, PortSpec, node
from studio.core.executor import Executor
from studio.core.graph import Frame, Graph, GraphError, Node
from studio.core.workflow import VERSION, WorkflowError, dump_workflow, load_workflow, workflow_from_dict
from studio.gemini.client import GeminiClient
from studio.nodes import default_catalog
from tests.gemini.wire import KEY, FakeClock, FakeGemini

ROOT = Path(__file__).parents[2]
EXAMPLES = [p for p in sorted((ROOT / "static" / "examples").glob("*.json")) if p.name != "index.json"]
CATALOG = default_catalog()
RED, BLUE = (255, 0, 0), (0, 0, 255)


def run(executor: Executor, graph: Graph, **kwargs):
    return asyncio.run(executor.run(graph, **kwargs))


def pixel(result, node_id: str) -> tuple[int, ...]:
    return result.nodes[node_id].outputs["image"].convert("RGB").getpixel((2, 2))


def invert_chain(*, bypass: bool = False) -> Graph:
    """red solid -> invert (cyan) -> grayscale -> export."""
    graph = Graph(name="Chain")
    graph.add_node(Node("src", "source.solid", {"width": 8, "height": 6, "color": "#ff0000"}, (0, 0)))
    graph.add_node(Node("inv", "transform.invert", {}, (200, 0), bypass=bypass))
    graph.add_node(Node("small", "transform.resize", {"width": 4, "height": 4, "fit": "fill"}, (400, 0)))
    graph.add_node(Node("out", "output.export", {"format": "png"}, (600, 0)))
    graph.connect("src.image", "inv.image")
    graph.connect("inv.image", "small.image")
    graph.connect("small.image", "out.image")
    return graph


def document(**changes) -> dict:
    base = {
        "format": "pyxis.workflow",
        "version": 2,
        "name": "Framed",
        "nodes": [
            {"id": "src", "type": "source.solid", "params": {}},
            {"id": "inv", "type": "transform.invert", "params": {}},
        ],
        "edges": [{"from": "src.image", "to": "inv.image"}],
        "frames": [{"id": "f1", "title": "Inputs", "color": "#336699", "x": 0, "y": 0, "width": 300, "height": 200}],
    }
    base.update(changes)
    return base


def refusal(data: dict) -> str:
    with pytest.raises(WorkflowError) as info:
        workflow_from_dict(data, CATALOG)
    return str(info.value)


# --- bypass: the file ---


def test_bypass_is_saved_only_when_on_and_round_trips():
    text = dump_workflow(invert_chain(bypass=True))
    saved = json.loads(text)
    assert saved["version"] == VERSION >= 2
    flags = {n["id"]: n.get("bypass") for n in saved["nodes"]}
    assert flags == {"src": None, "inv": True, "small": None, "out": None}
    graph = load_workflow(text, CATALOG)
    assert graph.nodes["inv"].bypass is True and graph.nodes["src"].bypass is False
    assert dump_workflow(graph) == text
    graph.set_bypass("inv", False)
    assert "bypass" not in dump_workflow(graph)


@pytest.mark.parametrize("value", [1, 0, "true", None, [], {}])
def test_bypass_must_be_true_or_false(value):
    data = document()
    data["nodes"][1]["bypass"] = value
    message = refusal(data)
    assert "$.nodes[1].bypass" in message and "node 'inv': expected true or false" in message


@pytest.mark.parametrize("node_id, type_id", [("src", "source.solid"), ("out", "output.export")])
def test_a_node_without_an_image_to_pass_through_cannot_be_bypassed(node_id, type_id):
    data = json.loads(dump_workflow(invert_chain()))
    next(n for n in data["nodes"] if n["id"] == node_id)["bypass"] = True
    message = refusal(data)
    assert f"node {node_id!r}" in message and f"{type_id} cannot be bypassed" in message


# --- bypass: the run ---


def test_a_bypassed_node_passes_its_image_through_and_reports_done_with_a_note():
    executor = Executor(CATALOG, PillowBackend())
    result = run(executor, invert_chain(bypass=True))
    assert result.ok, result.to_json()
    inv = result.nodes["inv"]
    assert inv.status == "done" and inv.notes == ["bypassed"]
    assert inv.outputs["image"] is result.nodes["src"].outputs["image"]  # unchanged, not a copy
    assert pixel(result, "small") == RED
    assert result.to_json()["inv"] == {"status": "done", "ms": 0.0, "notes": ["bypassed"]}


def test_bypassing_and_unbypassing_reruns_downstream():
    executor = Executor(CATALOG, PillowBackend())
    graph = invert_chain()
    first = run(executor, graph)
    assert pixel(first, "small") == (0, 255, 255)
    graph.set_bypass("inv", True)
    bypassed = run(executor, graph)
    assert bypassed.nodes["src"].status == "cached"
    assert bypassed.nodes["small"].status == "done" and bypassed.nodes["out"].status == "done"
    assert pixel(bypassed, "small") == RED
    graph.set_bypass("inv", False)
    back = run(executor, graph)
    # Keys come back to the unbypassed ones, so the earlier results are found again: right, not stale.
    assert back.nodes["inv"].status == "cached" and back.nodes["small"].status == "cached"
    assert pixel(back, "small") == (0, 255, 255)


def bypassed_edit() -> Graph:
    """blue -> AI Edit (bypassed) -> overlay base; blue -> overlay top; -> export."""
    graph = Graph()
    graph.add_node(Node("src", "source.solid", {"width": 8, "height": 6, "color": "#0000ff"}))
    graph.add_node(Node("edit", "ai.edit", {"prompt": "Make it green"}, bypass=True))
    graph.add_node(Node("over", "compose.overlay", {}))
    graph.add_node(Node("out", "output.export", {"format": "png"}))
    graph.connect("src.image", "edit.image")
    graph.connect("edit.image", "over.base")
    graph.connect("src.image", "over.overlay")
    graph.connect("over.image", "out.image")
    return graph


def bypassed_generate() -> Graph:
    graph = Graph()
    graph.add_node(Node("gen", "ai.generate", {"prompt": "A cat"}, bypass=True))
    graph.add_node(Node("out", "output.export", {"format": "png"}))
    graph.connect("gen.image", "out.image")
    return graph


@pytest.mark.parametrize(
    "build, statuses, check",
    [
        # AI Edit bypassed: the blue picture goes on, as if the node were not there.
        (bypassed_edit, {"edit": "done", "over": "done", "out": "done"}, "edit"),
        # AI Generate has no image input: a bypassed one is a problem named on it, and never runs.
        (bypassed_generate, {"gen": "failed", "out": "skipped"}, "gen"),
    ],
    ids=["ai.edit", "ai.generate"],
)
def test_a_bypassed_ai_node_never_calls_gemini(build, statuses, check):
    gemini = FakeGemini()  # nothing scripted: a request would still be recorded
    client = GeminiClient(gemini, lambda: KEY, sleep=FakeClock().sleep, rng=lambda: 0.0)
    executor = Executor(CATALOG, PillowBackend(), services={"gemini": client})
    result = run(executor, build())
    assert gemini.requests == []
    assert {n: result.nodes[n].status for n in statuses} == statuses, result.to_json()
    if check == "edit":
        assert result.nodes["edit"].notes == ["bypassed"] and pixel(result, "over") == BLUE
    else:
        assert "ai.generate cannot be bypassed" in result.nodes["gen"].error


@node(
    "test.image_and_text",
    title="Image and text",
    category="Test",
    help="Passes the image, says something.",
    inputs=(PortSpec("image", IMAGE),),
    outputs=(PortSpec("image", IMAGE), PortSpec("text", TEXT, required=False)),
)
async def image_and_text(ctx, *, image):
    return {"image": image, "text": "said"}


@node(
    "test.needs_text",
    title="Needs text",
    category="Test",
    help="Reads a text.",
    inputs=(PortSpec("text", TEXT),),
    outputs=(PortSpec("text", TEXT),),
)
async def needs_text(ctx, *, text):
    return {"text": text.upper()}


def test_a_node_needing_an_output_a_bypassed_node_leaves_empty_is_skipped_not_crashed():
    catalog = Catalog([*CATALOG, image_and_text, needs_text])
    graph = Graph()
    graph.add_node(Node("src", "source.solid", {"width": 4, "height": 4}))
    graph.add_node(Node("talk", "test.image_and_text", bypass=True))
    graph.add_node(Node("loud", "test.needs_text"))
    graph.connect("src.image", "talk.image")
    graph.connect("talk.text", "loud.text")
    result = run(Executor(catalog, PillowBackend()), graph)
    assert result.nodes["talk"].status == "done" and result.nodes["talk"].outputs["text"] is None
    assert result.nodes["loud"].status == "skipped"
    assert result.nodes["loud"].error == "upstream node 'talk' is bypassed and gives nothing on 'text'"
    graph.set_bypass("talk", False)
    assert run(Executor(catalog, PillowBackend()), graph).nodes["loud"].outputs["text"] == "SAID"


def test_studio_run_honours_bypass(tmp_path):
    path = tmp_path / "chain.json"
    path.write_text(dump_workflow(invert_chain(bypass=True)))
    done = subprocess.run(
        [sys.executable, "-m", "studio", "run", str(path), "--out", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    with Image.open(tmp_path / "out" / "out.png") as image:
        assert image.convert("RGB").getpixel((1, 1)) == RED  # not inverted (cyan)


# --- frames ---


def test_frames_load_save_in_a_stable_order_and_copy():
    data = document(
        frames=[
            {"id": "back", "title": "Back", "color": "#112233aa", "x": -10.5, "y": 20, "width": 500, "height": 400,
             "nodes": ["inv", "src", "inv"], "collapsed": True},
            {"id": "front", "x": 5, "y": 5, "width": 0, "height": 10},
        ]
    )  # fmt: skip
    graph = workflow_from_dict(data, CATALOG)
    assert [f.id for f in graph.frames] == ["back", "front"]
    back, front = graph.frames
    assert back.nodes == ["inv", "src"] and back.collapsed and back.x == -10.5
    assert (front.title, front.color, front.nodes, front.collapsed) == ("Frame", "#4a5568", [], False)
    text = dump_workflow(graph)
    saved = json.loads(text)["frames"]
    assert saved[0] == {
        "id": "back", "title": "Back", "color": "#112233aa", "x": -10.5, "y": 20, "width": 500, "height": 400,
        "nodes": ["inv", "src"], "collapsed": True,
    }  # fmt: skip
    assert "collapsed" not in saved[1]
    assert dump_workflow(load_workflow(text, CATALOG)) == text
    twin = graph.copy()
    twin.frames[0].nodes.append("x")
    twin.move_frame("front", 1, 1)
    assert graph.frames[0].nodes == ["inv", "src"] and graph.frames[1].x == 5
    assert "frames" not in dump_workflow(invert_chain())  # none: the key is left out


@pytest.mark.parametrize(
    "frames, where, message",
    [
        ("nope", "$.frames", "expected a list of frames, got text"),
        ([3], "$.frames[0]", "expected a frame object, got a number"),
        ([{"id": "a b", "x": 0, "y": 0, "width": 1, "height": 1}], "$.frames[0].id", "expected an id of 1 to 64"),
        ([{"id": "f\n", "x": 0, "y": 0, "width": 1, "height": 1}], "$.frames[0].id", "expected an id"),
        (
            [{"id": "f", "x": 0, "y": 0, "width": 1, "height": 1}] * 2,
            "$.frames[1].id",
            "frame id 'f' is used twice",
        ),
        ([{"id": "f", "x": 0, "y": 0, "width": 1, "height": 1, "z": 1}], "$.frames[0].z", "frame 'f': unknown field"),
        ([{"id": "f", "x": 0, "y": 0, "width": 1, "height": 1, "color": "red"}], "$.frames[0].color", "#rrggbb"),
        ([{"id": "f", "x": 0, "y": 0, "width": 1, "height": 1, "color": "#fff"}], "$.frames[0].color", "#rrggbb"),
        ([{"id": "f", "x": 0, "y": 0, "width": 1, "height": 1, "color": "#ff0000\n"}], "$.frames[0].color", "#rrg"),
        ([{"id": "f", "x": 2e6, "y": 0, "width": 1, "height": 1}], "$.frames[0].x", "x must be a finite number"),
        ([{"id": "f", "x": 10**400, "y": 0, "width": 1, "height": 1}], "$.frames[0].x", "x must be a finite"),
        ([{"id": "f", "x": True, "y": 0, "width": 1, "height": 1}], "$.frames[0].x", "x must be a finite number"),
        ([{"id": "f", "x": 0, "width": 1, "height": 1}], "$.frames[0].y", "y must be a finite number"),
        ([{"id": "f", "x": 0, "y": 0, "width": -1, "height": 1}], "$.frames[0].width", "from 0 to 2,000,000"),
        ([{"id": "f", "x": 0, "y": 0, "width": 1, "height": "1"}], "$.frames[0].height", "height must be"),
        ([{"id": "f", "x": 0, "y": 0, "width": 1, "height": 1, "title": 5}], "$.frames[0].title", "expected text"),
        ([{"id": "f", "x": 0, "y": 0, "width": 1, "height": 1, "title": "t" * 201}], "$.frames[0].title", "200"),
        ([{"id": "f", "x": 0, "y": 0, "width": 1, "height": 1, "nodes": "src"}], "$.frames[0].nodes", "node ids"),
        (
            [{"id": "f", "x": 0, "y": 0, "width": 1, "height": 1, "nodes": ["src", "gone", 7]}],
            "$.frames[0].nodes",
            "frame 'f': no node with id 'gone', 7",
        ),
        ([{"id": "f", "x": 0, "y": 0, "width": 1, "height": 1, "collapsed": 1}], "$.frames[0].collapsed", "true or"),
    ],
)
def test_bad_frames_are_refused_naming_where_and_why(frames, where, message):
    text = refusal(document(frames=frames))
    assert where in text and message in text, text


def test_frames_move_their_nodes_and_forget_deleted_ones():
    graph = invert_chain()
    frame = graph.add_frame(Frame("f", 0, 0, 300, 100, nodes=["src", "inv", "src"]))
    assert frame.nodes == ["src", "inv"] and graph.frames_of("inv") == [frame]
    graph.move_frame("f", 10, -5)
    assert (frame.x, frame.y) == (10, -5)
    assert graph.nodes["src"].position == (10, -5) and graph.nodes["inv"].position == (210, -5)
    assert graph.nodes["small"].position == (400, 0)  # not in the frame
    graph.remove_node("inv")
    assert frame.nodes == ["src"]
    load_workflow(dump_workflow(graph, include_data=False), CATALOG, complete=False)  # still a valid file
    with pytest.raises(GraphError, match="no node with id 'nope'"):
        graph.add_frame(Frame("g", 0, 0, 1, 1, nodes=["nope"]))
    with pytest.raises(GraphError, match="already taken"):
        graph.add_frame(Frame("f", 0, 0, 1, 1))
    assert graph.unique_frame_id("f") == "f-2"
    assert graph.remove_frame("f") is frame and graph.frames == [] and "src" in graph.nodes


def test_the_schema_describes_frames_and_bypass():
    workflow_schema = schema.workflow_schema(CATALOG)
    good = document()
    good["nodes"][1]["bypass"] = True
    jsonschema.validate(good, workflow_schema)
    for bad in (
        document(frames=[{"id": "f", "x": 0, "y": 0, "width": 1, "height": 1, "color": "red"}]),
        document(frames=[{"id": "f", "x": 0, "y": 0, "width": -1, "height": 1}]),
        document(frames=[{"id": "f", "x": 0, "y": 0, "width": 1}]),
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, workflow_schema)
    doc = (ROOT / "docs" / "workflow-format.md").read_text(encoding="utf-8")
    assert "## Bypass and frames" in doc and '"bypass": true' in doc and "`collapsed`" in doc


# --- format version 2 and the migration from 1 ---


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_older_examples_load_unchanged_and_save_at_the_current_version(path):
    text = path.read_text(encoding="utf-8")
    original = json.loads(text)
    # Most examples are version 1 (left so, they test the migrations); newer ones may be later.
    assert 1 <= original["version"] <= VERSION
    graph = load_workflow(text, CATALOG)
    saved = dump_workflow(graph)
    again = json.loads(saved)
    assert again["version"] == VERSION
    if original["version"] == 1:
        assert "frames" not in again and not any(n.get("bypass") for n in again["nodes"])
    assert [n["id"] for n in again["nodes"]] == [n["id"] for n in original["nodes"]]
    assert [n["params"] for n in again["nodes"]] == [n.get("params", {}) for n in original["nodes"]]
    assert len(again["edges"]) == len(original.get("edges", []))
    assert dump_workflow(load_workflow(saved, CATALOG)) == saved


def test_the_examples_on_disk_include_version_1_files():
    assert any(json.loads(p.read_text(encoding="utf-8"))["version"] == 1 for p in EXAMPLES)


def test_a_hand_written_version_1_file_loads_and_round_trips():
    text = """{"format": "pyxis.workflow", "version": 1, "name": "Old",
      "nodes": [{"id": "s", "type": "source.solid", "params": {"color": "#00ff00"}, "position": [1, 2]},
                {"id": "o", "type": "output.export"}],
      "edges": [{"from": "s.image", "to": "o.image"}]}"""
    graph = load_workflow(text, CATALOG)
    assert graph.name == "Old" and graph.frames == [] and not graph.nodes["s"].bypass
    saved = json.loads(dump_workflow(graph))
    assert saved == {
        "format": "pyxis.workflow",
        "version": VERSION,
        "name": "Old",
        "nodes": [
            {"id": "s", "type": "source.solid", "params": {"color": "#00ff00"}, "position": [1, 2]},
            {"id": "o", "type": "output.export", "params": {}},
        ],
        "edges": [{"from": "s.image", "to": "o.image"}],
    }
    newer = json.loads(text) | {"version": VERSION + 1}
    assert f"written by a newer Pyxis Studio (this one reads up to {VERSION})" in refusal(newer)


# --- run to here ---


def branchy() -> Graph:
    """src -> inv -> blur (target);  src -> gray -> export;  other -> small (unrelated)."""
    graph = Graph()
    graph.add_node(Node("src", "source.solid", {"width": 8, "height": 8, "color": "#ff0000"}))
    graph.add_node(Node("inv", "transform.invert"))
    graph.add_node(Node("blur", "transform.blur", {"radius": 1}))
    graph.add_node(Node("gray", "transform.grayscale"))
    graph.add_node(Node("out", "output.export", {"format": "png"}))
    graph.add_node(Node("other", "source.solid", {"width": 4, "height": 4}))
    graph.add_node(Node("small", "transform.resize", {"width": 2, "height": 2, "fit": "fill"}))
    for source, target in [("src", "inv"), ("inv", "blur"), ("src", "gray"), ("gray", "out"), ("other", "small")]:
        graph.connect(f"{source}.image", f"{target}.image")
    return graph


def test_run_to_here_runs_only_what_the_node_needs():
    session = Session(CATALOG, PillowBackend())
    session.graph = branchy()
    first = asyncio.run(session.run(targets=["blur"]))
    assert {n: r.status for n, r in first.nodes.items()} == {"src": "done", "inv": "done", "blur": "done"}
    assert pixel(first, "blur") == (0, 255, 255)
    everything = asyncio.run(session.run())
    assert everything.cached == {"src", "inv", "blur"} and everything.ran == {"gray", "out", "other", "small"}
    session.graph.set_param("blur", "radius", 2)
    again = asyncio.run(session.run(targets=["blur"]))
    assert {n: r.status for n, r in again.nodes.items()} == {"src": "cached", "inv": "cached", "blur": "done"}
    bypassed = copy.deepcopy(session.graph)
    bypassed.set_bypass("inv", True)
    session.graph = bypassed
    through = asyncio.run(session.run(targets=["blur"]))
    assert through.nodes["inv"].notes == ["bypassed"] and pixel(through, "blur") == RED
    assert set(through.nodes) == {"src", "inv", "blur"}


def test_run_to_here_through_a_bypassed_node_needs_only_its_pass_through_input():
    """An AI node on a bypassed overlay's second input is not needed, so never run (never billed)."""
    gemini = FakeGemini()
    client = GeminiClient(gemini, lambda: KEY, sleep=FakeClock().sleep, rng=lambda: 0.0)
    session = Session(CATALOG, PillowBackend(), services={"gemini": client})
    graph = Graph()
    graph.add_node(Node("src", "source.solid", {"width": 8, "height": 6, "color": "#ff0000"}))
    graph.add_node(Node("gen", "ai.generate", {"prompt": "A cat"}))
    graph.add_node(Node("over", "compose.overlay", {}, bypass=True))
    graph.add_node(Node("inv", "transform.invert"))
    graph.connect("src.image", "over.base")
    graph.connect("gen.image", "over.overlay")
    graph.connect("over.image", "inv.image")
    session.graph = graph
    result = asyncio.run(session.run(targets=["inv"]))
    assert gemini.requests == []
    assert {n: r.status for n, r in result.nodes.items()} == {"src": "done", "over": "done", "inv": "done"}
    assert pixel(result, "inv") == (0, 255, 255)


def test_a_refused_node_in_a_frame_is_reported_once():
    data = document(frames=[{"id": "f", "x": 0, "y": 0, "width": 1, "height": 1, "nodes": ["inv"]}])
    data["nodes"][1]["position"] = "here"
    message = refusal(data)
    assert "$.nodes[1].position" in message and "no node with id" not in message


def test_a_frame_moved_past_the_coordinate_limit_still_saves_a_loadable_file():
    graph = invert_chain()
    graph.add_frame(Frame("f", 0, 0, 10, 10, nodes=["src"]))
    graph.move_frame("f", 5e6, -5e6)
    assert graph.frames[0].x == 1_000_000 and graph.nodes["src"].position == (1_000_000, -1_000_000)
    assert load_workflow(dump_workflow(graph), CATALOG).frames[0].y == -1_000_000


def test_too_many_frames_or_frame_members_are_refused_quickly():
    frame = {"id": "f", "x": 0, "y": 0, "width": 1, "height": 1}
    many = [dict(frame, id=f"f{i}") for i in range(1001)]
    assert "has 1001 frames; at most 1000 are supported" in refusal(document(frames=many))
    crowded = [dict(frame, nodes=["src"] * 5001)]
    assert "$.frames[0].nodes: frame 'f': holds 5001 ids; at most 5000" in refusal(document(frames=crowded))
    fine = [dict(frame, nodes=["src", "inv"] * 2000)]  # repeats merged, like repeated edges
    assert workflow_from_dict(document(frames=fine), CATALOG).frames[0].nodes == ["src", "inv"]


def test_preview_plans_no_call_for_a_bypassed_ai_node_and_keys_match_the_run():
    """Executor.preview (what the Studio announces before Run) agrees with run() on bypassed nodes."""
    import asyncio
    import json

    from studio.backend.pillow_backend import PillowBackend
    from studio.core.executor import Executor
    from studio.core.workflow import load_workflow
    from studio.nodes import default_catalog

    catalog = default_catalog()
    graph = load_workflow(
        json.dumps({"format": "pyxis.workflow", "version": 2, "nodes": [
            {"id": "bg", "type": "source.solid", "params": {"width": 8, "height": 8}},
            {"id": "edit", "type": "ai.edit", "params": {"prompt": "bluer"}, "bypass": True},
            {"id": "blur", "type": "transform.blur", "params": {"radius": 1}},
        ], "edges": [{"from": "bg.image", "to": "edit.image"}, {"from": "edit.image", "to": "blur.image"}]}),
        catalog,
    )  # fmt: skip
    executor = Executor(catalog, PillowBackend())
    planned = executor.preview(graph)
    assert "edit" not in planned and set(planned) == {"bg", "blur"}
    assert not planned["blur"].cached
    asyncio.run(executor.run(graph))
    assert executor.preview(graph)["blur"].cached  # the preview's key for blur is the run's key


# --- format version 3: a node's own title and colour ---


def test_a_node_title_and_colour_are_saved_only_when_set_and_round_trip():
    graph = invert_chain(bypass=False)
    plain = json.loads(dump_workflow(graph))
    assert not any("title" in n or "color" in n for n in plain["nodes"])
    graph.nodes["inv"].title = "Negative (for the print)"
    graph.nodes["inv"].color = "#2f9e44"
    saved = dump_workflow(graph)
    item = next(n for n in json.loads(saved)["nodes"] if n["id"] == "inv")
    assert (item["title"], item["color"]) == ("Negative (for the print)", "#2f9e44")
    again = load_workflow(saved, CATALOG)
    assert (again.nodes["inv"].title, again.nodes["inv"].color) == ("Negative (for the print)", "#2f9e44")
    assert dump_workflow(again) == saved
    jsonschema.validate(json.loads(saved), schema.workflow_schema(CATALOG))  # the schema says so too
    bad = json.loads(saved)
    bad["nodes"][0]["color"] = "green"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema.workflow_schema(CATALOG))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", 42, "expected text of at most"),
        ("title", "x" * 10_000, "10,000 characters"),
        ("color", "green", "expected a colour like #rrggbb"),
        ("color", "#12345", "expected a colour like #rrggbb"),
    ],
)
def test_a_wrong_node_title_or_colour_is_refused_naming_the_node_and_field(field, value, message):
    data = json.loads(dump_workflow(invert_chain(bypass=False)))
    next(n for n in data["nodes"] if n["id"] == "inv")[field] = value
    with pytest.raises(WorkflowError) as caught:
        load_workflow(json.dumps(data), CATALOG)
    problem = caught.value.problems[0]
    assert problem.node == "inv" and problem.field == field and message in problem.message


def test_a_version_2_file_loads_as_version_3_with_nodes_titled_by_their_type():
    data = json.loads(dump_workflow(invert_chain(bypass=True)))
    data["version"] = 2
    graph = load_workflow(json.dumps(data), CATALOG)
    assert all(n.title is None and n.color is None for n in graph.nodes.values())
    assert graph.nodes["inv"].bypass is True
    assert json.loads(dump_workflow(graph))["version"] == VERSION == 3
