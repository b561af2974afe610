"""Every error body of GEMINI_API.md §4 becomes its typed error, with a message that says what to do."""

from __future__ import annotations

import pytest

from studio.gemini import (
    ENV_KEY,
    BadRequest,
    GeminiClient,
    InvalidKey,
    KeyRejected,
    LocationUnsupported,
    ModelNotFound,
    PayloadTooLarge,
    QuotaExhausted,
    RateLimited,
    RequestTimeout,
    RetryPolicy,
    ServerBusy,
    ServiceError,
    UnsupportedKeyType,
)
from studio.gemini.api_errors import error_from_api, format_delay, parse_duration, parse_error

from . import wire
from .wire import KEY, PNG, FakeGemini, reply, run

# No automatic retries here: this file is about classification (test_retry.py covers retrying).
NO_RETRY = RetryPolicy(rate_limit_retries=0, transient_retries=0, timeout_retries=0)

# (case, HTTP status, body, class, words the message must contain, fields the error must carry)
CASES = [
    (
        "invalid key",
        400,
        wire.INVALID_KEY,
        InvalidKey,
        ["not accept the API key", "Check the key in Settings", "API_KEY_INVALID"],
        {
            "http_status": 400,
            "api_status": "INVALID_ARGUMENT",
            "reason": "API_KEY_INVALID",
            "api_message": "API key not valid. Please pass a valid API key.",
        },
    ),
    (
        "key not found",
        400,
        wire.KEY_NOT_FOUND,
        InvalidKey,
        ["Check the key in Settings"],
        {"reason": "API_KEY_INVALID"},
    ),
    (
        "missing key",
        403,
        wire.MISSING_KEY,
        KeyRejected,
        ["without an API key", "Check the key in Settings"],
        {"http_status": 403, "api_status": "PERMISSION_DENIED"},
    ),
    (
        "leaked key",
        403,
        wire.LEAKED_KEY,
        KeyRejected,
        ["reported this API key as leaked", "Create a new key", "Settings"],
        {"api_status": "PERMISSION_DENIED"},
    ),
    (
        "service disabled",
        403,
        wire.SERVICE_DISABLED,
        KeyRejected,
        ["Generative Language API is disabled", "Enable it"],
        {"reason": "SERVICE_DISABLED"},
    ),
    (
        "auth key type",
        401,
        wire.AUTH_KEY_UNSUPPORTED,
        UnsupportedKeyType,
        ["kind of API key", "Create a new API key in Google AI Studio", "Settings"],
        {"http_status": 401, "api_status": "UNAUTHENTICATED", "reason": "ACCESS_TOKEN_TYPE_UNSUPPORTED"},
    ),
    (
        "model not found",
        404,
        wire.MODEL_NOT_FOUND,
        ModelNotFound,
        ['"gemini-nano-banana-2.1" was not found', "Pick another model", "gemini-3-pro-image"],
        {"http_status": 404, "api_status": "NOT_FOUND"},
    ),
    (
        "rate limit",
        429,
        wire.RATE_LIMITED,
        RateLimited,
        ["rate limit", "Wait 47 s and run again", "GenerateContentPaidTierInputTokensPerModelPerMinute"],
        {
            "http_status": 429,
            "api_status": "RESOURCE_EXHAUSTED",
            "retry_delay": 47.0,
            "quota_id": "GenerateContentPaidTierInputTokensPerModelPerMinute",
        },
    ),
    ("fractional retry delay", 429, wire.PER_MINUTE_FREE, RateLimited, ["Wait 46 s"], {"retry_delay": 45.837906927}),
    (
        "bare rate limit",
        429,
        wire.RATE_LIMITED_BARE,
        RateLimited,
        ["Wait a minute and run again"],
        {"retry_delay": None, "quota_id": None},
    ),
    (
        "daily quota",
        429,
        wire.PER_DAY,
        QuotaExhausted,
        ["daily Gemini quota", "midnight Pacific", "billing", "GenerateRequestsPerDayPerProjectPerModel-FreeTier"],
        {"quota_id": "GenerateRequestsPerDayPerProjectPerModel-FreeTier"},
    ),
    (
        "no quota at all",
        429,
        wire.LIMIT_ZERO,
        QuotaExhausted,
        ["no quota for this model", "limit is 0", "enable billing"],
        {},
    ),
    (
        "prepaid credit",
        402,
        wire.CREDIT_DEPLETED,
        QuotaExhausted,
        ["prepaid credit", "Add credit"],
        {"http_status": 402},
    ),
    (
        "overloaded",
        503,
        wire.OVERLOADED,
        ServerBusy,
        ["overloaded", "Try again in a minute", "pick another model"],
        {"api_status": "UNAVAILABLE"},
    ),
    ("internal", 500, wire.INTERNAL, ServerBusy, ["Try again in a minute"], {"api_status": "INTERNAL"}),
    ("internal short", 500, wire.INTERNAL_SHORT, ServerBusy, ["Try again"], {}),
    ("deadline", 504, wire.DEADLINE, ServerBusy, ["Try again"], {"api_status": "DEADLINE_EXCEEDED"}),
    ("bad gateway html", 502, "<html><title>502</title></html>", ServerBusy, ["Try again"], {"http_status": 502}),
    ("too large 400", 400, wire.TOO_LARGE, PayloadTooLarge, ["Downscale the input images"], {"http_status": 400}),
    (
        "too large 413",
        413,
        "<html><title>Error 413 (Request Entity Too Large)!!1</title></html>",
        PayloadTooLarge,
        ["Downscale the input images"],
        {"http_status": 413},
    ),
    (
        "location",
        400,
        wire.LOCATION,
        LocationUnsupported,
        ["only in some countries", "User location is not supported"],
        {"api_status": "FAILED_PRECONDITION"},
    ),
    ("free tier country", 400, wire.FREE_TIER_COUNTRY, LocationUnsupported, ["Enable billing"], {}),
    (
        "multiple candidates",
        400,
        wire.MULTIPLE_CANDIDATES,
        BadRequest,
        ["refused the request as invalid", "Multiple candidates is not enabled", "Check the prompt"],
        {},
    ),
    ("missing thought signature", 400, wire.MISSING_SIGNATURE, BadRequest, ["clear the AI node's history"], {}),
    (
        "client closed",
        499,
        wire.envelope(499, "CANCELLED", "The operation was cancelled."),
        ServiceError,
        ["unexpected error", "HTTP 499"],
        {},
    ),
    ("request timeout", 408, "", RequestTimeout, ["Run again"], {"http_status": 408}),
    ("redirect", 302, "", ServiceError, ["unexpected error", "HTTP 302"], {}),
]


