"""What each node shows about runs: queued/running/done/cached/failed, time, error, staleness."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..core.run_result import CACHED, DONE, FAILED, QUEUED, RUNNING, SKIPPED, NodeEvent, RunResult

IDLE = "idle"


@dataclass
class NodeStatus:
    state: str = IDLE
    ms: float = 0.0
    error: str | None = None
    stale: bool = False  # an edit upstream made the shown result out of date
    note: str = ""  # a remark of the run: live (a Gemini wait, its countdown) or from the result
    neutral: str | None = None  # the line a neutral state shows (offline: "offline — AI Edit needs …")

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

    def get(self, node_id: str) -> NodeStatus:
        return self.nodes.setdefault(node_id, NodeStatus())

    def apply(self, event: NodeEvent) -> NodeStatus:
        status = self.get(event.node)
        status.state = event.state
        status.neutral = None
        if event.state in (QUEUED, RUNNING):
            status.error = None
            status.ms = 0.0
            status.note = ""
        else:
            status.ms = event.ms
            status.error = event.error
            status.stale = False
        return status

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

    def reset(self) -> None:
        self.nodes.clear()


def format_ms(ms: float) -> str:
    if ms < 1:
        return "<1 ms"
    if ms < 1000:
        return f"{ms:.0f} ms"
    return f"{ms / 1000:.1f} s"
