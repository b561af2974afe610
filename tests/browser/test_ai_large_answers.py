"""Large Gemini answers in the page (issue 10): the engine's worker makes the request (issue 8), and
over 4 MB parses the answer in JavaScript and decodes its picture there, with its node thumbnail,
while the rest of the answer is read.
What a person sees must not change: every byte of the picture, the turn verbatim, the thumbnail, a
damaged picture named as such, and only the first candidate's picture taken."""

from __future__ import annotations

import base64
import io
import json
import random
import re

import pytest
from PIL import Image, ImageStat
from playwright.sync_api import expect

from .editor_helpers import tid, wait_first_run
from .gemini_fake import KEY, FakeGemini, answer, load, output_pixel, output_size, run, set_key, workflow_json

pytestmark = pytest.mark.browser

# Every message the page posts to a worker, by kind, from now on (the prototype serves the worker the
# page already has); `restore` puts the browser's own postMessage back.
WATCH_POSTS = """() => {
  window.__posted = [];
  const own = window.__ownPost = window.__ownPost || Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, transfer) {
    window.__posted.push(message && message.kind);
    return own.call(this, message, transfer);
  };
}"""
RESTORE_POSTS = "() => { if (window.__ownPost) Worker.prototype.postMessage = window.__ownPost; }"
# Every Gemini request the page's own fetch makes from now on (the worker's fetch is not this one).
WATCH_PAGE_FETCHES = """() => {
  window.__pageGemini = 0;
  const own = window.__ownFetch = window.__ownFetch || window.fetch;
  window.fetch = function (input, init) {
    if (String((input && input.url) || input).includes('generativelanguage')) window.__pageGemini += 1;
    return own.apply(this, arguments);
  };
}"""
RESTORE_FETCH = "() => { if (window.__ownFetch) window.fetch = window.__ownFetch; }"


@pytest.fixture
def studio(studio_page):
    page = studio_page.page
    gemini = FakeGemini(page)
    wait_first_run(page)
    page.evaluate(WATCH_POSTS)
    page.evaluate(WATCH_PAGE_FETCHES)
    yield studio_page, page, gemini
    page.evaluate(RESTORE_POSTS)
    page.evaluate(RESTORE_FETCH)


def noise_png(side: int, channels: tuple[bool, bool, bool], seed: int = 1) -> bytes:
    """Random values in the channels marked True, 0 in the others: a PNG that hardly compresses."""
    draw = random.Random(seed)
    bands = [
        Image.frombytes("L", (side, side), draw.randbytes(side * side)) if on else Image.new("L", (side, side), 0)
        for on in channels
    ]
    out = io.BytesIO()
    Image.merge("RGB", bands).save(out, "PNG")
    return out.getvalue()


def thumbnail(page, node_id: str) -> Image.Image:
    img = page.locator(f"{tid(f'node-{node_id}')} .node-thumb img")
    expect(img).to_have_attribute("src", re.compile(r"^data:image/png;base64,"))
    src = img.get_attribute("src") or ""
    return Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGB")


@pytest.mark.parametrize("side", [300, 1200])
def test_a_large_answer_parsed_natively_keeps_every_byte_and_the_turn_verbatim(studio, side):
    # The worker parses an answer over 64 KB in JavaScript (the page would over 4 MB) and hands
    # Python the base64 as a slice of the body: the image must arrive whole and the model turn must
    # stay byte-for-byte. 300² is a typical 1K answer's size class (~0.4 MB), 1200² is over 4 MB.
    big = noise_png(side, (True, True, True))
    assert len(base64.b64encode(big)) > (4 * 1024 * 1024 if side > 1000 else 64 * 1024)
    _, page, gemini = studio
    set_key(page)
    reply = answer(big, text="Grüße — noisy ✓")  # non-ASCII before the image: byte offsets differ
    reply["candidates"][0]["content"]["parts"][1]["videoMetadata"] = None
    gemini.answer((200, json.dumps(reply, ensure_ascii=False)))  # raw UTF-8, as Google sends it
    load(page, workflow_json())
    result = run(page)
    assert result["edit"]["status"] == "done", result["edit"]
    assert output_size(page, "edit") == (side, side)
    assert output_pixel(page, "edit", (5, 5)) == Image.open(io.BytesIO(big)).getpixel((5, 5))[:3]
    turn = next(n for n in json.loads(page.evaluate("() => window.studio.workflow()"))["nodes"] if n["id"] == "edit")[
        "data"
    ]["turns"][0]
    assert turn["model"] == reply["candidates"][0]["content"]
    assert turn["text"] == "Grüße — noisy ✓"


