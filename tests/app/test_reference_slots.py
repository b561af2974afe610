"""An AI node's references stop at the model's image limit: one too many is refused with the
limit named, and nothing changes (issue 10: a request past the limit is a 400 that may be billed)."""

from __future__ import annotations

import pytest

from studio.app.ports import EditError
from studio.gemini.models import resolve_model

from .helpers import doc, make_editor


def ai_with_sources(model: str, sources: int):
    editor = make_editor(None)
    edit = editor.add_node("ai.edit", (600, 0), {"prompt": "x", "model": model})
    ids = [editor.add_node("source.solid", (0, 80 * i)) for i in range(sources)]
    editor.connect(f"{ids[0]}.image", f"{edit}.image")
    return editor, edit, ids


@pytest.mark.parametrize("model", ["gemini-2.5-flash-image", "gemini-nano-banana-2.1"])
def test_references_fill_the_models_slots_and_one_more_is_refused(model):
    limit = resolve_model(model).max_images  # the picture counts as one of them
    editor, edit, ids = ai_with_sources(model, limit + 1)
    for source in ids[1:limit]:
        editor.connect(f"{source}.image", f"{edit}.references")
    editor.connect(f"{ids[1]}.image", f"{edit}.references")  # the same again: no change, no refusal
    before = doc(editor)
    with pytest.raises(EditError) as refused:
        editor.connect(f"{ids[limit]}.image", f"{edit}.references")
    assert f"takes at most {limit} images (its picture and {limit - 1} references)" in str(refused.value)
    assert f"this node has {limit}" in str(refused.value)
    assert doc(editor) == before
    # Disconnecting one frees its slot.
    first = next(e for e in editor.graph.edges if e.target.port == "references")
    editor.disconnect(first)
    editor.connect(f"{ids[limit]}.image", f"{edit}.references")
    assert sum(e.target.port == "references" for e in editor.graph.edges) == limit - 1
