"""The engine's side of a whole run: the executor and the node bodies run beside the pictures, so a
run costs one message per node state instead of a round trip per image operation, and the caller's
thread stays free while it goes on. A body that needs a service the engine has not (Gemini) is asked
of the caller (runs.BodyAsk)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from ..core.body_call import call_here
from ..core.catalog import Catalog, NodeSpec
from ..core.context import CancelToken, NodeContext
from ..core.executor import Executor
from ..core.run_result import NodeEvent
from .runs import BodyAnswer, BodyAsk, RunCall, RunDone
from .server import EngineServer

Post = Callable[[bytes], None]  # an event of this run, to the caller
Ask = Callable[[bytes], Awaitable[bytes]]  # a BodyAsk to the caller, its BodyAnswer back

HOLD_S = 0.03  # after holding the engine's thread this long, a run lets the caller in before its next node
YIELD_S = 0.003  # Pyodide's loop waits on a browser timer from 3 ms; shorter waits never leave its queue
_asking: ContextVar[Ask] = ContextVar("asking")  # the running run's way to its caller


class RunServer:
    """Runs RunCalls on the engine's own backend; pictures given out through `server`'s handles, so
    the caller's later calls (a thumbnail, a bitmap to draw) find them."""

    def __init__(self, server: EngineServer, catalog: Catalog) -> None:
        self.server = server
        self.executor = Executor(catalog, server.backend)
        self.executor.call_body = self._call_body
        self._cancels: dict[int, CancelToken] = {}
        self._held_since = time.perf_counter()

    async def run(self, run_id: int, data: bytes, post: Post, ask: Ask) -> bytes:
        call: RunCall = self.server.loads(data)
        # The caller counts "run again" (its previews need the same keys): take its counts as they were
        # before this run; the executor bumps the forced ones as the caller did.
        self.executor.generations = dict(call.generations)
        cancel = self._cancels[run_id] = CancelToken()
        self._held_since = time.perf_counter()
        token = _asking.set(ask)

        def emit(event: NodeEvent) -> None:
            post(self.server.dumps(event))

        try:
            result = await self.executor.run(
                call.graph,
                inputs=call.inputs,
                force=call.force,
                targets=call.targets,
                on_event=emit,
                cancel=cancel,
                offline=call.offline,
            )
        finally:
            _asking.reset(token)
            self._cancels.pop(run_id, None)
        notes = {node_id: list(node.notes) for node_id, node in result.nodes.items() if node.notes}
        return self.server.dumps(RunDone(result.cancelled, notes, self.executor.cache.keys()))

    async def _hear_the_caller(self) -> None:
        """Let the caller's messages in (a Cancel, a picture to draw) once the run has held the thread
        for HOLD_S: a browser worker hears them only when its tasks leave room, and neither a node
        running on into the next nor the event loop's own scheduling does (a short timer does)."""
        if time.perf_counter() - self._held_since >= HOLD_S:
            await asyncio.sleep(YIELD_S)
            self._held_since = time.perf_counter()

    def cancel(self, run_id: int) -> None:
        """Heard between nodes and image operations; the caller has already shown the run cancelled."""
        cancel = self._cancels.get(run_id)
        if cancel is not None:
            cancel.cancel()

    async def _call_body(self, spec: NodeSpec, ctx: NodeContext, args: dict[str, Any], params: dict[str, Any]) -> Any:
        await self._hear_the_caller()
        ctx.cancel.raise_if_cancelled()
        if not spec.services:
            return await call_here(spec, ctx, args, params)
        ask = BodyAsk(ctx.node_id, args, ctx.basis, ctx.force, ctx.offline)
        answer: BodyAnswer = self.server.loads(await _asking.get()(self.server.dumps(ask)))
        ctx.notes.extend(answer.notes)
        if answer.error is not None:
            raise answer.error
        return answer.outputs
