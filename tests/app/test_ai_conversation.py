"""AI conversations in node data: what saves keep, autosave image references, steps, follow-ups,
and a run's turns reaching the open graph (Session) as undoable, replayable state."""

from __future__ import annotations

import asyncio
import json

import pytest

from studio.app import ai_conversation
from studio.app.editor import Editor
from studio.app.session import Session
from studio.backend.pillow_backend import PillowBackend
from studio.core.graph import Graph, Node
from studio.core.workflow import dump_workflow, load_workflow
from studio.gemini import GeminiClient
from studio.gemini.response import image_in_content
from studio.nodes import default_catalog
from tests.gemini.wire import KEY, FakeClock, FakeGemini, b64, image_answer, inline, picture, reply

GREEN = picture("PNG", size=(8, 6), color=(0, 200, 0))
BLUE = picture("PNG", size=(8, 6), color=(0, 0, 220))
SOURCE = picture("PNG", size=(8, 6), color=(200, 0, 0))


def turn(prompt: str, image: bytes, text: str = "ok", signature: str = "sig") -> dict:
    return {
        "prompt": prompt,
        "user": {"role": "user", "parts": [{"text": prompt}, inline(SOURCE)]},
        "model": {
            "role": "model",
            "parts": [{"text": text, "thoughtSignature": signature}, inline(image, thoughtSignature=signature)],
        },
        "text": text,
    }


def ai_graph(**data) -> Graph:
    graph = Graph()
    graph.add_node(Node("src", "source.solid", {"width": 8, "height": 6}))
    graph.add_node(Node("edit", "ai.edit", {"prompt": "green"}, data=dict(data)))
    graph.connect("src.image", "edit.image")
    return graph


# --- saves ---


def test_graph_only_keeps_prompts_texts_and_intent_but_no_images():
    graph = ai_graph(
        turns=[turn("green", GREEN, "Here."), turn("blue", BLUE, "Bluer.")], basis="b", followups=["blue"], selected=0
    )
    light = ai_conversation.graph_only(graph)
    data = light.nodes["edit"].data
    assert data["turns"] == [{"prompt": "green", "text": "Here."}, {"prompt": "blue", "text": "Bluer."}]
    assert data["followups"] == ["blue"] and data["selected"] == 0 and "basis" not in data
    assert b64(GREEN) not in dump_workflow(light) and b64(SOURCE) not in dump_workflow(light)
    assert graph.nodes["edit"].data["turns"][0]["model"]  # the open graph is untouched
    load_workflow(dump_workflow(light), default_catalog())  # still a valid file


def test_image_refs_round_trip_and_store_each_image_once():
    graph = ai_graph(turns=[turn("green", GREEN), turn("again", GREEN)], basis="b")
    light, blobs = ai_conversation.with_image_refs(graph)
    text = dump_workflow(light)
    assert b64(GREEN) not in text and b64(SOURCE) not in text
    assert len(text) < 3000
    assert sorted(blobs.values()) == sorted({b64(GREEN), b64(SOURCE)})
    assert ai_conversation.image_refs(light) == set(blobs)
    restored = load_workflow(text, default_catalog())
    assert ai_conversation.restore_image_refs(restored, blobs) == []
    assert restored.nodes["edit"].data == graph.nodes["edit"].data
    assert image_in_content(restored.nodes["edit"].data["turns"][1]["model"])[0] == GREEN


def test_a_missing_image_drops_its_turn_and_every_later_one():
    graph = ai_graph(turns=[turn("green", GREEN), turn("blue", BLUE), turn("more", GREEN)])
    light, blobs = ai_conversation.with_image_refs(graph)
    del blobs[ai_conversation.blob_key(b64(BLUE))]
    assert ai_conversation.restore_image_refs(light, blobs) == ["edit"]
    assert [t["prompt"] for t in light.nodes["edit"].data["turns"]] == ["green"]


def test_refs_are_not_base64_so_a_leaked_ref_fails_loudly():
    light, _ = ai_conversation.with_image_refs(ai_graph(turns=[turn("green", GREEN)]))
    data = light.nodes["edit"].data["turns"][0]["model"]["parts"][1]["inlineData"]["data"]
    assert data.startswith(ai_conversation.REF_PREFIX) and ":" in data


def test_key_cache_hashes_each_text_once():
    calls = []
    cache = ai_conversation.KeyCache(lambda text: calls.append(text) or f"k{len(calls)}")
    text = b64(GREEN)
    assert cache(text) == cache(text) == "k1" and len(calls) == 1
    cache.keep_only(set())
    assert cache(text) == "k2"


