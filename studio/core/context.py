"""What a node body sees while it runs: the backend, services, cancellation and notes."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
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


@dataclass
class NodeContext:
    node: Node
    backend: Any
    cancel: CancelToken
    services: dict[str, Any] = field(default_factory=dict)
    external: bytes | None = None
    force: bool = False
    basis: str = ""  # digest of type, params and inputs: what recorded state must match
    offline: bool = False  # no paid or remote calls (a run on open): such nodes fail asking for Run
    notes: list[str] = field(default_factory=list)

    @property
    def node_id(self) -> str:
        return self.node.id

    def check_cancelled(self) -> None:
        self.cancel.raise_if_cancelled()

    def note(self, message: str) -> None:
        """A visible remark about this run of the node (e.g. "input downscaled to 2048 px")."""
        self.notes.append(message)

    def service(self, name: str) -> Any:
        try:
            return self.services[name]
        except KeyError:
            raise StudioError(f"this node needs the {name!r} service, which is not available here") from None
