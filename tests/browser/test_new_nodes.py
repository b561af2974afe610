"""Issue 12's nodes in the editor: a note added from the palette shows what a person types, as Markdown or plain."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .editor_helpers import clear_graph, node_ids, set_autorun, tid, wait_first_run, workflow
from .person import click

pytestmark = pytest.mark.browser


def test_a_note_from_the_palette_shows_its_text_on_the_canvas(studio_page):
    page = studio_page.page
    wait_first_run(page)
    set_autorun(page, False)
    clear_graph(page)
    click(page.locator(tid("palette-item-canvas.note")))
    (note_id,) = node_ids(page)
    note = page.locator(tid(f"node-{note_id}"))
    expect(note).to_have_class(re.compile(r"\bnode-note\b"))
    # A note has no ports to wire.
    assert note.locator(".port").count() == 0
    click(note.locator(".node-title"))
    text = page.locator(tid("param-text"))
    click(text)
    text.fill("")
    page.keyboard.type("# Why this graph\n**Keys** the green screen\nthen the vignette")
    text.press("Tab")
    summary = note.locator(".node-summary")
    # Markdown (the default): a heading, bold, and the single line break kept.
    expect(summary.locator("h1")).to_have_text("Why this graph")
    expect(summary.locator("strong")).to_have_text("Keys")
    assert summary.locator("br").count() == 1
    # Plain: the text as written, on its three lines.
    page.locator(tid("param-format")).select_option("plain")
    expect(summary).to_have_text("# Why this graph\n**Keys** the green screen\nthen the vignette")
    assert summary.locator("h1").count() == 0
    lines = summary.evaluate(
        "e => { const s = getComputedStyle(e); return (e.clientHeight - parseFloat(s.paddingBottom)) / parseFloat(s.fontSize); }"
    )
    assert lines > 2.5, f"the note is {lines:.1f} font sizes tall: its line breaks are lost"
    saved = workflow(page)["nodes"][0]
    assert saved["type"] == "canvas.note" and saved["params"]["text"].startswith("# Why this graph\n")
    assert saved["params"]["format"] == "plain"
    assert studio_page.errors == [], studio_page.console_tail()
