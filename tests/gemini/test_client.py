"""The client's contract: where the key goes (and never goes), list_models, and the transport forms."""

from __future__ import annotations

import json
import traceback

import pytest

from studio.gemini import (
    ENV_KEY,
    BadRequest,
    GeminiClient,
    GeminiError,
    HttpRequest,
    InvalidKey,
    MalformedResponse,
    MissingKey,
    NetworkError,
    NoImageReturned,
    RetryPolicy,
    redact,
)
from studio.gemini.errors import REDACTED

from . import wire
from .wire import AIZA_KEY, KEY, PNG, FakeClock, FakeGemini, image_answer, inline, reply, run

OK = reply(200, image_answer(inline(PNG)))
NO_RETRY = RetryPolicy(rate_limit_retries=0, transient_retries=0, timeout_retries=0)


def every_text_of(error: BaseException) -> str:
    """Everything a user, a log or a traceback could show of an error."""
    return "\n".join(
        [str(error), repr(error), repr(error.args), "".join(traceback.format_exception(error))]
        + [str(value) for value in vars(error).values()]
    )


# --- the key -----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [None, "", "   \n"])
def test_no_key_fails_before_any_request(key):
    service = FakeGemini()
    with pytest.raises(MissingKey, match="Open Settings and paste your Gemini API key"):
        run(GeminiClient(service, lambda: key).generate(prompt="p", images=[PNG]))
    assert service.requests == []


def test_no_key_on_the_command_line_names_the_variable():
    with pytest.raises(MissingKey, match="Set the GEMINI_API_KEY environment variable"):
        run(GeminiClient(FakeGemini(), lambda: None, key_hint=ENV_KEY).list_models())


def test_key_goes_only_in_the_header_and_is_read_per_call():
    keys = iter([KEY, AIZA_KEY])
    service = FakeGemini(OK, OK)
    client = GeminiClient(service, lambda: next(keys))
    run(client.generate(prompt="p"))
    run(client.generate(prompt="p"))
    assert [request.headers["x-goog-api-key"] for request in service.requests] == [KEY, AIZA_KEY]
    for request in service.requests:
        assert set(request.headers) == {"Content-Type", "x-goog-api-key"}
        assert KEY not in request.url and AIZA_KEY not in request.url
        assert "key=" not in request.url
        assert KEY not in request.body.decode() and AIZA_KEY not in request.body.decode()


def test_surrounding_whitespace_of_a_pasted_key_is_dropped():
    service = FakeGemini(OK)
    run(GeminiClient(service, lambda: f"  {KEY}\n").generate(prompt="p"))
    assert service.requests[0].headers["x-goog-api-key"] == KEY


@pytest.mark.parametrize("key", [f"{KEY}\r\nX-Evil: 1", f"{KEY} extra", "ключ-" + KEY])
def test_a_key_that_cannot_be_one_is_refused_without_quoting_it(key):
    service = FakeGemini()
    with pytest.raises(InvalidKey) as caught:
        run(GeminiClient(service, lambda: key).generate(prompt="p"))
    assert service.requests == []
    assert KEY not in every_text_of(caught.value)


def test_request_repr_hides_the_key():
    request = HttpRequest("POST", "https://x/", {"x-goog-api-key": KEY, "Content-Type": "application/json"}, b"{}", 5)
    assert KEY not in repr(request) and "<secret>" in repr(request)
    assert KEY not in repr(GeminiClient(FakeGemini(), lambda: KEY))


@pytest.mark.parametrize("key", [KEY, AIZA_KEY, "AQ.Ab8RN6Jx_some-auth-key.value"])
@pytest.mark.parametrize(
    "status, body_template",
    [
        (
            400,
            '{"error":{"code":400,"message":"API key not valid: %s","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]}}',
        ),
        (400, '{"error":{"code":400,"message":"Bad value %s in request","status":"INVALID_ARGUMENT"}}'),
        (403, '{"error":{"code":403,"message":"Key %s is blocked","status":"PERMISSION_DENIED"}}'),
        (418, "<html>proxy refused https://x/?key=%s</html>"),
        (
            200,
            '{"candidates":[{"content":{"role":"model","parts":[{"text":"Your key is %s"}]},"finishReason":"STOP"}]}',
        ),
        (
            200,
            '{"candidates":[{"content":{"role":"model","parts":[]},"finishReason":"IMAGE_SAFETY","finishMessage":"%s"}]}',
        ),
    ],
)
def test_a_key_echoed_back_never_reaches_an_error(key, status, body_template):
    service = FakeGemini(reply(status, body_template % key))
    with pytest.raises(GeminiError) as caught:
        run(GeminiClient(service, lambda: key, retry=NO_RETRY).generate(prompt="p"))
    text = every_text_of(caught.value)
    assert key not in text
    assert REDACTED in str(caught.value) or REDACTED in (caught.value.api_message or "")


def test_a_transport_error_quoting_the_key_is_scrubbed():
    service = FakeGemini(NetworkError(f"connection to proxy failed for header {KEY}"))
    with pytest.raises(NetworkError) as caught:
        run(GeminiClient(service, lambda: KEY, retry=NO_RETRY).generate(prompt="p"))
    assert KEY not in every_text_of(caught.value)


def test_model_text_quoting_the_key_is_scrubbed():
    service = FakeGemini(reply(200, image_answer({"text": f"I saw {KEY} in your prompt"})))
    with pytest.raises(NoImageReturned) as caught:
        run(GeminiClient(service, lambda: KEY).generate(prompt="p"))
    assert KEY not in every_text_of(caught.value)


