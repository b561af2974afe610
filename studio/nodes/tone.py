"""Tone nodes: threshold, auto contrast, levels, posterize, opacity and channel extraction."""

from __future__ import annotations

from ..backend import pixel_math
from ..backend.protocol import CHANNELS, Image
from ..core.catalog import node
from ..core.context import NodeContext
from ..core.errors import NodeInputError
from ..core.params import ChoiceParam, FloatParam, IntParam
from .common import IMAGE_IN, IMAGE_OUT, Outputs


@node(
    "transform.threshold",
    title="Threshold",
    category="Filter",
    help="Black and white: pixels at least as bright as the level turn white, the rest black.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(
        IntParam("level", 128, help="Brightness (luma 0-255) from which a pixel is white.", min=0, max=255, step=1),
    ),
)
async def threshold(ctx: NodeContext, *, image: Image, level: int) -> Outputs:
    return {"image": await ctx.backend.threshold(image, level)}


@node(
    "transform.normalize",
    title="Auto contrast",
    category="Filter",
    help="Stretch the tones so the darkest pixels become black and the brightest white.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(
        FloatParam(
            "cutoff", 0.5, help="Percent of the darkest and of the brightest pixels to ignore.", min=0, max=20, step=0.1
        ),
        ChoiceParam(
            "mode",
            "together",
            choices=("together", "channels"),
            help="together keeps the colors' balance; channels stretches R, G and B each (also fixes a cast).",
        ),
    ),
)
async def normalize(ctx: NodeContext, *, image: Image, cutoff: float, mode: str) -> Outputs:
    counts = await ctx.backend.histogram(image)
    bounds = [pixel_math.cutoff_bounds(counts[c * 256 : (c + 1) * 256], cutoff) for c in range(3)]
    if any(b is None for b in bounds):
        ctx.note("the picture is fully transparent: nothing to stretch")
        return {"image": image}
    lows = [b[0] for b in bounds]  # type: ignore[index]
    highs = [b[1] for b in bounds]  # type: ignore[index]
    if mode == "together":
        lows, highs = [min(lows)] * 3, [max(highs)] * 3
    black, white = [], []
    for low, high in zip(lows, highs, strict=True):
        # A channel of one value has nothing to stretch: leave it as it is.
        black.append(low if high > low else 0)
        white.append(high if high > low else 255)
    if black == [0, 0, 0] and white == [255, 255, 255]:
        return {"image": image}
    return {"image": await ctx.backend.levels(image, tuple(black), tuple(white), 1.0)}


@node(
    "transform.levels",
    title="Levels",
    category="Filter",
    help="Set the black and white points and the midtone gamma.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(
        IntParam("black", 0, help="Input level that becomes black.", min=0, max=255, step=1),
        IntParam("white", 255, help="Input level that becomes white.", min=0, max=255, step=1),
        FloatParam("gamma", 1.0, help="Midtones: above 1 brighter, below 1 darker.", min=0.1, max=10, step=0.05),
    ),
)
async def levels(ctx: NodeContext, *, image: Image, black: int, white: int, gamma: float) -> Outputs:
    if black >= white:
        raise NodeInputError(f"black ({black}) must be below white ({white})")
    if (black, white, gamma) == (0, 255, 1):
        return {"image": image}
    return {"image": await ctx.backend.levels(image, (black,) * 3, (white,) * 3, gamma)}


@node(
    "transform.posterize",
    title="Posterize",
    category="Filter",
    help="Reduce each color channel to a few evenly spaced levels, for a poster look.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(IntParam("levels", 4, help="Levels per channel (2 = pure colors).", min=2, max=64, step=1),),
)
async def posterize(ctx: NodeContext, *, image: Image, levels: int) -> Outputs:
    return {"image": await ctx.backend.posterize(image, levels)}


@node(
    "transform.opacity",
    title="Opacity",
    category="Filter",
    help="Make the image see-through: its alpha multiplied by the opacity.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(FloatParam("opacity", 0.5, help="0 invisible, 1 unchanged.", min=0, max=1, step=0.05),),
)
async def opacity(ctx: NodeContext, *, image: Image, opacity: float) -> Outputs:
    if opacity == 1:
        return {"image": image}
    return {"image": await ctx.backend.opacity(image, opacity)}


@node(
    "transform.channel",
    title="Channel",
    category="Filter",
    help="One channel (red, green, blue or alpha) as a grey picture, e.g. to use as a mask.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(ChoiceParam("channel", "red", choices=CHANNELS, help="Which channel to extract."),),
)
async def channel(ctx: NodeContext, *, image: Image, channel: str) -> Outputs:
    return {"image": await ctx.backend.channel(image, channel)}
