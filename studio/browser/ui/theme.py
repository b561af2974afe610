"""Light or dark: follows the system (`prefers-color-scheme`) until the user picks one, which is remembered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import js  # browser-only

from . import storage
from .dom import Listeners

KEY = "pyxis.theme"  # "light" / "dark"; absent: follow the system
THEMES = ("light", "dark")


class Theme:
    """Sets `data-theme` on <html> only for a remembered choice: without it the CSS follows the system
    by itself (static/studio.css uses `light-dark()`), so the loading screen matches too."""

    def __init__(self) -> None:
        self.root = js.document.documentElement
        self.on_change: list[Callable[[str], Any]] = []
        self._listeners = Listeners()
        self._media = js.window.matchMedia("(prefers-color-scheme: light)")
        self._listeners.on(self._media, "change", lambda e: self._changed())
        choice = storage.get_text(KEY)
        self.apply(choice if choice in THEMES else None, remember=False)

    @property
    def current(self) -> str:
        """The theme on screen."""
        chosen = self.root.getAttribute("data-theme")  # dataset.theme raises when it is not set
        if chosen in THEMES:
            return str(chosen)
        return "light" if self._media.matches else "dark"

    @property
    def other(self) -> str:
        return "dark" if self.current == "light" else "light"

    def toggle(self) -> None:
        self.apply(self.other)

    def apply(self, choice: str | None, *, remember: bool = True) -> None:
        if choice in THEMES:
            self.root.dataset.theme = choice
        else:
            self.root.removeAttribute("data-theme")
        if remember:
            try:
                if choice in THEMES:
                    storage.set_text(KEY, str(choice))
                else:
                    storage.remove(KEY)
            except storage.StorageError:
                pass  # storage blocked: the choice holds for this visit
        self._changed()

    def _changed(self) -> None:
        self.root.dataset.themeNow = self.current
        for callback in list(self.on_change):
            callback(self.current)
