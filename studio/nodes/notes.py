"""The note node: text on the canvas that explains a graph (no ports, nothing to compute)."""

from __future__ import annotations

from typing import Any

from ..core.catalog import node
from ..core.context import NodeContext
from ..core.params import TextParam


@node(
    "canvas.note",
    title="Note",
    category="Note",
    help="A comment box for explaining the graph. Plain text (Markdown is shown as written).",
    outputs=(),
    params=(
        TextParam(
            "text",
            "Write a note here.",
            help="The note's text; new lines are kept.",
            multiline=True,
            max_length=20_000,
        ),
    ),
)
async def note(ctx: NodeContext, *, text: str) -> dict[str, Any]:
    return {}
