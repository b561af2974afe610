"""AI Edit in the real page: the key from Settings, fetch to a routed Gemini, pictures flowing downstream,
errors the user can act on, cancel, follow-ups and steps, autosave and saves, and where the key never goes."""

from __future__ import annotations

import base64
import io
import json
import re
import time
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.gemini.wire import INVALID_KEY, drafts_answer, envelope, image_answer, quota_429

from .editor_helpers import tid, wait_first_run
from .gemini_fake import (
    BLUE,
    GEMINI_HOST,
    GREEN,
    KEY,
    SOURCE,
    YELLOW,
    FakeGemini,
    answer,
    click_run,
    indexeddb_dump,
    load,
    output_pixel,
    output_size,
    run,
    select,
    set_key,
    start_waiting_for_run,
    storage_dump,
    wait_run,
    workflow_json,
)
from .storage_helpers import autosaved_text

pytestmark = pytest.mark.browser

RED_PIXEL = (200, 0, 0)
GREEN_PIXEL = (0, 200, 0)
BLUE_PIXEL = (0, 0, 220)
YELLOW_PIXEL = (230, 220, 0)


@pytest.fixture
def studio(studio_page):
    """The booted Studio with Gemini routed; its first (example) run is over. Afterwards: the page
    raised nothing and logged no error (a 4xx/5xx answer's "Failed to load resource" aside)."""
    page = studio_page.page
    gemini = FakeGemini(page)
    wait_first_run(page)
    yield studio_page, page, gemini
    assert studio_page.errors == []
    logged = [m.text for m in studio_page.console if m.type == "error" and "Failed to load resource" not in m.text]
    assert logged == []


def test_edit_flows_downstream_and_the_key_travels_only_in_its_header(studio):
    opened, page, gemini = studio
    gemini.answer((200, answer(GREEN, "Greener now.")))
    set_key(page)
    # A graph-only workflow; the picture comes in as a user would give it: the file picker.
    load(page, workflow_json(embed_source=False))
    select(page, "src")
    page.locator(tid("param-image")).set_input_files(
        files=[{"name": "red.png", "mimeType": "image/png", "buffer": SOURCE}]
    )
    expect(page.locator(tid("picture-name"))).to_have_text("red.png")
    click_run(page)

    expect(page.locator(tid("node-edit"))).to_have_attribute("data-state", "done")
    expect(page.locator(tid("node-small"))).to_have_attribute("data-state", "done")
    assert output_size(page, "edit") == (64, 48)
    assert output_size(page, "small") == (16, 16)
    assert output_pixel(page, "small") == GREEN_PIXEL

    (call,) = gemini.generate_calls
    assert call.method == "POST"
    assert call.url == f"https://{GEMINI_HOST}/v1beta/models/gemini-nano-banana-2.1:generateContent"
    assert KEY not in call.url
    assert call.headers["x-goog-api-key"] == KEY
    assert call.headers["content-type"] == "application/json"
    assert [name for name, value in call.headers.items() if KEY in value] == ["x-goog-api-key"]
    assert KEY.encode() not in call.body
    parts = call.json()["contents"][0]["parts"]
    assert parts[0] == {"text": "Make it green"}
    sent = Image.open(io.BytesIO(base64.b64decode(parts[1]["inlineData"]["data"])))
    assert sent.size == (40, 30) and sent.convert("RGB").getpixel((3, 3)) == RED_PIXEL

    select(page, "edit")
    expect(page.locator(tid("ai-text"))).to_have_text("Greener now.")
    expect(page.locator(tid("ai-step-0"))).to_be_visible()
    assert opened.errors == []


def test_without_a_key_the_node_says_so_and_offers_settings(studio):
    _, page, gemini = studio
    load(page, workflow_json())
    result = run(page)
    assert result["edit"]["status"] == "failed"
    assert "No Gemini API key is set" in result["edit"]["error"]
    assert result["small"]["status"] == "skipped"
    assert gemini.calls == []  # nothing was sent without a key
    expect(page.locator(tid("node-error-edit"))).to_contain_text("Open Settings")
    select(page, "edit")
    page.locator(tid("ai-open-settings")).click()
    expect(page.locator(tid("api-key-input"))).to_be_visible()
    expect(page.locator(tid("api-key-status"))).to_contain_text("No key set.")


