"""The page's engine and its worker in one process, for CPython tests: image calls, whole runs, their
events and the bodies the worker asks back all cross as the same bytes, on real Pillow."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from PIL import Image

from studio.backend.pillow_backend import PillowBackend
from studio.engine.remote import RemoteBackend
from studio.engine.run_server import RunServer
from studio.engine.server import EngineServer
from studio.nodes import default_catalog


class InProcessLink:
    """Plays engine_link.EngineLink: `send` for image calls, `open_run`/`cancel_run` for runs."""

    def __init__(self) -> None:
        self.server = EngineServer(PillowBackend(), lambda obj: isinstance(obj, Image.Image))
        self.runs = RunServer(self.server, default_catalog())
        self.calls: list[str] = []  # the image calls the page made, by operation
        self.sent: list[bytes] = []  # each run's call as it crossed
        self.asks = 0
        self._next = 1

    async def send(self, data: bytes, attached: Any) -> tuple[bytes, Any]:
        self.calls.append(self.server.loads(data).op)
        return await self.server.answer(data, attached)

    def open_run(
        self, data: bytes, on_event: Callable[[bytes], None], on_ask: Callable[[bytes], Awaitable[bytes]]
    ) -> tuple[int, Awaitable[bytes]]:
        run_id, self._next = self._next, self._next + 1
        self.sent.append(data)

        async def ask(body: bytes) -> bytes:
            self.asks += 1
            # The page answers in a task of its own (engine_link._answer): the worker's end of a run
            # that stops does not stop the page's body.
            return await asyncio.shield(asyncio.ensure_future(on_ask(body)))

        return run_id, self.runs.run(run_id, data, on_event, ask)

    def cancel_run(self, run_id: int) -> None:
        self.runs.cancel(run_id)


class InProcessEngine(RemoteBackend):
    """The page's backend (engine_link.PageEngine) on an in-process worker: `runs` is where runs go."""

    def __init__(self, link: InProcessLink | None = None) -> None:
        self.link = link or InProcessLink()
        super().__init__(self.link.send)
        self.runs: Any = self.link
