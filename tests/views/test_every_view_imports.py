"""Every module of the page imports under the fake browser: a name a view takes from the application
layer that is not there fails here, under CPython, not first in Chromium."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import studio.browser
import studio.browser.ui

MODULES = sorted(
    [f"studio.browser.{m.name}" for m in pkgutil.iter_modules(studio.browser.__path__) if not m.ispkg]
    + [f"studio.browser.ui.{m.name}" for m in pkgutil.iter_modules(studio.browser.ui.__path__)]
)
# The page's entry point starts the Studio (a top-level await): it runs only in the page.
STARTS_SOMETHING = {"studio.browser.main"}


@pytest.mark.parametrize("name", [m for m in MODULES if m not in STARTS_SOMETHING])
def test_the_module_imports(page, name):
    assert importlib.import_module(name).__doc__
