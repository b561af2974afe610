"""The settings dialog behind the gear: a hook that other panels (e.g. the Gemini API key) fill in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .dom import Listeners, h


class SettingsDialog:
    """An empty, working dialog. To add a section: `studio.settings.add_section(title, build)`, where
    build() returns an element; it is built on first open and kept."""

    def __init__(self) -> None:
        self._listeners = Listeners()
        close = h(
            "button",
            {"cls": "icon-btn", "type": "button", "text": "✕", "aria-label": "Close", "testid": "settings-close"},
        )
        self.body = h("div", {"cls": "settings-body", "testid": "settings-body"})
        self.el = h(
            "dialog",
            {"cls": "dialog settings", "testid": "settings", "aria-label": "Settings"},
            h("div", {"cls": "dialog-head"}, h("h2", {"text": "Settings"}), close),
            self.body,
        )
        self._listeners.on(close, "click", lambda e: self.close())
        self._sections: list[tuple[str, Callable[[], Any]]] = []
        self._built = False
        self.on_open: list[Callable[[], Any]] = []

    def add_section(self, title: str, build: Callable[[], Any]) -> None:
        self._sections.append((title, build))
        self._built = False

    def open(self) -> None:
        if not self._built:
            children = [
                h("section", {"cls": "settings-section"}, h("h3", {"text": title}), build())
                for title, build in self._sections
            ]
            if not children:
                children = [h("p", {"cls": "muted", "text": "Nothing to set yet."})]
            self.body.replaceChildren(*children)
            self._built = True
        for callback in list(self.on_open):
            callback()
        if not self.el.open:
            self.el.showModal()

    def close(self) -> None:
        if self.el.open:
            self.el.close()
