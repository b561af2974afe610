"""The AI panel under the fake browser, on the application layer whose run controller notes the runs asked: no key
asks for one; Send waits for a result, then sends the follow-up as a run the user asked for (it may
call Gemini); stepping back runs only what costs nothing; Start over is one undo step."""

from __future__ import annotations

import asyncio
import json

from studio.core.run_result import DONE, NodeEvent
from tests.app.helpers import make_app

TURN = {"prompt": "make it blue", "text": "Blue.", "model": {"role": "model", "parts": [{"inlineData": {"mimeType": "image/png", "data": "QUFBQQ=="}}]}}  # fmt: skip
AI_CHAIN = json.dumps(
    {
        "format": "pyxis.workflow",
        "version": 3,
        "name": "AI",
        "nodes": [
            {"id": "bg", "type": "source.solid", "params": {"width": 8, "height": 8}},
            {"id": "edit", "type": "ai.edit", "params": {"prompt": "make it blue"}, "data": {"turns": [TURN, {**TURN, "prompt": "now red"}], "followups": ["now red"]}},
        ],
        "edges": [{"from": "bg.image", "to": "edit.image"}],
    }
)  # fmt: skip


def make(page, *, key: str | None = "pyxis-test-key"):
    """The panel on a real Application; its run controller's `run` only notes each run asked for
    (automatic or not) — deciding, not running, is what these tests look at."""
    from studio.browser.ui.ai_panel import AiPanel

    if key:
        page.window.localStorage.setItem("pyxis.gemini-api-key", key)
    app = make_app(AI_CHAIN)
    app.runs.autorun = False
    runs: list[bool] = []
    app.runs.run = lambda force=(), *, automatic=False: runs.append(automatic)
    settings: list[bool] = []
    panel = AiPanel(app, lambda: settings.append(True))
    panel.thumbs.seed("QUFBQQ==", "blob:step-thumbnail")  # as the run controller does: no decode here
    return panel, app.editor, app.board, runs, settings


def show(panel, editor):
    el = panel.render(editor.graph.nodes["edit"], {})
    return el


def done(board, node_id: str = "edit") -> None:
    board.apply(NodeEvent(node_id, DONE))


def button(el, testid: str):
    return el.querySelector(f'[data-testid="{testid}"]')


def test_without_a_key_the_panel_asks_for_one_and_opens_settings(page):
    async def scenario():
        panel, editor, board, runs, settings = make(page, key=None)
        el = show(panel, editor)
        cta = button(el, "ai-key-cta")
        assert "none is set in this browser" in cta.textContent
        cta.querySelector("button").click()
        assert settings == [True] and runs == []  # no call without a key, and none asked

    asyncio.run(scenario())


def test_send_waits_for_a_result_then_sends_the_follow_up_as_an_asked_run(page):
    async def scenario():
        panel, editor, board, runs, settings = make(page)
        el = show(panel, editor)
        assert button(el, "ai-key-cta").__class__.__name__ == "JsNull"
        assert panel.send_button.disabled  # no result on screen yet: nothing is stored unseen
        panel.followup.value = "now green"
        panel.send()
        assert runs == [] and editor.graph.nodes["edit"].data["followups"] == ["now red"]
        done(board)
        panel.sync_send()
        assert not panel.send_button.disabled
        panel.send_button.click()
        assert runs == [False]  # asked for: it may call Gemini (once, counted by the runner)
        assert editor.graph.nodes["edit"].data["followups"] == ["now red", "now green"]
        assert panel.followup.value == ""

    asyncio.run(scenario())


def test_stepping_back_runs_only_what_costs_nothing_and_start_over_is_one_undo_step(page):
    async def scenario():
        panel, editor, board, runs, settings = make(page)
        done(board)
        el = show(panel, editor)
        button(el, "ai-step-0").click()
        assert editor.graph.nodes["edit"].data["selected"] == 0 and runs == [True]
        el = show(panel, editor)
        assert button(el, "ai-compare").textContent == "Compare"  # two steps with pictures
        button(el, "ai-start-over").click()
        assert editor.graph.nodes["edit"].data["turns"] == []
        editor.undo()
        assert len(editor.graph.nodes["edit"].data["turns"]) == 2
        assert editor.changes.errors == []

    asyncio.run(scenario())
