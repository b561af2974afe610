"""Reading what autosave stored, for tests: the open document's envelope in localStorage (ui/autosave.py)."""

from __future__ import annotations

import json

from playwright.sync_api import Page

_CURRENT = "() => localStorage.getItem('pyxis.doc.' + sessionStorage.getItem('pyxis.tab.doc'))"


def autosaved_document(page: Page) -> dict:
    """This tab's document envelope ({id, name, rev, pictures, text, …}) as autosave wrote it."""
    text = page.evaluate(_CURRENT)
    assert text, "no autosaved document for this tab"
    return json.loads(text)


def autosaved_text(page: Page) -> str:
    """The workflow JSON of this tab's document, exactly as autosave wrote it."""
    return autosaved_document(page)["text"]
