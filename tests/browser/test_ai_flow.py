"""The AI conversation as a person drives it, counting what the fake Gemini receives: Run again on the
step on screen, Send only after a result, the call count and the question before a costly run, the
wait and countdown on the node, the transcript and its follow-up box at 1280×720 (issue 7, 13)."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from studio.nodes.ai import call_estimate
from tests.gemini.wire import quota_429

from .editor_helpers import tid, wait_first_run
from .gemini_fake import (
    BLUE,
    GREEN,
    YELLOW,
    FakeGemini,
    answer,
    load,
    output_pixel,
    set_key,
    start_waiting_for_run,
    wait_run,
    workflow_json,
)
from .person import button, click

pytestmark = pytest.mark.browser

BLUE_PIXEL = (0, 0, 220)
YELLOW_PIXEL = (230, 220, 0)


@pytest.fixture
def studio(studio_page):
    page = studio_page.page
    gemini = FakeGemini(page)
    wait_first_run(page)
    yield page, gemini
    assert studio_page.errors == []
    logged = [m.text for m in studio_page.console if m.type == "error" and "Failed to load resource" not in m.text]
    assert logged == []


def select(page: Page, node_id: str) -> None:
    click(page.locator(tid(f"node-{node_id}")).locator(".node-head"))
    expect(page.locator(".inspector-type")).to_contain_text(node_id)


def press_run(page: Page) -> None:
    start_waiting_for_run(page)
    click(page.locator(tid("run")))
    wait_run(page)


def follow_up(page: Page, text: str) -> None:
    click(page.locator(tid("ai-followup")))
    page.keyboard.type(text)
    start_waiting_for_run(page)
    click(button(page, "Send"))
    wait_run(page)


def three_steps(page: Page, gemini: FakeGemini) -> None:
    """Run, then two follow-ups: steps 1-3 (green, blue, yellow), three calls."""
    select(page, "edit")
    press_run(page)
    follow_up(page, "Now make it blue")
    follow_up(page, "Now yellow")
    expect(page.locator(tid("ai-steps")).locator("button")).to_have_count(3)
    assert len(gemini.generate_calls) == 3


def colours(*images: bytes) -> list:
    return [(200, answer(image, f"Step {i}.", signature=f"sig-{i}")) for i, image in enumerate(images)]


def test_run_again_re_asks_the_step_on_screen_and_says_which_steps_go(studio):
    """Defect 3: with step 1 of 3 on screen, Run again re-asked step 3 with the whole conversation."""
    page, gemini = studio
    gemini.answer(*colours(GREEN, BLUE, YELLOW, BLUE))
    set_key(page)
    load(page, workflow_json())
    three_steps(page, gemini)

    start_waiting_for_run(page)
    click(page.locator(tid("ai-step-0")))
    wait_run(page)
    expect(page.locator(tid("ai-replaces"))).to_contain_text("steps 2–3 will be replaced")
    assert len(gemini.generate_calls) == 3  # a step change costs nothing

    start_waiting_for_run(page)
    click(button(page, "Run again"))
    wait_run(page)
    assert len(gemini.generate_calls) == 4
    assert gemini.generate_calls[3].json()["contents"][0]["parts"][0] == {"text": "Make it green"}
    assert len(gemini.generate_calls[3].json()["contents"]) == 1  # step 1 alone, no later turns
    expect(page.locator(tid("ai-steps")).locator("button")).to_have_count(1)
    expect(page.locator(tid("ai-replaces"))).to_have_count(0)
    assert output_pixel(page, "small") == BLUE_PIXEL  # the new answer to step 1 flows on

    click(page.locator(tid("undo")))  # the cut steps come back
    expect(page.locator(tid("ai-steps")).locator("button")).to_have_count(3)


def test_send_waits_for_a_result_and_a_draft_is_never_stored_unseen(studio):
    """Defect 4: a follow-up sent before the first result was kept invisibly and billed later."""
    page, gemini = studio
    gemini.answer(*colours(GREEN, BLUE))
    set_key(page)
    load(page, workflow_json())
    select(page, "edit")
    send = button(page, "Send")
    expect(send).to_be_disabled()
    expect(page.locator(tid("ai-followup-help"))).to_contain_text("press Run first")
    click(page.locator(tid("ai-followup")))
    page.keyboard.type("Now make it blue")
    page.keyboard.press("Control+Enter")
    edit = next(n for n in json.loads(page.evaluate("window.studio.workflow()"))["nodes"] if n["id"] == "edit")
    assert not edit.get("data", {}).get("followups")

    press_run(page)
    assert len(gemini.generate_calls) == 1
    assert len(gemini.generate_calls[0].json()["contents"]) == 1
    expect(page.locator(tid("ai-followup"))).to_have_value("Now make it blue")  # still there, in view
    expect(send).to_be_enabled()
    start_waiting_for_run(page)
    click(send)
    wait_run(page)
    assert len(gemini.generate_calls) == 2
    assert output_pixel(page, "small") == BLUE_PIXEL


def test_a_run_that_would_replay_the_conversation_counts_its_calls_and_asks_first(studio, tmp_path):
    """Defect 5: one brightness tweak upstream replayed three billed calls without a word."""
    page, gemini = studio
    gemini.answer(*colours(GREEN, BLUE, YELLOW, GREEN, BLUE, YELLOW, GREEN, BLUE, YELLOW))
    set_key(page)
    load(page, workflow_json(adjust=True))
    count = page.locator(tid("run-calls"))
    expect(count).to_have_text("· 1 Gemini call")
    expect(page.locator(tid("run"))).to_have_accessible_name(re.compile(r"Run · 1 Gemini call"))
    three_steps(page, gemini)  # the first Run made one call: it did not ask
    expect(count).to_be_hidden()

    def tweak(value: str) -> None:
        select(page, "adj")
        start_waiting_for_run(page)
        click(page.locator(tid("param-brightness")))
        page.keyboard.press("Control+A")
        page.keyboard.type(value)
        page.keyboard.press("Enter")
        wait_run(page)  # the automatic run asks Gemini nothing

    tweak("1.2")
    assert len(gemini.generate_calls) == 3
    expect(count).to_have_text("· 3 Gemini calls")

    dialog = page.locator(tid("ai-confirm"))
    click(page.locator(tid("run")))
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("This run will make 3 Gemini calls")
    expect(dialog).to_contain_text("AI Edit “edit”: 3 Gemini calls (re-makes 2 steps already paid for)")
    # The price before anything is sent: three calls at the node's model and size (issue 10).
    edit = next(n for n in json.loads(page.evaluate("window.studio.workflow()"))["nodes"] if n["id"] == "edit")
    priced = call_estimate(edit["params"], 3)
    assert priced.usd is not None and priced.usd > 0
    expect(dialog.locator(tid("ai-confirm-estimate"))).to_have_text(priced.describe())
    expect(dialog.locator(tid("ai-confirm-estimate"))).to_contain_text("for 3 Gemini calls (estimate")
    page.screenshot(path=str(tmp_path / "ask-before-a-replay.png"))
    assert len(gemini.generate_calls) == 3
    start_waiting_for_run(page)
    click(dialog.get_by_role("button", name="Not now"))
    wait_run(page)
    expect(dialog).to_be_hidden()
    assert len(gemini.generate_calls) == 3
    expect(count).to_have_text("· 3 Gemini calls")

    click(page.locator(tid("run")))
    expect(dialog).to_be_visible()
    click(dialog.get_by_text("Don’t ask again for this node"))
    start_waiting_for_run(page)
    click(dialog.get_by_role("button", name="Run · 3 Gemini calls"))
    wait_run(page)
    assert len(gemini.generate_calls) == 6
    assert output_pixel(page, "small") == YELLOW_PIXEL

    tweak("1.3")  # this node was marked: the next replay runs without the question
    press_run(page)
    expect(dialog).to_be_hidden()
    assert len(gemini.generate_calls) == 9


def test_a_rate_limit_wait_shows_a_countdown_then_the_time_elapsed(studio, tmp_path):
    """Defect 11: during a 429 backoff the node only said "Asking Gemini…"."""
    page, gemini = studio
    per_minute = quota_429("GenerateRequestsPerMinutePerProjectPerModel-FreeTier", retry_delay="3s")
    gemini.answer((429, per_minute), gemini.hold)
    set_key(page)
    load(page, workflow_json())
    select(page, "edit")
    start_waiting_for_run(page)
    click(page.locator(tid("run")))
    note = page.locator(tid("node-note-edit"))
    expect(note).to_have_text(re.compile(r"Gemini asked to wait — retrying in [1-4] s"))
    first = note.inner_text()
    expect(page.locator(tid("ai-status"))).to_contain_text("Gemini asked to wait — retrying in")
    page.screenshot(path=str(tmp_path / "rate-limit-countdown.png"))
    expect(note).not_to_have_text(first, timeout=3000)  # it counts down
    expect(note).to_have_text(re.compile(r"Asking Gemini again… [1-9] s"), timeout=8000)
    expect(page.locator(tid("ai-status"))).to_contain_text("Asking Gemini again…")
    assert len(gemini.generate_calls) == 2
    click(page.locator(tid("cancel")))
    wait_run(page)
    expect(note).to_contain_text("retry 1 after")  # the run's notes stay on the node


def test_the_transcript_start_over_and_a_follow_up_box_in_view_at_1280x720(studio, tmp_path):
    page, gemini = studio
    page.set_viewport_size({"width": 1280, "height": 720})
    gemini.answer(*colours(GREEN, BLUE))
    set_key(page)
    load(page, workflow_json())
    select(page, "edit")
    press_run(page)
    follow_up(page, "Now make it blue")
    turns = page.locator(tid("ai-steps")).locator("li")
    expect(turns).to_have_count(2)
    expect(turns.nth(0)).to_contain_text("Make it green")
    expect(turns.nth(0)).to_contain_text("Step 0.")
    expect(turns.nth(1)).to_contain_text("Now make it blue")
    expect(turns.nth(1)).to_contain_text("Step 1.")
    expect(turns.nth(0).locator("img")).to_have_attribute("src", re.compile(r"^(blob|data):"))

    # In view without scrolling: the inspector scrolled to its top, the box is inside the window
    # and is what sits under the pointer at its centre.
    page.locator(".inspector-body").evaluate("el => el.scrollTop = 0")
    box = page.locator(tid("ai-followup"))
    rect = box.bounding_box()
    assert rect is not None and rect["y"] + rect["height"] <= 720, rect
    hit = box.evaluate(
        "el => { const r = el.getBoundingClientRect(); const h = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2); return h === el; }"
    )
    assert hit, "the follow-up box is covered or scrolled away"
    page.screenshot(path=str(tmp_path / "ai-panel-1280x720.png"))

    click(button(page, "Start over"))
    expect(page.locator(tid("ai-steps"))).to_have_count(0)
    expect(page.locator(tid("run-calls"))).to_have_text("· 1 Gemini call")
    click(page.locator(tid("undo")))
    expect(page.locator(tid("ai-steps")).locator("li")).to_have_count(2)
    assert len(gemini.generate_calls) == 2
