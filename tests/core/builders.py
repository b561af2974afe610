"""Small builders for graphs and a catalog of cheap text nodes used by the core tests."""

from __future__ import annotations

import asyncio

from studio.core.catalog import TEXT, Catalog, PortSpec, node
from studio.core.errors import StudioError
from studio.core.graph import Graph, Node
from studio.core.params import IntParam, TextParam

CALLS: list[str] = []  # node ids in the order their bodies ran


@node(
    "test.const",
    title="Const",
    category="Test",
    help="Outputs its text.",
    outputs=(PortSpec("text", TEXT),),
    params=(TextParam("value", "a", max_length=10_000_000),),
)
async def const(ctx, *, value):
    CALLS.append(ctx.node_id)
    return {"text": value}


@node(
    "test.append",
    title="Append",
    category="Test",
    help="Appends a suffix.",
    inputs=(PortSpec("text", TEXT),),
    outputs=(PortSpec("text", TEXT),),
    params=(TextParam("suffix", "+"),),
)
async def append(ctx, *, text, suffix):
    CALLS.append(ctx.node_id)
    return {"text": text + suffix}


@node(
    "test.join",
    title="Join",
    category="Test",
    help="Joins many texts.",
    inputs=(PortSpec("parts", TEXT, multiple=True, required=False),),
    outputs=(PortSpec("text", TEXT),),
)
async def join(ctx, *, parts):
    CALLS.append(ctx.node_id)
    return {"text": "|".join(parts)}


@node(
    "test.fail",
    title="Fail",
    category="Test",
    help="Always fails.",
    inputs=(PortSpec("text", TEXT),),
    outputs=(PortSpec("text", TEXT),),
)
async def fail(ctx, *, text):
    CALLS.append(ctx.node_id)
    raise StudioError("this node always fails")


@node(
    "test.crash",
    title="Crash",
    category="Test",
    help="Has a bug.",
    inputs=(PortSpec("text", TEXT),),
    outputs=(PortSpec("text", TEXT),),
)
async def crash(ctx, *, text):
    CALLS.append(ctx.node_id)
    return {"text": text[1000]}


@node(
    "test.slow",
    title="Slow",
    category="Test",
    help="Long work in steps, checking for cancel.",
    inputs=(PortSpec("text", TEXT),),
    outputs=(PortSpec("text", TEXT),),
    params=(IntParam("steps", 50, min=1, max=10_000),),
)
async def slow(ctx, *, text, steps):
    CALLS.append(ctx.node_id)
    for _ in range(steps):
        ctx.check_cancelled()
        await asyncio.sleep(0.001)
    return {"text": text}


@node(
    "test.random",
    title="Random",
    category="Test",
    help="Non-deterministic.",
    inputs=(PortSpec("text", TEXT),),
    outputs=(PortSpec("text", TEXT),),
    deterministic=False,
)
async def random_node(ctx, *, text):
    CALLS.append(ctx.node_id)
    return {"text": f"{text}#{len(CALLS)}"}


TEST_NODES = (const, append, join, fail, crash, slow, random_node)


def test_catalog() -> Catalog:
    return Catalog(TEST_NODES)


test_catalog.__test__ = False  # a builder, not a test


def chain(*specs: tuple[str, str, dict]) -> Graph:
    """chain(("a", "test.const", {}), ("b", "test.append", {})) connects each to the next by `text`."""
    graph = Graph()
    previous = None
    for node_id, type_id, params in specs:
        graph.add_node(Node(node_id, type_id, dict(params)))
        if previous is not None:
            graph.connect(f"{previous}.text", f"{node_id}.text")
        previous = node_id
    return graph
