"""The run controller's decisions through the message stream, table-driven, on real Pillow pixels and
Gemini faked at the wire: automatic runs never call Gemini, a costly Run asks first and "Not now"
still runs what is free, a follow-up needs a result on screen, stepping back costs nothing, runs
asked during a run coalesce into one, a scripted load runs nothing by itself (issue 8, items 1-2)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from studio.app import run_controller
from studio.app.application import Application
from studio.app.billing import Consent, Plan
from studio.app.commands import SetParam
from studio.app.messages import (
    Cancel,
    DocumentOpened,
    Event,
    FollowUp,
    Load,
    Notice,
    RunAgain,
    RunFinished,
    RunNow,
    RunStarted,
    RunTo,
    StepBack,
    ThumbnailChanged,
)
from studio.app.messages import Run as RunCommand
from studio.app.session import Session
from studio.backend.pillow_backend import PillowBackend
from studio.core.run_result import DONE
from studio.core.workflow import dump_workflow
from studio.engine.run_client import RemoteExecutor
from studio.gemini import GeminiClient
from studio.nodes import default_catalog
from tests.app.helpers import ai_graph
from tests.app.test_billing import fresh_answer
from tests.engine.in_process import InProcessEngine
from tests.gemini.wire import KEY, FakeClock, FakeGemini


@dataclass
class Page:
    """A Studio's application layer as the page drives it, with what it published and asked."""

    ai_nodes: int = 1
    answer: bool = True  # what the person answers when a run asks first
    wire: FakeGemini = field(default_factory=lambda: FakeGemini(*[fresh_answer] * 20))
    asked: list[Plan] = field(default_factory=list)
    heard: list[Event] = field(default_factory=list)
    app: Application = field(init=False)

    def __post_init__(self) -> None:
        client = GeminiClient(self.wire, lambda: KEY, sleep=FakeClock().sleep, rng=lambda: 0.0)
        if WHERE["runs"] == "engine":  # the page's way: whole runs in the worker, AI bodies asked back
            session = Session(default_catalog(), InProcessEngine(), {"gemini": client}, RemoteExecutor)
        else:
            session = Session(default_catalog(), PillowBackend(), services={"gemini": client})
        self.app = Application(session)
        session.load_text(dump_workflow(ai_graph(self.ai_nodes)))
        self.app.editor.history.clear()  # the open starts an automatic run: `settle` first

        async def confirm(plan: Plan) -> Consent:
            self.asked.append(plan)
            return Consent(run=self.answer)

        self.app.runs.confirm = confirm
        for kind in (RunStarted, RunFinished, Notice, DocumentOpened, ThumbnailChanged):
            self.app.subscribe(kind, self.heard.append)

    def send(self, command: Any) -> Any:
        return self.app.send(command)

    async def settle(self) -> None:
        """Until nothing runs, nothing is queued and no automatic run waits for its pause."""
        for _ in range(500):
            await asyncio.sleep(0.01)
            if self.app.runs.idle:
                return
        raise AssertionError("the runs never settled")

    def calls(self) -> int:
        return len(self.wire.requests)

    def runs(self) -> list[bool]:
        """Each run started: automatic (True) or asked for."""
        return [e.automatic for e in self.heard if isinstance(e, RunStarted)]

    def state(self, node_id: str) -> str:
        return self.app.board.get(node_id).state


async def run_pressed(page: Page) -> None:
    page.send(RunCommand())
    await page.settle()


async def edit_upstream(page: Page) -> None:
    page.send(SetParam("src", "color", "#0000ff"))
    await page.settle()


async def follow_up(page: Page) -> None:
    page.send(FollowUp("edit", "warmer"))
    await page.settle()


async def nothing(page: Page) -> None:
    return None


Step = Callable[[Page], Any]


@pytest.fixture(autouse=True)
def quick_autorun(monkeypatch):
    monkeypatch.setattr(run_controller, "AUTORUN_MS", 5)


WHERE = {"runs": "here"}


@pytest.fixture(autouse=True, params=["here", "engine"], ids=["runs here", "runs in the engine"])
def where_runs_go(request, monkeypatch):
    """Every rule holds the same when the runs go to the engine's worker (the Studio's way)."""
    monkeypatch.setitem(WHERE, "runs", request.param)


# (what the person does, the Page, setup, the action, Gemini calls the action made, runs it started
# (True: automatic), questions asked)
ROWS: list[tuple[str, dict[str, Any], Step, Step, int, list[bool], int]] = [
    ("Run with a fresh AI node: one call, not asked", {}, nothing, run_pressed, 1, [False], 0),
    ("an edit starts an automatic run that never calls Gemini", {}, nothing, edit_upstream, 0, [True], 0),
    ("an edit after a run: still no call", {}, run_pressed, edit_upstream, 0, [True], 0),
    ("Run with two AI nodes asks first; yes makes both calls", {"ai_nodes": 2}, nothing, run_pressed, 2, [False], 1),
    (
        "Run with two AI nodes asks first; Not now runs what is free",
        {"ai_nodes": 2, "answer": False},
        nothing,
        run_pressed,
        0,
        [True],
        1,
    ),
    ("a follow-up before any result is refused: nothing stored, nothing asked", {}, nothing, follow_up, 0, [], 0),
    ("a follow-up on the result shown: one call", {}, run_pressed, follow_up, 1, [False], 0),
]


