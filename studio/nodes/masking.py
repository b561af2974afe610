"""Compose nodes of the second wave: a mask into alpha, chroma key, and a contact-sheet grid."""

from __future__ import annotations

import math

from ..backend.protocol import MASK_SOURCES, MAX_SIDE, Image, ImageBackend
from ..core.catalog import IMAGE, PortSpec, node
from ..core.context import NodeContext
from ..core.errors import NodeInputError
from ..core.params import BoolParam, ChoiceParam, ColorParam, FloatParam, IntParam
from .common import IMAGE_OUT, Outputs, ensure_size, rgba
from .geometry import fit_box

# The farthest two RGB colors are apart: sqrt(3) x 255.
MAX_DISTANCE = 442


@node(
    "compose.mask",
    title="Mask",
    category="Compose",
    help="Cut the image out with a mask: white (or opaque) parts of the mask keep it, black parts hide it.",
    inputs=(
        PortSpec("image", IMAGE, help="The image to cut out."),
        PortSpec("mask", IMAGE, help="The mask (stretched to the image's size if it differs)."),
    ),
    outputs=IMAGE_OUT,
    params=(
        ChoiceParam("source", "luminance", choices=MASK_SOURCES, help="Use the mask's brightness or its alpha."),
        BoolParam("invert", False, help="Keep what the mask hides instead."),
    ),
)
async def mask(ctx: NodeContext, *, image: Image, mask: Image, source: str, invert: bool) -> Outputs:
    size = ctx.backend.size(image)
    if ctx.backend.size(mask) != size:
        ctx.note(f"mask stretched from {ctx.backend.size(mask)[0]} x {ctx.backend.size(mask)[1]} to the image")
        mask = await ctx.backend.resize(mask, *size)
    return {"image": await ctx.backend.mask(image, mask, source, invert)}


@node(
    "compose.chroma_key",
    title="Chroma key",
    category="Compose",
    help="Make one color transparent (a green screen, a white studio backdrop), with a soft edge.",
    inputs=(PortSpec("image", IMAGE, help="The image to key."),),
    outputs=IMAGE_OUT,
    params=(
        ColorParam("color", "#00ff00", help="The color to remove."),
        FloatParam(
            "tolerance", 60, help="Colors this close (RGB distance, 0-442) vanish.", min=0, max=MAX_DISTANCE, step=1
        ),
        FloatParam(
            "softness", 40, help="Over this much more distance they fade back in.", min=0, max=MAX_DISTANCE, step=1
        ),
    ),
)
async def chroma_key(ctx: NodeContext, *, image: Image, color: str, tolerance: float, softness: float) -> Outputs:
    return {"image": await ctx.backend.chroma_key(image, rgba(color), tolerance, softness)}


@node(
    "compose.grid",
    title="Grid",
    category="Compose",
    help="A contact sheet: every connected image in a cell, in the order they were connected.",
    inputs=(PortSpec("images", IMAGE, multiple=True, help="The pictures, left to right and top to bottom."),),
    outputs=IMAGE_OUT,
    params=(
        IntParam("columns", 3, help="Cells per row.", min=1, max=64, step=1),
        IntParam("cell_width", 256, help="Cell width in pixels.", min=1, max=MAX_SIDE, step=1),
        IntParam("cell_height", 256, help="Cell height in pixels.", min=1, max=MAX_SIDE, step=1),
        IntParam("gap", 8, help="Space between cells and around them, in pixels.", min=0, max=1024, step=1),
        ChoiceParam(
            "fit",
            "contain",
            choices=("contain", "cover"),
            help="contain shows all of each picture; cover fills the cell.",
        ),
        ColorParam("background", "#ffffff", help="Color behind and between the cells."),
    ),
)
async def grid(
    ctx: NodeContext,
    *,
    images: list[Image],
    columns: int,
    cell_width: int,
    cell_height: int,
    gap: int,
    fit: str,
    background: str,
) -> Outputs:
    if not images:
        raise NodeInputError("connect at least one image to the images input")
    backend = ctx.backend
    columns = min(columns, len(images))
    rows = math.ceil(len(images) / columns)
    width = columns * cell_width + (columns + 1) * gap
    height = rows * cell_height + (rows + 1) * gap
    ensure_size(width, height)
    sheet = await backend.solid(width, height, rgba(background))
    for index, picture in enumerate(images):
        ctx.check_cancelled()
        cell = await _fit_cell(backend, picture, cell_width, cell_height, fit)
        cw, ch = backend.size(cell)
        column, row = index % columns, index // columns
        x = gap + column * (cell_width + gap) + (cell_width - cw) // 2
        y = gap + row * (cell_height + gap) + (cell_height - ch) // 2
        sheet = await backend.overlay(sheet, cell, x, y, 1.0, "normal")
    return {"image": sheet}


async def _fit_cell(backend: ImageBackend, picture: Image, cell_width: int, cell_height: int, fit: str) -> Image:
    width, height = backend.size(picture)
    new_w, new_h = fit_box(width, height, cell_width, cell_height, fit)
    if (new_w, new_h) != (width, height):
        picture = await backend.resize(picture, new_w, new_h)
    if fit == "cover" and (new_w, new_h) != (cell_width, cell_height):
        left, top = (new_w - cell_width) // 2, (new_h - cell_height) // 2
        picture = await backend.crop(picture, left, top, cell_width, cell_height)
    return picture
