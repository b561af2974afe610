"""Building a generateContent request body, with the input checks made before anything is sent."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Sequence
from typing import Any

from ..core.sniff import FORMAT_NAMES, sniff_mime
from .errors import InvalidInput, PayloadTooLarge, TooManyImages, UnsupportedImageType
from .models import AUTO, ImageModel

# What the Gemini API takes as input images. image/jpg is not among them on purpose: the API has
# rejected it, and sniffing always yields image/jpeg for JPEG bytes.
ACCEPTED_MIME_TYPES = ("image/png", "image/jpeg", "image/webp", "image/heic", "image/heif")

# The whole JSON body must stay under this. The API's documented figure was 20 MiB (raised to
# 100 MB in 2026, with unspecified per-type limits); staying under the old figure with room to
# spare works with every front-end and keeps uploads from a browser reasonable.
MAX_REQUEST_BYTES = 18 * 1024 * 1024


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def image_part(data: bytes, index: int) -> dict[str, Any]:
    """An inlineData part for one input image; `index` (1-based) names it in error messages."""
    mime = sniff_mime(data)
    if mime not in ACCEPTED_MIME_TYPES:
        what = f"a {FORMAT_NAMES[mime]} image" if mime in FORMAT_NAMES else "not a recognisable image"
        raise UnsupportedImageType(
            f"Input image {index} is {what}; Gemini accepts PNG, JPEG, WebP and HEIC/HEIF. "
            "Convert it to PNG or JPEG first."
        )
    return {"inlineData": {"mimeType": mime, "data": base64.b64encode(data).decode("ascii")}}


def build_user_turn(prompt: str, images: Sequence[bytes], model: ImageModel) -> dict[str, Any]:
    """The user turn: the prompt's text part first, then one inlineData part per image."""
    if not isinstance(prompt, str) or not prompt.strip():
        raise InvalidInput(
            "The prompt is empty. "
            + ("Write what Gemini should do with the image." if images else "Describe the image Gemini should make.")
        )
    if len(images) > model.max_images:
        raise TooManyImages(
            f"{model.id} takes at most {model.max_images} input images, but {len(images)} were "
            "given. Remove some reference images."
        )
    parts: list[dict[str, Any]] = [{"text": prompt}]
    parts.extend(image_part(bytes(data), index) for index, data in enumerate(images, start=1))
    return {"role": "user", "parts": parts}


def normalise_image_size(image_size: str | None) -> str | None:
    """The API's spelling of an image size ("2k" → "2K", "512px" → "512"); None for none/auto."""
    if image_size is None:
        return None
    text = str(image_size).strip().upper().removesuffix("PX")
    return None if text in ("", "AUTO", "DEFAULT", "NONE") else text


def build_image_config(model: ImageModel, aspect_ratio: str | None, image_size: str | None) -> dict[str, str]:
    """imageConfig with only what this model takes: no ratio for "auto", no size if it has none."""
    config: dict[str, str] = {}
    ratio = (aspect_ratio or AUTO).strip()
    if ratio.lower() != AUTO:
        if ratio not in model.aspect_ratios:
            raise InvalidInput(
                f"{model.id} does not take the aspect ratio {ratio!r}. Pick auto or one of: "
                f"{', '.join(model.aspect_ratios)}."
            )
        config["aspectRatio"] = ratio
    size = normalise_image_size(image_size)
    # A model without sizes (gemini-2.5-flash-image) rejects the field: leave it out entirely,
    # so switching a node to such a model keeps working with its old size setting.
    if size is not None and model.image_sizes:
        if size not in model.image_sizes:
            raise InvalidInput(
                f"{model.id} does not make images of size {size!r}. Pick one of: {', '.join(model.image_sizes)}."
            )
        config["imageSize"] = size
    return config


def normalise_thinking_level(level: str | None) -> str | None:
    """The API's spelling of a thinking level ("high" → "HIGH"); None for the model's default."""
    if level is None:
        return None
    text = str(level).strip().upper()
    return None if text in ("", "DEFAULT", "AUTO", "NONE", "THINKING_LEVEL_UNSPECIFIED") else text


