"""Small DOM helpers: building elements, SVG, and event listeners whose proxies are cleaned up."""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Callable
from typing import Any

import js  # browser-only: this package lives in studio.browser
from pyodide.ffi import create_once_callable, create_proxy

# The views take these from here; they are the app layer's (pure asyncio).
from ...app.tasks import Debounce as Debounce
from ...app.tasks import later as later
from ...app.tasks import report_to
from ...app.tasks import spawn as spawn
from ..ffi import is_missing

document = js.document
SVG_NS = "http://www.w3.org/2000/svg"


def report(where: str, exc: BaseException) -> None:
    """Log an unexpected error from an event handler (the page keeps working)."""
    js.console.error(f"pyxis: {where}: {type(exc).__name__}: {exc}\n{traceback.format_exc()}")


report_to(report)  # the application layer's tasks and handlers report to the console too


def h(tag: str, attrs: dict[str, Any] | None = None, *children: Any, svg: bool = False) -> Any:
    """An element with attributes and children. `cls` sets the class, `text` the text content,
    `testid` the data-testid; True/False attributes are set/omitted; None values are skipped."""
    el = document.createElementNS(SVG_NS, tag) if svg else document.createElement(tag)
    for key, value in (attrs or {}).items():
        if value is None or value is False:
            continue
        if key == "cls":
            el.setAttribute("class", value)
        elif key == "text":
            el.textContent = str(value)
        elif key == "testid":
            el.setAttribute("data-testid", value)
        elif value is True:
            el.setAttribute(key, "")
        else:
            el.setAttribute(key.replace("_", "-"), str(value))
    for child in children:
        if child is None:
            continue
        el.append(child if not isinstance(child, (str, int, float)) else str(child))
    return el


def s(tag: str, attrs: dict[str, Any] | None = None, *children: Any) -> Any:
    """An SVG element."""
    return h(tag, attrs, *children, svg=True)


missing = is_missing  # True for JS null and undefined (studio/browser/ffi.py)


def all_of(root: Any, selector: str) -> list[Any]:
    """The elements under `root` that match, as a list (querySelectorAll gives a NodeList)."""
    found = root.querySelectorAll(selector)
    return [found.item(i) for i in range(found.length)]


def closest(target: Any, selector: str) -> Any | None:
    """The nearest ancestor-or-self matching selector (None for text nodes and misses)."""
    if missing(target) or getattr(target, "closest", None) is None:
        return None
    found = target.closest(selector)
    return None if missing(found) else found


def is_typing(target: Any) -> bool:
    """True when keyboard focus is in a field: shortcuts must leave the keys alone."""
    if missing(target):
        return False
    tag = (getattr(target, "tagName", "") or "").upper()
    if tag in ("TEXTAREA", "SELECT"):
        return True
    if tag == "INPUT":
        return (getattr(target, "type", "") or "") not in ("checkbox", "radio", "button", "range", "file", "color")
    return bool(getattr(target, "isContentEditable", False))


class Listeners:
    """Event listeners added through here are removed and their proxies destroyed by clear():
    views that re-render call clear() first, so no handler outlives its elements."""

    def __init__(self) -> None:
        self._bound: list[tuple[Any, str, Any, Any]] = []

    def on(
        self,
        target: Any,
        event: str,
        handler: Callable[[Any], Any],
        *,
        passive: bool | None = None,
        capture: bool = False,
    ) -> None:
        def guarded(evt: Any) -> Any:
            try:
                result = handler(evt)
                if asyncio.iscoroutine(result):
                    spawn(result, f"{event} handler")
            except Exception as exc:
                report(f"{event} handler", exc)

        proxy = create_proxy(guarded)
        options = js.Object.new()
        options.capture = capture
        if passive is not None:
            options.passive = passive
        target.addEventListener(event, proxy, options)
        self._bound.append((target, event, proxy, capture))

    def clear(self) -> None:
        for target, event, proxy, capture in self._bound:
            target.removeEventListener(event, proxy, capture)
            proxy.destroy()
        self._bound.clear()


async def after_paint(longest_ms: float = 100) -> None:
    """Returns once the browser has drawn a frame (what was just put on screen is visible), or after
    `longest_ms` (a hidden page draws no frames)."""
    loop = asyncio.get_event_loop()
    drawn: asyncio.Future[None] = loop.create_future()

    def done(*_: Any) -> None:
        if not drawn.done():
            drawn.set_result(None)

    frame = create_once_callable(lambda *_: loop.call_soon(done))  # the frame, then the next task
    js.requestAnimationFrame(frame)
    cancel = later(longest_ms, done)
    try:
        await drawn
    finally:
        cancel()
