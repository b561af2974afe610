"""Pictures the engine began decoding before anyone asked (a Gemini answer's, sent as it arrived),
kept by the page's number until the node that needs them adopts them."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

KEPT = 4  # begun and not adopted (a step not shown): the oldest are dropped past this many


class EarlyPictures:
    """`begin(number, work)` starts `work` (a coroutine giving the picture and whatever comes with it,
    or None when it could not be decoded); `adopt(number)` waits for it, once. `release` frees what a
    dropped picture holds (the canvas backend closes its bitmap)."""

    def __init__(self, release: Callable[[Any], None] = lambda value: None, kept: int = KEPT) -> None:
        self._release = release
        self._kept = kept
        self._begun: dict[int, asyncio.Future[Any]] = {}

    def __len__(self) -> int:
        return len(self._begun)

    def begin(self, number: int, work: Awaitable[Any]) -> None:
        self.drop(number)
        self._begun[number] = asyncio.ensure_future(work)
        while len(self._begun) > self._kept:
            self.drop(next(iter(self._begun)))

    async def adopt(self, number: int) -> Any | None:
        """What was begun under this number; None when nothing was (dropped, or begun by an engine
        that has since stopped) or it could not be decoded."""
        begun = self._begun.pop(number, None)
        return None if begun is None else await begun

    def drop(self, number: int) -> None:
        """Nobody will adopt this one: what it holds goes now, not when the garbage collector finds it."""
        begun = self._begun.pop(number, None)
        if begun is None:
            return
        if not begun.done():
            begun.add_done_callback(self._release_result)
            begun.cancel()
        else:
            self._release_result(begun)

    def _release_result(self, done: asyncio.Future[Any]) -> None:
        if not done.cancelled() and done.exception() is None and done.result() is not None:
            self._release(done.result())
