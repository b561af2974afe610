"""Effect nodes: pixelate, seeded noise, vignette, edges / emboss and trim."""

from __future__ import annotations

from ..backend import pixel_math
from ..backend.protocol import Image
from ..core.catalog import node
from ..core.context import NodeContext
from ..core.params import BoolParam, ChoiceParam, ColorParam, FloatParam, IntParam
from .common import IMAGE_IN, IMAGE_OUT, Outputs, rgba

# 3x3 kernels by rows, with the offset added after (in 0..255 levels).
KERNELS: dict[str, tuple[tuple[float, ...], float]] = {
    # 8-neighbour Laplacian: flat areas turn black, edges bright.
    "edges": ((-1, -1, -1, -1, 8, -1, -1, -1, -1), 0.0),
    # Light from the top-left on a mid-grey relief.
    "emboss": ((-1, -1, 0, -1, 0, 1, 0, 1, 1), 128.0),
}
MAX_SEED = 2**31 - 1


@node(
    "transform.pixelate",
    title="Pixelate",
    category="Filter",
    help="Big square pixels: each block becomes its average color.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(IntParam("size", 8, help="Block size in pixels.", min=1, max=512, step=1),),
)
async def pixelate(ctx: NodeContext, *, image: Image, size: int) -> Outputs:
    if size == 1:
        return {"image": image}
    return {"image": await ctx.backend.pixelate(image, size)}


@node(
    "transform.noise",
    title="Noise",
    category="Filter",
    help="Film grain. The same seed always gives the same grain, so results cache and repeat.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(
        FloatParam("amount", 0.2, help="Strength: 1 shifts a channel by up to 127 levels.", min=0, max=1, step=0.01),
        BoolParam("mono", True, help="The same grain on red, green and blue (no colored speckles)."),
        IntParam("seed", 1, help="Which grain: change it for another pattern.", min=0, max=MAX_SEED, slider=False),
    ),
)
async def noise(ctx: NodeContext, *, image: Image, amount: float, mono: bool, seed: int) -> Outputs:
    if amount == 0:
        return {"image": image}
    width, height = ctx.backend.size(image)
    offsets = pixel_math.noise_offsets(seed, width, height, amount, mono)
    return {"image": await ctx.backend.add_noise(image, offsets)}


@node(
    "transform.vignette",
    title="Vignette",
    category="Filter",
    help="Darken (or tint) the edges and corners, leaving the middle as it is.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(
        FloatParam(
            "amount", 0.6, help="How strong the corners get: 0 none, 1 fully the color.", min=0, max=1, step=0.05
        ),
        FloatParam(
            "start", 0.4, help="Where it begins, from the centre (0) to the corners (1).", min=0, max=0.95, step=0.05
        ),
        ColorParam("color", "#000000", help="The color of the edges."),
    ),
)
async def vignette(ctx: NodeContext, *, image: Image, amount: float, start: float, color: str) -> Outputs:
    if amount == 0:
        return {"image": image}
    return {"image": await ctx.backend.vignette(image, amount, start, rgba(color))}


@node(
    "transform.edges",
    title="Edges",
    category="Filter",
    help="Edge detection (bright outlines on black) or emboss (a grey relief).",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(ChoiceParam("mode", "edges", choices=tuple(KERNELS), help="Which effect."),),
)
async def edges(ctx: NodeContext, *, image: Image, mode: str) -> Outputs:
    kernel, offset = KERNELS[mode]
    return {"image": await ctx.backend.convolve(image, kernel, offset)}


@node(
    "transform.trim",
    title="Trim",
    category="Transform",
    help="Cut away uniform borders: everything around the content that matches the top-left pixel.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(
        IntParam("tolerance", 10, help="How far (per channel, 0-255) a border pixel may differ.", min=0, max=255),
        IntParam("margin", 0, help="Pixels of border to keep around the content.", min=0, max=4096, step=1),
    ),
)
async def trim(ctx: NodeContext, *, image: Image, tolerance: int, margin: int) -> Outputs:
    width, height = ctx.backend.size(image)
    box = pixel_math.content_box(await ctx.backend.pixels(image), width, height, tolerance)
    if box is None:
        ctx.note("the picture is one uniform color: nothing to trim")
        return {"image": image}
    x, y, w, h = box
    left, top = max(0, x - margin), max(0, y - margin)
    right, bottom = min(width, x + w + margin), min(height, y + h + margin)
    if (left, top, right, bottom) == (0, 0, width, height):
        return {"image": image}
    return {"image": await ctx.backend.crop(image, left, top, right - left, bottom - top)}
