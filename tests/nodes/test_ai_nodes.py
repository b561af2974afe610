"""AI Edit / AI Generate through the real executor and Pillow, Gemini faked at the HTTP level."""

from __future__ import annotations

import asyncio
import base64
import copy
import io
import json

import pytest
from PIL import Image

from studio.backend.pillow_backend import PillowBackend
from studio.core.executor import Executor
from studio.core.graph import Graph, Node
from studio.core.recording import keep
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
    """Run as the document's owner (the Session) does: what a node recorded goes into the graph."""
    result = asyncio.run(ex.run(graph, **kwargs))
    for node_id, node_result in result.nodes.items():
        if node_result.recorded:
            keep(graph, node_id, graph.nodes[node_id].type, node_result.recorded)
    return result


def body(request) -> dict:
    return json.loads(request.body)


def pixel_of(result, node_id):
    return result.nodes[node_id].outputs["image"].convert("RGB").getpixel((1, 1))


def test_edit_sends_the_image_and_prompt_and_the_pipeline_continues_with_the_answer():
    gemini = FakeGemini(answer())
    result = run(executor(gemini), edit_graph())
    assert result.ok, result.to_json()
    (request,) = gemini.requests
    assert request.url.endswith("models/gemini-nano-banana-2.1:generateContent")
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


def test_the_body_records_its_answer_in_the_result_and_never_writes_into_the_graph_it_runs_on():
    graph = edit_graph()
    before = copy.deepcopy(graph.nodes["edit"].data)
    result = asyncio.run(executor(FakeGemini(answer())).run(graph))
    assert graph.nodes["edit"].data == before == {}
    recorded = result.nodes["edit"].recorded
    assert recorded["basis"] and [turn["prompt"] for turn in recorded["turns"]] == ["Make it green"]
    assert recorded["turns"][0]["model"]["parts"][1]["thoughtSignature"] == "sig-1"


def test_a_follow_up_that_fails_still_records_the_answers_before_it():
    graph = edit_graph()
    graph.nodes["edit"].data["followups"] = ["Now make it blue"]
    blocked = reply(200, {"promptFeedback": {"blockReason": "SAFETY"}})
    result = run(executor(FakeGemini(answer(), blocked)), graph)
    assert result.nodes["edit"].status == "failed"
    assert [turn["prompt"] for turn in graph.nodes["edit"].data["turns"]] == ["Make it green"]


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


# --- December 2026: per-model choices, thinking, system prompt, thoughts, usage, slots ---------------

from studio.gemini.models import ASPECT_RATIOS_10, ASPECT_RATIOS_14  # noqa: E402
from studio.gemini.notes import DOWNSCALED, NOT_SENT  # noqa: E402
from studio.nodes.ai_inputs import image_slots  # noqa: E402

R10 = ("auto", *ASPECT_RATIOS_10)
R14 = ("auto", *ASPECT_RATIOS_14)


@pytest.mark.parametrize("node_type", ["ai.edit", "ai.generate"])
@pytest.mark.parametrize(
    "model, ratios, sizes, thinking",
    [
        ("gemini-nano-banana-2.1", R14, ("1K", "2K", "4K"), ("default", "minimal", "medium", "high")),
        ("gemini-3.1-flash-image", R14, ("512", "1K", "2K", "4K"), ("default", "minimal", "high")),
        ("gemini-3-pro-image", R10, ("1K", "2K", "4K"), ("default",)),
        ("gemini-3.1-flash-lite-image", R14, ("1K",), ("default", "minimal", "high")),
        ("gemini-2.5-flash-image", R10, ("1K",), ("default",)),
        ("models/gemini-3-pro-image", R10, ("1K", "2K", "4K"), ("default",)),
        # An id the Studio does not know: everything the API has listed; the API decides.
        ("gemini-9-ultra-image", R14, ("512", "1K", "2K", "4K"), ("default", "minimal", "medium", "high")),
    ],
)
def test_the_inspector_offers_exactly_what_each_model_takes(node_type, model, ratios, sizes, thinking):
    spec = default_catalog()[node_type]
    params = {
        **spec.defaults(),
        "model": model,
        "aspect_ratio": "auto",
        "image_size": "1K",
        "thinking_level": "default",
    }
    offered = {
        name: spec.param(name).narrowed(params).choices for name in ("aspect_ratio", "image_size", "thinking_level")
    }
    assert offered == {"aspect_ratio": ratios, "image_size": sizes, "thinking_level": thinking}
    # The same rule is data in the catalog's JSON (what the page and `studio nodes --json` read).
    described = {p["name"]: p for p in spec.to_json()["params"]}
    assert described["aspect_ratio"]["depends_on"] == "model"
    bare = model.removeprefix("models/")
    if bare in described["aspect_ratio"]["choices_for"]:
        assert tuple(described["aspect_ratio"]["choices_for"][bare]) == ratios


