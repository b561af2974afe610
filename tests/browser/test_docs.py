"""Issue 7 defect 10: the key guide linked from Settings opens as a readable page, not raw Markdown in mojibake."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .person import button, click

pytestmark = pytest.mark.browser


def test_the_key_help_link_opens_a_readable_page(studio_page):
    page = studio_page.page
    click(button(page, "Settings"))
    link = page.get_by_role("link", name="How to get, restrict and forget a key")
    with page.context.expect_page() as opened:
        click(link)
    guide = opened.value
    guide.wait_for_load_state("domcontentloaded")
    # The document is HTML in UTF-8: a heading a person reads, and "→" stays an arrow.
    expect(guide.get_by_role("heading", level=1)).to_have_text("Your Gemini API key")
    expect(guide.locator("body")).to_contain_text("Get API key → Create API key")
    assert guide.evaluate("document.contentType") == "text/html"
    assert guide.evaluate("document.characterSet") == "UTF-8"
    assert "**" not in guide.locator("main").inner_text()
    guide.close()
