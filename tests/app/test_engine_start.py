"""A run asked for while the page's image engine is still starting: it waits (no node's time counts the
start), then runs the graph as it was asked for; a load meanwhile is the next run's."""

from __future__ import annotations

import asyncio
import json

from studio.app.session import Session
from studio.backend.pillow_backend import PillowBackend
from studio.nodes import default_catalog


class StartingBackend(PillowBackend):
    """Pillow behind an engine that says when it has started (PageEngine.ready in the page)."""

    def __init__(self) -> None:
        super().__init__()
        self.started = asyncio.Event()

    async def ready(self) -> None:
        await self.started.wait()


def doc(node_id: str, color: str) -> str:
    nodes = [{"id": node_id, "type": "source.solid", "params": {"width": 4, "height": 4, "color": color}}]
    return json.dumps({"format": "pyxis.workflow", "version": 1, "name": node_id, "nodes": nodes, "edges": []})


def test_a_run_waits_for_the_engine_and_runs_what_was_open_when_it_was_asked():
    async def scenario():
        backend = StartingBackend()
        session = Session(default_catalog(), backend)
        session.load_text(doc("first", "#ff0000"))
        first = asyncio.ensure_future(session.run())
        await asyncio.sleep(0.01)
        assert not first.done()  # waiting for the engine, nothing ran
        session.load_text(doc("second", "#0000ff"))  # a scripted load while it waits
        second = asyncio.ensure_future(session.run())
        backend.started.set()
        ran_first, ran_second = await first, await second
        assert set(ran_first.nodes) == {"first"} and ran_first.nodes["first"].status == "done"
        assert set(ran_second.nodes) == {"second"} and ran_second.nodes["second"].status == "done"
        assert session.last_run is ran_second

    asyncio.run(scenario())
