"""Colour nodes: adjust, grayscale, invert, sepia, tint."""

from __future__ import annotations

from ..backend.protocol import Image
from ..core.catalog import node
from ..core.context import NodeContext
from ..core.params import ColorParam, FloatParam
from .common import IMAGE_IN, IMAGE_OUT, Outputs, rgba


@node(
    "transform.adjust",
    title="Adjust",
    category="Filter",
    help="Brightness, contrast, saturation (1 = unchanged) and hue rotation.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(
        FloatParam("brightness", 1.0, help="1 unchanged, 0 black, 2 twice as bright.", min=0, max=4, step=0.05),
        FloatParam("contrast", 1.0, help="1 unchanged, 0 flat grey.", min=0, max=4, step=0.05),
        FloatParam("saturation", 1.0, help="1 unchanged, 0 grey, 2 vivid.", min=0, max=4, step=0.05),
        FloatParam("hue", 0.0, help="Rotate hues by degrees.", min=-360, max=360, step=1),
    ),
)
async def adjust(
    ctx: NodeContext, *, image: Image, brightness: float, contrast: float, saturation: float, hue: float
) -> Outputs:
    if (brightness, contrast, saturation, hue % 360) == (1, 1, 1, 0):
        return {"image": image}
    return {"image": await ctx.backend.adjust(image, brightness, contrast, saturation, hue)}


@node(
    "transform.grayscale",
    title="Grayscale",
    category="Filter",
    help="Shades of grey by luminance.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
)
async def grayscale(ctx: NodeContext, *, image: Image) -> Outputs:
    return {"image": await ctx.backend.grayscale(image)}


@node(
    "transform.invert",
    title="Invert",
    category="Filter",
    help="Negative: each color to its complement.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
)
async def invert(ctx: NodeContext, *, image: Image) -> Outputs:
    return {"image": await ctx.backend.invert(image)}


@node(
    "transform.sepia",
    title="Sepia",
    category="Filter",
    help="Warm old-photo tones.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
)
async def sepia(ctx: NodeContext, *, image: Image) -> Outputs:
    return {"image": await ctx.backend.sepia(image)}


@node(
    "transform.tint",
    title="Tint",
    category="Filter",
    help="Wash the image with a color.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(
        ColorParam("color", "#ff8800", help="The tint color."),
        FloatParam("amount", 0.5, help="0 none, 1 fully the color.", min=0, max=1, step=0.05),
    ),
)
async def tint(ctx: NodeContext, *, image: Image, color: str, amount: float) -> Outputs:
    if amount == 0:
        return {"image": image}
    return {"image": await ctx.backend.tint(image, rgba(color), amount)}
