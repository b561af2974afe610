"""Whole runs in the engine (issue 8 item 3), under CPython on real Pillow: the executor and the node
bodies run in the worker, the page hears the same events and results; AI bodies are asked back of
the page, whose recordings never cross; Cancel ends the run on the page at once; a worker that
stops fails what was running; a worker that cannot start leaves the run to the page."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from PIL import Image

from studio.backend.pillow_backend import PillowBackend
from studio.core.context import CancelToken
from studio.core.errors import ImageError
from studio.core.executor import Executor
from studio.core.graph import Graph, Node
from studio.core.run_result import CACHED, DONE, FAILED, RUNNING, SKIPPED, NodeEvent
from studio.core.workflow import load_workflow
from studio.engine.run_client import RemoteExecutor
from studio.engine.runs import NoEngine, RunCall
from studio.gemini import GeminiClient
from studio.nodes import default_catalog
from tests.app.helpers import ai_graph
from tests.app.test_billing import fresh_answer
from tests.engine.in_process import InProcessEngine, InProcessLink
from tests.engine.same_pictures import compare_outputs
from tests.gemini.wire import KEY, FakeClock, FakeGemini

ROOT = Path(__file__).parents[2]
EXAMPLES = [p for p in sorted((ROOT / "static" / "examples").glob("*.json")) if p.name != "index.json"]
CATALOG = default_catalog()


def run(coro):
    return asyncio.run(coro)


def photo() -> bytes:
    import io

    buffer = io.BytesIO()
    Image.radial_gradient("L").convert("RGB").resize((64, 48)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_runs_in_the_engine_to_the_same_results_without_an_image_call_from_the_page(path):
    text = path.read_text(encoding="utf-8")
    engine = InProcessEngine()
    graph = load_workflow(text, CATALOG)
    inputs = {n.id: photo() for n in graph.nodes.values() if n.type == "source.image"}
    heard: list[NodeEvent] = []

    async def both():
        through = await RemoteExecutor(CATALOG, engine).run(graph, inputs=inputs, offline=True, on_event=heard.append)
        calls_during_run = list(engine.link.calls)
        direct = await Executor(CATALOG, PillowBackend()).run(load_workflow(text, CATALOG), inputs=inputs, offline=True)
        return through, calls_during_run, direct

    through, calls_during_run, direct = run(both())
    assert {k: (r.status, r.error) for k, r in through.nodes.items()} == {
        k: (r.status, r.error) for k, r in direct.nodes.items()
    }
    assert {k: r.notes for k, r in through.nodes.items()} == {k: r.notes for k, r in direct.nodes.items()}
    compared = compare_outputs(through, direct, engine)
    assert compared or not json.loads(text)["nodes"]
    ai = any(n.type.startswith("ai.") for n in graph.nodes.values())
    # The pictures were made beside the executor: the page sent one run, and no image call unless an AI
    # body (run on the page) decoded its recorded answer there.
    assert len(engine.link.sent) == 1
    assert set(calls_during_run) <= ({"decode"} if ai else set()), calls_during_run
    # The page heard every node's finish once, as from its own executor.
    finished = [e.node for e in heard if e.state not in ("queued", RUNNING)]
    assert sorted(finished) == sorted(direct.nodes)


def test_a_second_run_is_all_cached_in_the_engine_and_a_preview_on_the_page_knows_it():
    wire = FakeGemini(fresh_answer, fresh_answer)
    executor = _page_with_gemini(wire)
    graph = ai_graph()
    first = run(executor.run(graph))
    assert first.ok and len(wire.requests) == 1
    graph.nodes["edit"].data.update(first.nodes["edit"].recorded or {})
    assert {node_id for node_id, planned in executor.preview(graph).items() if planned.cached} == set(graph.nodes)
    second = run(executor.run(graph))
    assert second.cached == set(graph.nodes) and len(wire.requests) == 1
    # Run again on the AI node: the page counts it as the engine does, so the preview and the run agree.
    planned = executor.preview(graph, force=("edit",))
    assert not planned["edit"].cached and not planned["small"].cached and planned["src"].cached
    third = run(executor.run(graph, force=("edit",)))
    assert third.nodes["edit"].status == DONE and third.nodes["src"].status == CACHED
    assert executor.generations == {"edit": 1} and len(wire.requests) == 2
    assert {node_id for node_id, planned in executor.preview(graph).items() if planned.cached} == set(graph.nodes)


def _page_with_gemini(wire: FakeGemini, engine: InProcessEngine | None = None) -> RemoteExecutor:
    client = GeminiClient(wire, lambda: KEY, sleep=FakeClock().sleep, rng=lambda: 0.0)
    return RemoteExecutor(CATALOG, engine or InProcessEngine(), services={"gemini": client})


def test_an_ai_body_is_asked_of_the_page_and_what_it_records_never_crosses():
    wire = FakeGemini(fresh_answer, fresh_answer)
    engine = InProcessEngine()
    executor = _page_with_gemini(wire, engine)
    graph = ai_graph()
    heard: list[NodeEvent] = []
    first = run(executor.run(graph, on_event=heard.append))
    assert first.ok and len(wire.requests) == 1 and engine.link.asks == 1
    turns = first.nodes["edit"].recorded["turns"]
    answer = turns[0]["model"]["parts"][-1]["inlineData"]["data"]  # the paid-for picture, as base64
    done = next(e for e in heard if e.node == "edit" and e.state == DONE)
    assert done.recorded == first.nodes["edit"].recorded  # the event brought it, for the document
    graph.nodes["edit"].data.update(done.recorded)
    graph.nodes["edit"].data["followups"] = ["warmer"]
    second = run(executor.run(graph))
    assert second.ok and len(wire.requests) == 2
    # The recorded conversation stayed on the page: the run's call carried only the node's state keys.
    call: RunCall = engine.link.server.loads(engine.link.sent[-1])
    assert call.graph.nodes["edit"].data == {"followups": ["warmer"]}
    assert answer.encode() not in engine.link.sent[-1]
    assert len(second.nodes["edit"].recorded["turns"]) == 2


class SlowBlur(PillowBackend):
    """A blur that holds the engine for a while (as a second-long sharpen does in the worker)."""

    async def blur(self, image, radius):
        await asyncio.sleep(0.5)
        return await super().blur(image, radius)


def _slow_graph() -> Graph:
    graph = Graph()
    graph.add_node(Node("src", "source.solid", {"width": 8, "height": 6, "color": "#c80000"}))
    graph.add_node(Node("blur", "transform.blur", {"radius": 2}))
    graph.add_node(Node("small", "transform.resize", {"width": 4, "height": 4, "fit": "fill"}))
    graph.connect("src.image", "blur.image")
    graph.connect("blur.image", "small.image")
    return graph


def test_cancel_ends_the_run_on_the_page_at_once_and_the_next_run_works():
    link = InProcessLink()
    link.server.backend = link.runs.executor.backend = SlowBlur()
    executor = RemoteExecutor(CATALOG, InProcessEngine(link))

    async def scenario():
        cancel = CancelToken()
        asyncio.get_running_loop().call_later(0.05, cancel.cancel)
        started = asyncio.get_running_loop().time()
        cancelled = await executor.run(_slow_graph(), cancel=cancel)
        took = asyncio.get_running_loop().time() - started
        await asyncio.sleep(0.6)  # the engine ends its own run (its late picture is dropped)
        again = await executor.run(_slow_graph())
        return cancelled, took, again

    cancelled, took, again = run(scenario())
    assert took < 0.3, f"the page waited {took:.2f} s for the engine's blur"
    assert cancelled.cancelled and not cancelled.ok
    assert cancelled.nodes["src"].status == DONE
    assert (cancelled.nodes["blur"].status, cancelled.nodes["blur"].error) == (FAILED, "cancelled")
    assert (cancelled.nodes["small"].status, cancelled.nodes["small"].error) == (SKIPPED, "cancelled")
    assert again.ok and again.nodes["src"].status == CACHED


def test_a_worker_that_stops_mid_run_fails_the_running_node_and_skips_the_rest():
    stop = "the image engine stopped (simulated crash): run again to make this picture"

    class Dying(InProcessLink):
        def open_run(self, data, on_event, on_ask):
            dead = []
            run_id, going = super().open_run(data, lambda event: dead or on_event(event), on_ask)

            async def dies():  # during the blur, the worker is gone: nothing more comes from it
                task = asyncio.ensure_future(going)
                await asyncio.sleep(0.05)
                dead.append(True)
                task.cancel()
                raise ImageError(stop)

            return run_id, dies()

    link = Dying()
    link.server.backend = link.runs.executor.backend = SlowBlur()
    heard: list[NodeEvent] = []
    graph = _slow_graph()
    before = graph.copy()
    result = run(RemoteExecutor(CATALOG, InProcessEngine(link)).run(graph, on_event=heard.append))
    assert result.nodes["src"].status == DONE
    assert (result.nodes["blur"].status, result.nodes["blur"].error) == (FAILED, stop)
    assert result.nodes["small"].status == SKIPPED and not result.ok
    assert [(e.node, e.state) for e in heard][-2:] == [("blur", FAILED), ("small", SKIPPED)]
    assert graph == before


def test_a_worker_that_cannot_start_leaves_the_run_to_the_page_counting_run_again_once():
    class NoWorker(InProcessLink):
        def open_run(self, data, on_event, on_ask):
            async def refused():
                raise NoEngine("its script could not be loaded")

            return 1, refused()

    link = NoWorker()
    executor = RemoteExecutor(CATALOG, InProcessEngine(link))
    result = run(executor.run(_slow_graph(), force=("blur",)))
    assert result.ok and result.ran == {"src", "blur", "small"}
    assert executor.generations == {"blur": 1}
    assert "blur" in link.calls  # the page's executor made the pictures, each call to the engine


class StopsDuringTheRequest(InProcessLink):
    """The worker stops while the page's AI body waits for Gemini's answer (the worker made the request):
    the run's reply and the request both fail, as engine_link._stop fails every call in flight."""

    def __init__(self) -> None:
        super().__init__()
        self.stopped = asyncio.Event()

    def open_run(self, data, on_event, on_ask):
        # Once stopped, nothing more comes from the worker.
        run_id, going = super().open_run(data, lambda event: self.stopped.is_set() or on_event(event), on_ask)

        async def dies():
            task = asyncio.ensure_future(going)
            await self.stopped.wait()
            task.cancel()
            raise ImageError("the image engine stopped (simulated crash): run again to make this picture")

        return run_id, dies()


