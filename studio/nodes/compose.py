"""Compose nodes: overlay one image on another, draw text."""

from __future__ import annotations

from typing import Any

from ..backend.protocol import BLEND_MODES, MAX_SIDE, TEXT_POSITIONS, Image
from ..core.catalog import IMAGE, TEXT, PortSpec, node
from ..core.context import NodeContext
from ..core.params import ChoiceParam, ColorParam, FloatParam, IntParam, TextParam
from .common import IMAGE_IN, IMAGE_OUT, Outputs, rgba

OFFSET: dict[str, Any] = {"min": -MAX_SIDE, "max": MAX_SIDE, "step": 1, "slider": False}


@node(
    "compose.overlay",
    title="Overlay",
    category="Compose",
    help="Place one image over another at a position, with opacity and a blend mode.",
    inputs=(
        PortSpec("base", IMAGE, help="The image underneath (sets the size)."),
        PortSpec("overlay", IMAGE, help="The image placed on top."),
    ),
    outputs=IMAGE_OUT,
    params=(
        IntParam("x", 0, help="Left edge of the overlay on the base.", **OFFSET),
        IntParam("y", 0, help="Top edge of the overlay on the base.", **OFFSET),
        FloatParam("opacity", 1.0, help="0 invisible, 1 opaque.", min=0, max=1, step=0.05),
        ChoiceParam("blend", "normal", choices=BLEND_MODES, help="How colors combine."),
    ),
)
async def overlay(
    ctx: NodeContext, *, base: Image, overlay: Image, x: int, y: int, opacity: float, blend: str
) -> Outputs:
    if opacity == 0:
        return {"image": base}
    return {"image": await ctx.backend.overlay(base, overlay, x, y, opacity, blend)}


@node(
    "compose.text",
    title="Text",
    category="Compose",
    help="Write a caption across the image; connect a text (e.g. AI Edit's) to write that instead.",
    inputs=(
        *IMAGE_IN,
        # Not named "text": a port and a param may not share a name (studio/core/catalog.py).
        PortSpec(
            "caption",
            TEXT,
            required=False,
            help="Text from another node (e.g. what Gemini said); when connected it replaces the text param.",
        ),
    ),
    outputs=IMAGE_OUT,
    params=(
        TextParam("text", "Hello", help="The words (new lines allowed).", multiline=True, max_length=2000),
        IntParam("size", 32, help="Letter height in pixels.", min=4, max=1024, step=1),
        ColorParam("color", "#ffffff", help="Text color."),
        ChoiceParam("position", "bottom", choices=TEXT_POSITIONS, help="Where the text goes."),
        ColorParam("background", None, optional=True, help="Optional band behind the text."),
    ),
)
async def text(
    ctx: NodeContext,
    *,
    image: Image,
    caption: str | None,
    text: str,
    size: int,
    color: str,
    position: str,
    background: str | None,
) -> Outputs:
    if caption is not None:  # connected (an unconnected optional input arrives as None)
        text = str(caption)[:2000]
    if not text.strip() and background is None:
        return {"image": image}
    band = rgba(background) if background else None
    return {"image": await ctx.backend.text(image, text, size, rgba(color), position, band)}
