"""Workflow files (`pyxis.workflow` JSON): load with precise errors, save in a stable order."""

from __future__ import annotations

import gc
import json
import math
from collections.abc import Callable, Container, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from itertools import compress, repeat
from operator import itemgetter
from typing import Any

from .catalog import Catalog
from .document import parse_json
from .format_values import color_problem, title_problem
from .format_values import field_name as _key
from .format_values import kind as _kind
from .format_values import tidy_number as _tidy_number
from .frame_format import frame_to_dict, frames_from_list
from .graph import Edge, Graph, Node, PortRef, is_node_id
from .jsondata import json_value_problem, lone_surrogate
from .limits import MAX_COORDINATE, MAX_DATA_DEPTH, MAX_EDGES, MAX_ID_LENGTH, MAX_NODES
from .problems import Problem, WorkflowError
from .quoting import quote
from .validation import dangling_problems, validate

__all__ = ["FORMAT", "VERSION", "WorkflowError", "dump_workflow", "load_workflow", "workflow_from_dict"]

FORMAT = "pyxis.workflow"
VERSION = 3


def _from_1(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 added `nodes[].bypass` and top-level `frames`, both optional: a version-1
    document is already a valid version 2 (no node bypassed, no frames)."""
    return data


def _from_2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 3 added `nodes[].title` and `nodes[].color`, both optional: a version-2 document
    is already a valid version 3 (every node titled by its type, uncoloured)."""
    return data


# MIGRATIONS[n] turns a version-n document into version n+1. Add one for each format change;
# older files then load through the chain and are saved at the current version.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _from_1, 2: _from_2}

_TOP_KEYS = {"format", "version", "name", "nodes", "edges", "frames"}
_NODE_KEYS = {"id", "type", "params", "position", "data", "bypass", "title", "color"}
_EDGE_KEYS = {"from", "to"}


def load_workflow(text: str | bytes, catalog: Catalog, *, complete: bool = True) -> Graph:
    """Parse and check a workflow. With `complete`, every required input must be connected
    (running needs it); without, a work-in-progress graph loads (autosave). Size and nesting
    are checked before the text is parsed (studio/core/document.py)."""
    with _collector_paused():
        return workflow_from_dict(parse_json(text), catalog, complete=complete)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cycle collector off while a file loads: parsing makes hundreds of thousands of objects
    and no cycles, and the collector's passes over them were a third of a 100k-edge load."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def workflow_from_dict(data: Any, catalog: Catalog, *, complete: bool = True) -> Graph:
    data = _migrate(data)
    graph, dangling = _structure(data)
    problems = dangling + validate(graph, catalog)
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
        if node.bypass:  # written only when on: un-bypassed files stay as they were
            item["bypass"] = True
        if node.title is not None:
            item["title"] = node.title
        if node.color is not None:
            item["color"] = node.color
        nodes.append(item)
    edges = [{"from": str(e.source), "to": str(e.target)} for e in graph.edges]
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "name": graph.name,
        "nodes": nodes,
        "edges": edges,
    }
    if graph.frames:
        document["frames"] = [frame_to_dict(frame) for frame in graph.frames]
    return document


def dump_workflow(graph: Graph, *, include_data: bool = True, compact: bool = False) -> str:
    """JSON text with nodes and edges in graph order and params sorted, for readable diffs;
    `compact` leaves out the indentation (autosave: indenting deep node data multiplied its size)."""
    document = workflow_to_dict(graph, include_data=include_data)
    if compact:
        return json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _migrate(data: Any) -> Any:
    if not isinstance(data, dict):
        raise WorkflowError([Problem("$", f"expected a JSON object, got {_kind(data)}")])
    if data.get("format") != FORMAT:
        raise WorkflowError(
            [
                Problem(
                    "$.format",
                    f"expected {FORMAT!r}, got {quote(data.get('format'))}: this is not a Pyxis workflow file",
                    field="format",
                )
            ]
        )
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise WorkflowError(
            [Problem("$.version", f"expected a whole number from 1, got {quote(version)}", field="version")]
        )
    if version > VERSION:
        raise WorkflowError(
            [
                Problem(
                    "$.version",
                    f"version {quote(version)} was written by a newer Pyxis Studio (this one reads up to {VERSION})",
                    field="version",
                )
            ]
        )
    while version < VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data["version"] = version
    return data


