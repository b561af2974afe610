"""What a run reports: one event per node state change, and the result per node."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """A node's state in a run. Members are strings ("done" == Status.DONE), so events, results
    and the page's data attributes read and write them as text."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    CACHED = "cached"
    FAILED = "failed"
    SKIPPED = "skipped"


QUEUED, RUNNING, DONE, CACHED, FAILED, SKIPPED = (
    Status.QUEUED,
    Status.RUNNING,
    Status.DONE,
    Status.CACHED,
    Status.FAILED,
    Status.SKIPPED,
)


@dataclass(frozen=True)
class NodeEvent:
    node: str
    state: str
    ms: float = 0.0
    error: str | None = None
    # On "done": the node's outputs, so the page can show a result while the run goes on.
    outputs: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    # When the node finishes: what its body recorded, with the basis (see core/recording.py).
    recorded: dict[str, Any] | None = field(default=None, compare=False, repr=False)


@dataclass
class NodeResult:
    status: str
    ms: float = 0.0
    error: str | None = None
    outputs: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    recorded: dict[str, Any] | None = None  # new recordings, for the document (core/recording.py)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"status": self.status, "ms": round(self.ms, 2)}
        if self.error:
            out["error"] = self.error
        if self.notes:
            out["notes"] = list(self.notes)
        return out


@dataclass
class RunResult:
    nodes: dict[str, NodeResult] = field(default_factory=dict)
    cancelled: bool = False

    def with_status(self, status: str) -> set[str]:
        return {node_id for node_id, result in self.nodes.items() if result.status == status}

    @property
    def ran(self) -> set[str]:
        return self.with_status(DONE)

    @property
    def cached(self) -> set[str]:
        return self.with_status(CACHED)

    @property
    def failed(self) -> set[str]:
        return self.with_status(FAILED)

    @property
    def skipped(self) -> set[str]:
        return self.with_status(SKIPPED)

    @property
    def ok(self) -> bool:
        return not self.cancelled and not self.failed and not self.skipped

    def to_json(self) -> dict[str, Any]:
        return {node_id: result.to_json() for node_id, result in self.nodes.items()}
