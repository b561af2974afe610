"""Workflow files: valid files load, every kind of invalid file is refused precisely."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio.core.workflow import VERSION, WorkflowError, dump_workflow, load_workflow
from studio.nodes import default_catalog

CATALOG = default_catalog()
EXAMPLES = sorted((Path(__file__).parents[2] / "static" / "examples").glob("*.json"))
EXAMPLES = [p for p in EXAMPLES if p.name != "index.json"]

BASE = {
    "format": "pyxis.workflow",
    "version": 1,
    "name": "Poster",
    "nodes": [
        {
            "id": "bg",
            "type": "source.gradient",
            "params": {"width": 800, "height": 600, "start": "#1d3557", "end": "#e63946", "angle": 90},
            "position": [40, 80],
        },
        {
            "id": "fit",
            "type": "transform.resize",
            "params": {"width": 400, "height": 400, "fit": "contain"},
            "position": [300, 80],
        },
        {"id": "out", "type": "output.export", "params": {"format": "png"}},
    ],
    "edges": [{"from": "bg.image", "to": "fit.image"}, {"from": "fit.image", "to": "out.image"}],
}


def variant(change):
    data = copy.deepcopy(BASE)
    change(data)
    return json.dumps(data)


def test_contract_example_loads():
    graph = load_workflow(json.dumps(BASE), CATALOG)
    assert list(graph.nodes) == ["bg", "fit", "out"]
    assert graph.nodes["bg"].position == (40.0, 80.0)
    assert graph.nodes["out"].position is None
    assert [str(e) for e in graph.edges] == ["bg.image -> fit.image", "fit.image -> out.image"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_load(path):
    load_workflow(path.read_text(), CATALOG)


def test_save_is_stable_and_round_trips():
    graph = load_workflow(json.dumps(BASE), CATALOG)
    text = dump_workflow(graph)
    assert dump_workflow(load_workflow(text, CATALOG)) == text
    saved = json.loads(text)
    assert list(saved["nodes"][0]["params"]) == sorted(saved["nodes"][0]["params"])
    assert saved["version"] == VERSION
    assert "position" not in saved["nodes"][2]


def test_saving_without_data_drops_local_node_data():
    data = copy.deepcopy(BASE)
    data["nodes"][1]["data"] = {"history": [1, 2]}
    graph = load_workflow(json.dumps(data), CATALOG)
    assert json.loads(dump_workflow(graph))["nodes"][1]["data"] == {"history": [1, 2]}
    assert "data" not in json.loads(dump_workflow(graph, include_data=False))["nodes"][1]


INVALID = [
    ("not json", "{", "line 1 column 2", None, None),
    ("not an object", "[]", "expected a JSON object", None, None),
    ("wrong format", variant(lambda d: d.update(format="comfy")), "not a Pyxis workflow", None, "format"),
    ("future version", variant(lambda d: d.update(version=99)), "newer Pyxis Studio", None, "version"),
    ("bad version", variant(lambda d: d.update(version="1")), "whole number", None, "version"),
    ("nodes not a list", variant(lambda d: d.update(nodes={})), "list of nodes", None, "nodes"),
    ("unknown top field", variant(lambda d: d.update(extra=1)), "unknown field", None, "extra"),
    ("bad node id", variant(lambda d: d["nodes"][0].update(id="a b")), "letters, digits", None, "id"),
    ("duplicate id", variant(lambda d: d["nodes"][1].update(id="bg")), "used twice", "bg", "id"),
    (
        "unknown type",
        variant(lambda d: d["nodes"][1].update(type="transform.teleport")),
        "unknown node type 'transform.teleport'",
        "fit",
        "type",
    ),
    (
        "param wrong type",
        variant(lambda d: d["nodes"][1]["params"].update(width="wide")),
        "whole number",
        "fit",
        "width",
    ),
    ("param out of range", variant(lambda d: d["nodes"][1]["params"].update(width=0)), "at least 1", "fit", "width"),
    (
        "param not a choice",
        variant(lambda d: d["nodes"][1]["params"].update(fit="squash")),
        "one of contain, cover, fill",
        "fit",
        "fit",
    ),
    ("unknown param", variant(lambda d: d["nodes"][1]["params"].update(widht=3)), "no param 'widht'", "fit", "widht"),
    ("bad color", variant(lambda d: d["nodes"][0]["params"].update(start="blue")), "#rrggbb", "bg", "start"),
    ("params not object", variant(lambda d: d["nodes"][1].update(params=[1])), "expected an object", "fit", "params"),
    ("bad position", variant(lambda d: d["nodes"][1].update(position=[1])), "[x, y]", "fit", "position"),
    ("unknown node field", variant(lambda d: d["nodes"][1].update(colour=1)), "unknown field", "fit", "colour"),
    (
        "edge to unknown node",
        variant(lambda d: d["edges"].append({"from": "ghost.image", "to": "out.image"})),
        "no node with id 'ghost'",
        "out",
        None,
    ),
    (
        "edge unknown port",
        variant(lambda d: d["edges"].__setitem__(0, {"from": "bg.picture", "to": "fit.image"})),
        "no output 'picture'",
        "bg",
        "picture",
    ),
    (
        "edge unknown input",
        variant(lambda d: d["edges"].__setitem__(0, {"from": "bg.image", "to": "fit.mask"})),
        "no input 'mask'",
        "fit",
        "mask",
    ),
    (
        "edge malformed",
        variant(lambda d: d["edges"].__setitem__(0, {"from": "bg", "to": "fit.image"})),
        "'<node id>.<port>'",
        None,
        "from",
    ),
    (
        "type mismatch",
        variant(lambda d: d["edges"].append({"from": "out.file", "to": "fit.image"})),
        "cannot connect a file output to a image input",
        "fit",
        "image",
    ),
    (
        "two edges into one input",
        variant(lambda d: d["edges"].append({"from": "bg.image", "to": "out.image"})),
        "takes one connection but has 2",
        "out",
        "image",
    ),
    (
        "required input missing",
        variant(lambda d: d.update(edges=d["edges"][:1])),
        "required but not connected",
        "out",
        "image",
    ),
    (
        "input on a source node",
        variant(lambda d: d["edges"].extend([{"from": "fit.image", "to": "bg.image"}])),
        "no input 'image'",
        "bg",
        "image",
    ),
]


@pytest.mark.parametrize("name, text, message, node, field", INVALID, ids=[case[0] for case in INVALID])
def test_invalid_files_name_where_and_why(name, text, message, node, field):
    with pytest.raises(WorkflowError) as info:
        load_workflow(text, CATALOG)
    problems = info.value.problems
    assert any(message in p.message or message in p.where for p in problems), problems
    if node is not None or field is not None:
        assert any(p.node == node and p.field == field for p in problems), problems
    assert message in str(info.value)


def test_a_real_cycle_names_its_nodes():
    data = {
        "format": "pyxis.workflow",
        "version": 1,
        "nodes": [{"id": n, "type": "transform.blur"} for n in ("a", "b")],
        "edges": [{"from": "a.image", "to": "b.image"}, {"from": "b.image", "to": "a.image"}],
    }
    with pytest.raises(WorkflowError, match="cycle: a -> b -> a"):
        load_workflow(json.dumps(data), CATALOG)


def test_every_problem_is_reported_at_once():
    def break_many(d):
        d["nodes"][0]["params"]["width"] = -1
        d["nodes"][1]["params"]["fit"] = "nope"
        d["nodes"][2]["params"]["quality"] = 500

    with pytest.raises(WorkflowError) as info:
        load_workflow(variant(break_many), CATALOG)
    assert {(p.node, p.field) for p in info.value.problems} == {("bg", "width"), ("fit", "fit"), ("out", "quality")}


def test_incomplete_graph_loads_for_autosave_but_not_for_running():
    text = variant(lambda d: d.update(edges=[]))
    with pytest.raises(WorkflowError):
        load_workflow(text, CATALOG)
    assert len(load_workflow(text, CATALOG, complete=False).nodes) == 3


@pytest.mark.parametrize("raw", [b"\xff\xfe\x00", "NaN", '{"a": Infinity}', "[" * 100_000, ""])
def test_hostile_inputs_raise_only_workflow_error(raw):
    with pytest.raises(WorkflowError):
        load_workflow(raw, CATALOG)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
node_ids = st.sampled_from(["bg", "fit", "out", "x", "a b", "", 3])
node_types = st.sampled_from([s.id for s in CATALOG] + ["nope", 1])
nodes = st.fixed_dictionaries(
    {"id": node_ids, "type": node_types},
    optional={
        "params": st.dictionaries(
            st.sampled_from(["width", "height", "fit", "radius", "color", "angle", "q"]), json_values, max_size=3
        ),
        "position": json_values,
        "data": json_values,
    },
)
ports = st.sampled_from(["bg.image", "fit.image", "out.image", "out.file", "x.base", "fit", ".image", "a.b.c"])
edges = st.fixed_dictionaries({"from": ports, "to": ports})
workflows = st.fixed_dictionaries(
    {"format": st.just("pyxis.workflow"), "version": st.sampled_from([1, 1, 2, 0, "1"])},
    optional={
        "nodes": st.lists(nodes, max_size=5) | json_values,
        "edges": st.lists(edges, max_size=5) | json_values,
        "name": json_values,
    },
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(workflows)
def test_fuzz_structured_workflows_only_raise_workflow_error(data):
    try:
        graph = load_workflow(json.dumps(data), CATALOG)
    except WorkflowError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
    else:
        assert dump_workflow(graph)


@settings(max_examples=200, deadline=None)
@given(json_values | st.text(max_size=50) | st.binary(max_size=50))
def test_fuzz_any_input_only_raises_workflow_error(value):
    raw = value if isinstance(value, (str, bytes)) else json.dumps(value)
    with pytest.raises(WorkflowError):
        load_workflow(raw, CATALOG)
