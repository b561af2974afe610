"""`python -m studio run`: execute a workflow under CPython with Pillow and write its exports."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from ..app.pictures import SOURCE_IMAGE
from ..core.context import CancelToken
from ..core.executor import Executor
from ..core.graph import Graph, is_node_id
from ..core.limits import MAX_DOCUMENT_BYTES, MAX_INPUT_BYTES
from ..core.params import ParamError
from ..core.png_text import PngTextError, is_png, read_text
from ..core.quoting import clip, quote
from ..core.run_result import CACHED, DONE
from ..core.workflow import WorkflowError, load_workflow
from ..nodes import default_catalog
from ..nodes.output import WORKFLOW_KEY, file_name, saved_file
from .errors import UsageError
from .progress import RunProgress
from .reading import read_capped, shown

MAX_WORKFLOW_BYTES = MAX_DOCUMENT_BYTES


def run_command(args) -> int:
    catalog = default_catalog()
    graph = _load(args.workflow, catalog)
    _apply_sets(graph, catalog, args.set)
    inputs = _read_inputs(graph, args.input)
    _check_sources(graph, inputs)
    out_dir = _check_out(args.out)  # before running: a bad --out must not cost a (billed) run

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

    written = []
    unwritten = []
    for node_id, node in graph.nodes.items():
        node_result = result.nodes.get(node_id)
        spec = catalog.get(node.type)
        if spec is None or not spec.produces_file or node_result is None or node_result.status not in (DONE, CACHED):
            continue
        if not is_node_id(node_id):  # file names come only from validated ids (the loader's check)
            unwritten.append(f"error: node {quote(node_id)}: not a valid id for a file name")
            continue
        data = saved_file(graph, node_id, node_result.outputs["file"])
        path = out_dir / file_name(node, data)
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as exc:  # a full disk, a folder removed meanwhile, a read-only file
            unwritten.append(f"error: node {node_id!r}: cannot write {shown(path)}: {exc.strerror or exc}")
            continue
        written.append(path)
    for path in written:
        print(f"wrote {shown(path)}", file=sys.stderr)
    elapsed = (time.perf_counter() - started) * 1000
    if result.failed or result.skipped or unwritten:
        for node_id in sorted(result.failed):
            print(f"error: node {node_id!r} failed: {result.nodes[node_id].error}", file=sys.stderr)
        for line in unwritten:
            print(line, file=sys.stderr)
        return 1
    print(f"done in {elapsed:.0f} ms", file=sys.stderr)
    return 0


def _load(path: Path, catalog) -> Graph:
    data = read_capped(path, MAX_WORKFLOW_BYTES, "the workflow")
    text: str | bytes = _embedded_workflow(path, data) if is_png(data) else data
    try:
        return load_workflow(text, catalog)
    except WorkflowError as exc:
        raise UsageError(f"{shown(path)}: {exc}") from None


def _check_out(path: Path) -> Path:
    """The --out folder if it is one or can be made (it is made when the first file is written);
    an existing file, or a path under a file or an unwritable folder, is refused."""
    try:
        if path.exists():
            if not path.is_dir():
                raise UsageError(f"--out {shown(path)}: is a file, not a folder")
            if not os.access(path, os.W_OK | os.X_OK):
                raise UsageError(f"--out {shown(path)}: the folder is not writable")
            return path
        parent = path.absolute().parent
        while not parent.exists():
            parent = parent.parent
        if not parent.is_dir():
            raise UsageError(f"--out {shown(path)}: cannot make the folder: {shown(parent)} is a file")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise UsageError(f"--out {shown(path)}: cannot make the folder: {shown(parent)} is not writable")
    except OSError as exc:  # e.g. a name too long for the file system
        raise UsageError(f"--out {shown(path)}: cannot make the folder: {exc.strerror or exc}") from None
    return path


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
            raise UsageError(f"--set {quote(item)}: expected NODE.PARAM=VALUE")
        node = graph.nodes.get(node_id)
        if node is None:
            nodes = clip(", ".join(graph.nodes), 300)
            raise UsageError(f"--set {quote(item)}: no node with id {quote(node_id)} (nodes: {nodes})")
        param = catalog[node.type].param(name)
        if param is None:
            names = ", ".join(p.name for p in catalog[node.type].params) or "none"
            raise UsageError(
                f"--set {quote(item)}: node {node_id!r} ({node.type}) has no param {quote(name)} (params: {names})"
            )
        try:
            node.params[name] = param.parse_text(value)
        except ParamError as exc:
            raise UsageError(f"--set {quote(item)}: node {node_id!r} param {name!r} {exc}") from None


def _read_inputs(graph: Graph, items: list[str]) -> dict[str, bytes]:
    inputs = {}
    for item in items:
        node_id, eq, path = item.partition("=")
        if not eq or not node_id or not path:
            raise UsageError(f"--input {quote(item)}: expected NODE=PATH")
        node = graph.nodes.get(node_id)
        if node is None:
            raise UsageError(f"--input {quote(item)}: no node with id {quote(node_id)}")
        if node.type != SOURCE_IMAGE:
            raise UsageError(f"--input {quote(item)}: node {node_id!r} is a {node.type}, not a source.image")
        inputs[node_id] = read_capped(Path(path), MAX_INPUT_BYTES, f"--input {node_id}")
    return inputs


def _check_sources(graph: Graph, inputs: dict[str, bytes]) -> None:
    for node in graph.nodes.values():
        if (
            node.type == SOURCE_IMAGE
            and node.id not in inputs
            and not str(node.params.get("image", "")).startswith("data:")
        ):
            raise UsageError(f"node {node.id!r} (source.image) needs a picture: pass --input {node.id}=PATH")
