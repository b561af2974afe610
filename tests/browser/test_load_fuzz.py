"""The page's loader under hostile workflows (the sweep of issue 13, a sample in the real page):
window.studio.load refuses with the plain message, the open graph stays as it was, and the page
answers afterwards."""

from __future__ import annotations

import json

import pytest
from hypothesis import given

from tests.fuzz.mutations import workflow_bytes
from tests.fuzz.tally import fuzz_settings

from .editor_helpers import tid, wait_first_run, workflow
from .person import button, click

pytestmark = pytest.mark.browser

LOAD = """async (text) => {
  try { await window.studio.load(text); return {ok: true}; }
  catch (e) { return {ok: false, message: String(e && e.message || e)}; }
}"""

# The reported killers, each in the page: deep lists, a deep param, many dangling edges, a huge number,
# an id with a newline, a 10 MB type.
NAMED = {
    "10,000-deep edges": '{"format":"pyxis.workflow","version":1,"nodes":[],"edges":' + "[" * 10_000 + "]" * 10_000 + "}",
    "5,000-deep param": json.dumps({"format": "pyxis.workflow", "version": 1, "nodes": [
        {"id": "t", "type": "compose.text", "params": {"text": "x"}}], "edges": []}).replace('"x"', "[" * 5000 + "]" * 5000),
    "10,000 dangling edges": json.dumps({"format": "pyxis.workflow", "version": 1, "nodes": [],
        "edges": [{"from": f"a{i}.image", "to": f"b{i}.image"} for i in range(10_000)]}),
    "400-digit number": '{"format":"pyxis.workflow","version":1,"nodes":[{"id":"s","type":"source.solid","params":{"width":' + "9" * 400 + "}}],\"edges\":[]}",
    "id with a newline": json.dumps({"format": "pyxis.workflow", "version": 1, "nodes": [{"id": "poster\n", "type": "source.solid"}], "edges": []}),
    "10 MB type": json.dumps({"format": "pyxis.workflow", "version": 1, "nodes": [{"id": "x", "type": "t" * 10_000_000}], "edges": []}),
}  # fmt: skip


@pytest.fixture
def page(studio_page):
    page = studio_page.page
    wait_first_run(page)
    yield page
    assert studio_page.errors == [], studio_page.console_tail()


def refused_cleanly(page, text: str, before: dict) -> str | None:
    """None when it loaded; the message when refused (checked: plain, short, graph untouched)."""
    answer = page.evaluate(LOAD, text)
    if answer["ok"]:
        return None
    message = answer["message"]
    assert "Traceback" not in message and "JsException" not in message, message[:300]
    assert 0 < len(message) < 1024, f"{len(message)} characters"
    assert workflow(page) == before, "a refused load changed the open graph"
    return message


@pytest.mark.parametrize("name", list(NAMED))
def test_the_reported_killers_are_refused_and_the_page_still_answers(page, name):
    before = workflow(page)
    message = refused_cleanly(page, NAMED[name], before)
    assert message is not None, f"{name} loaded"
    click(button(page, "Run"))  # the page still takes a click and runs
    page.wait_for_function("() => !!document.documentElement.dataset.lastRun")
    assert page.evaluate("() => window.studio.workflow()")


@given(case=workflow_bytes())
@fuzz_settings(25)
def test_a_sample_of_the_fuzz_sweep_through_the_page_loader(page, case):
    kind, data = case
    current = workflow(page)
    refused_cleanly(page, data.decode("utf-8", "replace"), current)
    # Whatever happened, the page answers: a hook call and the DOM respond.
    assert page.locator(tid("run")).is_visible()
