"""The Gemini request made by the engine's worker (issue 8): the key reaches Gemini's header and nothing
else, the worker sends it to no other address whoever asks, and a worker that dies with a request in
flight says the request may have been billed and never sends it again on its own."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from .editor_helpers import tid, wait_first_run
from .gemini_fake import (
    GREEN,
    KEY,
    FakeGemini,
    answer,
    click_run,
    load,
    output_pixel,
    set_key,
    start_waiting_for_run,
    workflow_json,
)

pytestmark = pytest.mark.browser

GREEN_PIXEL = (0, 200, 0)


@pytest.fixture
def studio(studio_page):
    page = studio_page.page
    gemini = FakeGemini(page)
    page.wait_for_function("() => document.documentElement.dataset.engine === 'ready'", timeout=60_000)
    wait_first_run(page)
    yield studio_page, page, gemini


def engine_worker(page):
    return next(w for w in page.workers if w.url.endswith("engine-worker.js"))


# Inside the worker: hands it a fetch message as the page would, and resolves with its "fetched" answer.
ASK_THE_WORKER = """async ([url, key]) => {
  const own = self.postMessage;
  const answered = new Promise((resolve) => {
    self.postMessage = function (message, transfer) {
      if (!(message && message.kind === 'fetched' && message.id === 987654)) return own.apply(self, arguments);
      self.postMessage = own;
      resolve({failure: message.failure || null, message: message.message || null, status: message.status || null});
    };
  });
  self.onmessage({data: {kind: 'fetch', id: 987654, body: null,
    request: {method: 'GET', url, headers: {'x-goog-api-key': key}, timeout: 10, native: true}}});
  return await answered;
}"""


def test_the_worker_sends_a_key_to_no_address_but_gemini(studio):
    opened, page, gemini = studio
    elsewhere = []
    page.context.route("https://elsewhere.test/**", lambda route: (elsewhere.append(route.request.url), route.abort()))
    reply = engine_worker(page).evaluate(ASK_THE_WORKER, ["https://elsewhere.test/steal", KEY])
    assert reply["failure"] == "network" and "Gemini API only" in reply["message"], reply
    assert reply["status"] is None
    page.wait_for_timeout(300)
    assert elsewhere == [], "the worker sent a request elsewhere"
    assert KEY not in reply["message"]


def test_a_worker_that_dies_mid_request_says_it_may_be_billed_and_asks_again_only_when_told(studio):
    opened, page, gemini = studio
    gemini.answer(gemini.hold)
    set_key(page)
    load(page, workflow_json())
    start_waiting_for_run(page)
    page.locator(tid("run")).click()
    deadline = time.monotonic() + 20
    while not gemini.held and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert gemini.held, "the request never reached Gemini"

    engine_worker(page).evaluate("setTimeout(() => { throw new Error('simulated crash'); }, 0)")
    page.wait_for_function("() => document.documentElement.dataset.lastRun === 'failed'", timeout=30_000)
    error = page.locator(tid("node-error-edit"))
    expect(error).to_contain_text("may have been billed")
    page.wait_for_timeout(1500)  # a retry would come within its 1 s backoff
    assert len(gemini.generate_calls) == 1, "a request in flight when the worker died was sent again"

    # Run asks once more, through a new worker.
    gemini.answer((200, answer(GREEN)))
    click_run(page)
    expect(page.locator(tid("node-small"))).to_have_attribute("data-state", "done", timeout=60_000)
    assert output_pixel(page, "small") == GREEN_PIXEL
    assert len(gemini.generate_calls) == 2
    assert opened.errors == [], opened.console_tail()
