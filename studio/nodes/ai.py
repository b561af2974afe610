"""AI nodes on Gemini: AI Edit (image + instruction → image, with follow-up turns) and AI Generate.

The conversation lives in `Node.data`:
- `followups`: instructions sent after the first prompt (the user's intent; part of the cache key),
- `selected`: which turn's image flows downstream (None = the latest; part of the cache key),
- `turns`: what Gemini answered, one `Turn` per instruction (studio/nodes/conversation.py),
  recorded by the body through `ctx.record`, never written by it into the graph,
- `basis`: the digest of params and inputs the turns belong to, kept by the executor beside them
  (studio/core/recording.py); when it changes the conversation starts over.
A re-run with the same basis replays the recorded turns without calling the API (no cost after a
reload); "run again" (force) asks Gemini afresh for the latest turn.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from ..backend.protocol import Image
from ..core.catalog import IMAGE, IMAGES, TEXT, PortSpec, node
from ..core.context import NodeContext
from ..core.errors import StudioError
from ..core.params import BoolParam, ChoiceParam, Param, TextParam
from ..gemini.models import (
    ALL_IMAGE_SIZES,
    ASPECT_RATIOS_14,
    AUTO,
    DEFAULT_MODEL,
    KNOWN_MODELS,
    PICKER_MODELS,
    ImageModel,
    resolve_model,
)
from ..gemini.notes import NOT_SENT
from ..gemini.pricing import Estimate, estimate, usage_summary
from ..gemini.response import image_in_content, thought_images_in_content
from .ai_data import check_ai_data
from .ai_inputs import prepare_images
from .conversation import RECORDS, STATE_KEYS, TURNS, Turn, plan_turns

MODEL_HELP = "A Gemini image model id; pick one or type a newer id."
# The node's thinking choices; "default" sends none (the model's own default).
THINKING_CHOICES = ("default", "minimal", "medium", "high")


def _sizes(model: ImageModel) -> tuple[str, ...]:
    # A model without sizes (1024-class only) shows 1K, the size it makes; none is sent.
    return model.image_sizes or ("1K",)


def _thinking(model: ImageModel) -> tuple[str, ...]:
    return ("default", *(level.lower() for level in model.thinking_levels))


def model_choices(pick: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """For ChoiceParam.choices_for: each known model id -> its choices (`pick(model)`)."""
    return tuple((model.id, tuple(pick(model))) for model in KNOWN_MODELS.values())


def ai_params(default_ratio: str) -> tuple[Param, ...]:
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
            depends_on="model",
            choices_for=model_choices(lambda m: (AUTO, *m.aspect_ratios)),
        ),
        ChoiceParam(
            "image_size",
            "1K",
            choices=ALL_IMAGE_SIZES,
            help="Resolution tier, where the model offers one.",
            depends_on="model",
            choices_for=model_choices(_sizes),
        ),
        ChoiceParam(
            "thinking_level",
            "default",
            choices=THINKING_CHOICES,
            help="How long the model thinks before drawing (higher: slower, may cost more).",
            depends_on="model",
            choices_for=model_choices(_thinking),
        ),
        TextParam(
            "system_prompt",
            "",
            help="Optional standing instructions sent with every turn (Gemini's system instruction).",
            multiline=True,
            max_length=8000,
        ),
        BoolParam(
            "include_thoughts",
            False,
            help="Also return the model's interim drafts (thought images, not charged) on the thoughts output.",
        ),
    )


AI_OUTPUTS = (
    PortSpec("image", IMAGE, help="The image Gemini returned."),
    PortSpec("text", TEXT, required=False, help="Any text Gemini returned with it."),
    PortSpec(
        "thoughts",
        IMAGES,
        required=False,
        help="The model's interim drafts (a list of images; empty unless include_thoughts is on). Never the result.",
    ),
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
    records=RECORDS,
    services=("gemini",),
    check_data=check_ai_data,
)
async def ai_edit(
    ctx: NodeContext,
    *,
    image: Image,
    references: list[Image],
    prompt: str,
    model: str,
    aspect_ratio: str,
    image_size: str,
    thinking_level: str,
    system_prompt: str,
    include_thoughts: bool,
) -> dict[str, Any]:
    images = [image, *references]
    settings = Settings(model, aspect_ratio, image_size, thinking_level, system_prompt, include_thoughts)
    return await converse(ctx, images, prompt, settings)


@node(
    "ai.generate",
    title="AI Generate",
    category="AI",
    help="Ask Gemini for a new image from a description.",
    outputs=AI_OUTPUTS,
    params=ai_params("1:1"),
    deterministic=False,
    state_keys=STATE_KEYS,
    records=RECORDS,
    services=("gemini",),
    check_data=check_ai_data,
)
async def ai_generate(
    ctx: NodeContext,
    *,
    prompt: str,
    model: str,
    aspect_ratio: str,
    image_size: str,
    thinking_level: str,
    system_prompt: str,
    include_thoughts: bool,
) -> dict[str, Any]:
    settings = Settings(model, aspect_ratio, image_size, thinking_level, system_prompt, include_thoughts)
    return await converse(ctx, [], prompt, settings)


@dataclass(frozen=True)
class Settings:
    """The params of one AI node that shape its requests."""

    model: str
    aspect_ratio: str = AUTO
    image_size: str | None = "1K"
    thinking_level: str = "default"
    system_prompt: str = ""
    include_thoughts: bool = False


def _note(ctx: Any, client: Any, kind: str, text: str) -> None:
    """A remark kept with the run's result and told at once to the client's listeners."""
    ctx.note(text)
    tell = getattr(client, "note", None)
    if callable(tell):
        tell(kind, text, ctx.node_id)


async def converse(ctx: NodeContext, images: list[Image], prompt: str, settings: Settings) -> dict[str, Any]:
    wanted, turns = plan_turns(prompt, ctx.state, ctx.recorded, force=ctx.force)
    received: dict[int, tuple[bytes, tuple[bytes, ...]]] = {}  # decoded this run: not decoded twice
    if len(turns) < len(wanted):
        if ctx.offline:
            raise StudioError("not run yet: press Run to send this to Gemini")
        client = ctx.service("gemini")
        spec = resolve_model(settings.model)
        size = settings.image_size if spec.image_sizes else None
        if settings.image_size and size is None:
            _note(
                ctx, client, NOT_SENT, f"{settings.model} has no size choice: image_size {settings.image_size} not sent"
            )
        notify = functools.partial(_note, ctx, client)
        first_images = await prepare_images(ctx, images, notify=notify) if not turns else []
        for instruction in wanted[len(turns) :]:
            history = [content for turn in turns for content in (turn.user, turn.model)]
            result = await client.generate(
                prompt=instruction,
                images=first_images if not history else [],
                model=settings.model,
                aspect_ratio=settings.aspect_ratio,
                image_size=size,
                thinking_level=settings.thinking_level,
                system_prompt=settings.system_prompt or None,
                include_thoughts=settings.include_thoughts,
                history=history,
                check_cancelled=ctx.check_cancelled,
                on_retry=lambda error, seconds, attempt: ctx.note(f"retry {attempt} after {seconds:.0f} s: {error}"),
                source=ctx.node_id,
            )
            usage = usage_summary(
                result.usage, spec.id, image_size=size, thinking_level=_level(settings.thinking_level)
            ).to_json()
            turns.append(Turn(instruction, result.user_content, result.model_content, result.text, usage))
            received[len(turns) - 1] = (result.image, result.thoughts)
            # Record each turn as it arrives: a failure on a later follow-up keeps the earlier ones.
            ctx.record(turns=[turn.to_json() for turn in turns])

    recorded = ctx.recorded.get(TURNS)
    if isinstance(recorded, list) and len(turns) < len(recorded):
        # Fewer turns answer the instructions than were recorded (a follow-up was dropped or
        # changed): the conversation is cut to them.
        ctx.record(turns=[turn.to_json() for turn in turns])
    selected = ctx.state.get("selected")
    index = selected if isinstance(selected, int) and 0 <= selected < len(turns) else len(turns) - 1
    if index in received:
        picture, drafts = received[index]
    else:
        model_content = turns[index].model or {}
        picture = image_in_content(model_content)[0]
        drafts = tuple(found for found, _ in thought_images_in_content(model_content))
    thoughts = [await ctx.backend.decode(draft) for draft in drafts] if settings.include_thoughts else []
    return {"image": await ctx.backend.decode(picture), "text": turns[index].text, "thoughts": thoughts}


def _level(thinking_level: str) -> str | None:
    return None if thinking_level in ("", "default") else thinking_level.upper()


def call_estimate(params: dict[str, Any], calls: int = 1) -> Estimate:
    """The estimated price of `calls` calls with these node params (defaults for those left out)."""
    return estimate(priced_calls(params, calls))


def priced_calls(params: dict[str, Any], calls: int = 1) -> list[tuple[str, str | None, str | None]]:
    """`calls` calls with these node params as the price table reads them: (model, size, level)."""
    model = str(params.get("model") or DEFAULT_MODEL)
    spec = resolve_model(model)
    size = params.get("image_size", "1K") if spec.image_sizes else None
    level = _level(str(params.get("thinking_level") or "default"))
    return [(spec.id, size, level)] * max(0, calls)


def last_usage(data: dict[str, Any]) -> dict[str, Any] | None:
    """The usage kept with the node's shown step (selected, else the latest), if any."""
    turns = data.get("turns")
    if not isinstance(turns, list) or not turns:
        return None
    selected = data.get("selected")
    turn = turns[selected] if isinstance(selected, int) and 0 <= selected < len(turns) else turns[-1]
    usage = turn.get("usage") if isinstance(turn, dict) else None
    return usage if isinstance(usage, dict) else None
