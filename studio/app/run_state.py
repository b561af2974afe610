"""What each node shows about runs: queued/running/done/cached/failed, time, error, staleness,
and the graph's current validation problems (recomputed on every edit, not only on runs)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..core.catalog import Catalog
from ..core.graph import Graph
from ..core.problems import Problem
from ..core.run_result import CACHED, DONE, FAILED, QUEUED, RUNNING, SKIPPED, NodeEvent, NodeResult, RunResult
from ..core.validation import validate

IDLE = "idle"


@dataclass
class NodeStatus:
    state: str = IDLE
    ms: float = 0.0
    error: str | None = None
    stale: bool = False  # an edit upstream made the shown result out of date
    note: str = ""  # a remark of the run: live (a Gemini wait, its countdown) or from the result
    neutral: str | None = None  # the line a neutral state shows (offline: "offline — AI Edit needs …")
    # The failure came from validating the graph (a missing input, a bad param): it is about
    # the graph as it was, and goes when the graph no longer has that problem.
    invalid: bool = False
    has_result: bool = False  # a good result is shown (kept through a cancelled run)

    def label(self) -> str:
        if self.neutral and self.state not in (DONE, FAILED, CACHED):
            return self.neutral
        if self.state in (DONE, FAILED) and self.ms:
            return f"{self.state} · {format_ms(self.ms)}"
        return "" if self.state == IDLE else self.state


class RunBoard:
    """Per-node status, fed by executor events; the canvas reads it to draw badges."""

    def __init__(self) -> None:
        self.nodes: dict[str, NodeStatus] = {}
        # The graph's validation problems now, per node (the executor's wording, see revalidate).
        self.problems: dict[str, list[Problem]] = {}
        self.run_nodes: list[str] = []  # the nodes of the current (or last) run, in run order

    def get(self, node_id: str) -> NodeStatus:
        return self.nodes.setdefault(node_id, NodeStatus())

    def apply(self, event: NodeEvent) -> NodeStatus:
        status = self.get(event.node)
        if event.state == QUEUED:
            if not self.running:
                self.run_nodes = []  # a new run begins
            if event.node not in self.run_nodes:
                self.run_nodes.append(event.node)
        status.state = event.state
        status.neutral = None
        if event.state in (QUEUED, RUNNING):
            status.error = None
            status.ms = 0.0
            status.note = ""
            status.invalid = False
        else:
            status.ms = event.ms
            status.error = event.error
            cancelled = event.error == CANCELLED
            status.invalid = (
                event.state == FAILED and event.error is not None and event.error == self.problem_text(event.node)
            )
            if event.state in (DONE, CACHED):
                status.has_result = True
            elif not cancelled:
                status.has_result = False
            # A cancelled node keeps its earlier result on show, out of date.
            status.stale = cancelled and status.has_result
        return status

    @property
    def running(self) -> bool:
        return any(self.get(n).state in (QUEUED, RUNNING) for n in self.run_nodes)

    def progress(self) -> tuple[int, int, str | None]:
        """(finished, total, the node running or next) of the current run."""
        finished = sum(1 for n in self.run_nodes if self.get(n).state not in (QUEUED, RUNNING))
        current = next((n for n in self.run_nodes if self.get(n).state == RUNNING), None)
        if current is None:  # between two nodes: name the next one
            current = next((n for n in self.run_nodes if self.get(n).state == QUEUED), None)
        return finished, len(self.run_nodes), current

    def revalidate(self, graph: Graph, catalog: Catalog) -> None:
        """Recompute the graph's problems (call after every edit): a failure that validation
        gave on a run goes away once the graph is fixed, even if no run follows (auto-run
        leaves out AI branches)."""
        problems: dict[str, list[Problem]] = {}
        for problem in validate(graph, catalog):
            if problem.node is not None:
                problems.setdefault(problem.node, []).append(problem)
        self.problems = problems

    def problem_text(self, node_id: str) -> str | None:
        """The node's problems as the executor words them (studio/core/executor.py)."""
        found = self.problems.get(node_id)
        return "; ".join(str(p) for p in found) if found else None

    def apply_result(self, result: RunResult) -> None:
        """Settle every node from a finished run (also covers nodes whose events were missed)."""
        for node_id, node_result in result.nodes.items():
            self.apply(NodeEvent(node_id, node_result.status, node_result.ms, node_result.error))

    def mark_stale(self, node_ids: Iterable[str]) -> list[str]:
        marked = []
        for node_id in node_ids:
            status = self.get(node_id)
            if status.state in (DONE, CACHED, FAILED, SKIPPED) and not status.stale:
                status.stale = True
                marked.append(node_id)
        return marked

    def forget(self, keep: Iterable[str]) -> None:
        alive = set(keep)
        self.nodes = {k: v for k, v in self.nodes.items() if k in alive}
        self.run_nodes = [n for n in self.run_nodes if n in alive]

    def reset(self) -> None:
        self.nodes.clear()
        self.run_nodes = []


CANCELLED = "cancelled"  # the executor's error text for nodes a Cancel stopped


def keep_good_results(previous: RunResult | None, result: RunResult) -> None:
    """After a cancelled run, nodes it stopped keep the outputs of the run before (the preview and
    the thumbnails go on showing the last good result instead of going blank). Their status
    stays as the executor reported it."""
    if previous is None or not result.cancelled:
        return
    for node_id, node_result in result.nodes.items():
        before: NodeResult | None = previous.nodes.get(node_id)
        if (
            node_result.error == CANCELLED
            and not node_result.outputs
            and before is not None
            and before.status in (DONE, CACHED)
        ):
            node_result.outputs = before.outputs


def format_ms(ms: float) -> str:
    if ms < 1:
        return "<1 ms"
    if ms < 1000:
        return f"{ms:.0f} ms"
    return f"{ms / 1000:.1f} s"
