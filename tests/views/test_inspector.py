"""The inspector under the fake browser: it shows the selected node's params as fields built from
the catalog, an edit in a field becomes the param (one undo step), a value out of range is refused
where it was typed with the limit named, and undo brings the field back."""

from __future__ import annotations

from tests.app.helpers import make_app

from .fake_browser import Event


def make(page):
    from studio.browser.ui.inspector import Inspector

    app = make_app()
    inspector = Inspector(app, on_picture=lambda node_id, file: None)
    page.document.body.append(inspector.el)
    return inspector, app.editor


def entry(inspector, name: str):
    return inspector.el.querySelector(f'[data-testid="param-{name}"]')


def test_the_selected_node_s_params_are_fields_and_an_edit_sets_the_param(page):
    inspector, editor = make(page)
    assert "Select a node" in inspector.body.textContent
    editor.select(["blur"])
    assert inspector.el.querySelector(".inspector-type").textContent == "blur · transform.blur"
    radius = entry(inspector, "radius")
    assert radius.value == "3"
    radius.value = "7"
    radius.dispatchEvent(Event("change"))
    assert editor.graph.nodes["blur"].params["radius"] == 7
    editor.undo()
    assert editor.graph.nodes["blur"].params["radius"] == 3 and entry(inspector, "radius").value == "3"
    assert editor.changes.errors == []  # no view failed on the way


def test_a_value_out_of_range_is_refused_in_its_field_and_changes_nothing(page):
    inspector, editor = make(page)
    editor.select(["blur"])
    radius = entry(inspector, "radius")
    radius.value = "-4"
    radius.dispatchEvent(Event("change"))
    error = inspector.el.querySelector('[data-testid="param-error-radius"]')
    assert not error.hidden and "at least 0" in error.textContent
    assert editor.graph.nodes["blur"].params["radius"] == 3


def test_two_selected_nodes_say_so_and_a_choice_shows_its_value(page):
    inspector, editor = make(page)
    editor.select(["bg", "blur"])
    assert "2 nodes selected" in inspector.body.textContent
    editor.select(["out"])
    assert entry(inspector, "format").value == "png"