def test_the_worker_asks_gemini_and_decodes_a_large_answers_picture_with_its_thumbnail(studio):
    big = noise_png(1500, (True, True, False))  # yellow-ish noise, no blue at all
    _, page, gemini = studio
    set_key(page)
    gemini.answer((200, json.dumps(answer(big))))
    load(page, workflow_json())
    page.evaluate("() => { window.__posted = []; }")
    result = run(page)
    assert result["edit"]["status"] == "done", result["edit"]
    # One request, handed to the worker; the page's own fetch never called Gemini.
    assert page.evaluate("() => window.__posted.filter(kind => kind === 'fetch').length") == 1
    assert page.evaluate("() => window.__pageGemini") == 0
    asked = [call for call in gemini.calls if ":generateContent" in call.url]
    assert len(asked) == 1 and asked[0].headers.get("x-goog-api-key") == KEY
    shown = thumbnail(page, "edit")
    assert shown.size == (160, 160)
    mean = ImageStat.Stat(shown).mean
    assert 100 < mean[0] < 155 and 100 < mean[1] < 155 and mean[2] == 0, mean  # a shrink of that noise
    assert output_size(page, "edit") == (1500, 1500)
    expected = Image.open(io.BytesIO(big)).getpixel((2, 2))
    assert output_pixel(page, "edit", (2, 2)) == expected[:3]


def test_only_the_first_candidates_picture_is_taken(studio):
    first = noise_png(1500, (True, False, False), seed=2)  # red noise
    second = noise_png(64, (False, False, True), seed=3)  # blue noise, found in the text first or not
    reply = answer(first)
    reply["candidates"].append(
        {
            "content": {
                "role": "model",
                "parts": [{"inlineData": {"mimeType": "image/png", "data": base64.b64encode(second).decode()}}],
            },
            "index": 1,
        }
    )
    _, page, gemini = studio
    set_key(page)
    gemini.answer((200, json.dumps(reply)))
    load(page, workflow_json())
    result = run(page)
    assert result["edit"]["status"] == "done", result["edit"]
    assert output_size(page, "edit") == (1500, 1500)
    r, g, b = output_pixel(page, "edit", (7, 7))
    assert (r, g, b) == Image.open(io.BytesIO(first)).getpixel((7, 7))[:3] and g == b == 0
    mean = ImageStat.Stat(thumbnail(page, "edit")).mean
    assert mean[1] == mean[2] == 0 and mean[0] > 80, mean


def test_a_damaged_picture_in_a_large_answer_fails_the_node_and_says_so(studio):
    big = bytearray(noise_png(1200, (True, True, True)))
    big[len(big) // 2 : len(big) // 2 + 5000] = bytes(5000)  # the header is fine, the pixels are not
    _, page, gemini = studio
    set_key(page)
    gemini.answer((200, json.dumps(answer(bytes(big)))))
    load(page, workflow_json())
    result = run(page)
    assert result["edit"]["status"] == "failed", result["edit"]
    expect(page.locator(tid("node-error-edit"))).to_contain_text("damaged")
    gemini.answer((200, json.dumps(answer(noise_png(1200, (True, True, True), seed=4)))))
    page.evaluate("t => window.studio.load(t)", workflow_json(prompt="again, undamaged"))
    assert run(page)["edit"]["status"] == "done"  # the page and its engine go on
