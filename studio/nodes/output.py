"""The export node: encodes the image as a PNG, JPEG or WebP file, and the file as it is saved."""

from __future__ import annotations

from typing import Any

from ..backend.protocol import ENCODE_FORMATS
from ..core.catalog import FILE, PortSpec, node
from ..core.graph import Graph, Node
from ..core.params import BoolParam, ChoiceParam, IntParam
from ..core.png_text import embed_text, is_png
from ..core.portable import portable_text
from ..core.run_result import CACHED, DONE, RunResult
from .common import IMAGE_IN

EXTENSIONS = {"png": "png", "jpeg": "jpg", "webp": "webp"}
MIME_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}
WORKFLOW_KEY = "pyxis.workflow"  # the PNG iTXt keyword (CONTRACT §5)


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
        BoolParam(
            "embed_workflow",
            True,
            help="PNG only: carry this workflow inside the file (graph only: no pictures, no AI results, no key), "
            "so opening the picture in the Studio or `studio run` gets the graph back.",
        ),
    ),
)
async def export(ctx: Any, *, image: Any, format: str, quality: int, embed_workflow: bool) -> dict[str, Any]:
    return {"file": await ctx.backend.encode(image, format, quality)}


def file_name(node: Node, data: bytes | None = None) -> str:
    """`<node id>.<ext>`: the extension of what was encoded (sniffed), else of the format param."""
    fmt = node.params.get("format", "png")
    if data is not None and is_png(data):
        fmt = "png"
    elif data is not None and data[:3] == b"\xff\xd8\xff":
        fmt = "jpeg"
    elif data is not None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        fmt = "webp"
    return f"{node.id}.{EXTENSIONS.get(fmt, 'png')}"


def saved_file(graph: Graph, node_id: str, data: bytes) -> bytes:
    """The export's bytes as they are saved or downloaded: a PNG carries the graph-only workflow
    when the node asks for it. Done here, not in the node body, so the cached encode stays valid
    when an unrelated part of the graph changes."""
    node = graph.nodes.get(node_id)
    if node is None or not node.params.get("embed_workflow", True) or not is_png(data):
        return data
    return embed_text(data, WORKFLOW_KEY, portable_text(graph))


def exported_files(graph: Graph, result: RunResult) -> dict[str, bytes]:
    """Every finished export's file as saved, by file name (`<node id>.<ext>`)."""
    files = {}
    for node_id, item in graph.nodes.items():
        node_result = result.nodes.get(node_id)
        if item.type != "output.export" or node_result is None or node_result.status not in (DONE, CACHED):
            continue
        data = saved_file(graph, node_id, node_result.outputs["file"])
        files[file_name(item, data)] = data
    return files
