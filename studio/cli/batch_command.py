"""`python -m studio run WORKFLOW --batch GLOB`: the workflow once per picture, locally or on Dask.

Pictures go to a local process pool (`--jobs N`) or to an existing Dask cluster
(`--scheduler tcp://HOST:PORT`); either way each picture is one task of plain bytes in and files
out, written here as DIR/<picture stem>/<file>. A picture that fails is named and the rest finish.
"""

from __future__ import annotations

import glob
import os
import sys
import time
from pathlib import Path
from typing import Any

from ..app.batch import folder_names, gemini_calls_per_run
from ..app.pictures import SOURCE_IMAGE, picture_nodes
from ..core.graph import Graph
from ..core.workflow import dump_workflow
from .batch_pools import open_pool
from .batch_task import PictureOutcome, run_picture
from .errors import UsageError
from .run_command import _apply_sets, _check_sources, _load

MAX_PICTURE_BYTES = 256 * 1024 * 1024  # one picture read into memory; bigger ones are refused unread


def batch_command(args: Any) -> int:
    from ..nodes import default_catalog

    catalog = default_catalog()
    graph = _load(args.workflow, catalog)
    _apply_sets(graph, catalog, args.set)
    _check_input_node(graph, args.input_node)
    _check_sources(graph, {args.input_node: b""})  # any other source.image must carry its picture
    pictures = _pictures(args.batch)
    calls = gemini_calls_per_run(graph) * len(pictures)
    if calls and not _confirmed(calls, args.yes):
        return 2
    # The graph as loaded (from JSON or a PNG) with --set applied: what every worker runs.
    workflow_text = dump_workflow(graph)
    jobs = max(1, args.jobs or os.cpu_count() or 1)
    out_dir: Path = args.out
    names = dict(zip(pictures, folder_names([p.name for p in pictures]), strict=True))
    started = time.perf_counter()
    failed: list[PictureOutcome] = []
    done = 0
    with open_pool(args.scheduler, jobs) as pool, _progress_bar(len(pictures)) as bar:
        tasks = ((path, lambda path=path: _read(path)) for path in pictures)
        for path, outcome in pool.map_pictures(run_picture, workflow_text, args.input_node, tasks):
            if outcome.error is None:
                folder = out_dir / names[path]
                folder.mkdir(parents=True, exist_ok=True)
                for file, data in outcome.files.items():
                    (folder / file).write_bytes(data)
                done += 1
            else:
                failed.append(outcome)
            bar.update(1)
            _say(bar, outcome, done + len(failed), len(pictures))
    elapsed = time.perf_counter() - started
    print(f"{done} of {len(pictures)} pictures done in {elapsed:.1f} s, written to {out_dir}", file=sys.stderr)
    if failed:
        print(f"{len(failed)} failed: " + ", ".join(o.name for o in failed), file=sys.stderr)
        return 1
    return 0


def _check_input_node(graph: Graph, node_id: str | None) -> None:
    if not node_id:
        sources = picture_nodes(graph)
        raise UsageError(
            "--batch needs --input-node NODE: the source.image node each picture goes to"
            + (f" (this workflow has: {', '.join(sources)})" if sources else "")
        )
    node = graph.nodes.get(node_id)
    if node is None:
        raise UsageError(f"--input-node {node_id!r}: no node with that id")
    if node.type != SOURCE_IMAGE:
        raise UsageError(f"--input-node {node_id!r}: it is a {node.type}, not a source.image")


def _pictures(pattern: str) -> list[Path]:
    found = sorted(Path(p) for p in glob.glob(os.path.expanduser(pattern), recursive=True))
    pictures = [p for p in found if p.is_file()]
    if not pictures:
        raise UsageError(f"--batch {pattern!r}: no file matches")
    return pictures


def _read(path: Path) -> bytes:
    if path.stat().st_size > MAX_PICTURE_BYTES:
        raise ValueError(f"the file is larger than {MAX_PICTURE_BYTES // 2**20} MB")
    return path.read_bytes()


def _confirmed(calls: int, yes: bool) -> bool:
    message = f"this batch will make {calls} Gemini call{'s' if calls != 1 else ''} (each may be billed)"
    if yes:
        print(message, file=sys.stderr)
        return True
    if not sys.stdin.isatty():
        print(f"error: {message}; pass --yes to go ahead", file=sys.stderr)
        return False
    answer = input(f"{message}. Go ahead? [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def _say(bar: Any, outcome: PictureOutcome, finished: int, total: int) -> None:
    """A line per picture: always for a failure; for a success only when no bar is drawn (logs)."""
    if outcome.error is not None:
        bar.write(f"error: picture {outcome.name}: {outcome.error}", file=sys.stderr)
    elif bar.disable:
        print(f"[{finished}/{total}] done {outcome.name} {outcome.ms:.0f} ms", file=sys.stderr)


class _progress_bar:
    """tqdm on stderr (drawn only on a terminal), with write() for lines that must not break it."""

    def __init__(self, total: int) -> None:
        from tqdm import tqdm

        self._bar = tqdm(total=total, unit="picture", file=sys.stderr, disable=None, dynamic_ncols=True)

    def __enter__(self) -> Any:
        return self._bar

    def __exit__(self, *exc: object) -> None:
        self._bar.close()
