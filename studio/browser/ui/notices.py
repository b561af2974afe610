"""Messages to the user: a dismissable error banner, and short hints that fade by themselves."""

from __future__ import annotations

from .dom import Listeners, h, later

HINT_MS = 4000


class Notices:
    def __init__(self) -> None:
        self._listeners = Listeners()
        self.banner = h("div", {"cls": "banner", "role": "alert", "testid": "banner", "hidden": True})
        self._title = h("strong", {"cls": "banner-title"})
        self._text = h("pre", {"cls": "banner-text", "testid": "banner-text"})
        close = h(
            "button",
            {
                "cls": "icon-btn banner-close",
                "title": "Dismiss",
                "aria-label": "Dismiss",
                "testid": "banner-dismiss",
                "text": "✕",
            },
        )
        self.banner.append(h("div", {"cls": "banner-body"}, self._title, self._text), close)
        self._listeners.on(close, "click", lambda e: self.dismiss())
        self.hint_box = h(
            "div", {"cls": "hint", "role": "status", "aria-live": "polite", "testid": "hint", "hidden": True}
        )
        self._hint_cancel = None

    def error(self, title: str, message: str = "") -> None:
        """A problem the user must read (a file that would not load): stays until dismissed."""
        self._title.textContent = title
        self._text.textContent = message
        self._text.hidden = not message
        self.banner.className = "banner banner-error"
        self.banner.hidden = False

    def info(self, title: str, message: str = "") -> None:
        self.error(title, message)
        self.banner.className = "banner banner-info"

    def dismiss(self) -> None:
        self.banner.hidden = True

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
