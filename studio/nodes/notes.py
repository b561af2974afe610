"""The note node: text on the canvas that explains a graph (no ports, nothing to compute)."""

from __future__ import annotations

from typing import Any

from ..core.catalog import node
from ..core.context import NodeContext
from ..core.params import ChoiceParam, TextParam


@node(
    "canvas.note",
    title="Note",
    category="Note",
    help="A comment box for explaining the graph, in Markdown or plain text.",
    outputs=(),
    params=(
        TextParam(
            "text",
            "Write a note here.",
            help="The note's text; new lines are kept.",
            multiline=True,
            max_length=20_000,
        ),
        ChoiceParam(
            "format",
            "markdown",
            choices=("markdown", "plain"),
            help="markdown shows **bold**, # headings, lists and links; plain shows the text as written.",
        ),
    ),
)
async def note(ctx: NodeContext, *, text: str, format: str) -> dict[str, Any]:
    return {}
