"""The export node: encodes the image as a PNG, JPEG or WebP file."""

from __future__ import annotations

from ..backend.protocol import ENCODE_FORMATS
from ..core.catalog import FILE, PortSpec, node
from ..core.params import ChoiceParam, IntParam
from .common import IMAGE_IN

EXTENSIONS = {"png": "png", "jpeg": "jpg", "webp": "webp"}
MIME_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}


@node(
    "output.export",
    title="Export",
    category="Output",
    help="Encode the image as a file to download (the command line writes it to --out).",
    inputs=IMAGE_IN,
    outputs=(PortSpec("file", FILE, help="The encoded file."),),
    params=(
        ChoiceParam("format", "png", choices=ENCODE_FORMATS, help="File format."),
        IntParam("quality", 90, help="JPEG and WebP quality (PNG is lossless).", min=1, max=100, step=1),
    ),
)
async def export(ctx, *, image, format, quality):
    return {"file": await ctx.backend.encode(image, format, quality)}
