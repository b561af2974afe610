"""Messages fit their place: AI Generate (no input picture) is never told about input images; a
key problem found by Settings' own Test is not told to go to Settings (issue 7)."""

from __future__ import annotations

import json

import pytest

from studio.gemini.client import GeminiClient
from studio.gemini.errors import GeminiError, KeyHint
from tests.gemini.wire import INVALID_KEY, KEY, PNG, FakeGemini, image_answer, reply, run

BLOCKED = json.dumps({"promptFeedback": {"blockReason": "OTHER"}})
WITHHELD = json.dumps(image_answer({"text": "no"}, finish="IMAGE_SAFETY"))
INVALID = json.dumps({"error": {"code": 400, "message": "Bad thing.", "status": "INVALID_ARGUMENT"}})


def failure(body: str, *, images: list[bytes], prompt: str = "A lighthouse at dusk", status: int = 200) -> str:
    client = GeminiClient(FakeGemini(reply(status, body)), lambda: KEY)
    with pytest.raises(GeminiError) as caught:
        run(client.generate(prompt=prompt, images=images))
    return str(caught.value)


@pytest.mark.parametrize(("body", "status"), [(BLOCKED, 200), (WITHHELD, 200), (INVALID, 400)])
def test_ai_generate_messages_do_not_speak_of_input_images(body, status):
    generate = failure(body, images=[], status=status)
    assert "image" not in generate.replace("image model", "").replace("IMAGE_SAFETY", "").replace("image safety", ""), (
        generate
    )
    edit = failure(body, images=[PNG], status=status)
    assert "input images" in edit  # AI Edit keeps the advice about its pictures


def test_an_empty_prompt_says_what_to_write_for_each_node():
    client = GeminiClient(FakeGemini(), lambda: KEY)
    with pytest.raises(GeminiError, match="Describe the image Gemini should make"):
        run(client.generate(prompt=" ", images=[]))
    with pytest.raises(GeminiError, match="Write what Gemini should do with the image"):
        run(client.generate(prompt=" ", images=[PNG]))


def test_a_key_hint_places_the_advice():
    here = KeyHint(where="in the box above", how_to_add="Paste your Gemini API key in the box above.")
    client = GeminiClient(FakeGemini(reply(400, INVALID_KEY)), lambda: "a-wrong-key", key_hint=here)
    with pytest.raises(GeminiError) as caught:
        run(client.list_models())
    assert "in the box above" in str(caught.value) and "Settings" not in str(caught.value)
