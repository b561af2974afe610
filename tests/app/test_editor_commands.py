"""Each editor command: what it changes, that undo puts it back and redo applies it again."""

from __future__ import annotations

import pytest

from studio.app import events
from studio.app.ports import EditError
from studio.core.graph import Edge, PortRef

from .helpers import doc, make_editor, record


def _edge(a: str, b: str) -> Edge:
    return Edge(PortRef.parse(a), PortRef.parse(b))


COMMANDS = [
    # (name, action, check on the edited editor, change kind)
    (
        "add",
        lambda e: e.add_node("transform.invert", (10, 20)),
        lambda e: e.graph.nodes["invert"].position == (10, 20) and e.selection.nodes == ["invert"],
        events.STRUCTURE,
    ),
    (
        "add without position is laid out",
        lambda e: e.add_node("source.solid"),
        lambda e: e.graph.nodes["solid"].position is not None,
        events.STRUCTURE,
    ),
    (
        "move",
        lambda e: e.move_nodes(["bg", "blur"], 5, -5),
        lambda e: e.graph.nodes["bg"].position == (45, 75) and e.graph.nodes["blur"].position == (305, 75),
        events.MOVED,
    ),
    (
        "delete",
        lambda e: e.delete(["blur"]),
        lambda e: "blur" not in e.graph.nodes and e.graph.edges == [],
        events.STRUCTURE,
    ),
    (
        "delete keeping the chain",
        lambda e: e.delete_keeping_chain(["blur"]),
        lambda e: "blur" not in e.graph.nodes and e.graph.edges == [_edge("bg.image", "out.image")],
        events.STRUCTURE,
    ),
    (
        "bypass",
        lambda e: e.toggle_bypass(["blur"]),
        lambda e: e.graph.nodes["blur"].bypass and not e.graph.nodes["bg"].bypass,
        events.STRUCTURE,
    ),
    (
        "duplicate",
        lambda e: e.duplicate(["bg", "blur"]),
        lambda e: {"bg-2", "blur-2"} <= set(e.graph.nodes) and _edge("bg-2.image", "blur-2.image") in e.graph.edges,
        events.STRUCTURE,
    ),
    (
        "disconnect",
        lambda e: e.disconnect(_edge("bg.image", "blur.image")),
        lambda e: _edge("bg.image", "blur.image") not in e.graph.edges,
        events.STRUCTURE,
    ),
    (
        "connect replaces the single input's edge",
        lambda e: e.connect("bg.image", "out.image"),
        lambda e: (
            _edge("bg.image", "out.image") in e.graph.edges and _edge("blur.image", "out.image") not in e.graph.edges
        ),
        events.STRUCTURE,
    ),
    (
        "set param",
        lambda e: e.set_param("blur", "radius", 7),
        lambda e: e.graph.nodes["blur"].params["radius"] == 7.0,
        events.PARAM,
    ),
    (
        "set color param normalises",
        lambda e: e.set_param("bg", "start", "#AABBCC"),
        lambda e: e.graph.nodes["bg"].params["start"] == "#aabbcc",
        events.PARAM,
    ),
    ("rename", lambda e: e.rename("  Renamed "), lambda e: e.graph.name == "Renamed", events.NAME),
    ("tidy up", lambda e: e.auto_layout(), lambda e: e.graph.nodes["out"].position == (560.0, 80.0), events.MOVED),
    (
        "paste",
        lambda e: e.paste(e.copy(["blur"])),
        lambda e: e.graph.nodes["blur-2"].position == (340, 120),
        events.STRUCTURE,
    ),
]