def test_an_invalid_key_tells_the_user_to_check_it_in_settings(studio):
    _, page, gemini = studio
    gemini.answer((400, INVALID_KEY))
    gemini.models = (400, INVALID_KEY)
    set_key(page, "not-a-real-key-123")
    load(page, workflow_json())
    select(page, "edit")
    start_waiting_for_run(page)
    page.locator(tid("run")).click()
    wait_run(page)
    error = page.locator(tid("node-error-edit"))
    expect(error).to_contain_text("Gemini did not accept the API key")
    expect(error).to_contain_text("Check the key in Settings")
    expect(page.locator(tid("ai-key-cta"))).to_contain_text("Check the key in Settings")
    page.locator(tid("ai-open-settings")).click()
    expect(page.locator(tid("api-key-input"))).to_be_visible()
    assert len(gemini.generate_calls) == 1  # a bad key is not retried


def test_a_key_echoed_in_an_error_never_reaches_the_node_error(studio):
    _, page, gemini = studio
    echo = envelope(403, "PERMISSION_DENIED", f"API key {KEY} is blocked for caller https://x.test/?key={KEY}.")
    gemini.answer((403, echo))
    set_key(page)
    load(page, workflow_json())
    result = run(page)
    assert result["edit"]["status"] == "failed"
    assert KEY not in result["edit"]["error"] and "[redacted]" in result["edit"]["error"]
    select(page, "edit")
    assert KEY not in page.locator(tid("node-error-edit")).inner_text()
    assert KEY not in page.locator(tid("inspector")).inner_text()


def test_a_rate_limit_is_waited_out_and_the_run_succeeds(studio):
    _, page, gemini = studio
    per_minute = quota_429("GenerateRequestsPerMinutePerProjectPerModel-FreeTier", retry_delay="0.2s")
    gemini.answer((429, per_minute), (200, answer(GREEN)))
    set_key(page)
    load(page, workflow_json())
    started = time.monotonic()
    result = run(page)
    assert result["edit"]["status"] == "done", result
    assert len(gemini.generate_calls) == 2
    assert any(note.startswith("retry 1") for note in result["edit"]["notes"])
    assert time.monotonic() - started < 10
    assert output_pixel(page, "small") == GREEN_PIXEL


def test_a_safety_block_fails_the_node_with_rephrase_advice(studio):
    _, page, gemini = studio
    gemini.answer((200, image_answer({"text": "I can't make that."}, finish="IMAGE_SAFETY")))
    set_key(page)
    load(page, workflow_json())
    result = run(page)
    assert result["edit"]["status"] == "failed"
    assert "Rephrase" in result["edit"]["error"]
    assert len(gemini.generate_calls) == 1  # never retried
    expect(page.locator(tid("node-error-edit"))).to_contain_text("Rephrase")


def test_cancel_aborts_the_request_and_the_page_stays_usable(studio):
    _, page, gemini = studio
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url) if GEMINI_HOST in r.url else None)
    gemini.answer(gemini.hold)
    set_key(page)
    load(page, workflow_json())
    start_waiting_for_run(page)
    page.locator(tid("run")).click()
    expect(page.locator(tid("node-edit"))).to_have_attribute("data-state", "running")
    deadline = time.monotonic() + 10
    while not gemini.held and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert gemini.held, "the request never reached Gemini"
    pressed = time.monotonic()
    page.locator(tid("cancel")).click()
    wait_run(page)
    assert time.monotonic() - pressed < 3
    assert page.evaluate("document.documentElement.dataset.lastRun") == "cancelled"
    expect(page.locator(tid("node-edit"))).to_have_attribute("data-state", "cancelled")  # neutral, see test_states
    page.wait_for_timeout(200)
    assert failed, "the fetch was not aborted"
    # Usable: the next run asks again and succeeds.
    gemini.answer((200, answer(GREEN)))
    click_run(page)
    expect(page.locator(tid("node-small"))).to_have_attribute("data-state", "done")
    assert output_pixel(page, "small") == GREEN_PIXEL


