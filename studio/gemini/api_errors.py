"""Reading the API's error bodies (google.rpc.Status) and turning them into typed Gemini errors."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from .errors import (
    SETTINGS_KEY,
    BadRequest,
    GeminiError,
    InvalidKey,
    KeyHint,
    KeyRejected,
    LocationUnsupported,
    ModelNotFound,
    PayloadTooLarge,
    QuotaExhausted,
    RateLimited,
    RequestTimeout,
    ServerBusy,
    ServiceError,
    UnsupportedKeyType,
    redact,
)
from .models import alternatives

_DETAIL_TYPE = "type.googleapis.com/google.rpc."
# "Please retry in 47.434392449s." / "retry in 586.49ms" in messages that carry no RetryInfo.
_RETRY_IN = re.compile(r"retry in\s+([0-9]+(?:\.[0-9]+)?)\s*(ms|s)\b", re.IGNORECASE)
# "limit: 0" in a quota message: the project has no quota at all for this model (typically the
# free tier of an image model). Waiting does not help, so it is not a rate limit.
_LIMIT_ZERO = re.compile(r"\blimit:\s*0\b")
_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class ApiError:
    """The parts of an error answer that decide what the user sees. Strings are already scrubbed."""

    http_status: int
    api_status: str | None = None
    message: str = ""
    reason: str | None = None
    retry_delay: float | None = None
    quota_ids: tuple[str, ...] = ()
    is_json: bool = True

    @property
    def quota_id(self) -> str | None:
        return self.quota_ids[0] if self.quota_ids else None

    def fields(self) -> dict[str, Any]:
        """Keyword arguments for a GeminiError."""
        return {
            "http_status": self.http_status,
            "api_status": self.api_status,
            "reason": self.reason,
            "retry_delay": self.retry_delay,
            "quota_id": self.quota_id,
            "api_message": self.message or None,
        }


def parse_duration(value: Any) -> float | None:
    """A protobuf Duration ("47s", "45.837906927s", or {"seconds": 47, "nanos": 5e8}) in seconds."""
    if isinstance(value, str):
        text = value.strip()
        try:
            if text.endswith("ms"):
                return float(text[:-2]) / 1000
            return float(text[:-1] if text.endswith("s") else text)
        except ValueError:
            return None
    if isinstance(value, dict):
        try:
            return float(value.get("seconds", 0)) + float(value.get("nanos", 0)) / 1e9
        except (TypeError, ValueError):
            return None
    return None


def _retry_in_message(message: str) -> float | None:
    match = _RETRY_IN.search(message)
    if match is None:
        return None
    number = float(match.group(1))
    return number / 1000 if match.group(2).lower() == "ms" else number


def one_line(text: str, limit: int = 300) -> str:
    """`text` on one line, cut to `limit` characters: for quoting the API or the model in messages."""
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _page_text(text: str) -> str:
    """Readable words from a non-JSON body (an HTML error page, a proxy's words)."""
    return one_line(_TAGS.sub(" ", text))


def parse_error(status: int, body: bytes, secret: str | None = None) -> ApiError:
    """Read an error answer; tolerate a list-wrapped envelope and non-JSON bodies."""
    text = redact(body.decode("utf-8", errors="replace"), secret)
    try:
        data = json.loads(text)
    except ValueError:
        return ApiError(http_status=status, message=_page_text(text), is_json=False)
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    error = data.get("error") if isinstance(data, dict) else None
    if not isinstance(error, dict):
        return ApiError(http_status=status, message=_page_text(text), is_json=False)
    raw_message = error.get("message")
    message: str = raw_message if isinstance(raw_message, str) else ""
    reason = None
    retry_delay = None
    quota_ids: list[str] = []
    for detail in error.get("details") or ():
        if not isinstance(detail, dict):
            continue
        kind = str(detail.get("@type", "")).removeprefix(_DETAIL_TYPE)
        if kind == "ErrorInfo" and reason is None and isinstance(detail.get("reason"), str):
            reason = detail["reason"]
        elif kind == "RetryInfo":
            retry_delay = parse_duration(detail.get("retryDelay"))
        elif kind == "QuotaFailure":
            for violation in detail.get("violations") or ():
                if isinstance(violation, dict) and isinstance(violation.get("quotaId"), str):
                    quota_ids.append(violation["quotaId"])
    if retry_delay is None:
        retry_delay = _retry_in_message(message)
    code = error.get("code")
    return ApiError(
        # An error envelope inside an HTTP 200 (a streamed chunk) carries the real status in code.
        http_status=code if isinstance(code, int) and status == 200 else status,
        api_status=error.get("status") if isinstance(error.get("status"), str) else None,
        message=message.strip(),
        reason=reason,
        retry_delay=retry_delay,
        quota_ids=tuple(quota_ids),
    )


def format_delay(seconds: float) -> str:
    """ "47 s", "3 min", "2 h" — how long to wait, rounded up, for messages."""
    seconds = max(0.0, seconds)
    if seconds < 90:
        return f"{max(1, math.ceil(seconds))} s"
    if seconds < 90 * 60:
        return f"{math.ceil(seconds / 60)} min"
    return f"{math.ceil(seconds / 3600)} h"


def _tag(error: ApiError) -> str:
    """ " (HTTP 400, API_KEY_INVALID)": the API's own code, for support and searches."""
    words = [f"HTTP {error.http_status}"]
    words += [word for word in (error.reason or error.api_status,) if word]
    return f" ({', '.join(words)})"


def _quoted(error: ApiError) -> str:
    if not error.message:
        return ""
    first = one_line(error.message.split("\n", 1)[0])
    return f' Gemini says: "{first}"'


def error_from_api(
    error: ApiError, *, model: str | None = None, key_hint: KeyHint = SETTINGS_KEY, with_images: bool = True
) -> GeminiError:
    """The typed error for one error answer, with a message that says what to do (`with_images`:
    the request sent input images, so the advice may name them)."""
    status, reason, message = error.http_status, error.reason or "", error.message
    lowered = message.lower()
    tag, fields = _tag(error), error.fields()

    key_words = "api key" in lowered and any(w in lowered for w in ("not valid", "expired", "not found"))
    if status == 400 and (reason == "API_KEY_INVALID" or key_words):
        return InvalidKey(
            "Gemini did not accept the API key (not valid, expired or mistyped). Check the key "
            f"{key_hint.where}: copy it again from Google AI Studio.{tag}",
            **fields,
        )
    if status == 400 and error.api_status == "FAILED_PRECONDITION":
        if "billing" in lowered:
            advice = "Enable billing for the key's project in Google AI Studio, then run again."
        else:
            advice = (
                "The Gemini API is offered only in some countries "
                "(https://ai.google.dev/gemini-api/docs/available-regions)."
            )
        return LocationUnsupported(
            f"Gemini is not available to this account from where you are.{_quoted(error)} {advice}{tag}",
            **fields,
        )
    if status == 413 or (status == 400 and "payload size exceeds" in lowered):
        return PayloadTooLarge(
            "The request was too large for Gemini. Downscale the input images (for example to "
            f"2048 px on the long side) or use fewer of them.{tag}",
            **fields,
        )
    if status == 400:
        advice = (
            "Check the prompt, the input images and the node's model, aspect ratio and size."
            if with_images
            else "Check the prompt and the node's model, aspect ratio and size."
        )
        if "thought_signature" in lowered or "thought signature" in lowered:
            advice = "The earlier turns of this conversation are incomplete: clear the AI node's history and run again."
        return BadRequest(f"Gemini refused the request as invalid.{_quoted(error)} {advice}{tag}", **fields)
    if status == 401:
        return UnsupportedKeyType(
            "Gemini did not accept this kind of API key. Create a new API key in Google AI Studio "
            f"(Get API key) and put it {key_hint.where}.{tag}",
            **fields,
        )
    if status == 403:
        return KeyRejected(_forbidden_message(error, key_hint) + tag, **fields)
    if status == 404:
        if model:
            others = " or ".join(alternatives(model))
            text = (
                f'The model "{model}" was not found: it may be mistyped or retired. Pick another '
                f"model in the node{f' (for example {others})' if others else ''}.{tag}"
            )
        else:
            text = f"The Gemini API did not find what the Studio asked for. Pick another model in the node.{tag}"
        return ModelNotFound(text, **fields)
    if status == 402:
        return QuotaExhausted(
            "The Gemini API's prepaid credit for this key's project is used up. Add credit or "
            f"check billing in Google AI Studio, then run again.{tag}",
            **fields,
        )
    if status == 429:
        return _too_many(error, tag, fields)
    if status == 408:
        return RequestTimeout(f"Gemini timed out while receiving the request. Run again.{tag}", **fields)
    if status in (500, 502, 503, 504):
        what = "overloaded" if status == 503 else "having trouble"
        return ServerBusy(f"Gemini is {what} right now. Try again in a minute, or pick another model.{tag}", **fields)
    return ServiceError(f"Gemini answered with an unexpected error.{_quoted(error)} Try again later.{tag}", **fields)


def _forbidden_message(error: ApiError, key_hint: KeyHint) -> str:
    reason, lowered = error.reason or "", error.message.lower()
    if "leaked" in lowered:
        return (
            "Google reported this API key as leaked and blocked it. Create a new key in Google AI "
            f"Studio, put it {key_hint.where}, and delete the old one."
        )
    if "unregistered callers" in lowered:
        return (
            f"The request reached Gemini without an API key. Check the key {key_hint.where}; if it "
            "is set, something on the way (a proxy or a browser extension) removed it."
        )
    if reason == "SERVICE_DISABLED" or "has not been used in project" in lowered:
        return (
            "The Generative Language API is disabled for this key's Google Cloud project. Enable "
            "it for the project, or create a key in Google AI Studio (which enables it for you)."
        )
    if reason == "API_KEY_HTTP_REFERRER_BLOCKED":
        return (
            "This API key only works from other websites (an HTTP referrer restriction). Add this "
            "site's address to the key's allowed websites in the Google Cloud console, or use "
            "another key. The command line sends no referrer: give it a key of its own."
        )
    if reason == "API_KEY_SERVICE_BLOCKED":
        return (
            "This API key is not allowed to call the Gemini API. Add the Generative Language API "
            "to the key's API restrictions in the Google Cloud console, or use another key."
        )
    return f"Gemini refused this API key.{_quoted(error)} Check the key {key_hint.where} and its restrictions."


def _too_many(error: ApiError, tag: str, fields: dict[str, Any]) -> GeminiError:
    per_day = any("perday" in quota.lower() for quota in error.quota_ids)
    quota = f" ({error.quota_id})" if error.quota_id else ""
    if per_day:
        return QuotaExhausted(
            f"The daily Gemini quota for this key's project is used up{quota}. It resets at "
            f"midnight Pacific time; for more, set up billing in Google AI Studio.{tag}",
            **fields,
        )
    if _LIMIT_ZERO.search(error.message):
        return QuotaExhausted(
            f"This key's project has no quota for this model: its limit is 0{quota}. The free tier "
            f"often has none for image models: enable billing in Google AI Studio, or pick another model.{tag}",
            **fields,
        )
    wait = (
        f"Wait {format_delay(error.retry_delay)} and run again"
        if error.retry_delay is not None
        else "Wait a minute and run again"
    )
    return RateLimited(
        f"Gemini's rate limit for this key's project was reached{quota}. {wait}; higher limits "
        f"come with a paid tier in Google AI Studio.{tag}",
        **fields,
    )
