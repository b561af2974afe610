"""Builders for editor tests: a session on the real catalog (no backend needed to edit)."""

from __future__ import annotations

from studio.app.editor import Editor
from studio.app.session import Session
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
