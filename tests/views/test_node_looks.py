"""Renaming a node where it stands, under the fake browser: F2's text field replaces the title,
Enter keeps what was typed (one undo step), Escape and an empty title behave as a person expects,
and the colour swatches' command tints the node's view."""

from __future__ import annotations

import types

from tests.app.helpers import make_app

from .fake_browser import Event


def make(page):
    from studio.browser.ui.node_looks import NodeLooks
    from studio.browser.ui.node_view import NodeView

    app = make_app()
    editor = app.editor
    views = {n.id: NodeView(n, editor.catalog.get(n.type)) for n in editor.graph.nodes.values()}
    canvas = types.SimpleNamespace(views=views, el=page.document.createElement("div"))
    for view in views.values():
        canvas.el.append(view.el)
        view.update(editor.graph.nodes[view.id])
    editor.subscribe(
        lambda change: [v.update(editor.graph.nodes[v.id]) for v in views.values() if v.id in editor.graph.nodes]
    )
    hints: list[str] = []
    return NodeLooks(canvas, app, hints.append), editor, views, hints


def field(views, node_id):
    return views[node_id].title.querySelector("input")


def test_enter_keeps_the_typed_title_and_undo_gives_the_type_s_back(page):
    looks, editor, views, hints = make(page)
    editor.select(["blur"])
    looks.rename_selected()
    box = field(views, "blur")
    assert box.value == "Blur" and page.document.activeElement is box
    box.value = "  Soften   it "
    box.dispatchEvent(Event("keydown", key="Enter"))
    assert editor.graph.nodes["blur"].title == "Soften it"
    assert views["blur"].title.textContent == "Soften it"
    editor.undo()
    assert views["blur"].title.textContent == "Blur" and editor.graph.nodes["blur"].title is None


def test_escape_leaves_the_title_and_a_click_elsewhere_keeps_it(page):
    looks, editor, views, hints = make(page)
    looks.rename("blur")
    box = field(views, "blur")
    box.value = "Nope"
    box.dispatchEvent(Event("keydown", key="Escape"))
    assert views["blur"].title.textContent == "Blur" and editor.graph.nodes["blur"].title is None
    looks.rename("blur")
    box = field(views, "blur")
    box.value = "Kept"
    box.dispatchEvent(Event("blur"))  # focus went elsewhere: what was typed is kept
    assert editor.graph.nodes["blur"].title == "Kept"


def test_rename_asks_for_one_node_and_a_colour_tints_the_view(page):
    looks, editor, views, hints = make(page)
    editor.select(["bg", "blur"])
    looks.rename_selected()
    assert hints == ["select one node to rename it"] and field(views, "bg").__class__.__name__ == "JsNull"
    looks.color("#2f9e44")
    assert all(views[n].el.classList.contains("tinted") for n in ("bg", "blur"))
    assert views["bg"].el.style._values["--node-color"] == "#2f9e44"
    assert not views["out"].el.classList.contains("tinted")
    looks.color("green")
    assert hints[-1].startswith("expected a colour")
