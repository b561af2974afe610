"""What an AI node shows while it waits for Gemini: the call, the time elapsed, a retry countdown."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..gemini.errors import NetworkError, RateLimited, RequestTimeout, ServerBusy
from .billing import Asking, MeterEvent, Waiting

# Why the client waits, as the node says it (the full error is in the run's notes).
REASONS: tuple[tuple[type[Exception], str], ...] = (
    (RateLimited, "Gemini asked to wait"),
    (ServerBusy, "Gemini is busy"),
    (RequestTimeout, "Gemini did not answer in time"),
    (NetworkError, "The connection to Gemini failed"),
)


def reason(error: Exception) -> str:
    return next((text for kind, text in REASONS if isinstance(error, kind)), "Gemini failed")


@dataclass
class Wait:
    since: float  # when the current request left (or the retry will leave)
    call: int
    of: int | None
    retry_at: float | None = None
    why: str = ""

    def text(self, now: float) -> str:
        if self.retry_at is not None and now < self.retry_at:
            return f"{self.why} — retrying in {math.ceil(self.retry_at - now)} s"
        since = self.retry_at if self.retry_at is not None else self.since
        which = f" (call {self.call} of {self.of})" if self.of and self.of > 1 else ""
        again = " again" if self.retry_at is not None else ""
        return f"Asking Gemini{again}{which}… {max(0, int(now - since))} s"


class Waits:
    """Per AI node, the request it waits on now; fed by the session's Gemini meter."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.nodes: dict[str, Wait] = {}

    def apply(self, event: MeterEvent) -> str | None:
        """Take a meter event; returns the node it concerns (None if unknown)."""
        if event.node is None:
            return None
        now = self.clock()
        if isinstance(event, Asking):
            self.nodes[event.node] = Wait(now, event.call, event.of)
        elif isinstance(event, Waiting):
            wait = self.nodes.setdefault(event.node, Wait(now, 1, None))
            wait.retry_at, wait.why = now + event.seconds, reason(event.error)
        return event.node

    def text(self, node_id: str) -> str:
        wait = self.nodes.get(node_id)
        return wait.text(self.clock()) if wait is not None else ""

    def end(self, node_id: str) -> None:
        self.nodes.pop(node_id, None)

    def clear(self) -> None:
        self.nodes.clear()
