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


@dataclass(frozen=True)
class ImageModel:
    """What one model accepts. `image_sizes` empty = the model takes no imageSize (never send one)."""

    id: str
    label: str
    max_images: int
    image_sizes: tuple[str, ...]
    aspect_ratios: tuple[str, ...]
    # "stable", "preview", "unverified" (third-party sources only), "retired" (shut down per
    # Google's deprecation page; kept so an old workflow still sends a correct request) or
    # "custom" (an id the Studio does not know).
    status: str = "stable"
    in_picker: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "max_images": self.max_images,
            "image_sizes": list(self.image_sizes),
            "aspect_ratios": list(self.aspect_ratios),
            "status": self.status,
        }


# The Studio's default: Nano Banana 2, GA since 2026-05-28 and Google's named replacement for
# gemini-2.5-flash-image. (A single third-party source claims a 2026-10-29 shutdown; Google's pages
# do not. If it ever 404s, ModelNotFound tells the user to pick another model.)
DEFAULT_MODEL = "gemini-3.1-flash-image"

_MODELS = (
    ImageModel("gemini-3.1-flash-image", "Nano Banana 2", 14, ALL_IMAGE_SIZES, ASPECT_RATIOS_14),
    ImageModel("gemini-3-pro-image", "Nano Banana Pro", 14, ("1K", "2K", "4K"), ASPECT_RATIOS_10),
    # 1K only: offered so the picker shows it, sent as "1K" when chosen (the default anyway).
    # The input image limit is not documented; 14 like its 3.1 sibling, the API has the last word.
    ImageModel("gemini-3.1-flash-lite-image", "Nano Banana 2 Lite", 14, ("1K",), ASPECT_RATIOS_14),
    # Seen only in third-party sources (from 2026-10); "512 tier rejected".
    ImageModel(
        "gemini-nano-banana-2.1",
        "Nano Banana 2.1",
        14,
        ("1K", "2K", "4K"),
        ASPECT_RATIOS_14,
        status="unverified",
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
    # correctly, so a workflow naming one gets a well-formed request and a clear 404 if gone.
    ImageModel(
        "gemini-2.5-flash-image",
        "Nano Banana",
        3,
        (),
        ASPECT_RATIOS_10,
        status="retired",
        in_picker=False,
    ),
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
    return ImageModel(model_id, model_id, 14, ALL_IMAGE_SIZES, ASPECT_RATIOS_14, status="custom", in_picker=False)


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
