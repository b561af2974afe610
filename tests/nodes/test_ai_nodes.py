"""AI Edit / AI Generate through the real executor and Pillow, Gemini faked at the HTTP level."""

from __future__ import annotations

import asyncio
import base64
import io
import json

import pytest
from PIL import Image

from studio.backend.pillow_backend import PillowBackend
from studio.core.executor import Executor
from studio.core.graph import Graph, Node
from studio.gemini.client import GeminiClient
from studio.nodes import default_catalog
from tests.gemini.wire import KEY, OVERLOADED, FakeClock, FakeGemini, image_answer, inline, picture, reply

EDITED = picture("PNG", size=(64, 48), color=(0, 200, 0))
EDITED_2 = picture("JPEG", size=(40, 30), color=(0, 0, 220))


def answer(image: bytes = EDITED, text: str = "Here you go.", signature: str = "sig-1"):
    return reply(
        200, image_answer({"text": text, "thoughtSignature": signature}, inline(image, thoughtSignature=signature))
    )


def edit_graph(width=32, height=24, prompt="Make it green") -> Graph:
    graph = Graph()
    graph.add_node(Node("src", "source.solid", {"width": width, "height": height, "color": "#ff0000"}))
    graph.add_node(Node("edit", "ai.edit", {"prompt": prompt}))
    graph.add_node(Node("small", "transform.resize", {"width": 16, "height": 16, "fit": "fill"}))
    graph.add_node(Node("out", "output.export", {"format": "png"}))
    graph.connect("src.image", "edit.image")
    graph.connect("edit.image", "small.image")
    graph.connect("small.image", "out.image")
    return graph


def executor(gemini: FakeGemini, key: str | None = KEY) -> Executor:
    client = GeminiClient(gemini, lambda: key, sleep=FakeClock().sleep, rng=lambda: 0.0)
    return Executor(default_catalog(), PillowBackend(), services={"gemini": client})


def run(ex, graph, **kwargs):
    return asyncio.run(ex.run(graph, **kwargs))


def body(request) -> dict:
    return json.loads(request.body)


def pixel_of(result, node_id):
    return result.nodes[node_id].outputs["image"].convert("RGB").getpixel((1, 1))


def test_edit_sends_the_image_and_prompt_and_the_pipeline_continues_with_the_answer():
    gemini = FakeGemini(answer())
    result = run(executor(gemini), edit_graph())
    assert result.ok, result.to_json()
    (request,) = gemini.requests
    assert request.url.endswith("models/gemini-3.1-flash-image:generateContent")
    assert request.headers["x-goog-api-key"] == KEY and KEY not in request.url
    sent = body(request)
    parts = sent["contents"][0]["parts"]
    assert parts[0] == {"text": "Make it green"}
    sent_image = Image.open(io.BytesIO(base64.b64decode(parts[1]["inlineData"]["data"])))
    assert sent_image.size == (32, 24) and sent_image.convert("RGB").getpixel((0, 0)) == (255, 0, 0)
    assert "aspectRatio" not in sent["generationConfig"].get("imageConfig", {})
    assert result.nodes["edit"].outputs["image"].size == (64, 48)
    assert result.nodes["edit"].outputs["text"] == "Here you go."
    assert pixel_of(result, "small") == (0, 200, 0)
    png = Image.open(io.BytesIO(result.nodes["out"].outputs["file"]))
    assert png.size == (16, 16)


def test_rerun_is_cached_and_a_fresh_executor_replays_the_recorded_turn_without_calling():
    graph = edit_graph()
    gemini = FakeGemini(answer())
    ex = executor(gemini)
    run(ex, graph)
    again = run(ex, graph)
    assert again.nodes["edit"].status == "cached" and len(gemini.requests) == 1
    reloaded = run(executor(FakeGemini()), graph)  # as after a page reload: empty cache, same node data
    assert reloaded.ok and pixel_of(reloaded, "edit") == (0, 200, 0)


def test_run_again_asks_gemini_afresh():
    graph = edit_graph()
    gemini = FakeGemini(answer(), answer(EDITED_2, signature="sig-2"))
    ex = executor(gemini)
    run(ex, graph)
    result = run(ex, graph, force=["edit"])
    assert len(gemini.requests) == 2
    assert result.nodes["edit"].status == "done" and result.nodes["src"].status == "cached"
    assert result.nodes["edit"].outputs["image"].size == (40, 30)
    assert len(graph.nodes["edit"].data["turns"]) == 1


def test_follow_up_echoes_the_model_turn_verbatim_and_step_back_needs_no_call():
    graph = edit_graph()
    gemini = FakeGemini(answer(signature="sig-first"), answer(EDITED_2, text="Bluer.", signature="sig-second"))
    ex = executor(gemini)
    run(ex, graph)
    graph.nodes["edit"].data["followups"] = ["Now make it blue"]
    result = run(ex, graph)
    assert result.nodes["edit"].status == "done" and result.nodes["src"].status == "cached"
    follow = body(gemini.requests[1])["contents"]
    first_model = graph.nodes["edit"].data["turns"][0]["model"]
    assert [c["role"] for c in follow] == ["user", "model", "user"]
    assert follow[1] == first_model and follow[1]["parts"][1]["thoughtSignature"] == "sig-first"
    assert follow[2]["parts"] == [{"text": "Now make it blue"}]
    assert result.nodes["edit"].outputs["text"] == "Bluer."
    assert pixel_of(result, "small") == pytest.approx((0, 0, 220), abs=3)

    graph.nodes["edit"].data["selected"] = 0  # step back to the first turn
    back = run(ex, graph)
    assert len(gemini.requests) == 2
    assert back.nodes["edit"].status == "done" and pixel_of(back, "small") == (0, 200, 0)


