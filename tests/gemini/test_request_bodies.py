"""Golden request bodies: what goes on the wire for edits, generation, ratios, sizes and follow-ups."""

from __future__ import annotations

import json

import pytest

from studio.gemini import (
    GeminiClient,
    InvalidInput,
    PayloadTooLarge,
    TooManyImages,
    UnsupportedImageType,
)
from studio.gemini.errors import ModelNotFound
from studio.gemini.models import resolve_model
from studio.gemini.request import MAX_REQUEST_BYTES, build_image_config, build_user_turn

from .wire import GIF, HEIC, JPEG, KEY, PNG, PNG_2, WEBP, FakeGemini, b64, image_answer, inline, reply, run

URL = "https://generativelanguage.googleapis.com/v1beta/models/gemini-3.1-flash-image:generateContent"


def sent(**call):
    """Run one generate() against a service that answers with an image; return the request."""
    service = FakeGemini(reply(200, image_answer(inline(PNG))))
    client = GeminiClient(service, lambda: KEY)
    run(client.generate(**call))
    (request,) = service.requests
    return request


def test_edit_with_one_image():
    request = sent(prompt="Put a small knitted wizard hat on the cat.", images=[PNG], model="gemini-3.1-flash-image")
    assert request.method == "POST"
    assert request.url == URL
    assert request.headers == {"Content-Type": "application/json", "x-goog-api-key": KEY}
    assert json.loads(request.body) == {
        "contents": [
            {
                "role": "user",
                "parts": [
                    {"text": "Put a small knitted wizard hat on the cat."},
                    {"inlineData": {"mimeType": "image/png", "data": b64(PNG)}},
                ],
            }
        ],
        "generationConfig": {"responseModalities": ["TEXT", "IMAGE"]},
    }


def test_edit_with_several_images_of_each_accepted_type_in_order():
    request = sent(prompt="Combine these.", images=[PNG, JPEG, WEBP, HEIC, PNG_2], model="gemini-3-pro-image")
    assert request.url.endswith("/models/gemini-3-pro-image:generateContent")
    assert json.loads(request.body)["contents"][0]["parts"] == [
        {"text": "Combine these."},
        {"inlineData": {"mimeType": "image/png", "data": b64(PNG)}},
        {"inlineData": {"mimeType": "image/jpeg", "data": b64(JPEG)}},
        {"inlineData": {"mimeType": "image/webp", "data": b64(WEBP)}},
        {"inlineData": {"mimeType": "image/heic", "data": b64(HEIC)}},
        {"inlineData": {"mimeType": "image/png", "data": b64(PNG_2)}},
    ]


def test_generate_without_images_with_fixed_ratio_and_size():
    request = sent(prompt="A lighthouse at dusk", images=[], aspect_ratio="16:9", image_size="2K")
    assert json.loads(request.body) == {
        "contents": [{"role": "user", "parts": [{"text": "A lighthouse at dusk"}]}],
        "generationConfig": {
            "responseModalities": ["TEXT", "IMAGE"],
            "imageConfig": {"aspectRatio": "16:9", "imageSize": "2K"},
        },
    }


@pytest.mark.parametrize(
    "model, aspect_ratio, image_size, image_config",
    [
        ("gemini-3.1-flash-image", "auto", None, None),
        ("gemini-3.1-flash-image", "AUTO", "auto", None),
        ("gemini-3.1-flash-image", None, None, None),
        ("gemini-3.1-flash-image", "1:1", None, {"aspectRatio": "1:1"}),
        ("gemini-3.1-flash-image", "auto", "4K", {"imageSize": "4K"}),
        ("gemini-3.1-flash-image", "8:1", "512", {"aspectRatio": "8:1", "imageSize": "512"}),
        ("gemini-3.1-flash-image", "1:4", "1k", {"aspectRatio": "1:4", "imageSize": "1K"}),  # API needs the capital K
        ("gemini-3-pro-image", "21:9", "4K", {"aspectRatio": "21:9", "imageSize": "4K"}),
        ("gemini-3.1-flash-lite-image", "4:1", "1K", {"aspectRatio": "4:1", "imageSize": "1K"}),
        ("gemini-nano-banana-2.1", "8:1", "4K", {"aspectRatio": "8:1", "imageSize": "4K"}),
        # An id the Studio does not know: permissive, the API decides.
        ("gemini-9-ultra-image", "1:8", "4K", {"aspectRatio": "1:8", "imageSize": "4K"}),
        ("models/gemini-3-pro-image", "1:1", None, {"aspectRatio": "1:1"}),
    ],
)
def test_image_config_only_carries_what_the_model_takes(model, aspect_ratio, image_size, image_config):
    request = sent(prompt="p", images=[PNG], model=model, aspect_ratio=aspect_ratio, image_size=image_size)
    config = json.loads(request.body)["generationConfig"]
    assert config["responseModalities"] == ["TEXT", "IMAGE"]
    assert config.get("imageConfig") == image_config
    assert "models/models/" not in request.url


