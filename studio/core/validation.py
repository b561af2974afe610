"""Graph validation: every problem at once, each naming the node and the field."""

from __future__ import annotations

from typing import Any

from .catalog import IMAGE, Catalog, NodeSpec
from .graph import Edge, Graph, Node
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
    """The same rule as the executor's bypass_ports: a first image input and a first image output."""
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
    problems = []
    dangling = 0
    for edge in graph.edges:
        source_node = graph.nodes.get(edge.source.node)
        target_node = graph.nodes.get(edge.target.node)
        if source_node is None or target_node is None:
            dangling += 1
            if dangling > DANGLING_REPORTED:
                continue
            missing = edge.source.node if source_node is None else edge.target.node
            blame = clip(edge.target.node if target_node else edge.source.node, 80)
            problems.append(Problem(_where(edge), f"no node with id {quote(missing, 40)}", blame, None))
            continue
        source_spec = catalog.get(source_node.type)
        target_spec = catalog.get(target_node.type)
        if source_spec is None or target_spec is None:
            continue  # already reported as an unknown node type
        out_port = source_spec.output(edge.source.port)
        in_port = target_spec.input(edge.target.port)
        if out_port is not None and in_port is not None and out_port.type == in_port.type:
            continue  # the common case: no message built
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
    if dangling > DANGLING_REPORTED:
        more = dangling - DANGLING_REPORTED
        problems.append(Problem("edges", f"{more:,} more edges name nodes that do not exist"))
    return problems


def _where(edge: Edge) -> str:
    return f"edge {clip(str(edge), 120)}"


def _input_problems(graph: Graph, catalog: Catalog) -> list[Problem]:
    problems = []
    index = graph.incoming()
    for node in graph.nodes.values():
        spec = catalog.get(node.type)
        if spec is None:
            continue
        incoming = index[node.id]
        for port in spec.inputs:
            count = sum(1 for e in incoming if e.target.port == port.name)
            where = f"node {node.id!r} input {port.name!r}"
            if count == 0 and port.required:
                problems.append(Problem(where, "is required but not connected", node.id, port.name))
            if count > 1 and not port.multiple:
                problems.append(Problem(where, f"takes one connection but has {count}", node.id, port.name))
    return problems
