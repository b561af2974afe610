"""Reading generateContent answers: the final image, text, sniffing, and each way an answer fails."""

from __future__ import annotations

import base64
import json

import pytest

from studio.gemini import (
    GeminiClient,
    GenerationFailed,
    MalformedResponse,
    NoImageReturned,
    OutputBlocked,
    PromptBlocked,
    ServerBusy,
)
from studio.gemini.response import BLOCKING_FINISH_REASONS, decode_base64, image_in_content, parse_generate_response

from .wire import GIF, JPEG, KEY, PNG, PNG_2, WEBP, FakeGemini, b64, image_answer, inline, reply, run


def answer(status, body):
    """generate() against one scripted answer: the result, or the error raised."""
    client = GeminiClient(FakeGemini(reply(status, body)), lambda: KEY)
    return run(client.generate(prompt="edit it", images=[PNG]))


def failure(status, body, error_type):
    with pytest.raises(error_type) as caught:
        answer(status, body)
    return caught.value


def test_image_only():
    result = answer(200, image_answer(inline(JPEG, "image/jpeg")))
    assert result.image == JPEG
    assert result.mime == "image/jpeg"
    assert result.text == ""
    assert result.model_version == "gemini-3.1-flash-image"
    assert result.response_id == "mS77aIOaD5qFvr0P1b_T4AY"
    assert result.usage["totalTokenCount"] == 1333
    assert result.finish_reason == "STOP"
    assert result.model == "gemini-nano-banana-2.1"
    assert result.user_content["parts"][0] == {"text": "edit it"}


def test_text_and_image():
    result = answer(200, image_answer({"text": "Here is the edited image."}, inline(PNG)))
    assert (result.image, result.mime, result.text) == (PNG, "image/png", "Here is the edited image.")


def test_the_shape_of_section_3_1_thought_images_before_the_final_one():
    body = image_answer(
        {"text": "…thinking…", "thought": True},
        {"inlineData": {"mimeType": "image/png", "data": b64(PNG_2)}, "thought": True},
        {"text": "Here is the edited image.", "thoughtSignature": "<sig>"},
        {"inlineData": {"mimeType": "image/png", "data": b64(PNG)}, "thoughtSignature": "<sig>"},
    )
    result = answer(200, body)
    assert result.image == PNG  # not the thought (draft) image
    assert result.text == "Here is the edited image."  # thought text left out
    assert result.model_content == body["candidates"][0]["content"]  # kept whole, thoughts too


def test_the_last_of_several_final_images_wins():
    result = answer(200, image_answer(inline(PNG_2), {"text": "and finally"}, inline(WEBP, "image/webp")))
    assert (result.image, result.mime) == (WEBP, "image/webp")
    assert result.text == "and finally"


def test_declared_png_holding_jpeg_bytes_is_sniffed_as_jpeg():
    result = answer(200, image_answer(inline(JPEG, "image/png")))
    assert (result.image, result.mime) == (JPEG, "image/jpeg")


def test_gif_output_is_accepted():
    assert answer(200, image_answer(inline(GIF, "image/gif"))).mime == "image/gif"


@pytest.mark.parametrize(
    "encode",
    [
        lambda data: base64.b64encode(data).decode().rstrip("="),  # padding missing
        lambda data: base64.urlsafe_b64encode(data).decode(),  # URL-safe alphabet
        lambda data: base64.urlsafe_b64encode(data).decode().rstrip("="),
        lambda data: "data:image/png;base64," + base64.b64encode(data).decode(),
        lambda data: base64.encodebytes(data).decode(),  # line breaks inside
    ],
)
def test_base64_variants_decode(encode):
    data = bytes(range(256)) * 3 + b"\xfb\xff"
    assert decode_base64(encode(data)) == data


def test_text_parts_are_joined():
    result = answer(200, image_answer({"text": "One."}, {"text": "Two."}, inline(PNG)))
    assert result.text == "One.\nTwo."


def test_blocked_prompt():
    body = {
        "promptFeedback": {"blockReason": "PROHIBITED_CONTENT", "safetyRatings": []},
        "usageMetadata": {"promptTokenCount": 9},
    }
    error = failure(200, body, PromptBlocked)
    assert error.reason == "PROHIBITED_CONTENT"
    assert "PROHIBITED_CONTENT" in str(error) and "Rephrase the prompt" in str(error)


@pytest.mark.parametrize("reason", sorted(BLOCKING_FINISH_REASONS))
def test_each_blocking_finish_reason(reason):
    error = failure(200, image_answer({"text": "…", "thought": True}, finish=reason), OutputBlocked)
    assert error.reason == reason
    assert reason in str(error)
    assert "Rephrase the prompt" in str(error)


def test_blocking_finish_reason_wins_even_with_an_image():
    failure(200, image_answer(inline(PNG), finish="IMAGE_SAFETY"), OutputBlocked)


def test_finish_message_is_shown():
    body = image_answer(finish="IMAGE_SAFETY")
    body["candidates"][0]["finishMessage"] = "Unable to show the generated image."
    assert "Unable to show the generated image." in str(failure(200, body, OutputBlocked))


def test_no_image_finish_reason():
    error = failure(200, image_answer(finish="NO_IMAGE"), NoImageReturned)
    assert error.reason == "NO_IMAGE"
    assert "NO_IMAGE" in str(error) and "Rephrase the prompt" in str(error)


