"""A note's Markdown becomes safe HTML: formatting yes; script, harmful links and remote images no."""

from __future__ import annotations

import re

import pytest

from studio.browser.ui.note_markdown import render


def test_formatting_headings_lists_links_and_line_breaks():
    html = render(
        "# Why\n**keys** the screen\nthen *the* vignette\n\n- one\n- two\n\n[docs](https://pyxis.studio/docs)"
    )
    assert "<h1>Why</h1>" in html and "<strong>keys</strong>" in html and "<em>the</em>" in html
    assert "<br />" in html  # a single new line is kept, as the user typed it
    assert "<li>one</li>" in html
    assert '<a href="https://pyxis.studio/docs" target="_blank" rel="noopener noreferrer">docs</a>' in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "<a href='javascript:alert(1)'>x</a>",
        '<iframe src="https://evil.example"></iframe>',
    ],
)
def test_no_script_and_no_raw_html(hostile):
    html = render(hostile)
    assert "<script" not in html and "<img" not in html and "<iframe" not in html
    assert not re.search(r"<a[^>]*javascript:", html)  # escaped text may mention it; no live link does


def test_images_show_as_their_alt_text_and_fetch_nothing():
    html = render("![the logo](https://tracker.example/pixel.png)")
    assert "tracker.example" not in html and "<img" not in html
    assert "[the logo]" in html
