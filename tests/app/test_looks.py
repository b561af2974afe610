"""A node's own title and colour as the editor changes them (issue 12, item 4): one undo step
each, an empty or the type's own title gives the type's back, a wrong colour is refused, and
neither makes anything run again."""

from __future__ import annotations

import pytest

from studio.app import events
from studio.app.looks import COLORS, LookCommands
from studio.app.ports import EditError
from studio.core.workflow import dump_workflow, load_workflow
from studio.nodes import default_catalog

from .helpers import make_editor, record


def test_a_title_of_its_own_is_saved_and_undo_gives_the_type_s_back():
    editor = make_editor()
    looks = LookCommands(editor)
    changes = record(editor)
    looks.retitle("blur", "  Soften   the  sky ")
    assert editor.graph.nodes["blur"].title == "Soften the sky"
    assert [(c.kind, set(c.nodes)) for c in changes] == [(events.LOOKS, {"blur"})]
    assert not changes[0].affects_results and changes[0].affects_document
    saved = load_workflow(dump_workflow(editor.graph), default_catalog())
    assert saved.nodes["blur"].title == "Soften the sky"
    editor.undo()
    assert editor.graph.nodes["blur"].title is None


@pytest.mark.parametrize("title", ["", "   ", "Blur"])
def test_an_empty_title_or_the_type_s_own_means_no_title_of_its_own(title):
    editor = make_editor()
    looks = LookCommands(editor)
    looks.retitle("blur", "Mine")
    looks.retitle("blur", title)
    assert editor.graph.nodes["blur"].title is None


def test_colouring_the_selection_is_one_step_and_a_wrong_colour_is_refused():
    editor = make_editor()
    looks = LookCommands(editor)
    editor.select(["bg", "blur"])
    looks.set_color(COLORS[1][1])
    assert [editor.graph.nodes[n].color for n in ("bg", "blur", "out")] == ["#d9822b", "#d9822b", None]
    editor.undo()
    assert all(n.color is None for n in editor.graph.nodes.values())
    with pytest.raises(EditError, match="expected a colour"):
        looks.set_color("red")
    with pytest.raises(EditError, match="no node"):
        looks.retitle("nope", "x")
    editor.redo()
    looks.set_color(None)
    assert all(n.color is None for n in editor.graph.nodes.values())