def test_follow_up_turn_echoes_the_model_turn_verbatim():
    # The first turn's answer, as the API sends it (§2.4): thought parts and signatures included.
    first_answer = image_answer(
        {"text": "Planning the sticker", "thought": True},
        {"inlineData": {"mimeType": "image/png", "data": b64(PNG_2)}, "thought": True},
        {"text": "Here is your sticker.", "thoughtSignature": "c2lnIEE/+=="},
        {"inlineData": {"mimeType": "image/png", "data": b64(PNG)}, "thoughtSignature": "c2lnIEIx_-unusual"},
    )
    service = FakeGemini(reply(200, first_answer), reply(200, image_answer(inline(PNG_2))))
    client = GeminiClient(service, lambda: KEY)
    first = run(client.generate(prompt="Create a kawaii red panda sticker", aspect_ratio="1:1"))
    run(client.generate(prompt="Now give it a tiny bamboo hat", history=first.history(), aspect_ratio="1:1"))

    model_turn = first_answer["candidates"][0]["content"]
    assert service.body(1) == {
        "contents": [
            {"role": "user", "parts": [{"text": "Create a kawaii red panda sticker"}]},
            model_turn,
            {"role": "user", "parts": [{"text": "Now give it a tiny bamboo hat"}]},
        ],
        "generationConfig": {"responseModalities": ["TEXT", "IMAGE"], "imageConfig": {"aspectRatio": "1:1"}},
    }
    # Byte-for-byte: the model turn is serialised exactly as it was received.
    assert json.dumps(model_turn, separators=(",", ":")) in service.requests[1].body.decode("ascii")
    assert first.model_content == model_turn


def test_history_is_not_modified():
    history = [
        {"role": "user", "parts": [{"text": "a"}]},
        {"role": "model", "parts": [{"text": "b", "thoughtSignature": "sig"}]},
    ]
    before = json.dumps(history)
    sent(prompt="c", history=history)
    assert json.dumps(history) == before


@pytest.mark.parametrize(
    "images, error, words",
    [
        ([GIF], UnsupportedImageType, ["Input image 1 is a GIF image", "PNG or JPEG"]),
        ([PNG, b"not an image at all"], UnsupportedImageType, ["Input image 2 is not a recognisable image"]),
        ([b"BM" + b"\x00" * 40], UnsupportedImageType, ["BMP"]),
        ([PNG] * 15, TooManyImages, ["at most 14", "15", "Remove some"]),
    ],
)
def test_inputs_are_checked_before_sending(images, error, words):
    service = FakeGemini()
    client = GeminiClient(service, lambda: KEY)
    with pytest.raises(error) as caught:
        run(client.generate(prompt="edit", images=images))
    for word in words:
        assert word in str(caught.value)
    assert service.requests == []


def test_older_model_image_limit_and_no_image_size():
    # gemini-2.5-flash-image (shut down, but described) takes at most 3 images and no imageSize:
    # the size is left out, never sent.
    model = resolve_model("gemini-2.5-flash-image")
    with pytest.raises(TooManyImages, match="gemini-2.5-flash-image takes at most 3"):
        build_user_turn("edit", [PNG] * 4, model)
    assert build_image_config(model, "3:2", "2K") == {"aspectRatio": "3:2"}
    assert build_image_config(model, "auto", "2K") == {}


def test_a_retired_model_is_refused_before_sending():
    service = FakeGemini()
    with pytest.raises(ModelNotFound, match="shut down by Google.*Nothing was sent"):
        run(GeminiClient(service, lambda: KEY).generate(prompt="edit", model="gemini-2.5-flash-image"))
    assert service.requests == []


@pytest.mark.parametrize(
    "call, words",
    [
        ({"prompt": "  "}, ["prompt is empty"]),
        ({"prompt": "p", "aspect_ratio": "8:1", "model": "gemini-3-pro-image"}, ["aspect ratio '8:1'", "16:9"]),
        ({"prompt": "p", "aspect_ratio": "7:5"}, ["aspect ratio '7:5'"]),
        ({"prompt": "p", "image_size": "512", "model": "gemini-3-pro-image"}, ["size '512'", "1K, 2K, 4K"]),
        ({"prompt": "p", "image_size": "2K", "model": "gemini-3.1-flash-lite-image"}, ["size '2K'", "1K"]),
        ({"prompt": "p", "model": "../files?key=x"}, ["not a Gemini model id"]),
        ({"prompt": "p", "model": ""}, ["not a Gemini model id"]),
    ],
)
def test_bad_settings_fail_before_sending(call, words):
    service = FakeGemini()
    with pytest.raises(InvalidInput) as caught:
        run(GeminiClient(service, lambda: KEY).generate(**call))
    for word in words:
        assert word in str(caught.value)
    assert service.requests == []


def test_payload_over_the_limit_is_refused_with_advice():
    # Random bytes don't compress: a PNG signature followed by noise is still sniffed as PNG.
    big = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * (MAX_REQUEST_BYTES // 256 // 4 * 3 + 10)
    service = FakeGemini()
    with pytest.raises(PayloadTooLarge) as caught:
        run(GeminiClient(service, lambda: KEY).generate(prompt="p", images=[big]))
    assert "Downscale the input images" in str(caught.value)
    assert "18.0 MB" in str(caught.value)
    assert service.requests == []


def test_payload_limit_mentions_history_when_there_is_one():
    big = b"\x89PNG\r\n\x1a\n" + b"\x01" * (MAX_REQUEST_BYTES // 4 * 3)
    history = [{"role": "user", "parts": [{"text": "x"}]}, {"role": "model", "parts": [{"text": "y"}]}]
    with pytest.raises(PayloadTooLarge, match="start a new conversation"):
        run(GeminiClient(FakeGemini(), lambda: KEY).generate(prompt="p", images=[big], history=history))


def test_damaged_history_is_refused():
    with pytest.raises(InvalidInput, match="history is damaged at turn 2"):
        run(
            GeminiClient(FakeGemini(), lambda: KEY).generate(
                prompt="p", history=[{"role": "user", "parts": []}, {"role": "robot", "parts": []}]
            )
        )


def test_body_is_ascii_json_even_for_unpaired_surrogates():
    request = sent(prompt="caf\u00e9 \ud83d")
    assert json.loads(request.body)["contents"][0]["parts"][0]["text"] == "caf\u00e9 \ud83d"