def test_follow_ups_then_a_step_back_change_what_flows_downstream(studio):
    opened, page, gemini = studio
    first = answer(GREEN, "Green.", signature="sig-green-Zx9")
    gemini.answer(
        (200, first), (200, answer(BLUE, "Blue.", "sig-blue")), (200, answer(YELLOW, "Yellow.", "sig-yellow"))
    )
    set_key(page)
    load(page, workflow_json())
    select(page, "edit")
    click_run(page)
    assert output_pixel(page, "small") == GREEN_PIXEL

    for text, pixel in (("Now make it blue", BLUE_PIXEL), ("Now yellow", YELLOW_PIXEL)):
        page.locator(tid("ai-followup")).fill(text)
        start_waiting_for_run(page)
        page.locator(tid("ai-followup-send")).click()
        wait_run(page)
        expect(page.locator(tid("node-small"))).to_have_attribute("data-state", "done")
        assert output_pixel(page, "small") == pixel
    expect(page.locator(tid("ai-steps")).locator("button")).to_have_count(3)
    expect(page.locator(tid("ai-text"))).to_have_text("Yellow.")

    # The second request carried the first model turn exactly as Gemini sent it.
    second = gemini.generate_calls[1].json()
    assert second["contents"][0]["role"] == "user"
    assert second["contents"][1] == first["candidates"][0]["content"]
    assert second["contents"][1]["parts"][1]["thoughtSignature"] == "sig-green-Zx9"
    assert second["contents"][2] == {"role": "user", "parts": [{"text": "Now make it blue"}]}
    third = gemini.generate_calls[2].json()
    assert len(third["contents"]) == 5

    # Step back once: the second step's image flows again, without asking Gemini.
    start_waiting_for_run(page)
    page.locator(tid("ai-step-1")).click()
    wait_run(page)
    assert output_pixel(page, "small") == BLUE_PIXEL
    expect(page.locator(tid("ai-step-1"))).to_have_attribute("aria-pressed", "true")
    expect(page.locator(tid("ai-text"))).to_have_text("Blue.")
    assert len(gemini.generate_calls) == 3
    # Undo brings the latest step back.
    page.locator(tid("undo")).click()
    start_waiting_for_run(page)
    page.locator(tid("run")).click()
    wait_run(page)
    assert output_pixel(page, "small") == YELLOW_PIXEL
    assert len(gemini.generate_calls) == 3
    assert opened.errors == []


def test_run_again_asks_gemini_afresh(studio):
    _, page, gemini = studio
    gemini.answer((200, answer(GREEN)), (200, answer(BLUE, signature="other")))
    set_key(page)
    load(page, workflow_json())
    select(page, "edit")
    click_run(page)
    assert output_pixel(page, "small") == GREEN_PIXEL
    start_waiting_for_run(page)
    assert run(page)["edit"]["status"] == "cached"
    wait_run(page)  # the hook's run settles (thumbnails, then RunFinished) after it returns
    page.locator(tid("ai-followup")).fill("half typed")  # a draft survives the panel's refresh
    start_waiting_for_run(page)
    page.locator(tid("run-again")).click()
    wait_run(page)
    assert len(gemini.generate_calls) == 2
    assert output_pixel(page, "small") == BLUE_PIXEL
    expect(page.locator(tid("ai-followup"))).to_have_value("half typed")


