"""A pop-up list of node types with a search box: offered where a wire is dropped on empty
canvas (only the types that fit the wire) and on a double-click (every type)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import js  # browser-only

from ...app.ports import Offer
from .dom import Listeners, h


class NodeMenu:
    def __init__(self) -> None:
        self._listeners = Listeners()
        self.el = h("div", {"cls": "node-menu", "role": "menu", "testid": "node-menu", "hidden": True})
        self._on_pick: Callable[[Offer], Any] | None = None
        self._offers: list[Offer] = []

    @property
    def open(self) -> bool:
        return not self.el.hidden

    def show(self, x: float, y: float, title: str, offers: list[Offer], on_pick: Callable[[Offer], Any]) -> None:
        """Open at (x, y) in the canvas element's pixels."""
        self._listeners.clear()
        self._offers = offers
        self._on_pick = on_pick
        search = h(
            "input",
            {
                "cls": "node-menu-search",
                "type": "search",
                "placeholder": "Search…",
                "aria-label": "Search node types",
                "testid": "node-menu-search",
            },
        )
        self._list = h("div", {"cls": "node-menu-list"})
        self.el.replaceChildren(h("div", {"cls": "node-menu-title", "text": title}), search, self._list)
        self._fill("")
        self._listeners.on(search, "input", lambda e: self._fill(search.value))
        self._listeners.on(search, "keydown", self._on_key)
        self.el.hidden = False
        # Keep the whole menu inside the canvas, whatever the corner it was asked for.
        host = self.el.parentElement
        width, height = self.el.offsetWidth, self.el.offsetHeight
        if host is not None and getattr(host, "clientWidth", None) is not None:
            x = max(8, min(x, host.clientWidth - width - 8))
            y = max(8, min(y, host.clientHeight - height - 8))
        self.el.style.left = f"{x}px"
        self.el.style.top = f"{y}px"
        options = js.Object.new()
        options.preventScroll = True  # focusing must not scroll the canvas under the nodes
        search.focus(options)

    def hide(self) -> None:
        if self.el.hidden:
            return
        self.el.hidden = True
        self._listeners.clear()
        self._on_pick = None

    def _fill(self, query: str) -> None:
        words = query.lower().split()
        shown = [o for o in self._offers if all(w in f"{o.title} {o.type} {o.category}".lower() for w in words)]
        items = []
        for offer in shown:
            item = h(
                "button",
                {"cls": "node-menu-item", "role": "menuitem", "testid": f"node-menu-item-{offer.type}"},
                h("span", {"text": offer.title}),
                h("small", {"text": offer.category}),
            )
            self._listeners.on(item, "click", lambda e, o=offer: self._pick(o))
            items.append(item)
        if not items:
            items.append(h("p", {"cls": "muted", "text": "Nothing matches."}))
        self._list.replaceChildren(*items)
        self._shown = shown

    def _on_key(self, event: Any) -> None:
        if event.key == "Enter" and self._shown:
            event.preventDefault()
            self._pick(self._shown[0])
        elif event.key == "Escape":
            event.preventDefault()
            self.hide()

    def _pick(self, offer: Offer) -> None:
        callback = self._on_pick
        self.hide()
        if callback is not None:
            callback(offer)
