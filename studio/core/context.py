"""What a node body sees while it runs: the backend, services, cancellation, notes and recordings."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .errors import Cancelled, StudioError
from .graph import Node


class CancelToken:
    """Set by whoever started the run; checked between nodes and inside long ones."""

    def __init__(self) -> None:
        self._cancelled = False
        self._waiting: list[asyncio.Future[None]] = []

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        if self._cancelled:
            return
        self._cancelled = True
        for waiter in self._waiting:
            if not waiter.done():
                waiter.set_result(None)

    async def wait(self) -> None:
        """Returns once cancel() is called (at once if it was)."""
        if self._cancelled:
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            await waiter
        finally:
            self._waiting.remove(waiter)

    def raise_if_cancelled(self) -> None:
        if self._cancelled:
            raise Cancelled()


@dataclass(kw_only=True)
class NodeContext:
    """A body reads its node's state and what it recorded under this basis, and hands new
    recordings to `record`: it never writes into the graph it runs on (the executor passes the
    recordings on in the node's result; the owner of the document keeps them)."""

    node: Node
    backend: Any
    cancel: CancelToken
    services: dict[str, Any] = field(default_factory=dict)
    external: bytes | None = None
    force: bool = False
    basis: str = ""  # digest of type, params and inputs: what recorded state must match
    offline: bool = False  # no paid or remote calls (a run on open): such nodes fail asking for Run
    # The node's state keys (NodeSpec.state_keys), read-only: part of the cache key.
    state: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    # What the node recorded before under this same basis (NodeSpec.records keys), read-only.
    recorded: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    records: tuple[str, ...] = ()  # the keys `record` takes
    notes: list[str] = field(default_factory=list)
    recording: dict[str, Any] = field(default_factory=dict)  # what this run recorded (see `record`)

    @property
    def node_id(self) -> str:
        return self.node.id

    def check_cancelled(self) -> None:
        self.cancel.raise_if_cancelled()

    def note(self, message: str) -> None:
        """A visible remark about this run of the node (e.g. "input downscaled to 2048 px")."""
        self.notes.append(message)

    def record(self, **values: Any) -> None:
        """Keep these values with the node (e.g. each Gemini answer as it arrives): they reach the
        document even when the body fails later, and come back as `recorded` under the same basis."""
        unknown = sorted(set(values) - set(self.records))
        if unknown:
            raise StudioError(f"node {self.node_id!r} records {unknown}, which its type does not declare")
        self.recording.update(values)

    def service(self, name: str) -> Any:
        try:
            return self.services[name]
        except KeyError:
            raise StudioError(f"this node needs the {name!r} service, which is not available here") from None
