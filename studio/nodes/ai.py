"""AI nodes on Gemini: AI Edit (image + instruction → image, with follow-up turns) and AI Generate.

The conversation lives in `Node.data`:
- `followups`: instructions sent after the first prompt (the user's intent; part of the cache key),
- `selected`: which turn's image flows downstream (None = the latest; part of the cache key),
- `turns`: what Gemini answered, one entry per instruction, each with the user and model contents
  exactly as sent and received (thought signatures included), so that a follow-up echoes them,
- `basis`: the digest of params and inputs the turns belong to; when it changes the
  conversation starts over.
A re-run with the same basis replays the recorded turns without calling the API (no cost after a
reload); "run again" (force) asks Gemini afresh for the latest turn.
"""

from __future__ import annotations

from typing import Any

from ..core.catalog import IMAGE, TEXT, PortSpec, node
from ..core.errors import StudioError
from ..core.params import ChoiceParam, TextParam
from ..gemini.models import ALL_IMAGE_SIZES, ASPECT_RATIOS_14, AUTO, DEFAULT_MODEL, PICKER_MODELS, resolve_model
from ..gemini.response import image_in_content
from .ai_data import check_ai_data
from .ai_inputs import prepare_images

STATE_KEYS = ("followups", "selected")
MODEL_HELP = "A Gemini image model id; pick one or type a newer id."


def ai_params(default_ratio: str) -> tuple:
    return (
        TextParam("prompt", "", help="What Gemini should do.", multiline=True, max_length=8000),
        TextParam(
            "model", DEFAULT_MODEL, help=MODEL_HELP, max_length=128, suggestions=tuple(m.id for m in PICKER_MODELS)
        ),
        ChoiceParam(
            "aspect_ratio",
            default_ratio,
            choices=(AUTO,) + ASPECT_RATIOS_14,
            help="Shape of the result; auto keeps the input's.",
        ),
        ChoiceParam("image_size", "1K", choices=ALL_IMAGE_SIZES, help="Resolution tier, where the model offers one."),
    )


AI_OUTPUTS = (
    PortSpec("image", IMAGE, help="The image Gemini returned."),
    PortSpec("text", TEXT, required=False, help="Any text Gemini returned with it."),
)


@node(
    "ai.edit",
    title="AI Edit",
    category="AI",
    help="Send the image and an instruction to Gemini; continue with the edited image.",
    inputs=(
        PortSpec("image", IMAGE, help="The image to edit."),
        PortSpec("references", IMAGE, required=False, multiple=True, help="Extra reference images."),
    ),
    outputs=AI_OUTPUTS,
    params=ai_params(AUTO),
    deterministic=False,
    state_keys=STATE_KEYS,
    check_data=check_ai_data,
)
async def ai_edit(ctx, *, image, references, prompt, model, aspect_ratio, image_size):
    images = [image, *references]
    return await converse(ctx, images, prompt, model, aspect_ratio, image_size)


@node(
    "ai.generate",
    title="AI Generate",
    category="AI",
    help="Ask Gemini for a new image from a description.",
    outputs=AI_OUTPUTS,
    params=ai_params("1:1"),
    deterministic=False,
    state_keys=STATE_KEYS,
    check_data=check_ai_data,
)
async def ai_generate(ctx, *, prompt, model, aspect_ratio, image_size):
    return await converse(ctx, [], prompt, model, aspect_ratio, image_size)


async def converse(ctx, images: list, prompt: str, model: str, aspect_ratio: str, image_size: str) -> dict[str, Any]:
    data = ctx.node.data
    wanted = [prompt, *[str(f) for f in data.get("followups", [])]]
    turns = list(data.get("turns", [])) if data.get("basis") == ctx.basis else []
    turns = _matching_prefix(turns, wanted)
    if ctx.force and len(turns) == len(wanted):
        turns.pop()  # "run again": ask afresh for the latest instruction

    received: dict[int, bytes] = {}  # images decoded by the client this run: not decoded twice
    if len(turns) < len(wanted):
        if ctx.offline:
            raise StudioError("not run yet: press Run to send this to Gemini")
        client = ctx.service("gemini")
        size = image_size if resolve_model(model).image_sizes else None
        if image_size and size is None:
            ctx.note(f"{model} has no size choice: image_size {image_size} not sent")
        first_images = await prepare_images(ctx, images) if not turns else []
        for instruction in wanted[len(turns) :]:
            history = [content for turn in turns for content in (turn["user"], turn["model"])]
            result = await client.generate(
                prompt=instruction,
                images=first_images if not history else [],
                model=model,
                aspect_ratio=aspect_ratio,
                image_size=size,
                history=history,
                check_cancelled=ctx.check_cancelled,
                on_retry=lambda error, seconds, attempt: ctx.note(f"retry {attempt} after {seconds:.0f} s: {error}"),
            )
            turns.append(
                {"prompt": instruction, "user": result.user_content, "model": result.model_content, "text": result.text}
            )
            received[len(turns) - 1] = result.image
            # Record each turn as it arrives: a failure on a later follow-up keeps the earlier ones.
            data["turns"], data["basis"] = list(turns), ctx.basis

    data["turns"], data["basis"] = turns, ctx.basis
    selected = data.get("selected")
    index = selected if isinstance(selected, int) and 0 <= selected < len(turns) else len(turns) - 1
    picture = received.get(index) or image_in_content(turns[index]["model"])[0]
    return {"image": await ctx.backend.decode(picture), "text": turns[index]["text"]}


def _matching_prefix(turns: list[dict[str, Any]], wanted: list[str]) -> list[dict[str, Any]]:
    kept = []
    for turn, instruction in zip(turns, wanted, strict=False):
        if not isinstance(turn, dict) or turn.get("prompt") != instruction or not {"user", "model"} <= set(turn):
            break
        kept.append(turn)
    return kept