def test_an_engine_that_stops_during_a_gemini_request_says_it_may_be_billed_and_never_asks_again():
    from studio.gemini import AnswerLost

    link = StopsDuringTheRequest()

    async def lost(request):  # the request was on its way when the worker went
        link.stopped.set()
        raise AnswerLost()

    wire = FakeGemini(lost, fresh_answer)
    executor = _page_with_gemini(wire, InProcessEngine(link))
    result = run(executor.run(ai_graph()))
    edit = result.nodes["edit"]
    assert edit.status == FAILED and "may have been billed" in edit.error, edit
    assert len(wire.requests) == 1  # AnswerLost is never retried: the next call is the user's Run


def test_a_body_waiting_out_a_retry_when_the_engine_stops_is_cancelled_and_sends_nothing_more():
    from studio.gemini import ServerBusy

    link = StopsDuringTheRequest()
    clock_started = asyncio.Event()

    class SlowClock:
        async def sleep(self, seconds):  # the 1 s backoff, for real: the engine stops meanwhile
            clock_started.set()
            link.stopped.set()
            await asyncio.sleep(seconds)

    wire = FakeGemini(ServerBusy("busy"), fresh_answer)
    client = GeminiClient(wire, lambda: KEY, sleep=SlowClock().sleep, rng=lambda: 0.0)
    executor = RemoteExecutor(CATALOG, InProcessEngine(link), services={"gemini": client})

    async def scenario():
        result = await executor.run(ai_graph())
        await asyncio.sleep(1.5)  # past the backoff: a body still alive would send its retry now
        return result

    result = run(scenario())
    assert clock_started.is_set()
    assert result.nodes["edit"].status == FAILED
    assert "image engine stopped" in result.nodes["edit"].error
    assert len(wire.requests) == 1, "the body went on after its run had ended"
