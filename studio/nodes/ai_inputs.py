"""Getting node images ready for Gemini: downscale very large ones, encode compactly; count the image slots."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.context import NodeContext
from ..core.fit import fit_within
from ..gemini.models import resolve_model
from ..gemini.notes import DOWNSCALED

# Gemini's image models work at up to 4K; larger inputs only cost upload time and request size
# (the request must stay under the API's limit, see studio/gemini/request.py).
MAX_INPUT_SIDE = 3072
# Below this many pixels PNG is small enough and keeps alpha; above, JPEG keeps requests light.
PNG_PIXEL_LIMIT = 1024 * 1024
JPEG_QUALITY = 92

Notify = Callable[[str, str], Any]  # (note kind, text)


async def prepare_images(ctx: NodeContext, images: list[Any], notify: Notify | None = None) -> list[bytes]:
    """Encoded bytes for each image, downscaled to MAX_INPUT_SIDE with a visible note."""
    tell = notify or (lambda kind, text: ctx.note(text))
    encoded = []
    for index, image in enumerate(images, start=1):
        ctx.check_cancelled()
        width, height = ctx.backend.size(image)
        new_size = fit_within(width, height, MAX_INPUT_SIDE)
        if new_size is not None:
            image = await ctx.backend.resize(image, *new_size)
            tell(
                DOWNSCALED,
                f"input {index} downscaled from {width} x {height} to {new_size[0]} x {new_size[1]} for Gemini",
            )
            width, height = new_size
        if width * height <= PNG_PIXEL_LIMIT:
            encoded.append(await ctx.backend.encode(image, "png", 100))
        else:
            encoded.append(await ctx.backend.encode(image, "jpeg", JPEG_QUALITY))
    return encoded


def image_slots(node_type: str, model: str, connected_references: int) -> dict[str, Any]:
    """The reference slots an AI node shows: how many images go to Gemini, the model's limit, and
    how many reference ports to draw (the connected ones plus one free slot, up to the limit).

    AI Edit sends its `image` plus the references; AI Generate sends the references only
    (it has none today). `label` is what the node shows, e.g. "3 of 14 images".
    """
    limit = resolve_model(model).max_images
    base = 1 if node_type == "ai.edit" else 0
    used = base + max(0, connected_references)
    free_refs = max(0, limit - base)  # reference slots the model leaves
    # The connected ones (all of them, even over the limit: that is an error to show) plus one free slot.
    shown = max(connected_references, min(free_refs, connected_references + 1))
    noun = "image" if limit == 1 else "images"
    return {
        "used": used,
        "limit": limit,
        "slots": shown,
        "references": free_refs,  # how many references the model takes beside the picture
        "full": used >= limit,
        "over": used > limit,
        "label": f"{used} of {limit} {noun}",
    }


def no_room_for_a_reference(node_type: str, model: str, connected_references: int) -> str | None:
    """Why one more reference cannot be connected (the model's image limit is reached), or None."""
    slots = image_slots(node_type, model, connected_references)
    if not slots["full"]:
        return None
    model_id = resolve_model(model).id
    carried = "its picture and " if node_type == "ai.edit" else ""
    return (
        f"{model_id} takes at most {slots['limit']} images ({carried}{slots['references']} references),"
        " and this node has"
        f" {slots['used']}: disconnect a reference first, or pick a model that takes more"
    )
