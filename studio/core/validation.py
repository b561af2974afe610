"""Graph validation: every problem at once, each naming the node and the field."""

from __future__ import annotations

from typing import Any

from .catalog import Catalog, NodeSpec
from .graph import Graph, Node
from .params import ParamError
from .problems import Problem
from .topology import cycles


def validate(graph: Graph, catalog: Catalog) -> list[Problem]:
    problems: list[Problem] = []
    for node in graph.nodes.values():
        spec = catalog.get(node.type)
        if spec is None:
            problems.append(Problem(f"node {node.id!r}", f"unknown node type {node.type!r}", node.id, "type"))
            continue
        problems.extend(param_problems(node, spec))
    problems.extend(_edge_problems(graph, catalog))
    problems.extend(_input_problems(graph, catalog))
    for group in cycles(graph):
        names = " -> ".join(group + [group[0]])
        for node_id in group:
            problems.append(Problem(f"node {node_id!r}", f"is part of a cycle: {names}", node_id, None))
    return problems


def param_problems(node: Node, spec: NodeSpec) -> list[Problem]:
    problems = []
    for name, value in node.params.items():
        param = spec.param(name)
        where = f"node {node.id!r} param {name!r}"
        if param is None:
            known = ", ".join(p.name for p in spec.params) or "none"
            problems.append(Problem(where, f"{spec.id} has no param {name!r} (params: {known})", node.id, name))
            continue
        try:
            param.coerce(value)
        except ParamError as exc:
            problems.append(Problem(where, str(exc), node.id, name))
    return problems


def resolve_params(node: Node, spec: NodeSpec) -> dict[str, Any]:
    """The node's params with defaults filled in and values coerced (assumes they validated)."""
    values = spec.defaults()
    for param in spec.params:
        if param.name in node.params:
            values[param.name] = param.coerce(node.params[param.name])
    return values


def _edge_problems(graph: Graph, catalog: Catalog) -> list[Problem]:
    problems = []
    for edge in graph.edges:
        source_node = graph.nodes.get(edge.source.node)
        target_node = graph.nodes.get(edge.target.node)
        where = f"edge {edge}"
        blame = edge.target.node if target_node else edge.source.node
        if source_node is None or target_node is None:
            missing = edge.source.node if source_node is None else edge.target.node
            problems.append(Problem(where, f"no node with id {missing!r}", blame, None))
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
                    where,
                    f"{source_spec.id} has no output {edge.source.port!r} (outputs: {known})",
                    edge.source.node,
                    edge.source.port,
                )
            )
        if in_port is None:
            known = ", ".join(p.name for p in target_spec.inputs) or "none"
            problems.append(
                Problem(
                    where,
                    f"{target_spec.id} has no input {edge.target.port!r} (inputs: {known})",
                    edge.target.node,
                    edge.target.port,
                )
            )
        if out_port and in_port and out_port.type != in_port.type:
            problems.append(
                Problem(
                    where,
                    f"cannot connect a {out_port.type} output to a {in_port.type} input",
                    edge.target.node,
                    edge.target.port,
                )
            )
    return problems


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
