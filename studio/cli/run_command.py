"""`python -m studio run`: execute a workflow under CPython with Pillow and write its exports."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from ..core.context import CancelToken
from ..core.executor import Executor
from ..core.graph import Graph
from ..core.params import ParamError
from ..core.png_text import PngTextError, is_png, read_text
from ..core.run_result import CACHED, DONE
from ..core.workflow import WorkflowError, load_workflow
from ..nodes import default_catalog
from ..nodes.output import WORKFLOW_KEY, file_name, saved_file
from .errors import UsageError
from .progress import RunProgress

MAX_WORKFLOW_BYTES = 256 * 1024 * 1024


def run_command(args) -> int:
    catalog = default_catalog()
    graph = _load(args.workflow, catalog)
    _apply_sets(graph, catalog, args.set)
    inputs = _read_inputs(graph, args.input)
    _check_sources(graph, inputs)

    from ..backend.pillow_backend import PillowBackend
    from .services import command_line_services

    executor = Executor(catalog, PillowBackend(), services=command_line_services())
    started = time.perf_counter()
    try:
        with RunProgress(graph, sys.stderr) as progress:
            result = asyncio.run(executor.run(graph, inputs=inputs, on_event=progress, cancel=CancelToken()))
    except KeyboardInterrupt:
        print("cancelled", file=sys.stderr)
        return 130

    out_dir: Path = args.out
    written = []
    for node_id, node in graph.nodes.items():
        node_result = result.nodes.get(node_id)
        if node.type != "output.export" or node_result is None or node_result.status not in (DONE, CACHED):
            continue
        out_dir.mkdir(parents=True, exist_ok=True)
        data = saved_file(graph, node_id, node_result.outputs["file"])
        path = out_dir / file_name(node, data)
        path.write_bytes(data)
        written.append(path)
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    elapsed = (time.perf_counter() - started) * 1000
    if result.failed or result.skipped:
        for node_id in sorted(result.failed):
            print(f"error: node {node_id!r} failed: {result.nodes[node_id].error}", file=sys.stderr)
        return 1
    print(f"done in {elapsed:.0f} ms", file=sys.stderr)
    return 0


def _load(path: Path, catalog) -> Graph:
    try:
        if path.stat().st_size > MAX_WORKFLOW_BYTES:
            raise UsageError(f"{path}: the file is larger than {MAX_WORKFLOW_BYTES // 2**20} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    text: str | bytes = _embedded_workflow(path, data) if is_png(data) else data
    try:
        return load_workflow(text, catalog)
    except WorkflowError as exc:
        raise UsageError(f"{path}: {exc}") from None


def _embedded_workflow(path: Path, png: bytes) -> str:
    """The workflow a PNG from the Studio or `studio run` carries (its `pyxis.workflow` chunk)."""
    try:
        text = read_text(png, WORKFLOW_KEY)
    except PngTextError as exc:
        raise UsageError(f"{path}: {exc}") from None
    if text is None:
        raise UsageError(
            f"{path}: this PNG carries no Pyxis workflow (only PNGs exported by Pyxis Studio or `studio run` "
            "with embed_workflow on do); pass a workflow .json file"
        )
    return text


def _apply_sets(graph: Graph, catalog, assignments: list[str]) -> None:
    for item in assignments:
        target, eq, value = item.partition("=")
        node_id, dot, name = target.rpartition(".")
        if not eq or not dot or not node_id or not name:
            raise UsageError(f"--set {item!r}: expected NODE.PARAM=VALUE")
        node = graph.nodes.get(node_id)
        if node is None:
            raise UsageError(f"--set {item!r}: no node with id {node_id!r} (nodes: {', '.join(graph.nodes)})")
        param = catalog[node.type].param(name)
        if param is None:
            names = ", ".join(p.name for p in catalog[node.type].params) or "none"
            raise UsageError(f"--set {item!r}: node {node_id!r} ({node.type}) has no param {name!r} (params: {names})")
        try:
            node.params[name] = param.parse_text(value)
        except ParamError as exc:
            raise UsageError(f"--set {item!r}: node {node_id!r} param {name!r} {exc}") from None


def _read_inputs(graph: Graph, items: list[str]) -> dict[str, bytes]:
    inputs = {}
    for item in items:
        node_id, eq, path = item.partition("=")
        if not eq or not node_id or not path:
            raise UsageError(f"--input {item!r}: expected NODE=PATH")
        node = graph.nodes.get(node_id)
        if node is None:
            raise UsageError(f"--input {item!r}: no node with id {node_id!r}")
        if node.type != "source.image":
            raise UsageError(f"--input {item!r}: node {node_id!r} is a {node.type}, not a source.image")
        try:
            inputs[node_id] = Path(path).read_bytes()
        except OSError as exc:
            raise UsageError(f"--input {item!r}: cannot read {path}: {exc.strerror or exc}") from None
    return inputs


def _check_sources(graph: Graph, inputs: dict[str, bytes]) -> None:
    for node in graph.nodes.values():
        if (
            node.type == "source.image"
            and node.id not in inputs
            and not str(node.params.get("image", "")).startswith("data:")
        ):
            raise UsageError(f"node {node.id!r} (source.image) needs a picture: pass --input {node.id}=PATH")
