"""One picture of a batch: run the workflow on it and return the exported files.

A plain top-level function of plain data, so a local process pool and a Dask worker can both run
it: the picture's bytes go in and the files' bytes come back, so workers need no shared disk.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from ..core.context import CancelToken
from ..core.errors import StudioError
from ..core.executor import Executor


@dataclass(frozen=True)
class PictureOutcome:
    """What became of one picture: the files it produced (name -> bytes) or why it failed."""

    name: str
    files: dict[str, bytes] = field(default_factory=dict)
    error: str | None = None
    ms: float = 0.0


def run_picture(workflow_text: str, input_node: str, name: str, data: bytes) -> PictureOutcome:
    """Run the workflow with `data` fed to `input_node`. Never raises: a failure is the outcome."""
    started = time.perf_counter()
    try:
        from ..backend.pillow_backend import PillowBackend
        from ..core.workflow import load_workflow
        from ..nodes import default_catalog
        from ..nodes.output import exported_files
        from .services import command_line_services

        catalog = default_catalog()
        graph = load_workflow(workflow_text, catalog)
        executor = Executor(catalog, PillowBackend(), services=command_line_services())
        result = asyncio.run(executor.run(graph, inputs={input_node: data}, cancel=CancelToken()))
        ms = (time.perf_counter() - started) * 1000
        if result.failed or result.skipped:
            reasons = [f"node {node_id!r}: {result.nodes[node_id].error}" for node_id in sorted(result.failed)]
            return PictureOutcome(name, error="; ".join(reasons) or "some nodes were skipped", ms=ms)
        return PictureOutcome(name, files=exported_files(graph, result), ms=ms)
    except Exception as exc:  # a worker never lets one picture end the batch
        reason = str(exc) if isinstance(exc, StudioError) else f"unexpected error ({type(exc).__name__}): {exc}"
        return PictureOutcome(name, error=reason, ms=(time.perf_counter() - started) * 1000)
