"""Test helpers: a fake Gemini service at the HTTP level, a fake clock, real image bytes, API bodies."""

from __future__ import annotations

import asyncio
import base64
import io
import json
from collections.abc import Callable
from typing import Any

from PIL import Image

from studio.gemini.http import HttpRequest, HttpResponse

# Not shaped like a real key on purpose: proves the exact key is scrubbed, not only key shapes.
KEY = "test-secret-7f3a9c51e2"
# Shaped like a real standard key: proves the pattern scrub too.
AIZA_KEY = "AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW"


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def picture(fmt: str = "PNG", size: tuple[int, int] = (6, 4), color: tuple[int, int, int] = (200, 30, 40)) -> bytes:
    """Real encoded pixels, made with Pillow."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


PNG = picture("PNG")
PNG_2 = picture("PNG", color=(10, 120, 250))
JPEG = picture("JPEG")
WEBP = picture("WEBP")
GIF = picture("GIF")
# An ISO-BMFF header with the HEIC brand: enough for sniffing, which is all the client does.
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 16


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class FakeClock:
    """An injected sleep that only moves a number: waits take no real time and are recorded."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class FakeGemini:
    """Plays the Gemini service at the wire: answers each request with the next scripted
    HttpResponse (or raises the scripted exception, or calls a scripted function), and
    records every request with the fake time it arrived."""

    def __init__(
        self, *answers: HttpResponse | BaseException | Callable[[HttpRequest], Any], clock: FakeClock | None = None
    ) -> None:
        self.answers = list(answers)
        self.clock = clock
        self.requests: list[HttpRequest] = []
        self.times: list[float] = []

    async def send(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        self.times.append(self.clock.now if self.clock else 0.0)
        if not self.answers:
            raise AssertionError(f"unexpected extra request: {request!r}")
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        if callable(answer) and not isinstance(answer, HttpResponse):
            result = answer(request)
            return await result if asyncio.iscoroutine(result) else result
        return answer

    def body(self, index: int = -1) -> dict[str, Any]:
        return json.loads(self.requests[index].body)


def reply(
    status: int, body: str | bytes | dict[str, Any] | list[Any], content_type: str = "application/json; charset=UTF-8"
) -> HttpResponse:
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode("utf-8")
    return HttpResponse(status, {"content-type": content_type}, body)


def image_answer(*parts: dict[str, Any], finish: str = "STOP", **extra: Any) -> dict[str, Any]:
    """A generateContent answer shaped like §3.1, with the given parts."""
    return {
        "candidates": [{"content": {"role": "model", "parts": list(parts)}, "finishReason": finish, "index": 0}],
        "usageMetadata": {
            "promptTokenCount": 15,
            "candidatesTokenCount": 1318,
            "totalTokenCount": 1333,
            "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 15}],
            "candidatesTokensDetails": [{"modality": "IMAGE", "tokenCount": 1290}],
            "thoughtsTokenCount": 0,
            "cachedContentTokenCount": 0,
            "toolUsePromptTokenCount": 0,
        },
        "modelVersion": "gemini-3.1-flash-image",
        "responseId": "mS77aIOaD5qFvr0P1b_T4AY",
        **extra,
    }


def drafts_answer(final: bytes, *drafts: bytes, text: str = "Here it is.", signature: str = "c2ln") -> dict[str, Any]:
    """An answer with a thought text, interim thought images (`drafts`), a signed text and the final image."""
    return image_answer(
        {"text": "Planning it", "thought": True},
        *(inline(draft, sniffed_mime(draft), thought=True) for draft in drafts),
        {"text": text, "thoughtSignature": signature},
        inline(final, thoughtSignature=signature),
    )


def sniffed_mime(data: bytes) -> str:
    return "image/jpeg" if data[:3] == b"\xff\xd8\xff" else "image/gif" if data[:3] == b"GIF" else "image/png"


def inline(data: bytes, mime: str = "image/png", **extra: Any) -> dict[str, Any]:
    return {"inlineData": {"mimeType": mime, "data": b64(data)}, **extra}


# --- Error bodies, verbatim from GEMINI_API.md §4 (the "…" elisions are as pasted there) ---------

INVALID_KEY = r"""{"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", "status": "INVALID_ARGUMENT",
  "details": [
    {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com",
     "metadata": {"service": "generativelanguage.googleapis.com"}},
    {"@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US",
     "message": "API key not valid. Please pass a valid API key."}]}}"""

KEY_NOT_FOUND = INVALID_KEY.replace("API key not valid.", "API Key not found.")

MISSING_KEY = r"""{"error": {"code": 403, "message": "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.", "status": "PERMISSION_DENIED"}}"""

LEAKED_KEY = r"""{"error":{"code":403,"message":"Your API key was reported as leaked. Please use another API key.","status":"PERMISSION_DENIED"}}"""

# §4 gives only the reason and the message's start; the envelope is Google's usual one.
SERVICE_DISABLED = r"""{"error":{"code":403,"message":"Generative Language API has not been used in project 123456789 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=123456789 then retry.","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SERVICE_DISABLED","domain":"googleapis.com","metadata":{"consumer":"projects/123456789","service":"generativelanguage.googleapis.com"}}]}}"""

AUTH_KEY_UNSUPPORTED = r"""{"error":{"code":401,"message":"Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. …","status":"UNAUTHENTICATED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"ACCESS_TOKEN_TYPE_UNSUPPORTED","metadata":{"method":"google.ai.generativelanguage.v1beta.ModelService.ListModels","service":"generativelanguage.googleapis.com"}}]}}"""

MODEL_NOT_FOUND = r"""{"error": {"code": 404,
  "message": "models/custom-gemini-2.0-flash is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.",
  "status": "NOT_FOUND",
  "details": [{"@type": "type.googleapis.com/google.rpc.DebugInfo", "detail": "[ORIGINAL ERROR] generic::not_found: …"}]}}"""

RATE_LIMITED = r"""{"error": {"code": 429,
  "message": "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: https://ai.dev/usage?tab=rate-limit. \n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_paid_tier_input_token_count, limit: 4000000\nPlease retry in 47.434392449s.",
  "status": "RESOURCE_EXHAUSTED",
  "details": [
    {"@type": "type.googleapis.com/google.rpc.Help", "links": [{"description": "Learn more about Gemini API quotas", "url": "https://ai.google.dev/gemini-api/docs/rate-limits"}]},
    {"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [{
       "quotaMetric": "generativelanguage.googleapis.com/generate_content_paid_tier_input_token_count",
       "quotaId": "GenerateContentPaidTierInputTokensPerModelPerMinute",
       "quotaDimensions": {"location": "global", "model": "gemini-2.0-flash"}, "quotaValue": "4000000"}]},
    {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "47s"}]}}"""

RATE_LIMITED_BARE = r"""{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}"""

OVERLOADED = (
    r"""{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}"""
)

INTERNAL = r"""{"error":{"code":500,"message":"An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting","status":"INTERNAL"}}"""

INTERNAL_SHORT = r"""{"error":{"code":500,"message":"Internal error encountered.","status":"INTERNAL"}}"""

LOCATION = r"""{"error":{"code":400,"message":"User location is not supported for the API use.","status":"FAILED_PRECONDITION"}}"""

MULTIPLE_CANDIDATES = r"""{"error":{"code":400,"message":"Multiple candidates is not enabled for models/gemini-2.5-flash-image-preview","status":"INVALID_ARGUMENT"}}"""


# Bodies §4 describes in words (status, status name, message); wrapped in the §4 envelope.
def envelope(code: int, status: str, message: str, *details: dict[str, Any]) -> str:
    error: dict[str, Any] = {"code": code, "message": message, "status": status}
    if details:
        error["details"] = list(details)
    return json.dumps({"error": error})


TOO_LARGE = envelope(400, "INVALID_ARGUMENT", "Request payload size exceeds the limit: 20971520 bytes.")
FREE_TIER_COUNTRY = envelope(
    400,
    "FAILED_PRECONDITION",
    "Gemini API free tier is not available in your country. Please enable billing on your project in Google AI Studio.",
)
MISSING_SIGNATURE = envelope(
    400,
    "INVALID_ARGUMENT",
    "Image part is missing a thought_signature in content position 2, part position 1. Please refer to "
    "https://ai.google.dev/gemini-api/docs/thought-signatures#model-behavior for more details.",
)
DEADLINE = envelope(504, "DEADLINE_EXCEEDED", "Deadline expired before operation could complete.")
CREDIT_DEPLETED = envelope(402, "RESOURCE_EXHAUSTED", "Your prepaid credit balance is depleted.")


def quota_429(quota_id: str, message: str = "You exceeded your current quota.", retry_delay: str | None = None) -> str:
    details: list[dict[str, Any]] = [
        {
            "@type": "type.googleapis.com/google.rpc.QuotaFailure",
            "violations": [
                {
                    "quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                    "quotaId": quota_id,
                }
            ],
        }
    ]
    if retry_delay is not None:
        details.append({"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": retry_delay})
    return envelope(429, "RESOURCE_EXHAUSTED", message, *details)


PER_DAY = quota_429("GenerateRequestsPerDayPerProjectPerModel-FreeTier", retry_delay="47s")
PER_MINUTE_FREE = quota_429("GenerateRequestsPerMinutePerProjectPerModel-FreeTier", retry_delay="45.837906927s")
LIMIT_ZERO = quota_429(
    "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
    "You exceeded your current quota.\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, model: gemini-3.1-flash-image",
    retry_delay="12s",
)
