"""Graph validation: every problem at once, each naming the node and the field."""

from __future__ import annotations

from collections import Counter
from collections.abc import Container
from operator import itemgetter
from typing import Any

from .catalog import IMAGE, Catalog, NodeSpec
from .graph import Edge, Graph, Node, PortRef
from .params import ParamError
from .problems import Problem
from .quoting import clip, quote
from .topology import cycles


def validate(graph: Graph, catalog: Catalog) -> list[Problem]:
    problems: list[Problem] = []
    for node in graph.nodes.values():
        spec = catalog.get(node.type)
        if spec is None:
            problems.append(Problem(f"node {node.id!r}", f"unknown node type {quote(node.type)}", node.id, "type"))
            continue
        problems.extend(param_problems(node, spec))
        problems.extend(data_problems(node, spec))
        if node.bypass and not _can_bypass(spec):
            problems.append(
                Problem(
                    f"node {node.id!r}",
                    f"{spec.id} cannot be bypassed: it has no image input and image output to pass the"
                    " picture through (turn bypass off)",
                    node.id,
                    "bypass",
                )
            )
    problems.extend(_edge_problems(graph, catalog))
    problems.extend(_input_problems(graph, catalog))
    for group in cycles(graph):
        # Named once, shortened: a 5,000-node cycle spelled out in each node's problem was quadratic.
        names = " -> ".join(group[:6] + [group[0]]) if len(group) <= 6 else " -> ".join(group[:6]) + " -> …"
        for node_id in group:
            problems.append(Problem(f"node {node_id!r}", f"is part of a cycle: {names}", node_id, None))
    return problems


def _can_bypass(spec: NodeSpec) -> bool:
    """The same rule as bypass_ports (studio/core/reach.py): a first image input and a first image output."""
    return any(p.type == IMAGE for p in spec.inputs) and any(p.type == IMAGE for p in spec.outputs)


def param_problems(node: Node, spec: NodeSpec) -> list[Problem]:
    problems = []
    for name, value in node.params.items():
        param = spec.param(name)
        where = f"node {node.id!r} param {quote(name, 40)}"
        if param is None:
            known = ", ".join(p.name for p in spec.params) or "none"
            problems.append(
                Problem(where, f"{spec.id} has no param {quote(name, 40)} (params: {known})", node.id, clip(name, 40))
            )
            continue
        try:
            param.coerce(value)
        except ParamError as exc:
            problems.append(Problem(where, str(exc), node.id, name))
    return problems


def data_problems(node: Node, spec: NodeSpec) -> list[Problem]:
    """What the node type's own check finds wrong in the node's `data` (if it has a check)."""
    if spec.check_data is None or not node.data:
        return []
    try:
        messages = spec.check_data(node.data)
    except Exception as exc:  # a checker's bug must not turn into a traceback for the user
        messages = [f"data: could not be checked ({type(exc).__name__})"]
    return [Problem(f"node {node.id!r}", clip(message, 300), node.id, "data") for message in messages]


def resolve_params(node: Node, spec: NodeSpec) -> dict[str, Any]:
    """The node's params with defaults filled in and values coerced (assumes they validated)."""
    values = spec.defaults()
    for param in spec.params:
        if param.name in node.params:
            values[param.name] = param.coerce(node.params[param.name])
    return values


# Past this many, edges to missing nodes are counted, not each described (100,000 of them were
# 100,000 messages nobody reads).
DANGLING_REPORTED = 1000


