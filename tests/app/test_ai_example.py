"""The AI Edit example replays its recorded answer with zero requests, as the page opens it."""

from __future__ import annotations

import asyncio
import io
import json

from PIL import Image

from studio.app.editor import Editor
from studio.app.node_states import KEY_HINT, OK, present
from studio.app.run_state import RunBoard
from studio.app.session import Session
from studio.backend.pillow_backend import PillowBackend
from studio.gemini.client import GeminiClient
from studio.nodes import default_catalog
from tests.gemini.wire import FakeGemini

from .ai_example import EXAMPLE, KEY, SAID
from .test_node_states import EXAMPLES


def opened() -> tuple[Session, FakeGemini]:
    """The example opened as the page opens it (the picture moves beside the graph), with a
    Gemini that answers nothing: any request fails the test (FakeGemini has no answers)."""
    gemini = FakeGemini()
    session = Session(
        default_catalog(),
        PillowBackend(),
        services={"gemini": GeminiClient(gemini, lambda: "any-key")},
    )
    Editor(session).load_text(EXAMPLE.read_text(encoding="utf-8"))
    return session, gemini


def test_the_example_is_listed_first_and_records_one_turn():
    index = json.loads((EXAMPLES / "index.json").read_text(encoding="utf-8"))["examples"]
    assert index[0]["file"] == "ai-edit.json"
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    edit = next(n for n in data["nodes"] if n["id"] == "edit")
    assert [t["text"] for t in edit["data"]["turns"]] == [SAID]
    assert KEY not in EXAMPLE.read_text(encoding="utf-8")  # the key used to record never lands in the file


def test_an_automatic_run_replays_it_with_zero_requests():
    session, gemini = opened()
    result = asyncio.run(session.run(offline=True))  # what opening does: an automatic run
    assert result.ok, result.to_json()
    assert gemini.requests == []
    assert result.nodes["edit"].outputs["text"] == SAID


def test_run_replays_too_and_shows_the_recorded_picture():
    session, gemini = opened()
    result = asyncio.run(session.run())  # a Run press: the recording still answers, no call
    assert result.ok and gemini.requests == []
    edited = result.nodes["edit"].outputs["image"]
    photo = result.nodes["photo"].outputs["image"]
    assert edited.size == photo.size and edited.tobytes() != photo.tobytes()
    board = RunBoard()
    board.apply_result(result)
    shown = present(session.graph, session.catalog, board, session.inputs, has_key=False)
    assert {s.tone for s in shown.values()} == {OK}
    assert shown["edit"].note == KEY_HINT  # the one line on adding a key
    assert present(session.graph, session.catalog, board, session.inputs)["edit"].note == ""
    # The caption is Gemini's text: the title differs from the same node written with its param.
    title = result.nodes["title"].outputs["image"]
    buffer = io.BytesIO()
    title.save(buffer, "PNG")
    assert Image.open(buffer).size == edited.size
