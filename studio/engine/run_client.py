"""The caller's side of a whole run in the engine: an Executor whose runs go there (run_server.py)
as one call, heard back as the same NodeEvents, with the bodies the engine hands back (AI nodes:
the Gemini key, the meter and the document are the caller's) run here. Without an engine (no worker
could start) it is the plain Executor on the caller's own backend."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any, Protocol

from ..core.catalog import Catalog
from ..core.context import CancelToken
from ..core.errors import ImageError
from ..core.executor import EventSink, Executor
from ..core.graph import Graph
from ..core.recording import stamped
from ..core.run_result import FAILED, QUEUED, RUNNING, SKIPPED, NodeEvent, NodeResult, RunResult
from ..core.validation import resolve_params
from . import wire
from .runs import BodyAnswer, BodyAsk, NoEngine, RunCall, RunDone, engine_graph

# How long a run whose engine stopped waits for the bodies running here to end with it (their
# request fails at once then; one waiting out a retry's backoff is cancelled instead).
BODY_END_S = 1.0


class RunChannel(Protocol):
    """How runs reach the engine (the page's EngineLink): `open_run` sends one and gives its number and
    its RunDone bytes to await; `on_event` hears each event's bytes, `on_ask` answers BodyAsk bytes."""

    def open_run(
        self, data: bytes, on_event: Callable[[bytes], None], on_ask: Callable[[bytes], Awaitable[bytes]]
    ) -> tuple[int, Awaitable[bytes]]: ...

    def cancel_run(self, run_id: int) -> None: ...


class RemoteExecutor(Executor):
    """Runs go to `backend.runs` (a RunChannel, None while the engine is the caller's own); previews
    count as cached what the engine's cache held at the end of the last run."""

    def __init__(self, catalog: Catalog, backend: Any, *, services: dict[str, Any] | None = None) -> None:
        super().__init__(catalog, backend, services=services)
        self._held: tuple[frozenset[str], int] = (frozenset(), -1)  # (keys, the engine's life they are of)

    def _channel(self) -> RunChannel | None:
        return getattr(self.backend, "runs", None)

    async def run(
        self,
        graph: Graph,
        *,
        inputs: Mapping[str, bytes] | None = None,
        force: Iterable[str] = (),
        targets: Iterable[str] | None = None,
        on_event: EventSink | None = None,
        cancel: CancelToken | None = None,
        offline: bool = False,
    ) -> RunResult:
        force, targets = tuple(force), None if targets is None else tuple(targets)
        inputs, cancel = dict(inputs or {}), cancel or CancelToken()
        emit = on_event or (lambda event: None)
        channel = self._channel()
        if channel is not None:
            before = dict(self.generations)
            call = RunCall(engine_graph(graph, self.catalog), inputs, force, targets, offline, before)
            self.count_run_again(force)
            try:
                return await _RemoteRun(self, graph, inputs, cancel, emit).go(channel, self.backend.dumps(call))
            except NoEngine:
                self.generations = before  # the run below counts "run again" itself
        return await super().run(
            graph, inputs=inputs, force=force, targets=targets, on_event=emit, cancel=cancel, offline=offline
        )

    def held(self, keys: Iterable[str]) -> None:
        self._held = (frozenset(keys), getattr(self.backend, "generation", 0))

    def _cached(self, key: str) -> dict[str, Any] | None:
        if self._channel() is None:
            return super()._cached(key)
        keys, life = self._held
        # Only `preview` asks here (runs are the engine's): its pictures died with an engine that stopped.
        return {} if key in keys and life == getattr(self.backend, "generation", 0) else None


class _RemoteRun:
    """One run in the engine, as the caller hears it."""

    def __init__(
        self, executor: RemoteExecutor, graph: Graph, inputs: dict[str, bytes], cancel: CancelToken, emit: EventSink
    ) -> None:
        self.executor, self.backend = executor, executor.backend
        self.graph, self.inputs, self.cancel, self.emit = graph, inputs, cancel, emit
        self.queued: list[str] = []
        self.running: str | None = None
        self.finished: dict[str, NodeEvent] = {}
        self.recorded: dict[str, dict[str, Any] | None] = {}  # by the bodies run here, for their events
        self.asking: set[asyncio.Task[Any]] = set()  # the bodies running here now
        self.body_errors: dict[str, str] = {}  # what each body run here failed with, by node
        self.closed = False  # the run was shown ended early (cancelled): the engine's late events are not

    async def go(self, channel: RunChannel, call: bytes) -> RunResult:
        run_id, reply = channel.open_run(call, self._on_event, self._on_ask)
        done = asyncio.ensure_future(reply)
        done.add_done_callback(lambda f: f.cancelled() or f.exception())  # a reply nobody waits for any more
        stop = asyncio.ensure_future(self.cancel.wait())
        try:
            while not done.done():
                await asyncio.wait({done, stop} if not stop.done() else {done}, return_when=asyncio.FIRST_COMPLETED)
                if stop.done() and not done.done():
                    channel.cancel_run(run_id)
                    if not self.asking:
                        # A pure body in the engine may hold it a second more: the run is shown ended now,
                        # and the engine drops what it makes late. (A body running here, an AI node's,
                        # stops its own request: its recordings are waited for.)
                        return self._ended_early("cancelled", cancelled=True)
        finally:
            stop.cancel()
        try:
            ended: RunDone = self.backend.loads(done.result())
        except (ImageError, RuntimeError) as exc:
            if isinstance(exc, NoEngine) and not self.queued:
                raise
            error = str(exc) if isinstance(exc, ImageError) else f"the image engine failed: {exc}"
            return self._ended_early(await self._bodies_end(error))
        self.executor.held(ended.held)
        result = RunResult(cancelled=ended.cancelled)
        for node_id, event in self.finished.items():
            result.nodes[node_id] = _result_of(event, ended.notes.get(node_id, []))
        return result

    def _on_event(self, data: bytes) -> None:
        if self.closed:
            return
        event: NodeEvent = self.backend.loads(data)
        if event.state == QUEUED:
            self.queued.append(event.node)
        elif event.state == RUNNING:
            self.running = event.node
        else:
            if event.node in self.recorded:
                event = replace(event, recorded=self.recorded.pop(event.node))
            self.finished[event.node] = event
        self.emit(event)

    async def _on_ask(self, data: bytes) -> bytes:
        task = asyncio.current_task()
        assert task is not None
        self.asking.add(task)
        try:
            reply: bytes = self.backend.dumps(await self._body(self.backend.loads(data)))
            return reply
        finally:
            self.asking.discard(task)

    async def _bodies_end(self, error: str) -> str:
        """The engine stopped while bodies ran here (an AI node's request): they end with it (their
        request failed with it, or they are cancelled, so none asks again on its own after the run).
        The running node's error is its body's own, when it has one: it says whether a request was
        in flight, and so may have been billed."""
        if self.asking:
            await asyncio.wait(set(self.asking), timeout=BODY_END_S)
        own = self.body_errors.get(self.running or "", error)  # (not the "cancelled" of those cancelled now)
        for task in self.asking:
            task.cancel()
        return own

    async def _body(self, ask: BodyAsk) -> BodyAnswer:
        node = self.graph.nodes[ask.node]
        spec = self.executor.catalog[node.type]
        external = self.inputs.get(node.id) if spec.external_input else None
        ctx = self.executor.node_context(
            node, spec, self.cancel, external=external, force=ask.force, basis=ask.basis, offline=ask.offline
        )
        try:
            outputs = await spec.fn(ctx, **ask.args, **resolve_params(node, spec))
            answer = BodyAnswer(outputs, tuple(ctx.notes))
        except Exception as exc:  # the engine's executor words it, as if the body had run there
            self.body_errors[node.id] = str(exc)
            answer = BodyAnswer(None, tuple(ctx.notes), wire.portable_error(exc))
        # What the body recorded (paid-for answers) stays here, and goes out with the node's event.
        self.recorded[node.id] = stamped(ctx.recording, ask.basis)
        return answer

    def _ended_early(self, error: str, *, cancelled: bool = False) -> RunResult:
        """The run as far as it was heard, the node running then failed and the rest skipped with
        `error`, as the executor ends a cancelled run (a worker that stopped ends it the same way)."""
        self.closed = True
        result = RunResult(cancelled=cancelled)
        for node_id, event in self.finished.items():
            result.nodes[node_id] = _result_of(event, [])
        # The node the engine was running fails; a stop between two nodes fails the next one.
        failing = self.running if self.running not in self.finished else None
        for node_id in self.queued or list(self.graph.nodes):
            if node_id not in result.nodes:
                if failing is None and not cancelled:
                    failing = node_id
                status = FAILED if node_id == failing else SKIPPED
                result.nodes[node_id] = NodeResult(status, error=error)
                self.emit(NodeEvent(node_id, status, error=error))
        return result


def _result_of(event: NodeEvent, notes: list[str]) -> NodeResult:
    return NodeResult(event.state, event.ms, event.error, dict(event.outputs or {}), list(notes), event.recorded)