def _edge_problems(graph: Graph, catalog: Catalog) -> list[Problem]:
    # Checked per distinct port, then each edge's pair of port types in bulk (map and zip, in C):
    # 100,000 edges between a few thousand ports, and a check per edge was 0.7 s.
    sources = list(map(itemgetter(0), graph.edges))
    targets = list(map(itemgetter(1), graph.edges))
    out_type = {ref: _port_type(graph, catalog, ref, output=True) for ref in set(sources)}
    in_type = {ref: _port_type(graph, catalog, ref, output=False) for ref in set(targets)}
    type_pairs = set(zip(map(out_type.__getitem__, sources), map(in_type.__getitem__, targets), strict=True))
    if all(out is not None and out == into for out, into in type_pairs):
        return []
    problems = []
    dangling = []
    for edge in graph.edges:
        if out_type[edge.source] is not None and out_type[edge.source] == in_type[edge.target]:
            continue
        source_node = graph.nodes.get(edge.source.node)
        target_node = graph.nodes.get(edge.target.node)
        if source_node is None or target_node is None:
            dangling.append((str(edge.source), str(edge.target)))
            continue
        source_spec = catalog.get(source_node.type)
        target_spec = catalog.get(target_node.type)
        if source_spec is None or target_spec is None:
            continue  # already reported as an unknown node type
        out_port = source_spec.output(edge.source.port)
        in_port = target_spec.input(edge.target.port)
        if out_port is None:
            known = ", ".join(p.name for p in source_spec.outputs) or "none"
            problems.append(
                Problem(
                    _where(edge),
                    f"{source_spec.id} has no output {quote(edge.source.port, 40)} (outputs: {known})",
                    edge.source.node,
                    clip(edge.source.port, 40),
                )
            )
        if in_port is None:
            known = ", ".join(p.name for p in target_spec.inputs) or "none"
            problems.append(
                Problem(
                    _where(edge),
                    f"{target_spec.id} has no input {quote(edge.target.port, 40)} (inputs: {known})",
                    edge.target.node,
                    clip(edge.target.port, 40),
                )
            )
        if out_port and in_port and out_port.type != in_port.type:
            problems.append(
                Problem(
                    _where(edge),
                    f"cannot connect a {out_port.type} output to a {in_port.type} input",
                    edge.target.node,
                    edge.target.port,
                )
            )
    return dangling_problems(dangling, graph.nodes) + problems


def dangling_problems(edges: list[tuple[str, str]], nodes: Container[str]) -> list[Problem]:
    """Edges, as their (from, to) texts, naming a node that is not in the graph (`nodes`: those
    that are): the first DANGLING_REPORTED described, blamed on the end that exists; the rest counted."""
    problems = []
    for source, target in edges[:DANGLING_REPORTED]:
        source_node, target_node = source.rpartition(".")[0], target.rpartition(".")[0]
        missing = target_node if source_node in nodes else source_node
        blame = clip(target_node if target_node in nodes else source_node, 80)
        where = f"edge {clip(f'{source} -> {target}', 120)}"
        problems.append(Problem(where, f"no node with id {quote(missing, 40)}", blame, None))
    if len(edges) > DANGLING_REPORTED:
        more = len(edges) - DANGLING_REPORTED
        problems.append(Problem("edges", f"{more:,} more edges name nodes that do not exist"))
    return problems


def _port_type(graph: Graph, catalog: Catalog, ref: PortRef, *, output: bool) -> str | None:
    """The type of the port `ref` names (an output or an input), or None if there is no such port."""
    node = graph.nodes.get(ref.node)
    spec = catalog.get(node.type) if node is not None else None
    if spec is None:
        return None
    port = spec.output(ref.port) if output else spec.input(ref.port)
    return port.type if port is not None else None


def _where(edge: Edge) -> str:
    return f"edge {clip(str(edge), 120)}"


def _input_problems(graph: Graph, catalog: Catalog) -> list[Problem]:
    problems = []
    connections = Counter(map(itemgetter(1), graph.edges))  # per target: (node, input port)
    for node in graph.nodes.values():
        spec = catalog.get(node.type)
        if spec is None:
            continue
        for port in spec.inputs:
            count = connections[PortRef(node.id, port.name)]
            where = f"node {node.id!r} input {port.name!r}"
            if count == 0 and port.required:
                problems.append(Problem(where, "is required but not connected", node.id, port.name))
            if count > 1 and not port.multiple:
                problems.append(Problem(where, f"takes one connection but has {count}", node.id, port.name))
    return problems
