"""The message stream: one handler per command type, any number of subscribers per event type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from .messages import Command, Event
from .tasks import report

C = TypeVar("C", bound=Command)
E = TypeVar("E", bound=Event)


class UnknownCommand(LookupError):
    pass


class Stream:
    """Commands go to their one handler (its return value comes back to the sender); events go to
    every subscriber of their type, in order. A subscriber that raises is reported and does not stop
    the others (one broken view must not break the rest); a handler's error goes to its sender."""

    def __init__(self) -> None:
        self._handlers: dict[type[Command], Callable[[Any], Any]] = {}
        self._subscribers: dict[type[Event], list[Callable[[Any], Any]]] = {}
        self.errors: list[BaseException] = []  # kept for tests

    def handle(self, kind: type[C], handler: Callable[[C], Any]) -> None:
        if kind in self._handlers:
            raise ValueError(f"{kind.__name__} has a handler already")
        self._handlers[kind] = handler

    def send(self, command: Command) -> Any:
        handler = self._handlers.get(type(command))
        if handler is None:
            raise UnknownCommand(f"nothing handles {type(command).__name__}")
        return handler(command)

    def subscribe(self, kind: type[E], listener: Callable[[E], Any]) -> Callable[[], None]:
        """Hear every event of this type; returns the call that stops it."""
        listeners = self._subscribers.setdefault(kind, [])
        listeners.append(listener)
        return lambda: listeners.remove(listener) if listener in listeners else None

    def publish(self, event: Event) -> None:
        for listener in list(self._subscribers.get(type(event), ())):
            try:
                listener(event)
            except Exception as exc:
                self.errors.append(exc)
                report(f"a view failed on {type(event).__name__}", exc)