def test_autosave_keeps_ai_images_out_of_local_storage_and_a_reload_replays_them(studio, studio_context):
    _, page, gemini = studio
    gemini.answer((200, answer(GREEN)))
    set_key(page)
    load(page, workflow_json())
    click_run(page)
    page.wait_for_function("() => document.documentElement.dataset.autosave === 'saved'")
    saved = autosaved_text(page)
    doc = json.loads(saved)
    edit = next(n for n in doc["nodes"] if n["id"] == "edit")
    assert [t["prompt"] for t in edit["data"]["turns"]] == ["Make it green"]
    assert len(saved) < 20_000, "an AI image went into localStorage"
    assert base64.b64encode(GREEN).decode() in indexeddb_dump(page)

    # A reload: the conversation comes back from IndexedDB and replays without calling Gemini.
    again = studio_context.new_page()
    replay = FakeGemini(again)
    again.goto(page.url)
    again.wait_for_function("document.documentElement.dataset.studio === 'ready'", timeout=90_000)
    wait_first_run(again)
    # On a slow machine an auto-run may start before the pictures are back: the run after the
    # restore follows it. Wait for what the person waits for: the node showing its result.
    expect(again.locator(tid("node-small"))).to_have_attribute("data-state", "done", timeout=30_000)
    assert replay.generate_calls == []
    assert output_pixel(again, "small") == GREEN_PIXEL
    select(again, "edit")
    expect(again.locator(tid("ai-step-0"))).to_be_visible()


def test_graph_only_save_drops_ai_images_and_self_contained_save_keeps_them(studio):
    _, page, gemini = studio
    gemini.answer((200, answer(GREEN, "Green.")))
    set_key(page)
    load(page, workflow_json())
    click_run(page)
    green = base64.b64encode(GREEN).decode()

    def saved(testid: str) -> str:
        page.locator(tid("workflow-save-menu")).click()
        with page.expect_download() as info:
            page.locator(tid(testid)).click()
        return open(info.value.path(), encoding="utf-8").read()

    light = json.loads(saved("workflow-save-graph"))
    edit = next(n for n in light["nodes"] if n["id"] == "edit")
    assert edit["data"]["turns"] == [{"prompt": "Make it green", "text": "Green."}]
    assert green not in json.dumps(light)
    full = saved("workflow-save-full")
    assert green in full
    assert KEY not in full and KEY not in json.dumps(light)


def test_the_key_goes_nowhere_but_the_gemini_header(studio_page):
    """After a whole session of AI work, the key is only in its own storage entry and in the
    x-goog-api-key header of requests to Gemini."""
    page = studio_page.page
    requests = []
    page.on("request", lambda r: requests.append(r))
    gemini = FakeGemini(page)
    wait_first_run(page)
    gemini.answer((200, answer(GREEN)), (200, answer(BLUE, signature="s2")))
    set_key(page)
    load(page, workflow_json())
    select(page, "edit")
    click_run(page)
    page.locator(tid("ai-followup")).fill("bluer")
    start_waiting_for_run(page)
    page.locator(tid("ai-followup-send")).click()
    wait_run(page)
    page.locator(tid("settings-open")).click()
    page.locator(tid("api-key-test")).click()
    expect(page.locator(tid("api-key-check"))).to_contain_text("OK")
    page.locator(tid("settings-close")).click()
    page.wait_for_function("() => document.documentElement.dataset.autosave === 'saved'")

    assert KEY not in page.evaluate("() => window.studio.workflow()")
    stores = storage_dump(page)
    for area, entries in stores.items():
        for name, value in entries.items():
            if name != "pyxis.gemini-api-key":
                assert KEY not in value, f"{area}Storage[{name}] holds the key"
    assert stores["local"]["pyxis.gemini-api-key"] == KEY
    assert KEY not in indexeddb_dump(page)
    for message in studio_page.console:
        assert KEY not in message.text
    assert KEY not in page.locator("body").inner_html()  # the input's value is a property, not markup

    origin = urlsplit(studio_page.url).netloc
    gemini_requests = 0
    for request in requests:
        parts = urlsplit(request.url)
        assert KEY not in request.url
        if parts.netloc == GEMINI_HOST:
            gemini_requests += 1
            holders = [name for name, value in request.all_headers().items() if KEY in value]
            assert holders == ["x-goog-api-key"], request.url
            continue
        assert parts.netloc == origin or parts.scheme in ("data", "blob"), request.url
        assert all(KEY not in value for value in request.all_headers().values()), request.url
        body = request.post_data_buffer
        assert body is None or KEY.encode() not in body, request.url
    assert gemini_requests >= 4  # models (save + test) and two generate calls


