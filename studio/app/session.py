"""The open workflow and its runs, independent of how it is shown (browser UI, tests)."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
from typing import Any

from ..core.catalog import FILE, IMAGE, Catalog
from ..core.context import CancelToken
from ..core.executor import Executor
from ..core.graph import Graph
from ..core.recording import keep
from ..core.run_result import RUNNING, NodeEvent, RunResult
from ..core.sniff import sniff_mime
from ..core.warm_up import WarmUp
from ..core.workflow import dump_workflow, load_workflow
from ..nodes.output import saved_file
from .billing import Meter, Plan, plan_run
from .pictures import picture_nodes
from .run_state import keep_good_results


class Session:
    """Holds the graph, the executor (and its cache) and the last run's results."""

    def __init__(
        self,
        catalog: Catalog,
        backend: Any,
        services: dict[str, Any] | None = None,
        executor_class: type[Executor] = Executor,
    ) -> None:
        self.catalog = catalog
        self.backend = backend
        services = dict(services or {})
        # Every Gemini call of a run goes through the meter: counted, held to what was announced.
        self.meter: Meter | None = None
        if "gemini" in services:
            self.meter = services["gemini"] = Meter(services["gemini"])
        # The page's executor sends its runs to the engine's worker (studio/engine/run_client.py).
        self.executor = executor_class(catalog, backend, services=services)
        self.graph = Graph()
        self.inputs: dict[str, bytes] = {}  # uploaded picture bytes per source.image node
        self.last_run: RunResult | None = None
        self.listeners: list[Callable[[NodeEvent], None]] = []
        # Called with (old graph, old inputs) after load_text replaced the graph (the editor
        # makes it an undoable step and redraws).
        self.on_replace: list[Callable[[Graph, dict[str, bytes]], None]] = []
        self._cancel: CancelToken | None = None
        self._run_lock: asyncio.Lock | None = None
        self._loads = 0  # counts load_text: a run's recordings belong to the document it ran
        self._running: tuple[Graph, int] | None = None  # what the running run reads, under which load
        self.warm_up: WarmUp | None = None  # the idle warm-up on this page's backend (core/warm_up.py): a run stops it

    def load_text(self, text: str, *, complete: bool = True) -> Graph:
        """Replace the open graph; on a bad file raise WorkflowError and keep the old one."""
        graph = load_workflow(text, self.catalog, complete=complete)
        old_graph, old_inputs = self.graph, self.inputs
        self.graph = graph
        self._loads += 1
        # A new document brings its own pictures (absorbed from the file): none carry over from
        # the old one, even to a node of the same id (Photo cleanup's "photo" would show the
        # last example's picture).
        self.inputs = {}
        self.last_run = None
        for callback in list(self.on_replace):
            callback(old_graph, old_inputs)
        return graph

    def workflow_text(self, *, include_data: bool = True, compact: bool = True) -> str:
        """The open graph as workflow text; compact by default (autosave, `window.studio.workflow()`):
        indenting deep node data multiplied its size."""
        return dump_workflow(self.graph, include_data=include_data, compact=compact)

    def plan(self, *, force: tuple[str, ...] = (), targets: list[str] | None = None, offline: bool = False) -> Plan:
        """The Gemini calls a run with these arguments would make now (nothing is run)."""
        if offline or not any(node.type.startswith("ai.") for node in self.graph.nodes.values()):
            return Plan()
        planned = self.executor.preview(self.graph, inputs=self.inputs, force=force, targets=targets)
        plan = plan_run(self.graph, planned, force=force, offline=offline)
        # Behind an Image node still waiting for its picture nothing runs: no call to count.
        waiting = [
            node_id
            for node_id in picture_nodes(self.graph)
            if node_id not in self.inputs
            and not str(self.graph.nodes[node_id].params.get("image", "")).startswith("data:")
        ]
        if waiting and plan.nodes:
            blocked = self.graph.descendants(waiting)
            plan = Plan(tuple(n for n in plan.nodes if n.node not in blocked))
        return plan

    async def run(
        self,
        *,
        force: tuple[str, ...] = (),
        targets: list[str] | None = None,
        offline: bool = False,
        allowance: int | None = None,
    ) -> RunResult:
        """Run the graph as it is now. Runs never overlap: a second caller (an automation hook
        while the UI runs) waits for the first to finish. `allowance`: the Gemini calls the run
        announced; the meter refuses any beyond them (None: no limit, e.g. automation)."""
        if self.warm_up is not None:
            self.warm_up.stop()
        if self._run_lock is None:
            self._run_lock = asyncio.Lock()  # made lazily: it binds to the running loop
        async with self._run_lock:
            self._cancel = CancelToken()
            if self.meter is not None:
                self.meter.start(0 if offline else allowance)
            ran = self.graph.copy()  # edits during the run must not change what it reads
            ran_under = self._loads
            inputs = dict(self.inputs)
            ready = getattr(self.backend, "ready", None)
            if ready is not None:
                # The page's image engine starts in a worker at boot: node times count from here. What
                # runs is the graph as it was asked for (a load meanwhile is the next run's).
                await ready()
            self._running = (ran, ran_under)
            try:
                result = await self.executor.run(
                    ran,
                    inputs=inputs,
                    force=force,
                    targets=targets,
                    on_event=self._emit,
                    cancel=self._cancel,
                    offline=offline,
                )
            finally:
                self._cancel = None
                self._running = None
            keep_good_results(self.last_run, result)  # a Cancel keeps what was shown before
            self.last_run = result
            return result

    def cancel(self) -> bool:
        if self._cancel is None:
            return False
        self._cancel.cancel()
        return True

    @property
    def running(self) -> bool:
        return self._cancel is not None

    def image_in(self, node_id: str, outputs: dict[str, Any]) -> Any | None:
        """The first image among a node's outputs, in its type's port order (None if none)."""
        node = self.graph.nodes.get(node_id)
        spec = self.catalog.get(node.type) if node is not None else None
        for port in spec.outputs if spec else ():
            if port.type == IMAGE and outputs.get(port.name) is not None:
                return outputs[port.name]
        return None

    def image_output(self, node_id: str) -> Any | None:
        """The node's first image output from the last run (None if it has none)."""
        if self.last_run is None or node_id not in self.last_run.nodes or node_id not in self.graph.nodes:
            return None
        spec = self.catalog.get(self.graph.nodes[node_id].type)
        found = self.image_in(node_id, self.last_run.nodes[node_id].outputs)
        if found is not None:
            return found
        if spec and spec.produces_file:
            # An export's picture is its input: show what is being exported.
            edge = next(iter(self.graph.inputs_of(node_id)), None)
            if edge is not None:
                return self.last_run.nodes.get(edge.source.node, None) and self.last_run.nodes[
                    edge.source.node
                ].outputs.get(edge.source.port)
        return None

    async def output_png_data_url(self, node_id: str) -> str | None:
        image = self.image_output(node_id)
        if image is None:
            return None
        data = await self.backend.encode(image, "png", 100)
        return "data:image/png;base64," + base64.b64encode(data).decode("ascii")

    def file_output(self, node_id: str) -> bytes | None:
        """The node's first file output (an export's encoded bytes) from the last run."""
        node = self.graph.nodes.get(node_id)
        if self.last_run is None or node is None or node_id not in self.last_run.nodes:
            return None
        spec = self.catalog.get(node.type)
        outputs = self.last_run.nodes[node_id].outputs
        for port in spec.outputs if spec else ():
            value = outputs.get(port.name)
            if port.type == FILE and isinstance(value, bytes):
                return saved_file(self.graph, node_id, value)
        return None

    def file_data_url(self, node_id: str) -> str | None:
        data = self.file_output(node_id)
        if data is None:
            return None
        mime = sniff_mime(data) or "application/octet-stream"
        return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")

    def _emit(self, event: NodeEvent) -> None:
        if self.meter is not None and event.state == RUNNING:
            self.meter.node = event.node
        if event.recorded and self._running is not None and self._running[1] == self._loads:
            # What a node recorded (an AI node's answers) goes into the open document as soon as the
            # node finishes, before listeners hear of it (an autosave then keeps the paid-for turns);
            # not into a document loaded since the run started, nor a node deleted or retyped.
            keep(self.graph, event.node, self._running[0].nodes[event.node].type, event.recorded)
        for listener in list(self.listeners):
            listener(event)