def test_no_image_with_text_shows_the_text():
    error = failure(200, image_answer({"text": "I can only describe images."}, finish="NO_IMAGE"), NoImageReturned)
    assert "I can only describe images." in str(error)


def test_text_only_refusal_on_stop_shows_the_models_text():
    refusal = "I can't edit photos of real people in that way. I could make a cartoon version instead."
    error = failure(200, image_answer({"text": refusal, "thoughtSignature": "sig"}), NoImageReturned)
    assert refusal in str(error)
    assert "ask clearly for an image" in str(error)
    assert error.reason == "STOP"


def test_only_thought_images_is_no_image():
    body = image_answer({"inlineData": {"mimeType": "image/png", "data": b64(PNG)}, "thought": True})
    failure(200, body, NoImageReturned)


def test_long_model_text_is_shortened_in_the_message():
    error = failure(200, image_answer({"text": "x" * 5000}), NoImageReturned)
    assert len(str(error)) < 700


@pytest.mark.parametrize(
    "reason, words",
    [
        ("IMAGE_OTHER", ["IMAGE_OTHER", "Run again"]),
        ("OTHER", ["OTHER", "Run again"]),
        ("MAX_TOKENS", ["MAX_TOKENS", "output limit"]),
        ("LANGUAGE", ["LANGUAGE", "English"]),
        ("MALFORMED_FUNCTION_CALL", ["MALFORMED_FUNCTION_CALL"]),
        ("FINISH_REASON_UNSPECIFIED", ["FINISH_REASON_UNSPECIFIED"]),
        ("MISSING_THOUGHT_SIGNATURE", ["MISSING_THOUGHT_SIGNATURE", "clear the AI node's history"]),
        ("SOMETHING_NEW_2027", ["SOMETHING_NEW_2027"]),  # unknown: fails with the raw reason
    ],
)
def test_other_finish_reasons_without_an_image(reason, words):
    error = failure(200, image_answer({"text": "partial"}, finish=reason), GenerationFailed)
    assert error.reason == reason
    for word in words:
        assert word in str(error)


@pytest.mark.parametrize("reason", ["IMAGE_OTHER", "OTHER", "SOMETHING_NEW_2027"])
def test_other_finish_reasons_fail_even_with_an_image(reason):
    failure(200, image_answer(inline(PNG), finish=reason), GenerationFailed)


def test_max_tokens_with_a_complete_image_still_returns_it():
    assert answer(200, image_answer({"text": "cut o"}, inline(PNG), finish="MAX_TOKENS")).image == PNG


@pytest.mark.parametrize("body", [{"candidates": []}, {}, {"usageMetadata": {}}, {"candidates": [None]}])
def test_empty_candidates(body):
    assert "no result" in str(failure(200, body, GenerationFailed))


def test_candidate_without_content_is_no_image():
    failure(200, {"candidates": [{"finishReason": "STOP", "index": 0}]}, NoImageReturned)


def test_non_json_body_on_200():
    error = failure(200, "<html><body>Proxy says hello</body></html>", MalformedResponse)
    assert "not JSON" in str(error)


def test_non_json_body_on_500_is_a_server_error():
    # An error status decides the class even when the body is a proxy's HTML page.
    client = GeminiClient(
        FakeGemini(*[reply(500, "<html>Server Error</html>", "text/html")] * 4),
        lambda: KEY,
        sleep=_no_sleep,
    )
    with pytest.raises(ServerBusy) as caught:
        run(client.generate(prompt="p"))
    assert caught.value.http_status == 500


def test_json_that_is_not_an_object():
    failure(200, "[1, 2]", MalformedResponse)
    failure(200, '"text"', MalformedResponse)


def test_one_element_array_is_unwrapped():
    assert answer(200, [image_answer(inline(PNG))]).image == PNG


def test_error_inside_a_200_array_is_that_error():
    body = json.dumps(
        [
            {
                "error": {
                    "code": 503,
                    "message": "The model is overloaded. Please try again later.",
                    "status": "UNAVAILABLE",
                }
            }
        ]
    )
    with pytest.raises(ServerBusy) as caught:
        parse_generate_response(body.encode())
    assert caught.value.http_status == 503


def test_undecodable_image_data():
    body = image_answer({"inlineData": {"mimeType": "image/png", "data": "!!!not base64!!!"}})
    failure(200, body, MalformedResponse)


def test_image_data_of_unknown_format():
    body = image_answer(inline(b"\x00\x01\x02\x03 definitely not pixels"))
    assert "image/png" in str(failure(200, body, MalformedResponse))


def test_model_status_is_passed_on():
    status = {"modelStage": "DEPRECATED", "retirementTime": "2026-12-01T00:00:00Z", "message": "Use something else."}
    assert answer(200, image_answer(inline(PNG), modelStatus=status)).model_status == status


async def _no_sleep(seconds):
    return None


def test_image_in_a_recorded_model_turn():
    body = image_answer(
        {"inlineData": {"mimeType": "image/png", "data": b64(PNG_2)}, "thought": True},
        {"text": "Here it is.", "thoughtSignature": "sig"},
        {"inlineData": {"mimeType": "image/png", "data": b64(JPEG)}, "thoughtSignature": "sig"},
    )
    result = answer(200, body)
    assert image_in_content(result.model_content) == (JPEG, "image/jpeg")
    with pytest.raises(MalformedResponse):
        image_in_content({"role": "model", "parts": [{"text": "no picture"}]})
