"""Reading a generateContent answer: the final image, the text, and every way it can fail."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

from ..core.sniff import sniff_mime
from .api_errors import error_from_api, one_line, parse_error
from .errors import (
    SETTINGS_KEY,
    GenerationFailed,
    KeyHint,
    MalformedResponse,
    NoImageReturned,
    OutputBlocked,
    PromptBlocked,
    redact,
)

# Formats we can hand on as the node's image (what the backends decode).
OUTPUT_MIME_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif")

# finishReasons that mean "the result was withheld": rephrasing is the user's move (§3.4).
# Each maps to the words that explain it.
BLOCKING_FINISH_REASONS = {
    "SAFETY": "the safety filter",
    "IMAGE_SAFETY": "the image safety filter",
    "PROHIBITED_CONTENT": "the prohibited-content filter",
    "IMAGE_PROHIBITED_CONTENT": "the prohibited-content filter for images",
    "BLOCKLIST": "a blocklisted term",
    "SPII": "possible sensitive personal information",
    "RECITATION": "resemblance to existing material",
    "IMAGE_RECITATION": "resemblance to existing images",
}
# finishReasons that fail with advice of their own; anything else unknown fails with its raw value.
_OTHER_FINISH_ADVICE = {
    "MAX_TOKENS": "The answer hit the output limit before an image was made. Run again or shorten the prompt.",
    "LANGUAGE": "Gemini does not support the prompt's language for this. Try the prompt in English.",
    "MISSING_THOUGHT_SIGNATURE": "The earlier turns of this conversation are incomplete: clear the AI node's history and run again.",
}
# finishReasons under which an image that did arrive is complete and usable.
_IMAGE_OK_FINISH = (None, "STOP", "FINISH_REASON_UNSPECIFIED", "MAX_TOKENS")
_MAX_QUOTED_TEXT = 500


@dataclass(frozen=True)
class GeminiResult:
    """A successful answer. `model_content` is the candidate's content exactly as received:
    append `user_content` and it, in that order, to the history of the next turn."""

    image: bytes = field(repr=False)
    mime: str  # sniffed from the bytes, not the declared mimeType
    text: str  # the non-thought text parts, joined
    model_content: dict[str, Any] = field(repr=False)
    user_content: dict[str, Any] = field(default_factory=dict, repr=False)
    model: str = ""
    model_version: str | None = None
    usage: dict[str, Any] = field(default_factory=dict)
    finish_reason: str | None = None
    response_id: str | None = None
    model_status: dict[str, Any] | None = None  # e.g. a retirementTime to warn about
    # Interim "thought images" (parts marked thought: true), in order: never the final image, and
    # "not charged" per Google's docs. Only present when includeThoughts was asked for.
    thoughts: tuple[bytes, ...] = field(default=(), repr=False)

    def history(self, previous: list[dict[str, Any]] | tuple[dict[str, Any], ...] = ()) -> list[dict[str, Any]]:
        """The history to pass with the next turn of this conversation."""
        return [*previous, self.user_content, self.model_content]


def decode_base64(data: str) -> bytes:
    """Standard or URL-safe base64, padding optional, a data: URL prefix tolerated."""
    text = "".join(data.split())
    if text.startswith("data:") and "," in text:
        text = text.split(",", 1)[1]
    text = text.replace("-", "+").replace("_", "/")
    text += "=" * (-len(text) % 4)
    return base64.b64decode(text, validate=True)


def load_json(body: bytes, what: str = "a reply") -> Any:
    """The JSON of a 200 answer, or MalformedResponse naming `what` could not be read."""
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise MalformedResponse(
            f"Gemini sent {what} that is not JSON, so the Studio could not read it. Run again; if "
            "it keeps happening, something between you and Google (a proxy or filter) is changing "
            "the replies."
        ) from None


def _quote(text: str, secret: str | None) -> str:
    return one_line(redact(text, secret), _MAX_QUOTED_TEXT)


def parse_generate_response(
    body: bytes,
    *,
    secret: str | None = None,
    model: str | None = None,
    key_hint: KeyHint = SETTINGS_KEY,
    data: Any = None,
    decoded: dict[int, bytes] | None = None,
    with_images: bool = True,
) -> GeminiResult:
    """Turn an HTTP 200 generateContent body into a GeminiResult, or raise the typed failure.

    `data` is the body's JSON when the transport parsed it already, and `decoded` the bytes of
    inlineData parts it decoded (by part index, see HttpResponse): then neither is redone here.
    `with_images`: whether the request sent input images (AI Edit) or none (AI Generate); the
    advice in messages names them only when there were some.
    """
    if data is None:
        data = load_json(body)
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict):
        raise MalformedResponse("Gemini's reply was not the expected JSON object. Run again.")
    if "error" in data:
        # An error envelope inside a 200 (as on the streaming endpoint): treat it as that error.
        raw = body or json.dumps(data).encode("utf-8")
        raise error_from_api(parse_error(200, raw, secret), model=model, key_hint=key_hint, with_images=with_images)

    feedback = data.get("promptFeedback") or {}
    block = feedback.get("blockReason") if isinstance(feedback, dict) else None
    if block:
        raise PromptBlocked(
            f"Gemini blocked the prompt ({block}). Rephrase the prompt"
            + (" or use different input images." if with_images else "."),
            reason=str(block),
        )

    candidates = data.get("candidates")
    if not isinstance(candidates, list) or not candidates or not isinstance(candidates[0], dict):
        raise GenerationFailed(
            "Gemini returned no result for this prompt. Run again; if it keeps happening, rephrase the prompt."
        )
    candidate = candidates[0]
    finish = candidate.get("finishReason")
    finish = str(finish) if finish is not None else None
    content = candidate.get("content")
    answer = _answer_parts(content)
    text = "\n".join(part["text"] for part in answer if isinstance(part.get("text"), str)).strip()
    images = _inline_images(answer)
    finish_message = candidate.get("finishMessage")
    said = f' Gemini says: "{_quote(finish_message, secret)}"' if isinstance(finish_message, str) else ""

    if finish in BLOCKING_FINISH_REASONS:
        raise OutputBlocked(
            f"Gemini withheld the result because of {BLOCKING_FINISH_REASONS[finish]} ({finish})."
            f"{said} Rephrase the prompt" + (" or change the input images." if with_images else "."),
            reason=finish,
        )
    if finish == "NO_IMAGE" or (not images and finish in ("STOP", None)):
        if text:
            message = (
                f'Gemini answered with text instead of an image: "{_quote(text, secret)}" '
                "Rephrase the prompt to ask clearly for an image."
            )
        else:
            message = f"Gemini returned no image ({finish or 'no reason given'}). Rephrase the prompt to describe the image you want."
        raise NoImageReturned(message, reason=finish)
    if not images or finish not in _IMAGE_OK_FINISH:
        advice = _OTHER_FINISH_ADVICE.get(
            finish or "", "Run again; if it keeps happening, change the prompt or pick another model."
        )
        raise GenerationFailed(
            f"Gemini stopped without an image (finish reason {finish}).{said} {advice}", reason=finish
        )

    image, mime = _final_image(images[-1], _decoded_bytes(content, images[-1], decoded))
    thoughts = tuple(thought for thought, _ in thought_images_in_content(content, decoded))
    usage = data.get("usageMetadata")
    return GeminiResult(
        image=image,
        mime=mime,
        text=text,
        model_content=content if isinstance(content, dict) else {},
        model=model or "",
        model_version=data.get("modelVersion") if isinstance(data.get("modelVersion"), str) else None,
        usage=usage if isinstance(usage, dict) else {},
        finish_reason=finish,
        response_id=data.get("responseId") if isinstance(data.get("responseId"), str) else None,
        model_status=data.get("modelStatus") if isinstance(data.get("modelStatus"), dict) else None,
        thoughts=thoughts,
    )


def _answer_parts(content: Any) -> list[dict[str, Any]]:
    """The parts of a model turn that are the answer: thought parts (reasoning text and
    interim "thought images") are not."""
    parts = content.get("parts") if isinstance(content, dict) else None
    if not isinstance(parts, list):
        return []
    return [part for part in parts if isinstance(part, dict) and not part.get("thought")]


def thought_images_in_content(content: Any, decoded: dict[int, bytes] | None = None) -> list[tuple[bytes, str]]:
    """The interim thought images of a model turn as (bytes, sniffed MIME type); undecodable or
    unknown ones are skipped (a draft is never worth failing the answer for). `decoded`: the
    transport's decoding by part index (see HttpResponse)."""
    parts = content.get("parts") if isinstance(content, dict) else None
    found = []
    for index, part in enumerate(parts if isinstance(parts, list) else ()):
        if isinstance(part, dict) and part.get("thought") and isinstance(part.get("inlineData"), dict):
            try:
                found.append(_final_image(part["inlineData"], (decoded or {}).get(index)))
            except MalformedResponse:
                continue
    return found