@pytest.mark.parametrize(
    "text, clean",
    [
        (f"bad key {KEY}!", f"bad key {REDACTED}!"),
        (f"{AIZA_KEY}", REDACTED),
        (
            "https://host/v1beta/models?key=whatever123&pageSize=5",
            f"https://host/v1beta/models?key={REDACTED}&pageSize=5",
        ),
        ("token AQ.Ab8RN6Jx_some-auth-key.value here", f"token {REDACTED} here"),
        ("nothing secret, AIza is short", "nothing secret, AIza is short"),
    ],
)
def test_redact(text, clean):
    assert redact(text, KEY) == clean


def test_errors_built_anywhere_scrub_key_shapes():
    error = BadRequest(f"saw {AIZA_KEY}", api_message=f"echo {AIZA_KEY}")
    assert AIZA_KEY not in every_text_of(error)


# --- URLs and transports -----------------------------------------------------------------------


def test_a_plain_async_function_is_a_transport_and_base_url_is_configurable():
    seen = []

    async def transport(request):
        seen.append(request)
        return OK

    client = GeminiClient(transport, lambda: KEY, base_url="http://127.0.0.1:9/v1beta")
    run(client.generate(prompt="p", model="gemini-3-pro-image"))
    assert seen[0].url == "http://127.0.0.1:9/v1beta/models/gemini-3-pro-image:generateContent"
    assert seen[0].timeout == 120.0


def test_timeout_is_passed_to_the_transport():
    service = FakeGemini(OK)
    run(GeminiClient(service, lambda: KEY, timeout=33.0).generate(prompt="p"))
    assert service.requests[0].timeout == 33.0


# --- list_models -------------------------------------------------------------------------------


def model(name, methods=("generateContent", "countTokens")):
    return {"name": f"models/{name}", "displayName": name, "supportedGenerationMethods": list(methods)}


def test_list_models_follows_pages_and_keeps_image_models():
    page_1 = {
        "models": [
            model("gemini-3-pro-image-preview", ("generateContent", "countTokens", "batchGenerateContent")),
            model("gemini-2.5-pro"),
            model("imagen-4.0-generate-001", ("predict",)),
            model("gemini-3-pro-image"),
        ],
        "nextPageToken": "tok/en+1",
    }
    page_2 = {
        "models": [
            model("gemini-3.1-flash-image"),
            model("nano-banana-pro-preview"),
            model("gemini-embedding-001", ("embedContent",)),
            model("gemini-3.1-flash-image-live", ("bidiGenerateContent",)),
            model("gemini-nano-banana-2.1"),
        ]
    }
    service = FakeGemini(reply(200, page_1), reply(200, page_2))
    ids = run(GeminiClient(service, lambda: KEY).list_models())
    assert ids == [
        "gemini-nano-banana-2.1",
        "gemini-3-pro-image",
        "gemini-3.1-flash-image",
        "nano-banana-pro-preview",
    ]  # gemini-3-pro-image-preview is shut down (refused before sending): not offered though listed
    first, second = service.requests
    assert first.method == "GET" and first.body is None
    assert first.url == "https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000"
    assert second.url == "https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000&pageToken=tok%2Fen%2B1"
    assert first.headers == {"x-goog-api-key": KEY}


def test_list_models_stops_on_a_repeated_page_token():
    page = {"models": [model("gemini-3-pro-image")], "nextPageToken": "same"}
    service = FakeGemini(reply(200, page), reply(200, page))
    assert run(GeminiClient(service, lambda: KEY).list_models()) == ["gemini-3-pro-image"]
    assert len(service.requests) == 2


def test_list_models_is_the_key_test():
    service = FakeGemini(reply(400, wire.INVALID_KEY))
    with pytest.raises(InvalidKey):
        run(GeminiClient(service, lambda: KEY).list_models())
    assert len(service.requests) == 1


def test_list_models_retries_a_busy_server():
    clock = FakeClock()
    service = FakeGemini(
        reply(503, wire.OVERLOADED), reply(200, {"models": [model("gemini-3-pro-image")]}), clock=clock
    )
    client = GeminiClient(service, lambda: KEY, sleep=clock.sleep, rng=lambda: 0.0)
    assert run(client.list_models()) == ["gemini-3-pro-image"]
    assert service.times == [0.0, 1.0]


@pytest.mark.parametrize("body", ["<html>oops</html>", "[]"])
def test_list_models_with_an_unreadable_answer(body):
    with pytest.raises(MalformedResponse):
        run(GeminiClient(FakeGemini(reply(200, body)), lambda: KEY).list_models())


def test_empty_model_list():
    assert run(GeminiClient(FakeGemini(reply(200, "{}")), lambda: KEY).list_models()) == []


def test_result_history_builds_the_next_turns():
    service = FakeGemini(OK)
    result = run(GeminiClient(service, lambda: KEY).generate(prompt="p", images=[PNG]))
    earlier = [{"role": "user", "parts": [{"text": "0"}]}, {"role": "model", "parts": [{"text": "1"}]}]
    assert result.history(earlier) == [*earlier, result.user_content, result.model_content]
    assert result.user_content == json.loads(service.requests[0].body)["contents"][-1]
    assert "image=" not in repr(result)  # megabytes of bytes stay out of logs
