"""Background work on the event loop: tasks that report their errors, timers, debounced calls.

Pure asyncio, so the application layer runs the same under CPython (tests) and in the page; the
page only swaps where errors are reported (the browser console)."""

from __future__ import annotations

import asyncio
import sys
import traceback
from collections.abc import Callable
from typing import Any

Reporter = Callable[[str, BaseException], None]


def _print_report(where: str, exc: BaseException) -> None:
    print(f"pyxis: {where}: {type(exc).__name__}: {exc}\n{traceback.format_exc()}", file=sys.stderr)


_reporter: list[Reporter] = [_print_report]  # the page puts the console's first


def report_to(reporter: Reporter) -> None:
    """Where unexpected errors of handlers and tasks go from now on (the page: the console)."""
    _reporter[0] = reporter


def report(where: str, exc: BaseException) -> None:
    """Log an unexpected error from a handler (the page keeps working)."""
    _reporter[0](where, exc)


def spawn(coro: Any, where: str = "task") -> asyncio.Task[Any]:
    """Run a coroutine in the background, reporting (not swallowing silently) its errors."""
    task: asyncio.Task[Any] = asyncio.ensure_future(coro)

    def done(t: asyncio.Task[Any]) -> None:
        if not t.cancelled() and t.exception() is not None:
            report(where, t.exception())  # type: ignore[arg-type]

    task.add_done_callback(done)
    return task


def later(ms: float, fn: Callable[[], Any]) -> Callable[[], None]:
    """Call fn after ms milliseconds on the event loop; returns a cancel function."""
    loop = asyncio.get_event_loop()

    def run() -> None:
        try:
            result = fn()
            if asyncio.iscoroutine(result):
                spawn(result, "timer")
        except Exception as exc:
            report("timer", exc)

    handle = loop.call_later(ms / 1000, run)
    return handle.cancel


class Debounce:
    """Call fn once, `ms` after the last trigger (autosave, auto-run)."""

    def __init__(self, ms: float, fn: Callable[[], Any]) -> None:
        self.ms = ms
        self.fn = fn
        self._cancel: Callable[[], None] | None = None

    def trigger(self) -> None:
        self.cancel()
        self._cancel = later(self.ms, self._fire)

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel()
            self._cancel = None

    @property
    def pending(self) -> bool:
        return self._cancel is not None

    def flush(self) -> None:
        if self._cancel is not None:
            self.cancel()
            self._fire_now()

    def _fire(self) -> Any:
        self._cancel = None
        return self.fn()

    def _fire_now(self) -> None:
        result = self.fn()
        if asyncio.iscoroutine(result):
            spawn(result, "debounced")
