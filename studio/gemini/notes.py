"""What a Gemini call tells its listeners while it runs: waiting, retry countdowns, usage, things not sent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Kinds of notes. A listener may show them on the node that made the call (`Note.source`).
SENDING = "sending"  # a request left; `seconds` is how long the client waits for it (the timeout)
RETRY = "retry"  # waiting before an automatic retry; `seconds` is the countdown's length
USAGE = "usage"  # an answer arrived; `data` holds its usageMetadata and the estimate
DOWNSCALED = "downscaled"  # an input image was made smaller before sending
NOT_SENT = "not-sent"  # a setting the model does not take was left out of the request
TIMED_OUT = "timed-out"  # no answer in time; the request is not sent again without the user
FAILED = "failed"  # the call failed; `data["billing"]` says whether it may be billed (pricing.py)


@dataclass(frozen=True)
class Note:
    """One remark about a call in progress. `at` is the client's clock (loop time, seconds) when
    it was made, so a listener can count down (`at + seconds`) or show the time elapsed."""

    kind: str
    text: str
    source: str | None = None  # who asked: the node id, when the caller said
    seconds: float | None = None
    at: float = 0.0
    data: dict[str, Any] = field(default_factory=dict)


Listener = Callable[[Note], None]


class Notes:
    """The listeners of one client. A listener that raises is dropped from this one call's
    notes only (a display bug must not fail a paid request)."""

    def __init__(self, listeners: list[Listener] | None = None) -> None:
        self.listeners: list[Listener] = list(listeners or ())

    def add(self, listener: Listener) -> Callable[[], None]:
        """Listen; returns a function that stops listening."""
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener) if listener in self.listeners else None

    def tell(self, note: Note) -> None:
        for listener in list(self.listeners):
            try:
                listener(note)
            except Exception:  # noqa: BLE001 - see the class docstring
                continue
