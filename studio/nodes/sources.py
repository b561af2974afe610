"""Source nodes: an uploaded image, a solid color, a gradient."""

from __future__ import annotations

import base64
import binascii

from ..core.catalog import node
from ..core.context import NodeContext
from ..core.errors import NodeInputError
from ..core.params import ColorParam, FloatParam, IntParam, TextParam
from .common import IMAGE_OUT, SIDE, Outputs, ensure_size, rgba


@node(
    "source.image",
    title="Image",
    category="Source",
    help="A picture you upload, drop or paste (on the command line: --input NODE=PATH).",
    outputs=IMAGE_OUT,
    params=(
        TextParam(
            "image",
            "",
            help="The picture: filled in by an upload, or a data: URL in a self-contained file.",
            max_length=200_000_000,
        ),
        TextParam("filename", "", help="The name of the uploaded file, for display."),
    ),
    external_input=True,
)
async def image_source(ctx: NodeContext, *, image: str, filename: str) -> Outputs:
    data = ctx.external
    if data is None and image.startswith("data:"):
        data = decode_data_url(image)
    if data is None:
        raise NodeInputError(
            "no picture yet: upload, drop or paste one onto this node"
            f" (on the command line: --input {ctx.node_id}=PATH)"
        )
    return {"image": await ctx.backend.decode(data)}


def decode_data_url(url: str) -> bytes:
    header, comma, payload = url.partition(",")
    if not comma or ";base64" not in header:
        raise NodeInputError("the embedded picture is not a base64 data: URL")
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise NodeInputError("the embedded picture's base64 data is damaged") from None


@node(
    "source.solid",
    title="Solid color",
    category="Source",
    help="A canvas filled with one color.",
    outputs=IMAGE_OUT,
    params=(
        IntParam("width", 512, help="Width in pixels.", **SIDE),
        IntParam("height", 512, help="Height in pixels.", **SIDE),
        ColorParam("color", "#ffffff", help="Fill color (with optional alpha)."),
    ),
)
async def solid(ctx: NodeContext, *, width: int, height: int, color: str) -> Outputs:
    ensure_size(width, height)
    return {"image": await ctx.backend.solid(width, height, rgba(color))}


@node(
    "source.gradient",
    title="Gradient",
    category="Source",
    help="A linear gradient between two colors.",
    outputs=IMAGE_OUT,
    params=(
        IntParam("width", 512, help="Width in pixels.", **SIDE),
        IntParam("height", 512, help="Height in pixels.", **SIDE),
        ColorParam("start", "#1d3557", help="Color where the gradient starts."),
        ColorParam("end", "#e63946", help="Color where it ends."),
        FloatParam(
            "angle", 0.0, help="Direction in degrees: 0 left to right, 90 top to bottom.", min=-360, max=360, step=1
        ),
    ),
)
async def gradient(ctx: NodeContext, *, width: int, height: int, start: str, end: str, angle: float) -> Outputs:
    ensure_size(width, height)
    return {"image": await ctx.backend.gradient(width, height, rgba(start), rgba(end), angle)}
