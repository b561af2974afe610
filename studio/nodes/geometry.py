"""Geometry nodes: resize, crop, rotate, flip, pad, round corners."""

from __future__ import annotations

import math
from typing import Any

from ..backend.protocol import MAX_PIXELS, MAX_SIDE, Image
from ..core.catalog import node
from ..core.context import NodeContext
from ..core.errors import NodeInputError
from ..core.params import BoolParam, ChoiceParam, ColorParam, FloatParam, IntParam
from .common import IMAGE_IN, IMAGE_OUT, SIDE, Outputs, ensure_size, rgba

BORDER: dict[str, Any] = {"min": 0, "max": 4096, "step": 1}


def fit_box(width: int, height: int, box_w: int, box_h: int, fit: str) -> tuple[int, int]:
    """The size the image is scaled to before any crop: contain fits inside, cover fills."""
    if fit == "fill":
        return box_w, box_h
    pick = min if fit == "contain" else max
    scale = pick(box_w / width, box_h / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


@node(
    "transform.resize",
    title="Resize",
    category="Transform",
    help="Scale into a box: contain (fit inside), cover (fill and crop the overflow) or fill (stretch).",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(
        IntParam("width", 512, help="Box width in pixels.", **SIDE),
        IntParam("height", 512, help="Box height in pixels.", **SIDE),
        ChoiceParam("fit", "contain", choices=("contain", "cover", "fill"), help="How the image fills the box."),
    ),
)
async def resize(ctx: NodeContext, *, image: Image, width: int, height: int, fit: str) -> Outputs:
    backend = ctx.backend
    src_w, src_h = backend.size(image)
    new_w, new_h = fit_box(src_w, src_h, width, height, fit)
    if fit == "cover":
        # The limit applies to the result (the box): 1 x 1 -> cover 16384 x 4096 was refused
        # for its 16384 x 16384 intermediate.
        ensure_size(width, height)
        if not _fits(new_w, new_h):
            # Crop the source to the box's shape first, so no intermediate is larger than the box.
            scale = max(width / src_w, height / src_h)
            crop_w, crop_h = min(src_w, max(1, round(width / scale))), min(src_h, max(1, round(height / scale)))
            cropped = await backend.crop(image, (src_w - crop_w) // 2, (src_h - crop_h) // 2, crop_w, crop_h)
            return {"image": await backend.resize(cropped, width, height)}
    ensure_size(new_w, new_h)
    result = image if (new_w, new_h) == (src_w, src_h) else await backend.resize(image, new_w, new_h)
    if fit == "cover" and (new_w, new_h) != (width, height):
        left, top = (new_w - width) // 2, (new_h - height) // 2
        result = await backend.crop(result, left, top, width, height)
    return {"image": result}


def _fits(width: int, height: int) -> bool:
    return width <= MAX_SIDE and height <= MAX_SIDE and width * height <= MAX_PIXELS


@node(
    "transform.crop",
    title="Crop",
    category="Transform",
    help="Keep a rectangle of the image; a box reaching past the edge is cut to the image.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(
        IntParam("x", 0, help="Left edge in pixels.", min=0, max=MAX_SIDE, slider=False),
        IntParam("y", 0, help="Top edge in pixels.", min=0, max=MAX_SIDE, slider=False),
        IntParam("width", 256, help="Width in pixels.", **SIDE),
        IntParam("height", 256, help="Height in pixels.", **SIDE),
    ),
)
async def crop(ctx: NodeContext, *, image: Image, x: int, y: int, width: int, height: int) -> Outputs:
    src_w, src_h = ctx.backend.size(image)
    right, bottom = min(x + width, src_w), min(y + height, src_h)
    if x >= src_w or y >= src_h:
        raise NodeInputError(f"the crop box starts at ({x}, {y}), outside the {src_w} x {src_h} image")
    if (right - x, bottom - y) != (width, height):
        ctx.note(f"crop box cut to the image: {right - x} x {bottom - y}")
    return {"image": await ctx.backend.crop(image, x, y, right - x, bottom - y)}


def rotated_size(width: int, height: int, angle: float) -> tuple[int, int]:
    radians = math.radians(angle)
    cos, sin = abs(math.cos(radians)), abs(math.sin(radians))
    # Rounding before round() keeps 90 degrees from giving 1e-16 slivers.
    return round(round(width * cos + height * sin, 6)), round(round(width * sin + height * cos, 6))


@node(
    "transform.rotate",
    title="Rotate",
    category="Transform",
    help="Turn clockwise by an angle; expand grows the canvas so nothing is cut off.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(
        FloatParam("angle", 0.0, help="Degrees, clockwise.", min=-360, max=360, step=1),
        BoolParam("expand", True, help="Grow the canvas to fit the whole rotated image."),
        ColorParam("fill", "#00000000", help="Color of the uncovered corners."),
    ),
)
async def rotate(ctx: NodeContext, *, image: Image, angle: float, expand: bool, fill: str) -> Outputs:
    if angle % 360 == 0:
        return {"image": image}
    if expand:
        width, height = ctx.backend.size(image)
        ensure_size(*rotated_size(width, height, angle))
    return {"image": await ctx.backend.rotate(image, angle, expand, rgba(fill))}


@node(
    "transform.flip",
    title="Flip",
    category="Transform",
    help="Mirror left-right (horizontal) or top-bottom (vertical).",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(ChoiceParam("axis", "horizontal", choices=("horizontal", "vertical"), help="Which way to mirror."),),
)
async def flip(ctx: NodeContext, *, image: Image, axis: str) -> Outputs:
    return {"image": await ctx.backend.flip(image, axis)}


@node(
    "transform.pad",
    title="Pad",
    category="Transform",
    help="Add borders around the image.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(
        IntParam("top", 0, help="Pixels added above.", **BORDER),
        IntParam("right", 0, help="Pixels added on the right.", **BORDER),
        IntParam("bottom", 0, help="Pixels added below.", **BORDER),
        IntParam("left", 0, help="Pixels added on the left.", **BORDER),
        ColorParam("color", "#ffffff", help="Border color."),
    ),
)
async def pad(ctx: NodeContext, *, image: Image, top: int, right: int, bottom: int, left: int, color: str) -> Outputs:
    width, height = ctx.backend.size(image)
    ensure_size(width + left + right, height + top + bottom)
    if not (top or right or bottom or left):
        return {"image": image}
    return {"image": await ctx.backend.pad(image, top, right, bottom, left, rgba(color))}


@node(
    "transform.round_corners",
    title="Round corners",
    category="Transform",
    help="Make the corners transparent along a rounded edge.",
    inputs=IMAGE_IN,
    outputs=IMAGE_OUT,
    params=(IntParam("radius", 16, help="Corner radius in pixels.", min=0, max=4096, step=1),),
)
async def round_corners(ctx: NodeContext, *, image: Image, radius: int) -> Outputs:
    width, height = ctx.backend.size(image)
    radius = min(radius, min(width, height) // 2)
    if radius == 0:
        return {"image": image}
    return {"image": await ctx.backend.round_corners(image, radius)}