def _structure(data: dict[str, Any]) -> tuple[Graph, list[Problem]]:
    """The graph the document describes, and the problems of its edges to missing nodes (left
    out of the graph, reported along with validation's); raises WorkflowError for the rest."""
    problems: list[Problem] = []
    for key in sorted(set(data) - _TOP_KEYS, key=str):
        problems.append(Problem(f"$.{_key(key)}", "unknown field", field=_key(key)))
    name = data.get("name", "Untitled")
    if not isinstance(name, str):
        problems.append(Problem("$.name", f"expected text, got {_kind(name)}", field="name"))
        name = "Untitled"
    elif len(name) > 1000 or lone_surrogate(name) is not None:
        problems.append(Problem("$.name", "expected text of at most 1000 characters, valid Unicode", field="name"))
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
    if len(edges) > MAX_EDGES:
        problems.append(Problem("$.edges", f"has {len(edges)} edges; at most {MAX_EDGES} are supported", field="edges"))
        edges = []
    plain = _plain_edges(edges, graph.nodes)
    graph.edges, dangling = plain if plain is not None else (_checked_edges(edges, problems), [])
    # Ids of nodes refused above count as known here: their own problem is reported once, not
    # again as "no node with id" in every frame holding them.
    declared: set[str] = set()
    for item in nodes:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            declared.add(item["id"])
    graph.frames = frames_from_list(data.get("frames", []), graph, problems, declared)
    if problems:
        raise WorkflowError(problems)
    return graph, dangling_problems(dangling, graph.nodes)


def _node(item: Any, path: str, problems: list[Problem]) -> Node | None:
    if not isinstance(item, dict):
        problems.append(Problem(path, f"expected a node object, got {_kind(item)}"))
        return None
    node_id = item.get("id")
    if not is_node_id(node_id):
        problems.append(
            Problem(
                f"{path}.id",
                f"expected an id of 1 to {MAX_ID_LENGTH} letters, digits, '_' or '-', got {quote(node_id)}",
                field="id",
            )
        )
        return None
    before = len(problems)
    for key in sorted(set(item) - _NODE_KEYS, key=str):
        problems.append(Problem(f"{path}.{_key(key)}", f"node {node_id!r}: unknown field", node_id, _key(key)))
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
    else:
        # Deep data loaded, then aborted the whole run when hashed and broke autosave.
        wrong = json_value_problem(data, "data", MAX_DATA_DEPTH)
        if wrong is not None:
            problems.append(Problem(f"{path}.data", f"node {node_id!r} {wrong}", node_id, "data"))
    position = item.get("position")
    point = _point(position) if position is not None else None
    if position is not None and point is None:
        problems.append(
            Problem(
                f"{path}.position",
                f"node {node_id!r}: expected [x, y], two finite numbers from -{MAX_COORDINATE:,} to"
                f" {MAX_COORDINATE:,}, got {quote(position)}",
                node_id,
                "position",
            )
        )
    bypass = item.get("bypass", False)
    if type(bypass) is not bool:  # strict: 1, "true" and null are refused, not guessed at
        problems.append(
            Problem(
                f"{path}.bypass", f"node {node_id!r}: expected true or false, got {quote(bypass)}", node_id, "bypass"
            )
        )
    looks = {}
    for key, problem_of in (("title", title_problem), ("color", color_problem)):
        value = item.get(key)
        if value is not None and (why := problem_of(value)) is not None:
            problems.append(Problem(f"{path}.{key}", f"node {node_id!r}: {why}", node_id, key))
        looks[key] = value
    if len(problems) > before or not isinstance(type_id, str):  # (a wrong type is a problem above)
        return None
    return Node(node_id, type_id, dict(params), point, dict(data), bypass is True, looks["title"], looks["color"])