@pytest.mark.parametrize("case, status, body, error_type, words, fields", CASES, ids=[case[0] for case in CASES])
def test_error_body_becomes_its_class(case, status, body, error_type, words, fields):
    service = FakeGemini(reply(status, body))
    client = GeminiClient(service, lambda: KEY, retry=NO_RETRY)
    with pytest.raises(error_type) as caught:
        run(client.generate(prompt="edit", images=[PNG]))
    error = caught.value
    assert type(error) is error_type
    for word in words:
        assert word in str(error), (word, str(error))
    for name, value in fields.items():
        assert getattr(error, name) == value, name
    assert f"HTTP {status}" in str(error)  # the API's own status, for support
    assert KEY not in repr(error)


def test_key_messages_point_to_the_environment_variable_on_the_command_line():
    client = GeminiClient(FakeGemini(reply(400, wire.INVALID_KEY)), lambda: KEY, key_hint=ENV_KEY)
    with pytest.raises(InvalidKey, match="Check the key in the GEMINI_API_KEY environment variable"):
        run(client.generate(prompt="p"))


def test_one_element_array_wrapped_error():
    error = error_from_api(parse_error(429, f"[{wire.RATE_LIMITED}]".encode()))
    assert isinstance(error, RateLimited)
    assert error.retry_delay == 47.0


def test_retry_delay_read_from_the_message_when_there_is_no_retry_info():
    body = wire.envelope(429, "RESOURCE_EXHAUSTED", "Quota exceeded. Please retry in 586.497146ms.")
    assert parse_error(429, body.encode()).retry_delay == pytest.approx(0.586497146)
    body = wire.envelope(429, "RESOURCE_EXHAUSTED", "Quota exceeded.\nPlease retry in 12.5s.")
    assert parse_error(429, body.encode()).retry_delay == 12.5


def test_referrer_restricted_key():
    body = wire.envelope(
        403,
        "PERMISSION_DENIED",
        "Requests from referer http://localhost:8000/ are blocked.",
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "API_KEY_HTTP_REFERRER_BLOCKED",
            "domain": "googleapis.com",
        },
    )
    error = error_from_api(parse_error(403, body.encode()))
    assert isinstance(error, KeyRejected)
    assert "allowed websites" in str(error) and "command line" in str(error)


def test_unknown_403_quotes_the_api():
    body = wire.envelope(403, "PERMISSION_DENIED", "Something new went wrong.")
    error = error_from_api(parse_error(403, body.encode()))
    assert isinstance(error, KeyRejected)
    assert "Something new went wrong." in str(error)


@pytest.mark.parametrize(
    "value, seconds",
    [
        ("47s", 47.0),
        ("45.837906927s", 45.837906927),
        ("0.5s", 0.5),
        ("250ms", 0.25),
        ("12", 12.0),
        ({"seconds": 3, "nanos": 500000000}, 3.5),
        ("soon", None),
        (None, None),
    ],
)
def test_parse_duration(value, seconds):
    assert parse_duration(value) == (pytest.approx(seconds) if seconds is not None else None)


@pytest.mark.parametrize(
    "seconds, text", [(0.2, "1 s"), (47.0, "47 s"), (47.4, "48 s"), (120, "2 min"), (3 * 3600, "3 h")]
)
def test_format_delay(seconds, text):
    assert format_delay(seconds) == text
