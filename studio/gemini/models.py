"""The Gemini image models the Studio knows, what each accepts, and filtering the live model list."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Aspect ratios every Gemini image model takes, and the four extreme ones that only the
# Gemini 3.1 Flash family adds (GEMINI_API.md §2.2). "auto" (send none) is handled by the request.
ASPECT_RATIOS_10 = ("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9")
ASPECT_RATIOS_14 = ASPECT_RATIOS_10 + ("1:4", "4:1", "1:8", "8:1")
AUTO = "auto"

# imageSize values, in the API's spelling ("512" has no K; "1k" is rejected, so we normalise).
ALL_IMAGE_SIZES = ("512", "1K", "2K", "4K")

# Model ids are path segments of the URL: anything else (a slash, "?", "..") is refused
# before it can change which endpoint we call.
_MODEL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


# Thinking levels in the API's spelling (generationConfig.thinkingConfig.thinkingLevel). The SDK's
# enum also has LOW and XHIGH; no image model is documented to take them (GEMINI_API.md §9.1).
THINKING_LEVELS = ("MINIMAL", "MEDIUM", "HIGH")


@dataclass(frozen=True)
class ImageModel:
    """What one model accepts. `image_sizes` empty = the model takes no imageSize (never send one);
    `thinking_levels` empty = thinking is built in and not adjustable (never send a level)."""

    id: str
    label: str
    max_images: int
    image_sizes: tuple[str, ...]
    aspect_ratios: tuple[str, ...]
    # "stable", "deprecated" (still answers; Google names a successor), "preview", "retired" (shut
    # down per Google's deprecation page; kept so an old workflow gets a clear note) or "custom"
    # (an id the Studio does not know).
    status: str = "stable"
    in_picker: bool = True
    thinking_levels: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "max_images": self.max_images,
            "image_sizes": list(self.image_sizes),
            "aspect_ratios": list(self.aspect_ratios),
            "thinking_levels": list(self.thinking_levels),
            "status": self.status,
        }


# The Studio's default: Nano Banana 2.1, GA since 2026-10-06 and Google's recommended image model
# (Gemini API changelog). When a key's live model list lacks it, `default_model` picks the best
# model the key has (the picker order below).
DEFAULT_MODEL = "gemini-nano-banana-2.1"

# In picker order, best first: the recommended model, then GA models before the deprecated one,
# the 1K-only Lite last. Limits from GEMINI_API.md §9.1 (Google's changelog and model pages;
# 2.1's thinking levels and the missing 512 tier from ComfyUI's node, as the docs are silent).
_MODELS = (
    ImageModel(
        "gemini-nano-banana-2.1",
        "Nano Banana 2.1",
        14,
        ("1K", "2K", "4K"),
        ASPECT_RATIOS_14,
        thinking_levels=THINKING_LEVELS,
    ),
    # Thinking is built in (always on) and has no level to choose.
    ImageModel("gemini-3-pro-image", "Nano Banana Pro", 14, ("1K", "2K", "4K"), ASPECT_RATIOS_10),
    # Deprecated 2026-10-06 with no shutdown date announced (a third-party 2026-10-29 date
    # conflicts): still offered, marked, until the live list stops naming it.
    ImageModel(
        "gemini-3.1-flash-image",
        "Nano Banana 2 (deprecated)",
        14,
        ALL_IMAGE_SIZES,
        ASPECT_RATIOS_14,
        status="deprecated",
        thinking_levels=("MINIMAL", "HIGH"),
    ),
    # 1K only. Its input image limit is not documented; 14 like its 3.1 sibling, the API has the
    # last word.
    ImageModel(
        "gemini-3.1-flash-lite-image",
        "Nano Banana 2 Lite",
        14,
        ("1K",),
        ASPECT_RATIOS_14,
        thinking_levels=("MINIMAL", "HIGH"),
    ),
    # An alias that shows up in models.list; it answers like 3 Pro Image.
    ImageModel(
        "nano-banana-pro-preview",
        "Nano Banana Pro (preview alias)",
        14,
        ("1K", "2K", "4K"),
        ASPECT_RATIOS_10,
        status="preview",
        in_picker=False,
    ),
    # Shut down according to Google's deprecation pages; kept out of the picker but described
    # correctly, so a workflow naming one gets a clear note and a well-formed request.
    ImageModel("gemini-2.5-flash-image", "Nano Banana", 3, (), ASPECT_RATIOS_10, status="retired", in_picker=False),
    ImageModel(
        "gemini-3-pro-image-preview",
        "Nano Banana Pro (preview)",
        14,
        ("1K", "2K", "4K"),
        ASPECT_RATIOS_10,
        status="retired",
        in_picker=False,
    ),
    ImageModel(
        "gemini-3.1-flash-image-preview",
        "Nano Banana 2 (preview)",
        14,
        ALL_IMAGE_SIZES,
        ASPECT_RATIOS_14,
        status="retired",
        in_picker=False,
        thinking_levels=("MINIMAL", "HIGH"),
    ),
)
KNOWN_MODELS: dict[str, ImageModel] = {model.id: model for model in _MODELS}
PICKER_MODELS: tuple[ImageModel, ...] = tuple(model for model in _MODELS if model.in_picker)


def bare_model_id(model_id: str) -> str:
    """The id without the "models/" prefix that models.list uses, spaces trimmed."""
    model_id = model_id.strip()
    return model_id[len("models/") :] if model_id.startswith("models/") else model_id


def is_valid_model_id(model_id: str) -> bool:
    return _MODEL_ID.fullmatch(bare_model_id(model_id)) is not None


def resolve_model(model_id: str) -> ImageModel:
    """The known description of a model, or permissive defaults for a custom id.

    A custom id (a newer model the Studio does not know yet) gets every ratio and size the API
    has ever listed: the API, not the Studio, then decides what is valid.
    """
    model_id = bare_model_id(model_id)
    known = KNOWN_MODELS.get(model_id)
    if known is not None:
        return known
    return ImageModel(
        model_id,
        model_id,
        14,
        ALL_IMAGE_SIZES,
        ASPECT_RATIOS_14,
        status="custom",
        in_picker=False,
        thinking_levels=THINKING_LEVELS,
    )


def alternatives(model_id: str, count: int = 2) -> list[str]:
    """Picker models other than `model_id`, to suggest when it is not found."""
    model_id = bare_model_id(model_id)
    return [model.id for model in PICKER_MODELS if model.id != model_id][:count]


def looks_like_image_model(model_id: str) -> bool:
    """Ids of image-output Gemini models: "*-image*" or "*nano-banana*" (models.list has no flag)."""
    model_id = bare_model_id(model_id)
    return "-image" in model_id or "nano-banana" in model_id


def filter_image_models(list_models_json: dict[str, Any] | Iterable[dict[str, Any]]) -> list[str]:
    """Image-capable ids from a GET v1beta/models answer (or its "models" list), picker order first.

    Keeps ids that look like image models and support generateContent; known picker models come
    first in the Studio's order, then the rest alphabetically, without duplicates.
    """
    entries = list_models_json.get("models", []) if isinstance(list_models_json, dict) else list_models_json
    found: set[str] = set()
    for entry in entries or ():
        if not isinstance(entry, dict):
            continue
        name = entry.get("name")
        methods = entry.get("supportedGenerationMethods") or ()
        if not isinstance(name, str) or "generateContent" not in methods:
            continue
        model_id = bare_model_id(name)
        if looks_like_image_model(model_id) and is_valid_model_id(model_id):
            found.add(model_id)
    order = {model.id: index for index, model in enumerate(_MODELS)}
    return sorted(found, key=lambda model_id: (order.get(model_id, len(order)), model_id))


def picker_ids(live_ids: Iterable[str] | None = None) -> list[str]:
    """The ids the model picker offers: the key's live list when known (in the Studio's order, no
    retired id even if Google still lists it), else the catalog's picker models."""
    if live_ids is None:
        return [model.id for model in PICKER_MODELS]
    seen: list[str] = []
    for model_id in (bare_model_id(m) for m in live_ids):
        known = KNOWN_MODELS.get(model_id)
        if model_id not in seen and (known is None or known.status != "retired"):
            seen.append(model_id)
    order = {model.id: index for index, model in enumerate(_MODELS)}
    return sorted(seen, key=lambda model_id: (order.get(model_id, len(order)), model_id))


def default_model(live_ids: Iterable[str] | None = None) -> str:
    """The model a new AI node gets: DEFAULT_MODEL if the key's live list has it (or none is known),
    else the best listed model (picker order), else DEFAULT_MODEL (the API then says why not)."""
    if live_ids is None:
        return DEFAULT_MODEL
    offered = picker_ids(live_ids)
    if DEFAULT_MODEL in offered:
        return DEFAULT_MODEL
    best = [model.id for model in PICKER_MODELS if model.id in offered]
    return (best or offered or [DEFAULT_MODEL])[0]