def _plain_edges(items: list[Any], nodes: Container[str]) -> tuple[list[Edge], list[tuple[str, str]]] | None:
    """The common case in bulk: every item `{"from": "a.x", "to": "b.y"}`. Gives the Edges in
    file order with repeats dropped, and apart the (from, to) texts of those naming a node not
    in `nodes`; None if any item is anything else (then each is checked and reported).
    In C where it can be (map, compress) and no objects for dangling ends: 100,000 edges took 1.4 s."""
    try:
        if not set(map(len, items)) <= {2}:
            return None
        pairs = dict.fromkeys([(item["from"], item["to"]) for item in items])
    except (KeyError, TypeError):  # not objects, other fields, unhashable values
        return None
    texts = list({text for pair in pairs for text in pair})
    if not set(map(type, texts)) <= {str}:
        return None
    parts = list(map(str.rpartition, texts, repeat(".")))  # (node, ".", port); ("", "", text) without a dot
    if not all(map(itemgetter(0), parts)) or not all(map(itemgetter(2), parts)):
        return None
    known = list(map(nodes.__contains__, map(itemgetter(0), parts)))
    refs = {text: PortRef(node, port) for text, (node, _, port) in compress(zip(texts, parts, strict=True), known)}
    dangling: list[tuple[str, str]] = []
    kept: Iterable[tuple[str, str]] = pairs
    if len(refs) < len(texts):
        kept = [pair for pair in pairs if pair[0] in refs and pair[1] in refs]
        dangling = [pair for pair in pairs if pair[0] not in refs or pair[1] not in refs]
    ref = refs.__getitem__
    ends = zip(map(ref, map(itemgetter(0), kept)), map(ref, map(itemgetter(1), kept)), strict=True)
    return list(map(_new_edge, ends)), dangling


# Edge((a, b)) without the named tuple's Python-level __new__: a third of building 100,000 edges.
_new_edge = partial(tuple.__new__, Edge)


def _checked_edges(items: list[Any], problems: list[Problem]) -> list[Edge]:
    """Each item checked, its problems reported with their place; repeats dropped."""
    edges: dict[Edge, None] = {}
    for index, item in enumerate(items):
        edge = _edge(item, f"$.edges[{index}]", problems)
        if edge is not None:
            edges[edge] = None
    return list(edges)


def _edge(item: Any, path: str, problems: list[Problem]) -> Edge | None:
    if not isinstance(item, dict):
        problems.append(
            Problem(path, f'expected an edge object like {{"from": "a.image", "to": "b.image"}}, got {_kind(item)}')
        )
        return None
    before = len(problems)
    for key in sorted(set(item) - _EDGE_KEYS, key=str):
        problems.append(Problem(f"{path}.{_key(key)}", "unknown field", field=_key(key)))
    refs = []
    for key in ("from", "to"):
        value = item.get(key)
        if not isinstance(value, str) or value.count(".") < 1 or not all(value.rpartition(".")[::2]):
            problems.append(Problem(f"{path}.{key}", f"expected '<node id>.<port>', got {quote(value)}", field=key))
            continue
        refs.append(PortRef.parse(value))
    if len(problems) > before:
        return None
    return Edge(refs[0], refs[1])


def _point(value: Any) -> tuple[float, float] | None:
    """[x, y] as floats, or None unless both are numbers within MAX_COORDINATE (1e30 broke the
    wires' SVG; an int of over 309 digits raised OverflowError)."""
    if not isinstance(value, list) or len(value) != 2:
        return None
    point = []
    for v in value:
        if isinstance(v, bool) or not isinstance(v, int | float):
            return None
        if isinstance(v, int) and abs(v) > MAX_COORDINATE:
            return None
        number = float(v)
        if not math.isfinite(number) or abs(number) > MAX_COORDINATE:
            return None
        point.append(number)
    return point[0], point[1]