def test_blob_key_hashes_a_text_once_while_it_is_recent(monkeypatch):
    import hashlib

    hashed = []
    real = hashlib.sha256
    monkeypatch.setattr(ai_conversation, "_RECENT", {})  # other tests' texts are not this test's
    monkeypatch.setattr(ai_conversation.hashlib, "sha256", lambda data: hashed.append(len(data)) or real(data))
    texts = [b64(GREEN) + "A" * n for n in range(ai_conversation.RECENT_DIGESTS + 1)]
    first = ai_conversation.blob_key(texts[0])
    assert first == real(texts[0].encode("ascii")).hexdigest()
    assert ai_conversation.blob_key(texts[0][:1] + texts[0][1:]) == first and len(hashed) == 1  # an equal copy too
    for text in texts[1:]:
        ai_conversation.blob_key(text)
    assert len(hashed) == len(texts)
    ai_conversation.blob_key(texts[0])  # pushed out by newer ones: hashed again, same key
    assert len(hashed) == len(texts) + 1 and ai_conversation.blob_key(texts[0]) == first


def test_non_ai_nodes_and_odd_data_are_left_alone():
    graph = ai_graph(turns=["junk", {"prompt": "x"}])
    graph.nodes["src"].data["turns"] = [turn("x", GREEN)]  # not an AI node: not ours to touch
    light, blobs = ai_conversation.with_image_refs(graph)
    assert light.nodes["src"].data == graph.nodes["src"].data and blobs == {}
    assert ai_conversation.graph_only(graph).nodes["src"].data == graph.nodes["src"].data


# --- the panel's view of the data ---


def test_steps_and_the_selected_step():
    node = ai_graph(turns=[turn("green", GREEN, "Here."), turn("blue", BLUE, "")]).nodes["edit"]
    steps = ai_conversation.steps(node)
    assert [(s.index, s.prompt, s.text) for s in steps] == [(0, "green", "Here."), (1, "blue", "")]
    assert steps[1].image_b64 == b64(BLUE)
    assert ai_conversation.selected_index(node) == 1
    for selected, expected in ((0, 0), (1, 1), (5, 1), (None, 1), (True, 1), ("0", 1)):
        node.data["selected"] = selected
        assert ai_conversation.selected_index(node) == expected
    assert ai_conversation.selected_index(ai_graph().nodes["edit"]) is None


def test_a_steps_thought_images_are_its_drafts_and_never_its_image():
    with_drafts = turn("green", GREEN)
    with_drafts["model"]["parts"][:0] = [
        {"text": "hmm", "thought": True},
        inline(BLUE, thought=True),
        inline(SOURCE, thought=True),
    ]
    node = ai_graph(turns=[with_drafts, turn("blue", BLUE)]).nodes["edit"]
    first, second = ai_conversation.steps(node)
    assert first.image_b64 == b64(GREEN)
    assert first.thoughts == (b64(BLUE), b64(SOURCE))
    assert second.thoughts == ()


@pytest.mark.parametrize(
    "followups, selected, turns, expected",
    [
        ([], None, 1, ["new"]),
        (["a"], None, 2, ["a", "new"]),
        (["a", "b"], 0, 3, ["new"]),  # stepped back to the first answer: continue from it
        (["a", "b"], 1, 3, ["a", "new"]),
        (["a", "b"], 2, 3, ["a", "b", "new"]),  # the latest selected explicitly
    ],
)
def test_a_follow_up_continues_from_the_step_shown(followups, selected, turns, expected):
    node = ai_graph(followups=followups, selected=selected, turns=[turn(f"p{i}", GREEN) for i in range(turns)]).nodes[
        "edit"
    ]
    assert ai_conversation.followups_from(node, "new") == (expected, None)


@pytest.mark.parametrize(
    "error, expected",
    [
        (
            "No Gemini API key is set. Open Settings and paste your Gemini API key (create one in Google AI Studio).",
            True,
        ),
        (
            "Gemini did not accept the API key (not valid, expired or mistyped). Check the key in Settings: copy it again.",
            True,
        ),
        ("Gemini withheld the result (safety filter). Rephrase the prompt.", False),
        (None, False),
        ("", False),
    ],
)
def test_points_to_settings(error, expected):
    assert ai_conversation.points_to_settings(error) is expected


# --- runs record turns in the open graph; edits of node data are undoable ---


def answer(image: bytes, signature: str):
    return reply(
        200, image_answer({"text": "done", "thoughtSignature": signature}, inline(image, thoughtSignature=signature))
    )


def session_with(gemini: FakeGemini) -> tuple[Session, Editor]:
    client = GeminiClient(gemini, lambda: KEY, sleep=FakeClock().sleep, rng=lambda: 0.0)
    session = Session(default_catalog(), PillowBackend(), services={"gemini": client})
    editor = Editor(session)
    session.graph = ai_graph()
    return session, editor


