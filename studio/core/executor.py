"""The async executor: runs nodes in dependency order with caching, events and cancellation."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .body_call import BodyCall, call_here, unless_cancelled
from .cache import ResultCache
from .catalog import IMAGE, Catalog, NodeSpec
from .context import CancelToken, NodeContext
from .errors import Cancelled, StudioError
from .fingerprints import Fingerprints
from .graph import Edge, Graph, Node
from .problems import Problem
from .quoting import clip
from .reach import ancestors_and_self, bypass_ports, bypassed_gap, needed
from .recording import recorded_under, stamped
from .run_result import CACHED, DONE, FAILED, QUEUED, RUNNING, SKIPPED, NodeEvent, NodeResult, RunResult
from .topology import topological_order
from .validation import resolve_params, validate

EventSink = Callable[[NodeEvent], None]


@dataclass(frozen=True)
class Planned:
    """One node as `Executor.preview` sees it before a run."""

    basis: str  # what the node's recorded state must match (NodeContext.basis)
    cached: bool  # its result is in the cache: the body will not run


class Executor:
    """Keeps the result cache between runs; knows nothing of who listens to its events."""

    def __init__(
        self,
        catalog: Catalog,
        backend: Any,
        *,
        services: dict[str, Any] | None = None,
        cache: ResultCache | None = None,
    ) -> None:
        self.catalog = catalog
        self.backend = backend
        self.services = services if services is not None else {}
        self.cache = cache if cache is not None else ResultCache()
        self.generations: dict[str, int] = {}  # "run again" counts, by node (count_run_again)
        # How a body is called: here, unless its owner hands some elsewhere (core/body_call.py).
        self.call_body: BodyCall = call_here
        self._fingerprints = Fingerprints()

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
        """Run the graph (or only what `targets` need). `inputs` supplies bytes to nodes that
        read from outside (uploads); `force` re-runs those nodes even if cached; `offline`
        tells nodes not to make remote (billed) calls, e.g. for the run right after opening."""
        inputs = inputs or {}
        cancel = cancel or CancelToken()
        emit = on_event or (lambda event: None)
        self.count_run_again(forced := set(force))

        problems = _problems_by_node(validate(graph, self.catalog))
        order = topological_order(graph)
        if targets is not None:
            wanted = ancestors_and_self(graph, set(targets), self.catalog)
            order = [node_id for node_id in order if node_id in wanted]
        in_order = set(order)  # a set: `n not in order` (a list) was quadratic in nodes
        unordered = [n for n in graph.nodes if n not in in_order and (targets is None or n in wanted)]

        result = RunResult()
        for node_id in order:
            emit(NodeEvent(node_id, QUEUED))

        keys: dict[str, str] = {}
        incoming = graph.incoming()
        for node_id in order:
            node = graph.nodes[node_id]
            if cancel.cancelled:
                result.cancelled = True
                self._finish(result, emit, node_id, NodeResult(SKIPPED, error="cancelled"))
                continue
            blocked = _failed_upstream(needed(node, incoming[node_id], self.catalog), result)
            if node_id in problems:
                self._finish(result, emit, node_id, NodeResult(FAILED, error=problems[node_id]))
                continue
            if blocked:
                self._finish(
                    result, emit, node_id, NodeResult(SKIPPED, error=f"upstream node {blocked!r} did not finish")
                )
                continue
            spec = self.catalog[node.type]
            if node.bypass:
                self._pass_through(incoming[node_id], node, spec, keys, result, emit)
                continue
            gap = bypassed_gap(incoming[node_id], spec, graph, result)
            if gap is not None:
                self._finish(result, emit, node_id, NodeResult(SKIPPED, error=gap))
                continue
            await self._run_node(incoming[node_id], node, spec, inputs, forced, keys, result, emit, cancel, offline)
            # Let the browser paint and handle clicks (Cancel) between nodes.
            await asyncio.sleep(0)

        for node_id in unordered:
            error = problems.get(node_id, "depends on a cycle")
            status = FAILED if node_id in problems else SKIPPED
            self._finish(result, emit, node_id, NodeResult(status, error=error))
        return result

    def preview(
        self,
        graph: Graph,
        *,
        inputs: Mapping[str, bytes] | None = None,
        force: Iterable[str] = (),
        targets: Iterable[str] | None = None,
    ) -> dict[str, Planned]:
        """What `run` would do with each node, without running anything: its basis and whether
        its result is cached. Lets the Studio say what a run will ask of paid services (Gemini)
        before it starts. Nodes with problems, or behind one, are left out (they will not run)."""
        inputs = inputs or {}
        forced = set(force)
        problems = _problems_by_node(validate(graph, self.catalog))
        order = topological_order(graph)
        if targets is not None:
            wanted = ancestors_and_self(graph, set(targets), self.catalog)
            order = [node_id for node_id in order if node_id in wanted]
        incoming = graph.incoming()
        keys: dict[str, str] = {}
        planned: dict[str, Planned] = {}
        for node_id in order:
            node = graph.nodes[node_id]
            if node_id in problems or any(e.source.node not in keys for e in incoming[node_id]):
                continue
            spec = self.catalog[node.type]
            if node.bypass:
                # As _bypass does: its body never runs (no call to plan), its key marks the pass-through.
                pair = bypass_ports(spec)
                edge = next((e for e in incoming[node_id] if pair and e.target.port == pair[0]), None)
                source = f"{keys[edge.source.node]}:{edge.source.port}" if edge is not None else None
                keys[node_id] = _digest({"bypassed": source})
                continue
            params = resolve_params(node, spec)
            external = inputs.get(node.id) if spec.external_input else None
            input_keys = {
                port.name: [
                    f"{keys[e.source.node]}:{e.source.port}" for e in incoming[node_id] if e.target.port == port.name
                ]
                for port in spec.inputs
            }
            generation = self.generations.get(node_id, 0) + (1 if node_id in forced else 0)
            key, basis = self._cache_key(node, spec, params, input_keys, external, generation)
            keys[node_id] = key
            planned[node_id] = Planned(basis, node_id not in forced and self._cached(key) is not None)
        return planned

    async def _run_node(
        self,
        incoming: list[Edge],
        node: Node,
        spec: NodeSpec,
        inputs: Mapping[str, bytes],
        forced: set[str],
        keys: dict[str, str],
        result: RunResult,
        emit: EventSink,
        cancel: CancelToken,
        offline: bool,
    ) -> None:
        params = resolve_params(node, spec)
        external = inputs.get(node.id) if spec.external_input else None
        args, input_keys = _gather_inputs(incoming, spec, result, keys)
        key, basis = self._cache_key(node, spec, params, input_keys, external)
        keys[node.id] = key

        cached = None if node.id in forced else self._cached(key)
        if cached is not None:
            self._finish(result, emit, node.id, NodeResult(CACHED, outputs=cached))
            return

        emit(NodeEvent(node.id, RUNNING))
        ctx = self.node_context(
            node, spec, cancel, external=external, force=node.id in forced, basis=basis, offline=offline
        )
        started = time.perf_counter()
        try:
            body = self.call_body(spec, ctx, args, params)
            # A pure node is not waited for once the run is cancelled (its picture may take the image
            # engine a second); AI nodes stop their own requests and are waited for.
            outputs = await (unless_cancelled(body, cancel) if spec.deterministic else body)
            _check_outputs(spec, outputs)
        except (Cancelled, asyncio.CancelledError):
            result.cancelled = True
            failed = NodeResult(FAILED, _since(started), "cancelled", notes=ctx.notes)
        except StudioError as exc:
            failed = NodeResult(FAILED, _since(started), str(exc), notes=ctx.notes)
        except Exception as exc:  # a bug in a node must not take the whole run down
            message = f"unexpected error ({type(exc).__name__}): {clip(str(exc), 200)}"
            failed = NodeResult(FAILED, _since(started), message, notes=ctx.notes)
        else:
            self.cache.put(key, outputs, self._size_of(outputs))
            done = NodeResult(DONE, _since(started), outputs=outputs, notes=ctx.notes)
            done.recorded = stamped(ctx.recording, basis)
            self._finish(result, emit, node.id, done)
            return
        # What the body recorded before it failed (earlier answers of a conversation) is kept too.
        failed.recorded = stamped(ctx.recording, basis)
        self._finish(result, emit, node.id, failed)

    def count_run_again(self, force: Iterable[str]) -> None:
        """A forced node's generation goes up, so its key (and its downstream's) changes."""
        for node_id in set(force):
            self.generations[node_id] = self.generations.get(node_id, 0) + 1

    def node_context(
        self,
        node: Node,
        spec: NodeSpec,
        cancel: CancelToken,
        *,
        external: bytes | None,
        force: bool,
        basis: str,
        offline: bool,
    ) -> NodeContext:
        """What the node's body sees: its state and what it recorded under this basis, read-only."""
        return NodeContext(
            node=node,
            backend=self.backend,
            cancel=cancel,
            services=self.services,
            external=external,
            force=force,
            basis=basis,
            offline=offline,
            state=MappingProxyType(state_of(node, spec)),
            recorded=MappingProxyType(recorded_under(node.data, spec.records, basis)),
            records=spec.records,
        )

    def _pass_through(
        self,
        incoming: list[Edge],
        node: Node,
        spec: NodeSpec,
        keys: dict[str, str],
        result: RunResult,
        emit: EventSink,
    ) -> None:
        """A bypassed node: its first image input, unchanged, on its first image output; its
        other outputs give nothing. Not cached (there is nothing to compute), and its key is
        its input's key marked as bypassed, so downstream keys differ from the unbypassed ones
        (bypassing re-runs what follows; un-bypassing finds their earlier results again)."""
        pair = bypass_ports(spec)
        assert pair is not None  # validation reports a bypassed node without an image pair
        in_port, out_port = pair
        edge = next((e for e in incoming if e.target.port == in_port), None)
        source = f"{keys[edge.source.node]}:{edge.source.port}" if edge is not None else None
        keys[node.id] = _digest({"bypassed": source})
        image = result.nodes[edge.source.node].outputs.get(edge.source.port) if edge is not None else None
        outputs: dict[str, Any] = {port.name: None for port in spec.outputs}
        outputs[out_port] = image
        self._finish(result, emit, node.id, NodeResult(DONE, outputs=outputs, notes=["bypassed"]))

    def _cache_key(
        self,
        node: Node,
        spec: NodeSpec,
        params: dict[str, Any],
        input_keys: dict[str, list[str]],
        external: bytes | None,
        generation: int | None = None,
    ) -> tuple[str, str]:
        """(key, basis): the basis covers type, params and inputs; the key adds the node's
        state and, for non-deterministic nodes, which node and which "run again" it is."""
        parts: dict[str, Any] = {"type": spec.id, "params": self._fingerprints.of(params), "inputs": input_keys}
        if external is not None:
            parts["external"] = hashlib.sha256(external).hexdigest()
        basis = _digest(parts)
        state = state_of(node, spec)
        if not state and spec.deterministic:
            # Nothing is added to the parts: the key is the basis. (Hashing them twice cost a
            # second SHA-256 of every param, e.g. a picture embedded as a data: URL.)
            return basis, basis
        if state:
            parts["state"] = state
        if not spec.deterministic:
            # Two AI nodes with the same prompt are still two separate results.
            parts["node"] = node.id
            parts["generation"] = self.generations.get(node.id, 0) if generation is None else generation
        return _digest(parts), basis

    def _cached(self, key: str) -> dict[str, Any] | None:
        """The cached outputs under `key`, unless a picture in them is no longer held by the backend
        (the image engine's worker stopped: a result that raced its stop into the cache is dropped)."""
        outputs = self.cache.get(key)
        holds = getattr(self.backend, "holds", None)
        if outputs is not None and holds is not None and not all(holds(v) for v in outputs.values()):
            return None
        return outputs

    def _size_of(self, outputs: dict[str, Any]) -> int:
        size = 0
        for value in outputs.values():
            if isinstance(value, (str, bytes)):
                size += len(value)
            elif value is not None:
                try:
                    size += self.backend.nbytes(value)
                except Exception:
                    size += 1024
        return size

    @staticmethod
    def _finish(result: RunResult, emit: EventSink, node_id: str, node_result: NodeResult) -> None:
        result.nodes[node_id] = node_result
        emit(
            NodeEvent(
                node_id,
                node_result.status,
                node_result.ms,
                node_result.error,
                node_result.outputs,
                recorded=node_result.recorded,
            )
        )