def test_a_choice_the_model_does_not_take_is_shown_with_a_note_and_refused_before_sending():
    spec = default_catalog()["ai.edit"]
    params = {**spec.defaults(), "model": "gemini-3-pro-image", "aspect_ratio": "8:1"}
    ratio = spec.param("aspect_ratio")
    assert ratio.narrowed(params).choices == (*R10, "8:1")  # kept, so the widget shows it as it is
    assert ratio.mismatch(params) == f"gemini-3-pro-image does not take 8:1; pick one of {', '.join(R10)}"
    gemini = FakeGemini()
    graph = edit_graph()
    graph.nodes["edit"].params.update(model="gemini-3-pro-image", aspect_ratio="8:1")
    result = run(executor(gemini), graph)
    assert result.nodes["edit"].status == "failed"
    assert "does not take the aspect ratio '8:1'" in result.nodes["edit"].error
    assert gemini.requests == []


def test_thinking_system_prompt_and_thoughts_reach_the_request_and_the_thoughts_output():
    draft = picture("PNG", size=(8, 8), color=(255, 255, 0))
    reply_parts = image_answer(
        {"text": "thinking", "thought": True},
        inline(draft, thought=True),
        {"text": "Done.", "thoughtSignature": "s1"},
        inline(EDITED, thoughtSignature="s2"),
    )
    gemini = FakeGemini(reply(200, reply_parts))
    graph = edit_graph()
    graph.nodes["edit"].params.update(thinking_level="high", system_prompt="Keep the colours.", include_thoughts=True)
    result = run(executor(gemini), graph)
    assert result.nodes["edit"].status == "done", result.nodes["edit"].error
    sent = body(gemini.requests[0])
    assert sent["systemInstruction"] == {"parts": [{"text": "Keep the colours."}], "role": "user"}
    assert sent["generationConfig"]["thinkingConfig"] == {"includeThoughts": True, "thinkingLevel": "HIGH"}
    outputs = result.nodes["edit"].outputs
    assert outputs["image"].size == (64, 48)  # the final image, never a draft
    assert [t.size for t in outputs["thoughts"]] == [(8, 8)]


def test_thoughts_are_empty_unless_asked_for():
    gemini = FakeGemini(answer())
    result = run(executor(gemini), edit_graph())
    assert result.nodes["edit"].outputs["thoughts"] == []
    assert "thinkingConfig" not in body(gemini.requests[0])["generationConfig"]


def test_each_step_keeps_its_usage_and_estimate():
    gemini = FakeGemini(answer())
    graph = edit_graph()
    graph.nodes["edit"].params.update(image_size="2K")
    run(executor(gemini), graph)
    (turn,) = graph.nodes["edit"].data["turns"]
    usage = turn["usage"]
    assert (usage["prompt_tokens"], usage["candidate_tokens"], usage["total_tokens"]) == (15, 1318, 1333)
    assert usage["usd"] == pytest.approx(0.072) and usage["model"] == "gemini-nano-banana-2.1"


def test_notes_reach_the_clients_listeners_with_the_node_id():
    gemini = FakeGemini(answer())
    heard = []
    client = GeminiClient(gemini, lambda: KEY, on_note=heard.append)
    ex = Executor(default_catalog(), PillowBackend(), services={"gemini": client})
    graph = edit_graph(width=4000, height=100)
    graph.nodes["edit"].params.update(model="gemini-2.5-flash-image")  # no sizes; retired: refused
    run(ex, graph)
    kinds = [(n.kind, n.source) for n in heard]
    assert (NOT_SENT, "edit") in kinds and (DOWNSCALED, "edit") in kinds
    assert gemini.requests == []


@pytest.mark.parametrize(
    "node_type, model, refs, label, slots, full",
    [
        ("ai.edit", "gemini-nano-banana-2.1", 0, "1 of 14 images", 1, False),
        ("ai.edit", "gemini-nano-banana-2.1", 2, "3 of 14 images", 3, False),
        ("ai.edit", "gemini-nano-banana-2.1", 13, "14 of 14 images", 13, True),
        ("ai.edit", "gemini-2.5-flash-image", 2, "3 of 3 images", 2, True),
        ("ai.edit", "gemini-2.5-flash-image", 3, "4 of 3 images", 3, True),
    ],
)
def test_reference_slots_grow_up_to_the_models_limit(node_type, model, refs, label, slots, full):
    shown = image_slots(node_type, model, refs)
    assert (shown["label"], shown["slots"], shown["full"]) == (label, slots, full)


from studio.nodes.ai import call_estimate, last_usage  # noqa: E402


@pytest.mark.parametrize(
    "params, calls, usd",
    [
        ({}, 1, 0.048),  # the default model at 1K
        ({"model": "gemini-nano-banana-2.1", "image_size": "4K", "thinking_level": "high"}, 1, 0.1797),
        ({"model": "gemini-3-pro-image", "image_size": "2K"}, 3, 3 * 0.1608),
        ({"model": "gemini-2.5-flash-image", "image_size": "4K"}, 1, None),  # no price in the table
    ],
)
def test_call_estimate_from_node_params(params, calls, usd):
    got = call_estimate(params, calls).usd
    assert got == (pytest.approx(usd) if usd is not None else None)


def test_last_usage_follows_the_selected_step():
    turns = [{"usage": {"total_tokens": 1}}, {"usage": {"total_tokens": 2}}, {"prompt": "no usage (older file)"}]
    assert last_usage({"turns": turns, "selected": 0}) == {"total_tokens": 1}
    assert last_usage({"turns": turns}) is None
    assert last_usage({}) is None
