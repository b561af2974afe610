"""The engine notice under the fake browser: what the page says as its worker starts, fails to
start, dies and comes back, and that the notice stays until a run has made the pictures again."""

from __future__ import annotations

import types

import pytest

from studio.app.messages import RunFinished
from studio.app.stream import Stream
from studio.browser.ffi import is_missing
from studio.core.run_result import DONE, FAILED, NodeResult, RunResult

START, STOP, BACK, RUN_OK, RUN_FAILED, NO_WORKER = "start", "stop", "back", "run ok", "run failed", "no worker"


class FakeStudio:
    """What EngineNotice uses of the Studio: its notices, the message stream (RunFinished), the
    executor's cache, the link's state and Run."""

    def __init__(self) -> None:
        from studio.browser.ui.notices import Notices

        self.notices = Notices()
        self.app = types.SimpleNamespace(stream=Stream())
        self.app.subscribe = self.app.stream.subscribe
        self.link = types.SimpleNamespace(state="starting")
        self.cache = {"picture": "in the old worker"}
        self.session = types.SimpleNamespace(
            executor=types.SimpleNamespace(cache=self.cache), backend=types.SimpleNamespace(link=self.link)
        )
        self.runs = 0

    def run(self) -> None:
        self.runs += 1


def result(status: str) -> RunResult:
    return RunResult(nodes={"a": NodeResult(status)})


def play(steps: list[str]) -> tuple[FakeStudio, object]:
    from studio.browser import engine_link
    from studio.browser.ui.engine_notice import EngineNotice

    studio = FakeStudio()
    notice = EngineNotice(studio)
    states = {
        START: (engine_link.STARTING, ""),
        STOP: (engine_link.STOPPED, "Uncaught Error: boom"),
        BACK: (engine_link.READY, ""),
        NO_WORKER: (engine_link.IN_PAGE, "its script could not be loaded"),
    }
    for step in steps:
        if step in states:
            studio.link.state = states[step][0]
            notice.state(*states[step])
        else:
            studio.app.stream.publish(RunFinished(result(DONE if step == RUN_OK else FAILED)))
    return studio, notice


def banner(studio: FakeStudio):
    return studio.notices.banner.querySelector('[data-testid="engine-banner"]')


@pytest.mark.parametrize(
    ("steps", "says", "data_engine"),
    [
        ([START, BACK], None, "ready"),
        ([START, NO_WORKER], "worker could not start (its script could not be loaded)", "in-page"),
        ([START, BACK, STOP], "Its worker stopped (Uncaught Error: boom). The next run starts a new one.", "stopped"),
        # A thumbnail's call started the next worker: ready, but the pictures are still gone.
        ([START, BACK, STOP, START, BACK], "A new one is ready: Run makes the pictures again.", "ready"),
        ([START, BACK, STOP, START, BACK, RUN_FAILED], "Run makes the pictures again", "ready"),
        ([START, BACK, STOP, START, BACK, RUN_OK], None, "ready"),
    ],
)
def test_what_the_page_says_about_its_engine(page, steps, says, data_engine):
    studio, _ = play(steps)
    shown = banner(studio)
    if says is None:
        assert is_missing(shown) or shown.hidden
    else:
        assert not is_missing(shown) and not shown.hidden and says in shown.textContent
    assert page.document.documentElement.dataset.engine == data_engine


def test_a_stop_drops_the_pictures_that_were_in_the_worker_and_offers_run_again(page):
    studio, _ = play([START, BACK, STOP])
    assert studio.cache == {}
    found = banner(studio).querySelectorAll("button")
    buttons = [found.item(i) for i in range(found.length) if found.item(i).textContent == "Run again"]
    assert len(buttons) == 1
    buttons[0].click()
    assert studio.runs == 1