def state_of(node: Node, spec: NodeSpec) -> dict[str, Any]:
    """The node's data that changes its result (all of it unless the type names its state keys)."""
    if spec.state_keys is None:
        return node.data
    return {key: node.data[key] for key in spec.state_keys if key in node.data}


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _digest(parts: dict[str, Any]) -> str:
    text = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _gather_inputs(
    incoming: list[Edge], spec: NodeSpec, result: RunResult, keys: dict[str, str]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    args: dict[str, Any] = {}
    input_keys: dict[str, list[str]] = {}
    for port in spec.inputs:
        edges = [e for e in incoming if e.target.port == port.name]
        values = [result.nodes[e.source.node].outputs.get(e.source.port) for e in edges]
        input_keys[port.name] = [f"{keys[e.source.node]}:{e.source.port}" for e in edges]
        if port.multiple:
            args[port.name] = values
        else:
            args[port.name] = values[0] if values else None
    return args, input_keys


def _check_outputs(spec: NodeSpec, outputs: Any) -> None:
    declared = {p.name for p in spec.outputs}
    if not isinstance(outputs, dict) or set(outputs) != declared:
        got = sorted(outputs) if isinstance(outputs, dict) else type(outputs).__name__
        raise StudioError(f"node type {spec.id} returned {got}, expected outputs {sorted(declared)}")
    for port in spec.outputs:
        if port.type == IMAGE and outputs[port.name] is None and port.required:
            raise StudioError(f"node type {spec.id} produced no image")


def _problems_by_node(problems: list[Problem]) -> dict[str, str]:
    grouped: dict[str, list[str]] = {}
    for problem in problems:
        if problem.node is not None:
            grouped.setdefault(problem.node, []).append(str(problem))
    return {node_id: clip("; ".join(messages), 600) for node_id, messages in grouped.items()}


def _failed_upstream(incoming: list[Edge], result: RunResult) -> str | None:
    for edge in incoming:
        upstream = result.nodes.get(edge.source.node)
        if upstream is None or upstream.status in (FAILED, SKIPPED):
            return edge.source.node
    return None