@pytest.mark.parametrize(
    ("what", "options", "setup", "action", "calls", "runs", "asked"), ROWS, ids=[row[0] for row in ROWS]
)
def test_what_a_person_does_costs_what_it_should(what, options, setup, action, calls, runs, asked):
    async def scenario() -> None:
        page = Page(**options)
        await page.settle()  # the open's own automatic run
        await setup(page)
        before_calls, before_runs, before_asked = page.calls(), len(page.runs()), len(page.asked)
        await action(page)
        assert page.calls() - before_calls == calls
        assert page.runs()[before_runs:] == runs
        assert len(page.asked) - before_asked == asked
        assert page.app.stream.errors == [] and page.app.editor.changes.errors == []

    asyncio.run(scenario())


def test_not_now_says_once_that_ai_nodes_wait_for_run_and_leaves_them_unrun():
    async def scenario() -> None:
        page = Page(ai_nodes=2, answer=False)
        await page.settle()
        await run_pressed(page)
        await edit_upstream(page)
        notices = [e.text for e in page.heard if isinstance(e, Notice)]
        assert notices == [run_controller.PAUSED_AI]
        assert page.state("src") == DONE and page.state("edit") != DONE and page.state("more") != DONE

    asyncio.run(scenario())


def test_stepping_back_shows_step_one_and_costs_nothing():
    async def scenario() -> None:
        page = Page()
        await page.settle()
        await run_pressed(page)
        await follow_up(page)
        calls = page.calls()
        page.send(StepBack("edit", 0))
        await page.settle()
        assert page.app.editor.graph.nodes["edit"].data["selected"] == 0
        assert page.calls() == calls and page.runs()[-1] is True
        page.send(StepBack("edit", 1))  # the latest: shown as "no step selected"
        await page.settle()
        assert page.app.editor.graph.nodes["edit"].data["selected"] is None and page.calls() == calls

    asyncio.run(scenario())


def test_run_again_on_step_one_of_two_re_asks_that_step_alone_without_asking():
    async def scenario() -> None:
        page = Page()
        await page.settle()
        await run_pressed(page)
        await follow_up(page)
        page.send(StepBack("edit", 0))
        await page.settle()
        calls = page.calls()
        page.send(RunAgain("edit"))  # the button is the person's ask: one call, no question
        await page.settle()
        turns = page.app.editor.graph.nodes["edit"].data["turns"]
        assert page.calls() == calls + 1 and page.asked == [] and len(turns) == 1
        assert page.app.editor.history.undo_label == "run again from step 1"

    asyncio.run(scenario())


# (what, the commands sent while an automatic run goes on, the runs started (True: automatic),
# Gemini calls, the source's width in the last run)
DURING_A_RUN: list[tuple[str, list[Any], list[bool], int, int]] = [
    (
        "three edits and a run asked for coalesce into one follow-up run",
        [
            SetParam("src", "width", 5),
            SetParam("src", "width", 6),
            SetParam("src", "width", 7),
            RunCommand(automatic=True),
        ],
        [True, True],
        0,
        7,
    ),
    ("a Run press makes the follow-up a full run", [RunCommand()], [True, False], 1, 8),
    ("Cancel drops the run queued after it", [RunCommand(), Cancel()], [True], 0, 8),
]


@pytest.mark.parametrize(("what", "sent", "runs", "calls", "width"), DURING_A_RUN, ids=[r[0] for r in DURING_A_RUN])
def test_what_is_asked_during_a_run(what, sent, runs, calls, width):
    async def scenario() -> None:
        page = Page()
        await page.settle()
        page.heard.clear()  # from here on
        page.send(RunCommand(automatic=True))
        for command in sent:
            page.send(command)
        await page.settle()
        assert page.runs() == runs and page.calls() == calls
        assert page.app.session.last_run.nodes["src"].outputs["image"].width == width

    asyncio.run(scenario())


def test_run_to_here_runs_only_what_the_node_needs():
    async def scenario() -> None:
        page = Page(ai_nodes=2)
        await page.settle()
        page.send(RunTo("edit"))
        await page.settle()
        assert page.calls() == 1 and page.asked == []
        assert page.state("edit") == DONE and page.state("more") != DONE and page.state("small") != DONE

    asyncio.run(scenario())


def test_a_scripted_load_runs_nothing_by_itself_and_a_scripted_run_settles_the_views():
    async def scenario() -> None:
        page = Page()
        text = dump_workflow(ai_graph(1))
        page.send(Load(text, scripted=True))
        await page.settle()
        assert page.runs() == [] and DocumentOpened(scripted=True) in page.heard
        result = await page.send(RunNow())
        await page.settle()
        await asyncio.sleep(0.05)  # the views settle after the result came back
        assert result.nodes["small"].status == DONE and page.calls() == 1
        assert any(isinstance(e, RunFinished) and e.result is result for e in page.heard)
        small = [e for e in page.heard if isinstance(e, ThumbnailChanged) and e.node == "small"]
        assert small and small[-1].size == (4, 4) and small[-1].url.startswith("data:image/png;base64,")

    asyncio.run(scenario())


def test_a_bad_load_changes_nothing_and_says_why():
    async def scenario() -> None:
        page = Page()
        before = page.app.session.workflow_text()
        with pytest.raises(Exception, match="JSON"):
            page.send(Load("{not json", scripted=True))
        assert page.app.session.workflow_text() == before
        assert not any(isinstance(e, DocumentOpened) for e in page.heard)

    asyncio.run(scenario())
