"""Dependency order of a graph, and the cycles that prevent one."""

from __future__ import annotations

from collections import deque

from .graph import Graph


def dependencies(graph: Graph) -> dict[str, list[str]]:
    """For each node, the distinct nodes feeding it, in edge order (edges to unknown nodes ignored)."""
    # Dicts as ordered sets: `src not in deps[dst]` on lists was quadratic in a node's inputs.
    distinct: dict[str, dict[str, None]] = {node_id: {} for node_id in graph.nodes}
    for edge in graph.edges:
        src, dst = edge.source.node, edge.target.node
        if src in distinct and dst in distinct:
            distinct[dst][src] = None
    return {node_id: list(sources) for node_id, sources in distinct.items()}


def cycles(graph: Graph) -> list[list[str]]:
    """Each group of nodes that lie on a cycle (strongly connected components with a loop)."""
    deps = dependencies(graph)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    position = {node_id: i for i, node_id in enumerate(graph.nodes)}

    # Iterative Tarjan: a graph pasted by a user can be deep enough to hit the recursion limit.
    for root in deps:
        if root in index:
            continue
        work = [(root, iter(deps[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(deps[child])))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in deps[node]:
                    found.append(sorted(component, key=position.__getitem__))
    return found


def topological_order(graph: Graph) -> list[str]:
    """Nodes in dependency order, ties kept in graph order; nodes on or after a cycle are left out."""
    deps = dependencies(graph)
    remaining = {node_id: len(sources) for node_id, sources in deps.items()}
    users: dict[str, list[str]] = {node_id: [] for node_id in deps}
    for node_id, sources in deps.items():
        for source in sources:
            users[source].append(node_id)
    ready = deque(node_id for node_id, count in remaining.items() if count == 0)
    order: list[str] = []
    while ready:
        current = ready.popleft()
        order.append(current)
        for user in users[current]:
            remaining[user] -= 1
            if remaining[user] == 0:
                ready.append(user)
    return order