def build_thinking_config(model: ImageModel, thinking_level: str | None, include_thoughts: bool) -> dict[str, Any]:
    """thinkingConfig in its REST (camelCase) spelling; empty when the model's defaults apply.

    google-genai sends the same fields snake_cased (`thinking_level`, `include_thoughts`); the
    API takes both spellings (GEMINI_API.md §9.2), and the rest of the body is camelCase.
    """
    config: dict[str, Any] = {}
    if include_thoughts:
        config["includeThoughts"] = True
    level = normalise_thinking_level(thinking_level)
    if level is not None:
        if level not in model.thinking_levels:
            offered = ", ".join(m.lower() for m in model.thinking_levels)
            choice = f"default or one of: {offered}" if offered else "default (its thinking is built in)"
            raise InvalidInput(
                f"{model.id} does not take the thinking level {level.lower()!r}. Pick {choice}. Nothing was sent."
            )
        config["thinkingLevel"] = level
    return config


def system_instruction(system_prompt: str | None) -> dict[str, Any] | None:
    """systemInstruction for an optional system prompt, shaped as google-genai sends it."""
    if system_prompt is None or not str(system_prompt).strip():
        return None
    return {"parts": [{"text": str(system_prompt)}], "role": "user"}


def check_history(history: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Earlier turns as given, checked for shape only: model turns must stay byte-for-byte verbatim."""
    turns = list(history)
    for position, turn in enumerate(turns, start=1):
        if (
            not isinstance(turn, dict)
            or turn.get("role") not in ("user", "model")
            or not isinstance(turn.get("parts"), list)
        ):
            raise InvalidInput(
                f"The conversation history is damaged at turn {position}. Clear the AI node's history and run again."
            )
    return turns


def build_generate_body(
    model: ImageModel,
    user_turn: dict[str, Any],
    *,
    history: Iterable[dict[str, Any]] = (),
    aspect_ratio: str | None = AUTO,
    image_size: str | None = None,
    thinking_level: str | None = None,
    system_prompt: str | None = None,
    include_thoughts: bool = False,
) -> dict[str, Any]:
    """The generateContent body (camelCase). `history` holds earlier user turns as built here and
    model turns exactly as the API returned them (thoughtSignature and thought parts included).
    Keys are in the order google-genai writes them (contents, systemInstruction, generationConfig
    with responseModalities, thinkingConfig, imageConfig)."""
    generation_config: dict[str, Any] = {"responseModalities": ["TEXT", "IMAGE"]}
    thinking_config = build_thinking_config(model, thinking_level, include_thoughts)
    if thinking_config:
        generation_config["thinkingConfig"] = thinking_config
    image_config = build_image_config(model, aspect_ratio, image_size)
    if image_config:
        generation_config["imageConfig"] = image_config
    body: dict[str, Any] = {"contents": [*check_history(history), user_turn]}
    instruction = system_instruction(system_prompt)
    if instruction is not None:
        body["systemInstruction"] = instruction
    body["generationConfig"] = generation_config
    return body


def encode_body(body: dict[str, Any], *, history_turns: int = 0) -> bytes:
    """The body as JSON bytes, refused with PayloadTooLarge over MAX_REQUEST_BYTES.

    ASCII-only output: a lone surrogate in a prompt pasted from the browser stays encodable.
    """
    payload = json.dumps(body, separators=(",", ":"), ensure_ascii=True).encode("ascii")
    if len(payload) > MAX_REQUEST_BYTES:
        advice = "Downscale the input images (for example to 2048 px on the long side) or use fewer of them"
        if history_turns:
            advice += ", or start a new conversation (earlier turns are sent again each time)"
        raise PayloadTooLarge(
            f"The request to Gemini would be {_megabytes(len(payload))}, over the "
            f"{_megabytes(MAX_REQUEST_BYTES)} the Studio sends. {advice}."
        )
    return payload
