"""Detail filters: blur and sharpen (a picture's edges, not its colours)."""

from __future__ import annotations

from ..backend.protocol import Image
from ..core.catalog import node
from ..core.context import NodeContext
from ..core.params import FloatParam
from .common import IMAGE_IN, IMAGE_OUT, Outputs


@node(
    "transform.blur",
    title="Blur",
    category="Filter",
    help="Gaussian blur.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(
        FloatParam(
            "radius", 2.0, help="Strength: the Gaussian's standard deviation in pixels.", min=0, max=100, step=0.5
        ),
    ),
)
async def blur(ctx: NodeContext, *, image: Image, radius: float) -> Outputs:
    if radius == 0:
        return {"image": image}
    return {"image": await ctx.backend.blur(image, radius)}


@node(
    "transform.sharpen",
    title="Sharpen",
    category="Filter",
    help="Crisp up edges.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(FloatParam("amount", 1.0, help="How strongly edges are sharpened.", min=0, max=5, step=0.1),),
)
async def sharpen(ctx: NodeContext, *, image: Image, amount: float) -> Outputs:
    if amount == 0:
        return {"image": image}
    return {"image": await ctx.backend.sharpen(image, amount)}
