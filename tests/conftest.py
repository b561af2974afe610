"""Suite-wide ordering: browser tests run last.

Playwright's sync API keeps an event loop running in the main thread while its session-wide
browser is open, so a CPython test calling asyncio.run() after it would fail. Running every
browser test after the others keeps each kind in the conditions it needs.
"""

from __future__ import annotations

import asyncio

import pytest


def pytest_collection_modifyitems(session, config, items):
    def in_browser_folder(item) -> bool:
        parts = item.path.parts
        return "browser" in parts[parts.index("tests") + 1 : parts.index("tests") + 2] if "tests" in parts else False

    items.sort(key=in_browser_folder)  # stable: the order within each group is kept


@pytest.fixture
def current_loop():
    """A current event loop, not running: the application layer's timers (auto-run, the Run button's
    count) need one, as the page always has; a test sees what was decided, never a timer fire."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    asyncio.set_event_loop(None)
    loop.close()