def test_changing_the_prompt_or_input_starts_the_conversation_over():
    graph = edit_graph()
    gemini = FakeGemini(answer(), answer(EDITED_2))
    ex = executor(gemini)
    run(ex, graph)
    graph.set_param("edit", "prompt", "Something else")
    run(ex, graph)
    assert len(gemini.requests) == 2
    assert [c["role"] for c in body(gemini.requests[1])["contents"]] == ["user"]
    assert len(graph.nodes["edit"].data["turns"]) == 1


def test_recorded_turns_are_not_part_of_the_cache_key():
    graph = edit_graph()
    ex = executor(FakeGemini(answer()))
    run(ex, graph)
    graph.nodes["edit"].data["turns"][0]["text"] = "edited by hand"
    assert run(ex, graph).nodes["edit"].status == "cached"


def test_without_a_key_the_node_fails_asking_for_one_and_nothing_is_sent():
    gemini = FakeGemini()
    result = run(executor(gemini, key=None), edit_graph())
    assert result.nodes["edit"].status == "failed"
    assert "Settings" in result.nodes["edit"].error and "key" in result.nodes["edit"].error.lower()
    assert result.nodes["out"].status == "skipped" and gemini.requests == []


def test_safety_block_fails_the_node_with_advice_and_skips_downstream():
    blocked = reply(200, image_answer({"text": "I can't."}, finish="IMAGE_SAFETY"))
    result = run(executor(FakeGemini(blocked)), edit_graph())
    assert result.nodes["edit"].status == "failed"
    assert "IMAGE_SAFETY" in result.nodes["edit"].error and "Rephrase" in result.nodes["edit"].error
    assert result.nodes["small"].status == "skipped"


def test_busy_service_is_retried_and_noted():
    gemini = FakeGemini(reply(503, OVERLOADED), answer())
    result = run(executor(gemini), edit_graph())
    assert result.ok and len(gemini.requests) == 2
    assert any("retry 1" in note for note in result.nodes["edit"].notes)


def test_huge_input_is_downscaled_with_a_note():
    gemini = FakeGemini(answer())
    result = run(executor(gemini), edit_graph(width=4000, height=1000))
    parts = body(gemini.requests[0])["contents"][0]["parts"]
    sent = Image.open(io.BytesIO(base64.b64decode(parts[1]["inlineData"]["data"])))
    assert sent.size == (3072, 768) and sent.format == "JPEG"
    assert any("downscaled from 4000 x 1000 to 3072 x 768" in note for note in result.nodes["edit"].notes)


def test_references_are_sent_after_the_image():
    graph = edit_graph()
    graph.add_node(Node("ref", "source.solid", {"width": 8, "height": 8, "color": "#0000ff"}))
    graph.connect("ref.image", "edit.references")
    gemini = FakeGemini(answer())
    run(executor(gemini), graph)
    parts = body(gemini.requests[0])["contents"][0]["parts"]
    sizes = [Image.open(io.BytesIO(base64.b64decode(p["inlineData"]["data"]))).size for p in parts[1:]]
    assert sizes == [(32, 24), (8, 8)]


def test_generate_sends_no_image_and_the_chosen_ratio():
    graph = Graph()
    graph.add_node(Node("gen", "ai.generate", {"prompt": "A lighthouse at dusk", "image_size": "2K"}))
    gemini = FakeGemini(answer())
    result = run(executor(gemini), graph)
    assert result.ok
    sent = body(gemini.requests[0])
    assert sent["contents"][0]["parts"] == [{"text": "A lighthouse at dusk"}]
    assert sent["generationConfig"]["imageConfig"] == {"aspectRatio": "1:1", "imageSize": "2K"}


def test_empty_prompt_fails_before_any_request():
    gemini = FakeGemini()
    result = run(executor(gemini), edit_graph(prompt="  "))
    assert result.nodes["edit"].status == "failed" and "prompt is empty" in result.nodes["edit"].error
    assert gemini.requests == []


def test_offline_run_never_calls_gemini_but_replays_recorded_turns():
    graph = edit_graph()
    gemini = FakeGemini()
    first = run(executor(gemini), graph, offline=True)
    assert first.nodes["edit"].status == "failed" and "press Run" in first.nodes["edit"].error
    assert gemini.requests == []
    run(executor(FakeGemini(answer())), graph)  # recorded once, online
    replayed = run(executor(FakeGemini()), graph, offline=True)
    assert replayed.ok and pixel_of(replayed, "edit") == (0, 200, 0)
