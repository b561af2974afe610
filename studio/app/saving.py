"""What a save keeps and drops (graph only vs self-contained), and what a file that is no workflow is."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.graph import Graph
from ..core.sniff import FORMAT_NAMES, sniff_mime
from . import ai_conversation, pictures

FULL_SUFFIX = ".json"  # self-contained: pictures and AI results inside
GRAPH_SUFFIX = ".graph.json"  # graph only: a small file to share or keep in git


def slug(name: str) -> str:
    text = re.sub(r"[^A-Za-z0-9_-]+", "-", name.strip()).strip("-").lower()
    return text or "workflow"


def file_name(name: str, *, embed: bool) -> str:
    """Different default names, so a graph-only file is never mistaken for the full one."""
    return slug(name) + (FULL_SUFFIX if embed else GRAPH_SUFFIX)


@dataclass(frozen=True)
class Dropped:
    """What a graph-only save leaves out."""

    pictures: int  # source.image nodes whose picture is not in the file
    ai_nodes: int  # AI nodes whose images are not in the file
    calls: int  # Gemini calls a run of the opened file makes to get those images back

    def __bool__(self) -> bool:
        return bool(self.pictures or self.ai_nodes)

    def message(self) -> str:
        parts = []
        if self.pictures:
            parts.append(
                f"{self.pictures} picture{'s' if self.pictures != 1 else ''} (choose them again after opening)"
            )
        if self.ai_nodes:
            calls = f"{self.calls} Gemini call{'s' if self.calls != 1 else ''}"
            parts.append(
                f"the AI results of {self.ai_nodes} node{'s' if self.ai_nodes != 1 else ''} "
                f"(getting them back costs {calls}, and the new images will differ)"
            )
        return "Not in this file: " + "; ".join(parts) + ". Use “Save self-contained” to keep them."


def graph_only_drops(graph: Graph, inputs: dict[str, bytes]) -> Dropped:
    """Count what a graph-only save of `graph` drops. An AI node's conversation is replayed turn
    by turn when its images are missing: one call per recorded step."""
    picture_count = sum(1 for n in pictures.picture_nodes(graph) if inputs.get(n) or graph.nodes[n].params.get("image"))
    ai_nodes = calls = 0
    for node in graph.nodes.values():
        steps = ai_conversation.steps(node)
        if any(step.image_b64 for step in steps):
            ai_nodes += 1
            calls += len(steps)
    return Dropped(picture_count, ai_nodes, calls)


_SIGNATURES = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
)


def not_a_workflow(data: bytes, name: str = "") -> str | None:
    """For a file that is plainly no workflow, a sentence saying what it is and what to do
    instead; None when it may be one (then the loader's own message applies)."""
    head = bytes(data[:64])
    mime = sniff_mime(head)
    if mime is not None:
        kind = FORMAT_NAMES.get(mime, mime)
        article = "an" if kind[:1] in "AEHIOU" else "a"
        return f"This is {article} {kind} picture, not a workflow: drop it on the canvas to use it."
    for magic, what in _SIGNATURES:
        if head.startswith(magic):
            return f"This is {what}, not a workflow file (a workflow is a .json file saved by the Studio)."
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text and not text.startswith((b"{", b"[")) and not name.lower().endswith((".yaml", ".yml")):
        return "This is not a workflow file: a workflow is JSON text starting with “{”, saved by the Studio."
    return None
