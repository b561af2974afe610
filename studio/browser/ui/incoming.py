"""Files that are more than they seem: a PNG that carries a workflow, a FloImg pipeline or template.

Open and drop ask here first; None means "not one of these, handle it as usual".
"""

from __future__ import annotations

from typing import Any

from ...core.png_text import PngTextError, is_png, read_text
from ...nodes.output import WORKFLOW_KEY
from .choice import ask

OPEN_WORKFLOW, USE_PICTURE = "workflow", "picture"


def png_workflow(data: bytes) -> str | None:
    """The workflow text a PNG exported by Pyxis carries, else None."""
    if not is_png(data):
        return None
    try:
        return read_text(data, WORKFLOW_KEY)
    except PngTextError:
        return None


async def ask_png(name: str, *, can_use_as_picture: bool = True) -> str | None:
    """A PNG with a workflow inside: open its workflow, or use it as a picture?"""
    answers = [("Open its workflow", OPEN_WORKFLOW)]
    if can_use_as_picture:
        answers.append(("Use as picture", USE_PICTURE))
    return await ask(
        "This picture carries a workflow",
        f"{name} was exported by Pyxis Studio with the workflow that made it (graph only: no pictures, "
        "no AI results). Open that workflow as a new document, or use the file as a picture?",
        answers,
        testid="png-choice",
    )


def looks_like_floimg(text: str) -> bool:
    """A FloImg pipeline (YAML `steps:`) or Studio JSON (`nodes` with `data.operation`/`generatorName`)."""
    head = text.lstrip("\ufeff").lstrip()[:20000]
    if '"format"' in head and "pyxis.workflow" in head:
        return False
    return "steps:" in head or '"generatorName"' in head or '"operation"' in head


async def floimg_workflow(text: str) -> Any:
    """(Conversion) of a FloImg file in the page, with js-yaml for the pipeline YAML."""
    from ...floimg.convert import convert_text
    from .. import yaml_js

    return convert_text(text, await yaml_js.loader())
