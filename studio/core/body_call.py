"""How the executor calls a node's body: here by default, or handed to whoever can run it (the
engine's worker hands AI nodes to the page, which holds the Gemini key and the meter)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from .catalog import NodeSpec
from .context import CancelToken, NodeContext
from .errors import Cancelled

# (spec, ctx, inputs by port, resolved params) -> the body's outputs, awaited by the executor.
BodyCall = Callable[[NodeSpec, NodeContext, dict[str, Any], dict[str, Any]], Awaitable[Any]]


def call_here(spec: NodeSpec, ctx: NodeContext, args: dict[str, Any], params: dict[str, Any]) -> Awaitable[Any]:
    return spec.fn(ctx, **args, **params)


async def unless_cancelled(body: Awaitable[Any], cancel: CancelToken) -> Any:
    """The body's result, or Cancelled as soon as the run is cancelled; the body then ends on its own
    and its result is dropped (never cached)."""
    task = asyncio.ensure_future(body)
    stop = asyncio.ensure_future(cancel.wait())
    try:
        await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.cancel()
    if task.done():
        return task.result()
    task.add_done_callback(lambda t: t.cancelled() or t.exception())  # its failure, if any, is nobody's now
    raise Cancelled()
