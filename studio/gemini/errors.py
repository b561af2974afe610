"""Typed Gemini failures, split by what the user can do, and the scrubbing that keeps the key out."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from ..core.errors import StudioError

REDACTED = "[redacted]"

# Shapes of Gemini keys: standard keys (AIza + 35 chars) and the 2026 "auth" keys (AQ.…). Scrubbed
# even when the exact key is unknown here (an error built far from the client, a key the user
# changed mid-run), so a key echoed back by the API or a proxy never reaches the screen.
_KEY_SHAPES = re.compile(r"AIza[0-9A-Za-z_\-]{30,}|\bAQ\.[0-9A-Za-z_\-.]{10,}")
# A key placed in a query string (?key=… / &key=…) by someone else's code.
_KEY_PARAM = re.compile(r"([?&]key=)[^&#\s\"']+", re.IGNORECASE)


def redact(text: str, secret: str | None = None) -> str:
    """`text` with the secret and anything shaped like a Gemini API key replaced by [redacted]."""
    if secret:
        text = text.replace(secret, REDACTED)
    text = _KEY_SHAPES.sub(REDACTED, text)
    return _KEY_PARAM.sub(lambda m: m.group(1) + REDACTED, text)


@dataclass(frozen=True)
class KeyHint:
    """Where the user keeps the key, so messages can say where to fix it."""

    where: str  # completes "Check the key …"
    how_to_add: str  # a whole sentence: what to do when there is no key
    timeout_where: str = "in Settings"  # completes "Change the timeout …"


SETTINGS_KEY = KeyHint(
    where="in Settings",
    how_to_add="Open Settings and paste your Gemini API key (create one in Google AI Studio).",
)
ENV_KEY = KeyHint(
    where="in the GEMINI_API_KEY environment variable",
    how_to_add="Set the GEMINI_API_KEY environment variable to your Gemini API key.",
    timeout_where="with the GEMINI_TIMEOUT environment variable (seconds)",
)


class GeminiError(StudioError):
    """A Gemini request failed. The message says what to do; the fields carry the API's own words.

    Fields (None when unknown): http_status, api_status (e.g. "RESOURCE_EXHAUSTED"), reason
    (ErrorInfo.reason, a finishReason or a blockReason), retry_delay (seconds, from
    RetryInfo), quota_id (QuotaFailure), api_message (the API's message, scrubbed).
    """

    # Whether trying the same request again can succeed (within the limits of retry.py).
    retryable: ClassVar[bool] = False
    default_message: ClassVar[str] = "The request to Gemini failed. Run again."

    def __init__(
        self,
        message: str | None = None,
        *,
        http_status: int | None = None,
        api_status: str | None = None,
        reason: str | None = None,
        retry_delay: float | None = None,
        quota_id: str | None = None,
        api_message: str | None = None,
    ) -> None:
        # Only the scrubbed message goes into args: args are what tracebacks and loggers print.
        super().__init__(redact(message or self.default_message))
        self.http_status = http_status
        self.api_status = api_status
        self.reason = reason
        self.retry_delay = retry_delay
        self.quota_id = quota_id
        self.api_message = redact(api_message) if api_message else None

    @property
    def message(self) -> str:
        return str(self.args[0])

    def fields(self) -> dict[str, Any]:
        names = ("http_status", "api_status", "reason", "retry_delay", "quota_id", "api_message")
        return {name: getattr(self, name) for name in names if getattr(self, name) is not None}

    def __repr__(self) -> str:
        extra = "".join(f", {name}={value!r}" for name, value in self.fields().items())
        return f"{type(self).__name__}({self.message!r}{extra})"

    def scrubbed(self, secret: str | None) -> GeminiError:
        """This error with `secret` removed from its message and API message (a copy if needed)."""
        if not secret or (secret not in self.message and secret not in (self.api_message or "")):
            return self
        clean = copy.copy(self)
        clean.args = (redact(self.message, secret),)
        clean.api_message = redact(self.api_message, secret) if self.api_message else None
        return clean


# --- Fix the key -------------------------------------------------------------------------------


class KeyProblem(GeminiError):
    """Base of the failures the user fixes by checking or replacing the API key."""


class MissingKey(KeyProblem):
    """No key is set: caught before any request is made."""

    default_message = "No Gemini API key is set. " + SETTINGS_KEY.how_to_add


class InvalidKey(KeyProblem):
    """400 API_KEY_INVALID (not valid, not found, expired), or a key that cannot be one."""

    default_message = "Gemini did not accept the API key. Check the key in Settings."


class KeyRejected(KeyProblem):
    """403: no key arrived, the key was reported as leaked, or its project or restrictions forbid it."""

    default_message = "Gemini refused this API key. Check the key and its restrictions in Google AI Studio."


class UnsupportedKeyType(KeyProblem):
    """401 UNAUTHENTICATED / ACCESS_TOKEN_TYPE_UNSUPPORTED: a kind of credential the API won't take."""

    default_message = "Gemini did not accept this kind of key. Create a new API key in Google AI Studio."


# --- Change the node's settings or inputs -------------------------------------------------------


class ModelNotFound(GeminiError):
    """404: the model id is unknown to the API, or the model was retired."""

    default_message = "The model was not found (mistyped or retired). Pick another model in the node."


class InvalidInput(GeminiError):
    """Inputs checked before sending: image types and counts, prompt, ratio, size, model id."""

    default_message = "The AI node's inputs cannot be sent to Gemini."


class UnsupportedImageType(InvalidInput):
    pass


class TooManyImages(InvalidInput):
    pass


class PayloadTooLarge(InvalidInput):
    """The request is too big: found before sending, or answered with 400 "payload size" / 413."""

    default_message = (
        "The request is too large for Gemini. Downscale the input images (for example to 2048 px "
        "on the long side) or use fewer of them."
    )


class BadRequest(GeminiError):
    """Any other 400: Gemini found the request invalid; the API's message says why."""

    default_message = "Gemini refused the request as invalid. Check the prompt, the images and the node's settings."


# --- The account: location, billing, quota --------------------------------------------------------


class LocationUnsupported(GeminiError):
    """400 FAILED_PRECONDITION: not offered in the user's country, or the free tier isn't."""

    default_message = "The Gemini API is not available for this account in your location."


class RateLimited(GeminiError):
    """429 for a per-minute limit (or unspecified): waiting helps. retry_delay says how long."""

    retryable = True
    default_message = "Gemini's rate limit was reached. Wait a minute and run again."


class QuotaExhausted(GeminiError):
    """429 for a per-day quota or a limit of 0, or 402 billing: waiting a minute does not help."""

    default_message = (
        "The Gemini quota for this key's project is used up. Check your plan and billing in Google AI Studio."
    )


# --- Try again later ------------------------------------------------------------------------------


class ServerBusy(GeminiError):
    """500 / 502 / 503 / 504: overloaded, internal error or deadline on Google's side."""

    retryable = True
    default_message = "Gemini is busy or had an internal error. Try again in a minute, or pick another model."


class ServiceError(GeminiError):
    """A status nothing else covers (e.g. a 3xx redirect or a 501). Not retried."""

    default_message = "Gemini answered with an unexpected error. Try again later."


class NetworkError(GeminiError):
    """No response at all: offline, DNS, connection refused or reset, or blocked on the way."""

    retryable = True
    default_message = (
        "Could not reach the Gemini API. Check your internet connection (a firewall, VPN or ad "
        "blocker can also block generativelanguage.googleapis.com), then run again."
    )


class RequestTimeout(GeminiError):
    """No complete response in time."""

    retryable = True
    default_message = "Gemini took too long to answer. Run again; a smaller image size or fewer input images is faster."


class AnswerLost(GeminiError):
    """The request was sent but its answer never reached the Studio: the part of the page that made
    it (the engine's worker) stopped. Google may have answered and billed it, so it is not retried."""

    default_message = (
        "The Studio's image engine stopped while waiting for Gemini's answer; the request may have "
        "been billed. Run again to ask once more."
    )


class MalformedResponse(GeminiError):
    """The reply could not be read: not JSON, not the expected shape, or undecodable image data."""

    default_message = (
        "Gemini sent a reply the Studio could not read. Run again; if it keeps happening, pick another model."
    )


# --- Change the prompt -------------------------------------------------------------------------------


class PromptBlocked(GeminiError):
    """promptFeedback.blockReason: the prompt (or an input image) was refused before generating."""

    default_message = "Gemini blocked the prompt. Rephrase the prompt or use different input images."


class OutputBlocked(GeminiError):
    """A safety, recitation or blocklist finishReason: the result was withheld."""

    default_message = "Gemini withheld the result (safety filter). Rephrase the prompt."


class NoImageReturned(GeminiError):
    """NO_IMAGE, or a STOP answer with text and no image (often a refusal in words)."""

    default_message = "Gemini answered without an image. Rephrase the prompt to ask clearly for an image."


class GenerationFailed(GeminiError):
    """No usable image for another reason: MAX_TOKENS, OTHER, IMAGE_OTHER, no candidates, unknown."""

    default_message = "Gemini stopped without producing an image. Run again; if it keeps happening, change the prompt."