@pytest.mark.parametrize("name, action, check, kind", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_command_applies_undoes_and_redoes(name, action, check, kind):
    editor = make_editor()
    before = doc(editor)
    changes = record(editor)
    action(editor)
    after = doc(editor)
    assert check(editor)
    assert kind in [c.kind for c in changes]
    assert editor.undo()
    assert doc(editor) == before
    assert editor.redo()
    assert doc(editor) == after
    assert not editor.redo()


REFUSED = [
    # (action, words in the hint)
    (lambda e: e.set_param("blur", "radius", -1), "radius: must be at least 0"),
    (lambda e: e.set_param("blur", "radius", "soft"), "expected a number"),
    (lambda e: e.set_param("bg", "start", "red"), "expected a color"),
    (lambda e: e.set_param("out", "format", "gif"), "must be one of png, jpeg, webp"),
    (lambda e: e.set_param("blur", "nope", 1), "has no param 'nope'"),
    (lambda e: e.connect("out.file", "blur.image"), "cannot connect file to image"),
    (lambda e: e.connect("blur.image", "bg.image"), "has no input 'image'"),
    (lambda e: e.connect("out.image", "blur.image"), "has no output 'image'"),
    (lambda e: e.connect("blur.image", "blur.image"), "itself"),
    (
        lambda e: (
            e.add_node("transform.invert", (0, 0)),
            e.connect("blur.image", "invert.image"),
            e.connect("invert.image", "blur.image"),
        ),
        "loop",
    ),
    (lambda e: e.connect("ghost.image", "blur.image"), "no node with id 'ghost'"),
    (lambda e: e.add_node("no.such"), "unknown node type"),
    (lambda e: e.paste("not json"), "does not hold Pyxis nodes"),
    (
        lambda e: e.paste(
            '{"format": "pyxis.workflow", "version": 1, "nodes": [{"id": "x", "type": "transform.blur", "params": {"radius": -3}}]}'
        ),
        "radius",
    ),
]


@pytest.mark.parametrize("action, hint", REFUSED, ids=[r[1] for r in REFUSED])
def test_refused_edit_changes_nothing(action, hint):
    editor = make_editor()
    with pytest.raises(EditError, match=hint) as caught:
        action(editor)
    if "loop" not in hint and "invert" not in str(caught.value):
        assert doc(editor) == doc(make_editor())
    # What was done before the refusal (the loop case) stays undoable as usual.
    assert not editor.history.can_undo or "loop" in hint


def test_text_to_image_hint_wording():
    # The contract's wording: "cannot connect text to image".
    from studio.app.ports import check_connection
    from studio.core.catalog import TEXT, Catalog, PortSpec, node
    from studio.core.graph import Graph, Node

    @node("t.text", title="T", category="T", help="", outputs=(PortSpec("text", TEXT),))
    async def text_node(ctx):
        return {"text": ""}

    @node("t.img", title="I", category="T", help="", inputs=(PortSpec("image"),))
    async def image_node(ctx, *, image):
        return {"image": image}

    graph = Graph()
    graph.add_node(Node("a", "t.text"))
    graph.add_node(Node("b", "t.img"))
    with pytest.raises(EditError, match="^cannot connect text to image"):
        check_connection(graph, Catalog([text_node, image_node]), PortRef("a", "text"), PortRef("b", "image"))


def test_a_drag_is_one_undo_step():
    editor = make_editor()
    for _ in range(10):
        editor.move_nodes(["bg"], 1, 2, gesture="drag-1")
    editor.end_gesture()
    editor.move_nodes(["bg"], 100, 0, gesture="drag-1")  # a new drag after pointer up
    assert editor.graph.nodes["bg"].position == (150, 100)
    editor.undo()
    assert editor.graph.nodes["bg"].position == (50, 100)
    editor.undo()
    assert editor.graph.nodes["bg"].position == (40, 80)
    assert not editor.history.can_undo


def test_slider_slide_is_one_undo_step():
    editor = make_editor()
    for radius in (3.5, 4, 4.5, 5):
        editor.set_param("blur", "radius", radius, gesture=("slide", "blur", "radius"))
    editor.end_gesture()
    editor.undo()
    assert editor.graph.nodes["blur"].params["radius"] == 3


def test_setting_the_same_value_is_no_step():
    editor = make_editor()
    editor.set_param("blur", "radius", 3)
    editor.set_param("bg", "angle", 0.0)  # the default, not set explicitly
    assert not editor.history.can_undo


def test_new_edit_clears_redo():
    editor = make_editor()
    editor.set_param("blur", "radius", 4)
    editor.undo()
    editor.set_param("blur", "radius", 5)
    assert not editor.history.can_redo


def test_multiple_input_keeps_existing_edges():
    editor = make_editor()
    from studio.core.catalog import PortSpec, node

    @node("t.many", title="Many", category="T", help="", inputs=(PortSpec("image", multiple=True),))
    async def many(ctx, *, image):
        return {"image": image[0]}

    editor.catalog.register(many)
    editor.add_node("t.many", (0, 0))
    editor.connect("bg.image", "many.image")
    editor.connect("blur.image", "many.image")
    assert len(editor.graph.inputs_of("many")) == 2


def test_delete_uses_selection_and_selected_edge():
    editor = make_editor()
    editor.select(["blur"])
    editor.delete()
    assert "blur" not in editor.graph.nodes
    editor.undo()
    editor.select_edge(_edge("blur.image", "out.image"))
    editor.delete()
    assert editor.graph.inputs_of("out") == [] and "blur" in editor.graph.nodes
    assert editor.selection.edge is None


def test_deleting_the_selection_empties_it_and_says_so():
    editor = make_editor()
    editor.select_all()
    changes = record(editor)
    editor.delete()
    assert editor.graph.nodes == {} and editor.selection.nodes == []
    assert changes[-1].kind == "selection" and changes[-1].nodes == frozenset()


def test_undo_keeps_selection_to_existing_nodes():
    editor = make_editor()
    node_id = editor.add_node("transform.invert", (0, 0))
    assert editor.selection.nodes == [node_id]
    editor.undo()
    assert editor.selection.nodes == []


def test_undo_reports_only_nodes_with_other_results():
    editor = make_editor()
    editor.move_nodes(["bg"], 10, 10)
    editor.set_param("blur", "radius", 9)
    changes = record(editor)
    editor.undo()
    assert changes[0].kind == events.REPLACED and changes[0].nodes == {"blur"}
    editor.undo()
    assert changes[-2].kind == events.REPLACED and changes[-2].nodes == set()


def test_load_is_undoable_and_bad_load_changes_nothing():
    from studio.core.workflow import WorkflowError

    editor = make_editor()
    before = doc(editor)
    with pytest.raises(WorkflowError, match="blur"):
        editor.load_text(
            '{"format": "pyxis.workflow", "version": 1, "nodes": [{"id": "blur", "type": "transform.blur", "params": {"radius": "x"}}]}'
        )
    assert doc(editor) == before
    editor.load_text(
        '{"format": "pyxis.workflow", "version": 1, "name": "Other", "nodes": [{"id": "s", "type": "source.solid"}]}'
    )
    assert editor.graph.name == "Other"
    assert editor.graph.nodes["s"].position is not None  # laid out on load
    editor.undo()
    assert doc(editor) == before


HUGE = "x" * 1_000_000


@pytest.mark.parametrize(
    "command",
    [
        lambda e: e.add_node(HUGE),
        lambda e: e.set_param(HUGE, "radius", 2),
        lambda e: e.set_param("blur", HUGE, 2),
        lambda e: e.set_picture(HUGE, b""),
        lambda e: e.connect(f"{HUGE}.image", "blur.image"),
        lambda e: e.connect("bg.image", f"blur.{HUGE}"),
        lambda e: e.connect(f"bg.{HUGE}", "blur.image"),
    ],
    ids=["add type", "param node", "param name", "picture node", "from node", "to port", "from port"],
)
def test_a_refused_edit_quotes_a_huge_id_or_name_short(command):
    # Issue 13 item 12: a value from a hook or a file came back whole, a 10 MB banner.
    editor = make_editor()
    with pytest.raises(EditError) as refused:
        command(editor)
    assert len(str(refused.value)) < 300 and "1,000,000 characters" in str(refused.value)
    assert doc(editor) == doc(make_editor())


def test_bypass_toggles_off_when_all_are_on_and_refuses_a_node_with_nothing_to_pass_through():
    editor = make_editor()
    assert editor.toggle_bypass(["blur"]) is True
    assert editor.toggle_bypass(["blur"]) is False and not editor.graph.nodes["blur"].bypass
    before = doc(editor)
    with pytest.raises(EditError, match="Export “out” cannot be bypassed: it has no image to pass through"):
        editor.toggle_bypass(["blur", "out"])
    assert doc(editor) == before  # all or nothing: blur was not bypassed either


def test_deleting_a_run_of_nodes_keeps_the_chain_around_all_of_them():
    editor = make_editor()
    editor.delete_keeping_chain(["blur", "out"])  # the export has no image output: nothing after it
    assert editor.graph.edges == []
    editor.undo()
    middle = editor.add_node("transform.invert", (400, 300))
    editor.connect("blur.image", f"{middle}.image")
    editor.connect(f"{middle}.image", "out.image")
    editor.delete_keeping_chain(["blur", middle])
    assert editor.graph.edges == [_edge("bg.image", "out.image")]


def test_a_node_dropped_on_a_wire_is_spliced_in_and_one_undo_takes_it_out():
    editor = make_editor()
    middle = editor.add_node("transform.invert", (400, 300))
    editor.insert_on_edge(middle, _edge("bg.image", "blur.image"))
    assert set(editor.graph.edges) == {
        _edge("bg.image", f"{middle}.image"),
        _edge(f"{middle}.image", "blur.image"),
        _edge("blur.image", "out.image"),
    }
    editor.undo()
    assert set(editor.graph.edges) == {_edge("bg.image", "blur.image"), _edge("blur.image", "out.image")}
    # A wired node, or one without a port of the wire's type, is refused and nothing changes.
    before = doc(editor)
    for node_id in ("out", editor.add_node("source.solid", (0, 400))):
        with pytest.raises(EditError, match="does not fit on this wire"):
            editor.insert_on_edge(node_id, _edge("bg.image", "blur.image"))
    assert doc(editor)["workflow"]["edges"] == before["workflow"]["edges"]
