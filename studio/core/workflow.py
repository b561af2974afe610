"""Workflow files (`pyxis.workflow` JSON): load with precise errors, save in a stable order."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from .catalog import Catalog
from .errors import StudioError
from .graph import NODE_ID, Edge, Graph, Node, PortRef
from .problems import Problem, describe
from .validation import validate

FORMAT = "pyxis.workflow"
VERSION = 1
MAX_NODES = 5000

# MIGRATIONS[n] turns a version-n document into version n+1. Add one for each format change;
# older files then load through the chain and are saved at the current version.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}

_TOP_KEYS = {"format", "version", "name", "nodes", "edges"}
_NODE_KEYS = {"id", "type", "params", "position", "data"}
_EDGE_KEYS = {"from", "to"}


class WorkflowError(StudioError):
    """The file is not a usable workflow; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("This workflow cannot be loaded:\n" + describe(problems))


def load_workflow(text: str | bytes, catalog: Catalog, *, complete: bool = True) -> Graph:
    """Parse and check a workflow. With `complete`, every required input must be connected
    (running needs it); without, a work-in-progress graph loads (autosave)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise WorkflowError([Problem("", f"the file is not UTF-8 text (byte {exc.start})")]) from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise WorkflowError([Problem(f"line {exc.lineno} column {exc.colno}", f"not valid JSON: {exc.msg}")]) from None
    except (RecursionError, ValueError) as exc:
        raise WorkflowError([Problem("", f"not valid JSON: {exc}")]) from None
    return workflow_from_dict(data, catalog, complete=complete)


def workflow_from_dict(data: Any, catalog: Catalog, *, complete: bool = True) -> Graph:
    data = _migrate(data)
    graph = _structure(data)
    problems = validate(graph, catalog)
    if not complete:
        problems = [p for p in problems if "is required but not connected" not in p.message]
    if problems:
        raise WorkflowError(problems)
    return graph


def workflow_to_dict(graph: Graph, *, include_data: bool = True) -> dict[str, Any]:
    nodes = []
    for node in graph.nodes.values():
        item: dict[str, Any] = {"id": node.id, "type": node.type, "params": dict(sorted(node.params.items()))}
        if node.position is not None:
            item["position"] = [_tidy_number(v) for v in node.position]
        if include_data and node.data:
            item["data"] = node.data
        nodes.append(item)
    edges = [{"from": str(e.source), "to": str(e.target)} for e in graph.edges]
    return {"format": FORMAT, "version": VERSION, "name": graph.name, "nodes": nodes, "edges": edges}


def dump_workflow(graph: Graph, *, include_data: bool = True) -> str:
    """JSON text with nodes and edges in graph order and params sorted, for readable diffs."""
    return json.dumps(workflow_to_dict(graph, include_data=include_data), indent=2, ensure_ascii=False) + "\n"


def _migrate(data: Any) -> Any:
    if not isinstance(data, dict):
        raise WorkflowError([Problem("$", f"expected a JSON object, got {_kind(data)}")])
    if data.get("format") != FORMAT:
        raise WorkflowError(
            [
                Problem(
                    "$.format",
                    f"expected {FORMAT!r}, got {data.get('format')!r}: this is not a Pyxis workflow file",
                    field="format",
                )
            ]
        )
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise WorkflowError([Problem("$.version", f"expected a whole number from 1, got {version!r}", field="version")])
    if version > VERSION:
        raise WorkflowError(
            [
                Problem(
                    "$.version",
                    f"version {version} was written by a newer Pyxis Studio (this one reads up to {VERSION})",
                    field="version",
                )
            ]
        )
    while version < VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data["version"] = version
    return data


def _structure(data: dict[str, Any]) -> Graph:
    problems: list[Problem] = []
    for key in sorted(set(data) - _TOP_KEYS, key=str):
        problems.append(Problem(f"$.{key}", "unknown field", field=str(key)))
    name = data.get("name", "Untitled")
    if not isinstance(name, str):
        problems.append(Problem("$.name", f"expected text, got {_kind(name)}", field="name"))
        name = "Untitled"
    graph = Graph(name=name)
    nodes = data.get("nodes")
    if not isinstance(nodes, list):
        problems.append(Problem("$.nodes", f"expected a list of nodes, got {_kind(nodes)}", field="nodes"))
        nodes = []
    if len(nodes) > MAX_NODES:
        problems.append(Problem("$.nodes", f"has {len(nodes)} nodes; at most {MAX_NODES} are supported", field="nodes"))
        nodes = []
    for index, item in enumerate(nodes):
        node = _node(item, f"$.nodes[{index}]", problems)
        if node is None:
            continue
        if node.id in graph.nodes:
            problems.append(Problem(f"$.nodes[{index}].id", f"node id {node.id!r} is used twice", node.id, "id"))
            continue
        graph.nodes[node.id] = node
    edges = data.get("edges", [])
    if not isinstance(edges, list):
        problems.append(Problem("$.edges", f"expected a list of edges, got {_kind(edges)}", field="edges"))
        edges = []
    for index, item in enumerate(edges):
        edge = _edge(item, f"$.edges[{index}]", problems)
        if edge is not None and edge not in graph.edges:
            graph.edges.append(edge)
    if problems:
        raise WorkflowError(problems)
    return graph


def _node(item: Any, path: str, problems: list[Problem]) -> Node | None:
    if not isinstance(item, dict):
        problems.append(Problem(path, f"expected a node object, got {_kind(item)}"))
        return None
    node_id = item.get("id")
    if not isinstance(node_id, str) or not NODE_ID.match(node_id):
        problems.append(
            Problem(f"{path}.id", f"expected an id of letters, digits, '_' or '-', got {node_id!r}", field="id")
        )
        return None
    before = len(problems)
    for key in sorted(set(item) - _NODE_KEYS, key=str):
        problems.append(Problem(f"{path}.{key}", f"node {node_id!r}: unknown field", node_id, str(key)))
    type_id = item.get("type")
    if not isinstance(type_id, str):
        problems.append(
            Problem(f"{path}.type", f"node {node_id!r}: expected a node type id, got {_kind(type_id)}", node_id, "type")
        )
    params = item.get("params", {})
    if not isinstance(params, dict):
        problems.append(
            Problem(f"{path}.params", f"node {node_id!r}: expected an object, got {_kind(params)}", node_id, "params")
        )
    data = item.get("data", {})
    if not isinstance(data, dict):
        problems.append(
            Problem(f"{path}.data", f"node {node_id!r}: expected an object, got {_kind(data)}", node_id, "data")
        )
    position = item.get("position")
    if position is not None and not _is_point(position):
        problems.append(
            Problem(
                f"{path}.position",
                f"node {node_id!r}: expected [x, y] numbers, got {position!r}"[:200],
                node_id,
                "position",
            )
        )
    if len(problems) > before:
        return None
    point = (float(position[0]), float(position[1])) if position is not None else None
    return Node(node_id, type_id, dict(params), point, dict(data))


def _edge(item: Any, path: str, problems: list[Problem]) -> Edge | None:
    if not isinstance(item, dict):
        problems.append(
            Problem(path, f'expected an edge object like {{"from": "a.image", "to": "b.image"}}, got {_kind(item)}')
        )
        return None
    before = len(problems)
    for key in sorted(set(item) - _EDGE_KEYS, key=str):
        problems.append(Problem(f"{path}.{key}", "unknown field", field=str(key)))
    refs = []
    for key in ("from", "to"):
        value = item.get(key)
        if not isinstance(value, str) or value.count(".") < 1 or not all(value.rpartition(".")[::2]):
            problems.append(Problem(f"{path}.{key}", f"expected '<node id>.<port>', got {value!r}"[:200], field=key))
            continue
        refs.append(PortRef.parse(value))
    if len(problems) > before:
        return None
    return Edge(refs[0], refs[1])


def _is_point(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value)
    )


def _tidy_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a workflow file")


def _kind(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)