def test_a_run_records_turns_in_the_open_graph_and_a_reload_replays_them():
    gemini = FakeGemini(answer(GREEN, "s1"), answer(BLUE, "s2"))
    session, editor = session_with(gemini)
    result = asyncio.run(session.run())
    assert result.ok, result.to_json()
    assert [t["prompt"] for t in session.graph.nodes["edit"].data["turns"]] == ["green"]

    editor.set_data("edit", {"followups": ["blue"]}, "follow-up")
    assert asyncio.run(session.run()).ok
    turns = session.graph.nodes["edit"].data["turns"]
    assert [t["prompt"] for t in turns] == ["green", "blue"]
    # The second request echoed the first model turn verbatim (its thought signature included).
    second = json.loads(gemini.requests[1].body)
    assert second["contents"][1] == turns[0]["model"]
    assert len(gemini.requests) == 2

    # Step back: the first answer flows again, without a call; undo brings the latest back.
    editor.set_data("edit", {"selected": 0}, "step back")
    result = asyncio.run(session.run())
    assert result.nodes["edit"].outputs["image"].convert("RGB").getpixel((1, 1)) == (0, 200, 0)
    assert editor.undo()
    assert session.graph.nodes["edit"].data.get("selected") is None
    assert len(gemini.requests) == 2

    # A fresh session (a reload) replays the saved conversation without calling Gemini.
    text = session.workflow_text()
    again, _ = session_with(FakeGemini())
    again.load_text(text)
    result = asyncio.run(again.run())
    assert result.ok and result.nodes["edit"].outputs["image"].convert("RGB").getpixel((1, 1)) == (0, 0, 220)


def test_turns_of_a_node_deleted_during_the_run_are_dropped():
    session, _ = session_with(FakeGemini(answer(GREEN, "s1")))

    async def run_and_delete():
        task = asyncio.ensure_future(session.run())
        await asyncio.sleep(0)
        session.graph.remove_node("edit")
        return await task

    asyncio.run(run_and_delete())
    assert "edit" not in session.graph.nodes


def test_the_turns_are_in_the_document_when_listeners_hear_the_node_finish():
    session, _ = session_with(FakeGemini(answer(GREEN, "s1")))
    heard = []
    session.listeners.append(
        lambda event: heard.append((event.node, event.state, len(session.graph.nodes["edit"].data.get("turns", []))))
    )
    asyncio.run(session.run())
    assert ("edit", "running", 0) in heard and ("edit", "done", 1) in heard


def test_turns_of_a_run_do_not_reach_a_document_opened_during_it():
    session, _ = session_with(FakeGemini(answer(GREEN, "s1")))
    other = dump_workflow(ai_graph(followups=["mine"]))

    async def run_and_open():
        task = asyncio.ensure_future(session.run())
        await asyncio.sleep(0)
        session.load_text(other)  # same node ids and types, another document
        return await task

    asyncio.run(run_and_open())
    assert session.graph.nodes["edit"].data == {"followups": ["mine"]}


def test_set_data_is_one_undoable_step_announced_as_a_change():
    session, editor = session_with(FakeGemini())
    changes = []
    editor.subscribe(changes.append)
    editor.set_data("edit", {"followups": ["x"], "selected": None}, "follow-up")
    assert session.graph.nodes["edit"].data == {"followups": ["x"], "selected": None}
    assert [c.kind for c in changes] == ["param"] and changes[0].nodes == {"edit"}
    assert editor.history.undo_label == "follow-up"
    editor.undo()
    assert session.graph.nodes["edit"].data == {}


def test_carry_turns_restores_a_conversation_an_undo_would_lose():
    recorded = {"turns": [turn("green", GREEN), turn("blue", BLUE)], "basis": "b"}
    for data, carried in (
        ({}, True),  # the snapshot predates the first run
        ({"turns": [], "basis": "b"}, True),
        ({"turns": [turn("green", GREEN)], "basis": "b"}, True),  # an earlier point of the same conversation
        ({"turns": [turn("green", GREEN)], "basis": "other"}, False),  # another prompt or input: its own
        ({"turns": [turn("green", GREEN), turn("red", GREEN)], "basis": "b"}, False),  # another branch
        ({"turns": [turn("green", GREEN), turn("blue", BLUE)], "basis": "b"}, False),  # nothing newer
    ):
        before = dict(data)
        assert ai_conversation.carry_turns(recorded, data) is carried
        if carried:
            assert data["turns"] == recorded["turns"] and data["basis"] == "b"
        else:
            assert data == before
    assert ai_conversation.carry_turns({"turns": []}, {}) is False
