"""Pictures of source.image nodes: uploaded bytes beside the graph, or data: URLs inside a file."""

from __future__ import annotations

import base64
import hashlib

from ..core.graph import Graph
from ..core.sniff import sniff_mime
from ..nodes.sources import decode_data_url

SOURCE_IMAGE = "source.image"
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif", "image/bmp": "bmp"}


def picture_nodes(graph: Graph) -> list[str]:
    return [n.id for n in graph.nodes.values() if n.type == SOURCE_IMAGE]


def absorb(graph: Graph, inputs: dict[str, bytes]) -> list[str]:
    """Move data: URL pictures out of `image` params into `inputs`, so the document stays small
    (autosave lives in localStorage). Returns the nodes moved; a damaged URL stays where it is,
    and the run reports it on its node."""
    moved = []
    for node_id in picture_nodes(graph):
        node = graph.nodes[node_id]
        url = node.params.get("image")
        if not isinstance(url, str) or not url.startswith("data:"):
            continue
        try:
            data = decode_data_url(url)
        except Exception:
            continue
        inputs[node_id] = data
        node.params["image"] = ""
        moved.append(node_id)
    return moved


def embed(graph: Graph, inputs: dict[str, bytes]) -> Graph:
    """A copy of the graph with each uploaded picture put in its node's `image` param as a
    data: URL (a self-contained file that loads anywhere, also on the command line)."""
    out = graph.copy()
    for node_id in picture_nodes(out):
        data = inputs.get(node_id)
        if data:
            out.nodes[node_id].params["image"] = data_url(data)
    return out


def data_url(data: bytes) -> str:
    mime = sniff_mime(data) or "application/octet-stream"
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def digest(data: bytes) -> str:
    """The storage key of a picture: equal bytes are stored once."""
    return hashlib.sha256(data).hexdigest()


def extension_for(data: bytes, default: str = "png") -> str:
    return EXTENSIONS.get(sniff_mime(data) or "", default)


def restore(graph: Graph, inputs: dict[str, bytes], stored: dict[str, bytes]) -> None:
    """A stored document's uploads back beside its graph, as one step of opening it (no undo
    step, no change announced: the open announced the document already)."""
    for node_id, data in stored.items():
        if node_id in graph.nodes:
            inputs[node_id] = bytes(data)
