"""Copy/paste id remapping, auto-layout, box selection and the viewport math."""

from __future__ import annotations

import json

import pytest

from studio.app.clipboard import copy_text
from studio.app.layout import depths, layout
from studio.app.selection import nodes_in_rect
from studio.app.viewport import Viewport, bounds
from studio.core.graph import Graph, Node

from .helpers import make_editor


def test_copy_keeps_internal_edges_only():
    editor = make_editor()
    data = json.loads(copy_text(editor.graph, ["bg", "blur"]))
    assert [n["id"] for n in data["nodes"]] == ["bg", "blur"]
    assert data["edges"] == [{"from": "bg.image", "to": "blur.image"}]
    assert data["format"] == "pyxis.workflow"


PASTES = [
    # (copied ids, paste count, expected new ids of the last paste)
    (["blur"], 1, ["blur-2"]),
    (["blur"], 2, ["blur-3"]),
    (["bg", "blur", "out"], 1, ["bg-2", "blur-2", "out-2"]),
]


@pytest.mark.parametrize("ids, times, expected", PASTES)
def test_paste_gives_fresh_ids_and_remaps_edges(ids, times, expected):
    editor = make_editor()
    text = editor.copy(ids)
    for _ in range(times):
        new = editor.paste(text)
    assert new == expected
    assert editor.selection.nodes == expected
    internal = [e for e in editor.graph.edges if e.source.node in new and e.target.node in new]
    assert len(internal) == len(ids) - 1
    # The originals keep their edges.
    assert len([e for e in editor.graph.edges if e.target.node in ids]) == len(ids) - (1 if "bg" in ids else 0)


def test_paste_at_a_point_moves_the_top_left_there():
    editor = make_editor()
    new = editor.paste(editor.copy(["blur", "out"]), at=(1000, 500))
    assert editor.graph.nodes[new[0]].position == (1000, 500)
    assert editor.graph.nodes[new[1]].position == (1260, 500)


def test_paste_copies_pictures_of_image_nodes():
    editor = make_editor(None)
    editor.add_picture(b"\x89PNG\r\n\x1a\nfake", "a.png", (0, 0))
    new = editor.paste(editor.copy(["image"]))
    assert editor.session.inputs[new[0]] == b"\x89PNG\r\n\x1a\nfake"


def test_paste_is_one_undo_step():
    editor = make_editor()
    editor.paste(editor.copy(["bg", "blur", "out"]))
    editor.undo()
    assert set(editor.graph.nodes) == {"bg", "blur", "out"}


def _chain_graph(*ids, positions=None):
    graph = Graph()
    for node_id in ids:
        graph.add_node(Node(node_id, "transform.blur", {}, (positions or {}).get(node_id)))
    for a, b in zip(ids, ids[1:], strict=False):
        graph.connect(f"{a}.image", f"{b}.image")
    return graph


def test_depths_follow_the_longest_path():
    graph = _chain_graph("a", "b", "c")
    graph.add_node(Node("d", "compose.overlay"))
    graph.connect("a.image", "d.base")
    graph.connect("c.image", "d.overlay")
    assert depths(graph) == {"a": 0, "b": 1, "c": 2, "d": 3}


def test_depths_survive_a_cycle():
    graph = _chain_graph("a", "b")
    graph.connect("b.image", "a.image")
    assert set(depths(graph)) == {"a", "b"}


def test_layout_places_columns_left_to_right():
    placed = layout(_chain_graph("a", "b", "c"))
    assert placed == {"a": (40, 80), "b": (300, 80), "c": (560, 80)}


def test_layout_avoids_positioned_nodes():
    graph = _chain_graph("a", "b", positions={"a": (40, 80)})
    graph.add_node(Node("c", "source.solid"))
    placed = layout(graph)
    assert "a" not in placed
    assert placed["c"] == (40, 340)  # column 0 has `a` at 80
    assert placed["b"] == (300, 80)


def test_box_selection_touching_boxes():
    boxes = {"a": (0, 0, 100, 50), "b": (200, 0, 100, 50), "c": (0, 200, 100, 50)}
    assert nodes_in_rect(boxes, (50, 10, 200, 20)) == ["a", "b"]
    assert nodes_in_rect(boxes, (250, 30, -200, 200)) == ["a", "b", "c"]  # dragged up-left
    assert nodes_in_rect(boxes, (120, 100, 10, 10)) == []


def test_viewport_round_trip_and_zoom_about_pointer():
    view = Viewport(10, 20, 1)
    view.zoom_at(110, 120, 2)
    assert view.to_graph(110, 120) == pytest.approx((100, 100))
    assert view.to_screen(*view.to_graph(5, 7)) == pytest.approx((5, 7))
    view.zoom_at(0, 0, 100)
    assert view.zoom == 2.5


def test_viewport_fit_frames_content_and_never_zooms_in():
    view = Viewport(frame_min_zoom=0)  # a picture in the preview may shrink as far as it needs
    view.fit((0, 0, 2000, 500), 1040, 600, margin=20)
    assert view.zoom == pytest.approx(0.5)
    assert view.to_screen(1000, 250) == pytest.approx((520, 300))
    view.fit((100, 100, 50, 50), 1000, 600)
    assert view.zoom == 1
    assert bounds([(0, 0, 10, 10), (20, 5, 10, 10)]) == (0, 0, 30, 15)
    assert bounds([]) is None


def test_free_spot_keeps_a_free_point_and_moves_off_an_occupied_one():
    from studio.app.layout import NODE_SIZE, free_spot
    from studio.core.graph import Graph, Node

    graph = Graph()
    graph.add_node(Node("a", "source.solid", position=(100.0, 100.0)))
    assert free_spot(graph, (600.0, 100.0)) == (600.0, 100.0)
    x, y = free_spot(graph, (120.0, 110.0))
    assert abs(x - 100) >= NODE_SIZE[0] or abs(y - 100) >= NODE_SIZE[1]
    for n in range(12):  # fill a column: the next spot moves on rather than stacking
        graph.add_node(Node(f"n{n}", "source.solid", position=free_spot(graph, (120.0, 110.0))))
    positions = [node.position for node in graph.nodes.values()]
    for i, (ax, ay) in enumerate(positions):
        for bx, by in positions[i + 1 :]:
            assert abs(ax - bx) >= NODE_SIZE[0] or abs(ay - by) >= NODE_SIZE[1]


def test_pasted_pictures_land_on_free_spots():
    from studio.app.layout import NODE_SIZE

    editor = make_editor()  # bg at (40, 80), blur at (300, 80), out at (560, 80)
    centre = (310.0, 100.0)  # the view's centre, on top of blur
    ids = [editor.add_picture(b"\x89PNG\r\n\x1a\nfake", f"p{i}.png", centre) for i in range(3)]
    positions = [node.position for node in editor.graph.nodes.values()]
    for i, (ax, ay) in enumerate(positions):
        for bx, by in positions[i + 1 :]:
            assert abs(ax - bx) >= NODE_SIZE[0] or abs(ay - by) >= NODE_SIZE[1], (ids, positions)
    assert editor.graph.nodes[ids[0]].position[0] == centre[0]  # the nearest free spot: straight below
    editor.undo()
    assert ids[2] not in editor.graph.nodes  # still one undo step each
