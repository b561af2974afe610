"""Thinking level, system instruction and thoughts on the wire: equal to what google-genai sends (§9.2).

The reference body comes from google-genai's own request building (its HTTP send replaced, no
network) when the package is installed, and from GEMINI_API.md §9.2's captured body always.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from studio.gemini import GeminiClient, InvalidInput

from .wire import KEY, PNG, FakeGemini, image_answer, inline, reply, run

# §9.2, verbatim: what google-genai 3.6.1 sent for the call in `genai_body`.
GOLDEN_9_2 = json.loads("""{"contents": [{"parts": [{"text": "Make it a ruby"}], "role": "user"}],
 "systemInstruction": {"parts": [{"text": "You are an image engine."}], "role": "user"},
 "generationConfig": {"responseModalities": ["TEXT", "IMAGE"],
   "thinkingConfig": {"include_thoughts": true, "thinking_level": "HIGH"},
   "imageConfig": {"aspectRatio": "4:1", "imageSize": "2K"}}}""")


def camel(value: Any) -> Any:
    """Key spelling aside: snake_case keys as the REST (camelCase) form; values untouched."""
    if isinstance(value, dict):
        return {re.sub(r"_([a-z])", lambda m: m.group(1).upper(), k): camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel(v) for v in value]
    return value


def studio_body(**call: Any) -> dict[str, Any]:
    service = FakeGemini(reply(200, image_answer(inline(PNG))))
    run(GeminiClient(service, lambda: KEY).generate(**call))
    return service.body()


STUDIO_CALL = dict(
    prompt="Make it a ruby",
    model="gemini-nano-banana-2.1",
    system_prompt="You are an image engine.",
    thinking_level="high",
    include_thoughts=True,
    aspect_ratio="4:1",
    image_size="2K",
)


def genai_body(**config: Any) -> dict[str, Any]:
    """The body google-genai builds for generate_content(...), captured at its HTTP layer."""
    genai = pytest.importorskip("google.genai")
    types = pytest.importorskip("google.genai.types")
    client = genai.Client(api_key="not-a-key")
    seen: dict[str, Any] = {}

    class Captured(Exception):
        pass

    def capture(http_request: Any, *args: Any, **kwargs: Any) -> Any:
        seen["body"] = http_request.data
        raise Captured

    client._api_client._request = capture  # the one call that would reach the network
    with pytest.raises(Captured):
        client.models.generate_content(
            model="gemini-nano-banana-2.1", contents=["Make it a ruby"], config=types.GenerateContentConfig(**config)
        )
    body = seen["body"]
    return json.loads(body) if isinstance(body, (str, bytes)) else body


def full_config() -> dict[str, Any]:
    types = pytest.importorskip("google.genai.types")
    return dict(
        response_modalities=["TEXT", "IMAGE"],
        system_instruction="You are an image engine.",
        thinking_config=types.ThinkingConfig(thinking_level="HIGH", include_thoughts=True),
        image_config=types.ImageConfig(aspect_ratio="4:1", image_size="2K"),
    )


def test_thinking_and_system_instruction_equal_the_golden_body_of_9_2():
    assert studio_body(**STUDIO_CALL) == camel(GOLDEN_9_2)


def test_thinking_and_system_instruction_equal_what_google_genai_builds():
    assert studio_body(**STUDIO_CALL) == camel(genai_body(**full_config()))


def test_google_genai_still_builds_the_golden_body_of_9_2():
    assert genai_body(**full_config()) == GOLDEN_9_2


@pytest.mark.parametrize("level", ["MINIMAL", "MEDIUM"])
def test_each_level_alone_equals_google_genai(level):
    types = pytest.importorskip("google.genai.types")
    reference = genai_body(
        response_modalities=["TEXT", "IMAGE"], thinking_config=types.ThinkingConfig(thinking_level=level)
    )
    ours = studio_body(prompt="Make it a ruby", model="gemini-nano-banana-2.1", thinking_level=level.lower())
    assert ours == camel(reference)


@pytest.mark.parametrize("level", [None, "default", "DEFAULT", ""])
def test_the_model_default_sends_no_thinking_config(level):
    body = studio_body(prompt="p", thinking_level=level)
    assert "thinkingConfig" not in body["generationConfig"]
    assert "systemInstruction" not in body


def test_a_blank_system_prompt_sends_no_system_instruction():
    assert "systemInstruction" not in studio_body(prompt="p", system_prompt="  \n")


@pytest.mark.parametrize(
    "model, level, words",
    [
        ("gemini-3.1-flash-image", "medium", "Pick default or one of: minimal, high"),
        ("gemini-3-pro-image", "high", "its thinking is built in"),
        ("gemini-3.1-flash-lite-image", "xhigh", "does not take the thinking level 'xhigh'"),
    ],
)
def test_a_level_the_model_does_not_take_is_refused_before_sending(model, level, words):
    service = FakeGemini()
    with pytest.raises(InvalidInput) as caught:
        run(GeminiClient(service, lambda: KEY).generate(prompt="p", model=model, thinking_level=level))
    assert words in str(caught.value) and "Nothing was sent" in str(caught.value)
    assert service.requests == []


def test_thought_images_are_kept_apart_and_never_the_final_image():
    from .wire import GIF, JPEG, drafts_answer

    service = FakeGemini(reply(200, drafts_answer(PNG, JPEG, GIF)))
    result = run(GeminiClient(service, lambda: KEY).generate(prompt="p", include_thoughts=True))
    assert result.image == PNG and result.text == "Here it is."
    assert result.thoughts == (JPEG, GIF)
    assert service.body()["generationConfig"]["thinkingConfig"] == {"includeThoughts": True}