def test_a_redirect_is_refused_so_the_key_never_follows_it(studio):
    """fetch runs with redirect: "error": the key header can't be carried to another host. The
    refusal surfaces like a network failure (retried with backoff, then explained)."""
    opened, page, gemini = studio
    elsewhere = []
    page.on("request", lambda r: elsewhere.append(r.url) if "elsewhere.test" in r.url else None)

    def redirect(route):
        route.fulfill(status=307, headers={"Location": "https://elsewhere.test/steal"}, body="")

    gemini.answer(redirect)
    set_key(page)
    load(page, workflow_json())
    result = run(page)
    assert result["edit"]["status"] == "failed"
    assert result["edit"]["error"].startswith("Could not reach the Gemini API")
    assert len(gemini.generate_calls) == 4  # the first try and three retries
    assert elsewhere == []


def test_undoing_an_edit_made_before_a_run_keeps_what_gemini_answered(studio):
    """The undo snapshot predates the run: the recorded conversation is carried back, so the
    autosave keeps it and nothing is asked (and billed) again."""
    _, page, gemini = studio
    gemini.answer((200, answer(GREEN)))
    set_key(page)
    load(page, workflow_json())
    select(page, "small")
    width = page.locator(tid("param-width"))
    width.fill("20")
    width.press("Enter")
    click_run(page)
    assert len(gemini.generate_calls) == 1
    page.locator(tid("undo")).click()
    doc = json.loads(page.evaluate("() => window.studio.workflow()"))
    assert next(n for n in doc["nodes"] if n["id"] == "small")["params"]["width"] == 16
    edit = next(n for n in doc["nodes"] if n["id"] == "edit")
    assert [t["prompt"] for t in edit["data"]["turns"]] == ["Make it green"]
    page.wait_for_function("() => document.documentElement.dataset.autosave === 'saved'")
    saved = json.loads(autosaved_text(page))
    assert next(n for n in saved["nodes"] if n["id"] == "edit")["data"]["turns"]
    assert len(gemini.generate_calls) == 1


def test_generate_makes_a_picture_from_words_alone(studio):
    _, page, gemini = studio
    gemini.answer((200, answer(BLUE, "A blue square.")))
    set_key(page)
    load(page, workflow_json("A blue square", node_type="ai.generate"))
    result = run(page)
    assert result["edit"]["status"] == "done" and result["small"]["status"] == "done", result
    assert output_pixel(page, "small") == BLUE_PIXEL
    sent = gemini.generate_calls[0].json()
    assert sent["contents"] == [{"role": "user", "parts": [{"text": "A blue square"}]}]
    assert sent["generationConfig"]["imageConfig"]["aspectRatio"] == "1:1"


def test_thought_images_show_small_with_their_step_and_never_flow_downstream(studio):
    """Issue 10: with include_thoughts, the drafts Gemini made on the way are shown with the step
    (not charged, not the result); the final image is what goes on."""
    _, page, gemini = studio
    gemini.answer((200, drafts_answer(GREEN, BLUE, YELLOW, text="Done.", signature="sig-t")))
    set_key(page)
    document = json.loads(workflow_json())
    next(n for n in document["nodes"] if n["id"] == "edit")["params"]["include_thoughts"] = True
    load(page, json.dumps(document))
    select(page, "edit")
    click_run(page)
    assert output_pixel(page, "small") == GREEN_PIXEL  # the result, not a draft
    shown = page.locator(tid("ai-drafts-0"))
    expect(shown).to_be_visible()
    expect(shown).to_contain_text("Thinking: 2 drafts (not charged)")
    for index in range(2):
        draft = page.locator(tid(f"ai-draft-0-{index}"))
        expect(draft).to_have_attribute("src", re.compile(r"^blob:"))
        assert draft.evaluate("img => img.complete && img.naturalWidth > 0")
        box = draft.bounding_box()
        assert box is not None and box["width"] <= 40  # small: a draft never looks like the step's result
    step = page.locator(tid("ai-step-0")).bounding_box()
    assert step is not None and step["width"] > 40
    assert len(gemini.generate_calls) == 1
