"""The toolbar's New button and Recent menu (open, rename, delete a workflow of the library).

It adds itself to the toolbar's file group (toolbar.py stays as it is) and opens its menu as a
fixed layer on the page, so no toolbar clipping can hide it.
"""

from __future__ import annotations

import time
from typing import Any

import js  # browser-only

from .dom import Listeners, closest, h, missing, spawn
from .toolbar import Control, button


def ago(updated_ms: float) -> str:
    minutes = max(0, int((time.time() * 1000 - updated_ms) / 60000))
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    hours = minutes // 60
    return f"{hours} h ago" if hours < 48 else f"{hours // 24} days ago"


class LibraryMenu:
    def __init__(self, docs: Any, toolbar: Any) -> None:
        self.docs = docs
        self._listeners = Listeners()
        self._items = Listeners()
        on = self._listeners.on
        self.new = button(
            "New", testid="workflow-new", title="Start an empty workflow (this one stays in Recent)", icon="＋"
        )
        self.recent = button("Recent", testid="workflow-recent", title="Workflows kept in this browser", icon="☰")
        self.recent.setAttribute("aria-haspopup", "menu")
        self.menu = h("div", {"cls": "menu library-menu", "role": "menu", "testid": "recent-menu", "hidden": True})
        on(self.recent, "click", lambda e: spawn(self.toggle(), "recent menu"))
        on(js.document, "pointerdown", self._outside, capture=True)
        on(js.document, "keydown", lambda e: self.close() if e.key == "Escape" else None)
        # New is a declared control, so it folds into More ▾ on a narrow window like the others.
        toolbar.add(
            Control("new", "New", testid="workflow-new", group="files", element=self.new, collapse=3,
                    action=lambda: self._then_close(self.docs.new_document()))
        )  # fmt: skip
        on(self.new, "click", lambda e: self._then_close(self.docs.new_document()))
        host = closest(toolbar.examples, ".tool-group")
        anchor = closest(toolbar.examples, ".menu-host")
        if host is not None and anchor is not None:
            host.insertBefore(self.new, anchor)
            host.insertBefore(self.recent, anchor)
        else:  # a toolbar of another shape: still reachable
            toolbar.el.append(self.new, self.recent)
        js.document.body.append(self.menu)

    def _then_close(self, action: Any) -> None:
        self.close()
        spawn(action, "library")

    @property
    def open(self) -> bool:
        return not self.menu.hidden

    def close(self) -> None:
        self.menu.hidden = True
        self.recent.setAttribute("aria-expanded", "false")

    async def toggle(self) -> None:
        if self.open:
            self.close()
            return
        await self.docs.refresh()
        self.render()
        box = self.recent.getBoundingClientRect()
        width = min(340, js.window.innerWidth - 16)
        self.menu.style.position = "fixed"
        self.menu.style.top = f"{box.bottom + 6}px"
        self.menu.style.left = f"{max(8, min(box.left, js.window.innerWidth - width - 8))}px"
        self.menu.style.right = "auto"
        self.menu.style.width = f"{width}px"
        self.menu.style.zIndex = "60"
        self.menu.hidden = False
        self.recent.setAttribute("aria-expanded", "true")

    def render(self) -> None:
        self._items.clear()
        on = self._items.on
        current = self.docs.autosave.doc
        rows = []
        for doc in self.docs.lib.recent(exclude=current.id if current else None):
            elsewhere = self.docs.tabs.open_elsewhere(doc.id)
            note = ago(doc.updated) + (" · open in another tab" if elsewhere else "")
            item = h(
                "button",
                {"cls": "menu-item", "role": "menuitem", "testid": f"recent-{doc.id}"},
                h("strong", {"text": doc.name}),
                h("small", {"text": note}),
            )
            rename = h(
                "button",
                {
                    "cls": "icon-btn",
                    "type": "button",
                    "text": "✎",
                    "title": "Rename",
                    "aria-label": f"Rename {doc.name}",
                },
            )
            delete = h(
                "button",
                {
                    "cls": "icon-btn",
                    "type": "button",
                    "text": "✕",
                    "title": "Delete",
                    "aria-label": f"Delete {doc.name}",
                },
            )
            on(item, "click", lambda e, d=doc.id: self._then_close(self.docs.open_document(d)))
            on(rename, "click", lambda e, d=doc: self._rename(d))
            on(delete, "click", lambda e, d=doc: self._delete(d))
            rows.append(h("div", {"cls": "library-row"}, item, rename, delete))
        if not rows:
            rows.append(h("p", {"cls": "library-empty", "text": "No other workflows in this browser yet."}))
        self.menu.replaceChildren(*rows)

    async def _rename(self, doc: Any) -> None:
        name = js.window.prompt("Rename the workflow", doc.name)
        if missing(name) or not str(name).strip():
            return
        await self.docs.rename(doc.id, str(name))
        self.render()

    async def _delete(self, doc: Any) -> None:
        if not js.window.confirm(f"Delete “{doc.name}” from this browser? This cannot be undone."):
            return
        await self.docs.delete(doc.id)
        self.render()

    def _outside(self, e: Any) -> None:
        if (
            self.open
            and closest(e.target, ".library-menu") is None
            and closest(e.target, '[data-testid="workflow-recent"]') is None
        ):
            self.close()
