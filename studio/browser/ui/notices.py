"""Messages to the user: a dismissable error banner, lasting status panels with choices, and short fading hints."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from .dom import Listeners, h, later

HINT_MS = 4000

Action = tuple[str, Callable[[], Any]]


class _Banner:
    """One banner element: title, text, optional buttons, a dismiss cross."""

    def __init__(self, testid: str, on_close: Callable[[], Any]) -> None:
        self.listeners = Listeners()
        self._close_listener = Listeners()
        self.el = h("div", {"cls": "banner", "role": "alert", "testid": testid, "hidden": True})
        self.title = h("strong", {"cls": "banner-title"})
        self.text = h("pre", {"cls": "banner-text", "testid": f"{testid}-text"})
        self.actions = h("div", {"cls": "banner-actions", "hidden": True})
        close = h(
            "button",
            {
                "cls": "icon-btn banner-close",
                "title": "Dismiss",
                "aria-label": "Dismiss",
                "testid": f"{testid}-dismiss",
                "text": "✕",
            },
        )
        self.el.append(h("div", {"cls": "banner-body"}, self.title, self.text, self.actions), close)
        self._close_listener.on(close, "click", lambda e: on_close())

    def show(self, kind: str, title: str, message: str, actions: Sequence[Action]) -> None:
        self.title.textContent = title
        self.text.textContent = message
        self.text.hidden = not message
        self.listeners.clear()
        buttons = []
        for label, fn in actions:
            b = h("button", {"cls": "btn", "type": "button", "text": label})
            self.listeners.on(b, "click", lambda e, fn=fn: fn())
            buttons.append(b)
        self.actions.replaceChildren(*buttons)
        self.actions.hidden = not buttons
        self.el.className = f"banner banner-{kind}"
        self.el.hidden = False

    def hide(self) -> None:
        self.el.hidden = True
        self.listeners.clear()

    @property
    def shown(self) -> bool:
        return not self.el.hidden


class Notices:
    def __init__(self) -> None:
        # `banner` is what the shell places: a stack, so a lasting autosave or tab panel never
        # replaces a "Could not open" error (or the other way round).
        self.banner = h("div", {"cls": "banner-stack"})
        self._main = _Banner("banner", self.dismiss)
        self.banner.append(self._main.el)
        self._panels: dict[str, _Banner] = {}
        self.hint_box = h(
            "div", {"cls": "hint", "role": "status", "aria-live": "polite", "testid": "hint", "hidden": True}
        )
        self._hint_cancel: Callable[[], None] | None = None

    def error(self, title: str, message: str = "", actions: Sequence[Action] = ()) -> None:
        """A problem the user must read (a file that would not load): stays until dismissed."""
        self._main.show("error", title, message, actions)

    def info(self, title: str, message: str = "", actions: Sequence[Action] = ()) -> None:
        self._main.show("info", title, message, actions)

    def dismiss(self) -> None:
        self._main.hide()

    # --- lasting panels (autosave failing, another tab, a question) ---

    def panel(
        self, key: str, title: str, message: str = "", actions: Sequence[Action] = (), *, kind: str = "error"
    ) -> None:
        """A status that stays until its cause is gone (`close(key)`) or the user dismisses it."""
        banner = self._panels.get(key)
        if banner is None:
            banner = _Banner(f"{key}-banner", lambda: self.close(key))
            self._panels[key] = banner
            self.banner.append(banner.el)
        banner.show(kind, title, message, actions)

    def close(self, key: str) -> None:
        banner = self._panels.get(key)
        if banner is not None:
            banner.hide()

    def showing(self, key: str) -> bool:
        banner = self._panels.get(key)
        return banner is not None and banner.shown

    async def ask(self, key: str, title: str, message: str, choices: Sequence[str], *, kind: str = "info") -> str:
        """Show a question with one button per choice; the chosen label ("" if dismissed)."""
        future: asyncio.Future[str] = asyncio.get_event_loop().create_future()

        def choose(label: str) -> None:
            self.close(key)
            if not future.done():
                future.set_result(label)

        self.panel(key, title, message, [(c, lambda c=c: choose(c)) for c in choices], kind=kind)
        banner = self._panels[key]
        banner._close_listener.clear()
        banner._close_listener.on(banner.el.querySelector(".banner-close"), "click", lambda e: choose(""))
        return await future

    # --- hints ---

    def hint(self, text: str, *, kind: str = "warn") -> None:
        """A short remark (a refused connection, "copied 3 nodes") that goes away by itself."""
        self.hint_box.textContent = text
        self.hint_box.className = f"hint hint-{kind}"
        self.hint_box.hidden = False
        if self._hint_cancel is not None:
            self._hint_cancel()
        self._hint_cancel = later(HINT_MS, self._hide_hint)

    def _hide_hint(self) -> None:
        self.hint_box.hidden = True
        self._hint_cancel = None
