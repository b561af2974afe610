"""The palette under the fake browser: the search narrows the list (titles first), Enter adds the
best match, Escape clears, a click adds that type, and empty categories hide."""

from __future__ import annotations

from studio.nodes import default_catalog

from .fake_browser import Event


def make(page):
    from studio.browser.ui.palette import Palette

    added: list[str] = []
    palette = Palette(default_catalog(), on_add=added.append)
    page.document.body.append(palette.el)
    return palette, added


def shown(palette) -> list[str]:
    return [t for t, item in palette._items.items() if not item.hidden]


def type_in(palette, text: str) -> None:
    palette.search.value = text
    palette.search.dispatchEvent(Event("input"))


def test_typing_narrows_the_list_and_enter_adds_the_best_match(page):
    palette, added = make(page)
    assert len(shown(palette)) == len(list(default_catalog()))
    type_in(palette, "blur")
    assert palette._best == "transform.blur" and "transform.blur" in shown(palette)
    best = page.document.querySelector(".palette-item.best")
    assert best.getAttribute("data-type") == palette._best
    palette.search.dispatchEvent(Event("keydown", key="Enter"))
    assert added == [palette._best]
    headers = page.document.querySelectorAll(".palette-category")
    visible = [headers.item(i).textContent for i in range(headers.length) if not headers.item(i).hidden]
    assert "Source" not in visible  # no source matches "blur": its heading hides too


def test_escape_clears_the_search_and_a_click_adds_that_type(page):
    palette, added = make(page)
    type_in(palette, "zzzz-nothing")
    assert shown(palette) == [] and palette._best is None
    palette.search.dispatchEvent(Event("keydown", key="Enter"))
    assert added == []  # nothing to add
    palette.search.dispatchEvent(Event("keydown", key="Escape"))
    assert palette.search.value == "" and len(shown(palette)) == len(list(default_catalog()))
    page.document.querySelector('[data-testid="palette-item-transform.invert"]').click()
    assert added == ["transform.invert"]
