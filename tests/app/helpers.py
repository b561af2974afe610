"""Builders for editor tests: a session on the real catalog (no backend needed to edit)."""

from __future__ import annotations

from studio.app.application import Application
from studio.app.editor import Editor
from studio.app.session import Session
from studio.core.graph import Graph, Node
from studio.core.workflow import workflow_to_dict
from studio.nodes import default_catalog

POSTER_LIKE = """{
  "format": "pyxis.workflow", "version": 1, "name": "Three",
  "nodes": [
    {"id": "bg", "type": "source.gradient", "params": {"width": 64, "height": 48}, "position": [40, 80]},
    {"id": "blur", "type": "transform.blur", "params": {"radius": 3}, "position": [300, 80]},
    {"id": "out", "type": "output.export", "params": {"format": "png"}, "position": [560, 80]}
  ],
  "edges": [{"from": "bg.image", "to": "blur.image"}, {"from": "blur.image", "to": "out.image"}]
}"""


def make_editor(text: str | None = POSTER_LIKE) -> Editor:
    editor = Editor(Session(default_catalog(), backend=None))
    if text is not None:
        editor.load_text(text)
        editor.history.clear()
    return editor


def doc(editor: Editor) -> dict:
    """The document as plain data, for before/after comparisons (pictures included)."""
    return {"workflow": workflow_to_dict(editor.graph), "inputs": dict(editor.session.inputs)}


def record(editor: Editor) -> list:
    changes = []
    editor.subscribe(changes.append)
    return changes


def make_app(text: str | None = POSTER_LIKE) -> Application:
    """The application layer on the real catalog, with `text` open (no backend: nothing runs)."""
    app = Application(Session(default_catalog(), backend=None))
    if text is not None:
        app.editor.load_text(text)
        app.editor.history.clear()
    return app


def ai_graph(ai_nodes: int = 1) -> Graph:
    """src → edit (AI Edit) → small, and with two AI nodes a second one, "more", on edit."""
    graph = Graph()
    graph.add_node(Node("src", "source.solid", {"width": 8, "height": 6, "color": "#c80000"}))
    graph.add_node(Node("edit", "ai.edit", {"prompt": "green"}))
    graph.connect("src.image", "edit.image")
    graph.add_node(Node("small", "transform.resize", {"width": 4, "height": 4, "fit": "fill"}))
    graph.connect("edit.image", "small.image")
    if ai_nodes > 1:
        graph.add_node(Node("more", "ai.edit", {"prompt": "add a hat"}))
        graph.connect("edit.image", "more.image")
    return graph
