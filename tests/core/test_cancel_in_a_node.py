"""Cancel during a node: a pure node is given up on at once (its picture may take the image engine a
second), its late result never cached; an AI node is waited for, since it stops its own request."""

from __future__ import annotations

import asyncio

from studio.backend.pillow_backend import PillowBackend
from studio.core.catalog import Catalog, node
from studio.core.context import CancelToken
from studio.core.executor import Executor
from studio.core.graph import Graph, Node
from studio.nodes import default_catalog

RELEASE: dict[str, asyncio.Event] = {}
STARTED: list[str] = []
FINISHED: list[str] = []


async def _slow(ctx, *, image):
    STARTED.append(ctx.node.id)
    await RELEASE[ctx.node.type].wait()
    FINISHED.append(ctx.node.id)
    return {"image": image}


IMAGE_IN = default_catalog().get("transform.invert").inputs
slow_pure = node("test.slow_pure", title="Slow", category="Test", help="Waits.", inputs=IMAGE_IN)(_slow)
slow_ai = node("test.slow_ai", title="Slow AI", category="Test", help="Waits.", deterministic=False, inputs=IMAGE_IN)(
    _slow
)
CATALOG = Catalog([*default_catalog(), slow_pure, slow_ai])


def chain(kind: str) -> Graph:
    graph = Graph()
    graph.add_node(Node("src", "source.solid", {"width": 4, "height": 4}))
    graph.add_node(Node("slow", kind))
    graph.add_node(Node("after", "transform.invert"))
    graph.connect("src.image", "slow.image")
    graph.connect("slow.image", "after.image")
    return graph


async def cancelled_while_running(kind: str) -> tuple[object, float, Executor]:
    RELEASE[kind] = asyncio.Event()
    STARTED.clear()
    FINISHED.clear()
    executor, cancel = Executor(CATALOG, PillowBackend()), CancelToken()
    loop = asyncio.get_running_loop()
    run = asyncio.ensure_future(executor.run(chain(kind), cancel=cancel))
    while "slow" not in STARTED:
        await asyncio.sleep(0.001)
    clicked = loop.time()
    cancel.cancel()
    if kind == "test.slow_ai":
        loop.call_later(0.05, RELEASE[kind].set)  # the request ends a moment later
    result = await run
    waited = loop.time() - clicked
    RELEASE[kind].set()
    await asyncio.sleep(0.01)  # the dropped body finishes on its own
    return result, waited, executor


def test_a_pure_node_is_not_waited_for_once_the_run_is_cancelled_and_its_late_result_is_dropped():
    async def scenario():
        result, waited, executor = await cancelled_while_running("test.slow_pure")
        assert waited < 0.02
        assert result.cancelled
        assert result.nodes["slow"].status == "failed" and result.nodes["slow"].error == "cancelled"
        assert result.nodes["after"].status == "skipped"
        assert FINISHED == ["slow"]  # it did end, later, and nobody kept what it made
        assert len(executor.cache) == 1  # the source only
        again = await executor.run(chain("test.slow_pure"))
        assert again.nodes["src"].status == "cached" and again.nodes["slow"].status == "done"

    asyncio.run(scenario())


def test_an_ai_node_is_waited_for_because_it_stops_its_own_request():
    async def scenario():
        result, waited, _ = await cancelled_while_running("test.slow_ai")
        assert waited >= 0.04
        assert result.nodes["slow"].status == "done" and result.cancelled
        assert result.nodes["after"].status == "skipped"

    asyncio.run(scenario())


def test_a_cancel_token_wakes_every_waiter_and_one_cancelled_before_returns_at_once():
    async def scenario():
        token = CancelToken()
        waiters = [asyncio.ensure_future(token.wait()) for _ in range(3)]
        await asyncio.sleep(0)
        assert not any(w.done() for w in waiters)
        token.cancel()
        await asyncio.wait_for(asyncio.gather(*waiters), 1)
        await asyncio.wait_for(token.wait(), 1)

    asyncio.run(scenario())