def _inline_images(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [part["inlineData"] for part in parts if isinstance(part.get("inlineData"), dict)]


def image_in_content(content: dict[str, Any]) -> tuple[bytes, str]:
    """The final image of a model turn (e.g. `GeminiResult.model_content` kept in a node's
    history) as (bytes, sniffed MIME type): the last inlineData part that is not a thought."""
    images = _inline_images(_answer_parts(content))
    if not images:
        raise MalformedResponse("This Gemini answer holds no image. Run again.")
    return _final_image(images[-1])


def _decoded_bytes(content: Any, inline: dict[str, Any], decoded: dict[int, bytes] | None) -> bytes | None:
    """The transport's decoding of this inlineData part, if it made one."""
    if not decoded or not isinstance(content, dict):
        return None
    for index, part in enumerate(content.get("parts") or ()):
        if isinstance(part, dict) and part.get("inlineData") is inline:
            return decoded.get(index)
    return None


def _final_image(inline: dict[str, Any], ready: bytes | None = None) -> tuple[bytes, str]:
    """Decode the image and sniff what it really is: the declared mimeType has been wrong."""
    data = inline.get("data")
    try:
        image = ready if ready else decode_base64(data) if isinstance(data, str) else b""
    except (binascii.Error, ValueError):
        image = b""
    if not image:
        raise MalformedResponse("Gemini's image data could not be decoded. Run again.")
    mime = sniff_mime(image)
    if mime not in OUTPUT_MIME_TYPES:
        declared = inline.get("mimeType", "no type")
        raise MalformedResponse(
            f"Gemini sent image data the Studio does not recognise (declared as {declared}). Run again."
        )
    return image, mime
