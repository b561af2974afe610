"""A batch in the Studio: the graph once per picture, every export gathered into one ZIP.

Pure Python: the page gives it a way to run the graph with inputs and shows the progress it
reports; the command line's batch shares the folder naming and the count of Gemini calls.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import Cancelled, StudioError
from ..core.graph import Graph
from ..core.run_result import RunResult
from ..nodes.output import exported_files
from .billing import NodeCalls, Plan


@dataclass(frozen=True)
class Picture:
    name: str
    data: bytes


@dataclass
class Progress:
    """What a progress bar shows: n of N, elapsed and an estimate of what is left."""

    done: int
    total: int
    elapsed_s: float
    failed: list[tuple[str, str]] = field(default_factory=list)  # (picture name, reason)
    current: str = ""

    @property
    def remaining_s(self) -> float | None:
        if self.done == 0:
            return None
        return self.elapsed_s / self.done * (self.total - self.done)

    def text(self) -> str:
        said = f"{self.done} of {self.total} · {_clock(self.elapsed_s)} elapsed"
        if self.remaining_s is not None and self.done < self.total:
            said += f" · about {_clock(self.remaining_s)} left"
        if self.failed:
            said += f" · {len(self.failed)} failed"
        return said


@dataclass
class BatchResult:
    zip_bytes: bytes
    done: int
    total: int
    failed: list[tuple[str, str]]
    cancelled: bool = False


def _clock(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds >= 60 else f"{seconds} s"


def folder_names(names: Sequence[str]) -> list[str]:
    """One folder per picture: its stem; two of one stem (a.jpg, a.png) keep the extension too,
    and a repeated name gets a number, so no picture's files overwrite another's."""
    stems = [name.rsplit(".", 1)[0] if "." in name.strip(".") else name for name in names]
    clean = [re.sub(r"[^\w.-]+", "_", stem).strip("._") or "picture" for stem in stems]
    counts: dict[str, int] = {}
    for stem in clean:
        counts[stem] = counts.get(stem, 0) + 1
    folders, seen = [], set()
    for name, stem in zip(names, clean, strict=True):
        folder = stem if counts[stem] == 1 else re.sub(r"[^\w.-]+", "_", name).strip("._") or stem
        base, n = folder, 2
        while folder in seen:
            folder, n = f"{base}-{n}", n + 1
        seen.add(folder)
        folders.append(folder)
    return folders


def zip_name(workflow_name: str) -> str:
    slug = re.sub(r"[^\w-]+", "-", workflow_name.strip().lower()).strip("-") or "workflow"
    return f"{slug[:60]}-batch.zip"


def batch_plan(graph: Graph) -> Plan:
    """The Gemini calls one run of the graph makes from scratch: one per AI node instruction
    (a batch's pictures are new inputs, so nothing recorded is replayed)."""
    nodes = []
    for node in graph.nodes.values():
        if node.type.startswith("ai.") and not getattr(node, "bypass", False):
            followups = node.data.get("followups", []) if isinstance(node.data, dict) else []
            nodes.append(NodeCalls(node.id, 1 + (len(followups) if isinstance(followups, list) else 0)))
    return Plan(tuple(nodes))


def gemini_calls_per_run(graph: Graph) -> int:
    """Gemini calls one run of the graph makes from scratch: one per AI node instruction."""
    return batch_plan(graph).total


RunOne = Callable[[dict[str, bytes]], Awaitable[RunResult]]


async def run_batch(
    graph: Graph,
    input_node: str,
    pictures: Sequence[Picture],
    run_one: RunOne,
    *,
    base_inputs: dict[str, bytes] | None = None,
    on_progress: Callable[[Progress], Any] = lambda progress: None,
    is_cancelled: Callable[[], bool] = lambda: False,
    clock: Callable[[], float] = time.monotonic,
) -> BatchResult:
    """Run the graph once per picture (fed to `input_node`), zip every picture's exports into
    `<folder>/<export file>`. A failing picture is reported and the others go on."""
    started = clock()
    buffer = io.BytesIO()
    failed: list[tuple[str, str]] = []
    done = 0
    cancelled = False
    folders = folder_names([p.name for p in pictures])
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:  # pictures are compressed already
        for picture, folder in zip(pictures, folders, strict=True):
            if is_cancelled():
                cancelled = True
                break
            on_progress(Progress(done, len(pictures), clock() - started, list(failed), picture.name))
            try:
                result = await run_one({**(base_inputs or {}), input_node: picture.data})
            except Cancelled:
                cancelled = True
                break
            except StudioError as exc:
                failed.append((picture.name, str(exc)))
            else:
                if result.cancelled:
                    cancelled = True
                    break
                if result.failed:
                    reasons = "; ".join(f"{n}: {result.nodes[n].error}" for n in sorted(result.failed))
                    failed.append((picture.name, reasons))
                else:
                    for file, data in exported_files(graph, result).items():
                        archive.writestr(f"{folder}/{file}", data)
                    done += 1
            on_progress(Progress(done, len(pictures), clock() - started, list(failed)))
    return BatchResult(buffer.getvalue(), done, len(pictures), failed, cancelled)
