"""The page's panels under CPython: the fake browser stands in for `js` and `pyodide` (fake_browser.py)."""

from __future__ import annotations

import sys

import pytest

from .fake_browser import make_modules

if "js" not in sys.modules:  # one fake for the session: the panels bind `js.document` when imported
    _js, _pyodide, _ffi = make_modules()
    sys.modules.update({"js": _js, "pyodide": _pyodide, "pyodide.ffi": _ffi})


@pytest.fixture
def page(current_loop):
    """The fake page: an empty body, fresh storage, no console errors left from another test."""
    js = sys.modules["js"]
    js.document.body.replaceChildren()
    js.window.localStorage._items.clear()
    js.window.sessionStorage._items.clear()
    js.console.errors.clear()
    js.console.warnings.clear()
    yield js
    assert js.console.errors == [], js.console.errors
