"""The palette: node types by category with a search box; click adds at the view centre, drag adds at the drop point."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...app.node_search import search
from ...core.catalog import Catalog
from .canvas_input import NODE_MIME
from .dom import Listeners, h
from .node_view import CATEGORY_ICONS

CATEGORY_ORDER = ("Source", "Transform", "Filter", "Compose", "AI", "Output")


class Palette:
    def __init__(self, catalog: Catalog, on_add: Callable[[str], Any]) -> None:
        self._listeners = Listeners()
        self.on_add = on_add
        self.search = h(
            "input",
            {
                "cls": "palette-search",
                "type": "search",
                "placeholder": "Search nodes…",
                "aria-label": "Search nodes",
                "testid": "palette-search",
            },
        )
        self.list = h("div", {"cls": "palette-list"})
        self.el = h(
            "aside",
            {"cls": "palette", "testid": "palette", "aria-label": "Nodes"},
            h("div", {"cls": "panel-title", "text": "Nodes"}),
            self.search,
            self.list,
        )
        self._specs = list(catalog)
        self._items: dict[str, Any] = {}  # node type id -> its button
        self._best: str | None = None  # what Enter adds: the best match of the search
        self._groups: list[tuple[Any, list[Any]]] = []
        categories: dict[str, list] = {}
        for spec in catalog:
            categories.setdefault(spec.category, []).append(spec)
        order = sorted(categories, key=lambda c: (CATEGORY_ORDER.index(c) if c in CATEGORY_ORDER else 99, c))
        for category in order:
            header = h("div", {"cls": "palette-category", "text": category})
            members = []
            self.list.append(header)
            for spec in categories[category]:
                item = h(
                    "button",
                    {
                        "cls": f"palette-item cat-{category.lower()}",
                        "draggable": "true",
                        "testid": f"palette-item-{spec.id}",
                        "data-type": spec.id,
                        "title": spec.help,
                    },
                    h(
                        "span",
                        {"cls": "palette-icon", "aria-hidden": "true", "text": CATEGORY_ICONS.get(category, "•")},
                    ),
                    h("span", {"cls": "palette-name", "text": spec.title}),
                )
                self.list.append(item)
                self._listeners.on(item, "click", lambda e, t=spec.id: self.on_add(t))
                self._listeners.on(item, "dragstart", lambda e, t=spec.id: self._dragstart(e, t))
                self._items[spec.id] = item
                members.append(item)
            self._groups.append((header, members))
        self._listeners.on(self.search, "input", lambda e: self.filter(self.search.value))
        self._listeners.on(self.search, "keydown", self._search_key)

    def filter(self, query: str) -> None:
        found = search(self._specs, query)
        shown = set(found)
        self._best = found[0] if found and query.strip() else None
        for type_id, item in self._items.items():
            item.hidden = type_id not in shown
            item.classList.toggle("best", type_id == self._best)
        for header, members in self._groups:
            header.hidden = all(m.hidden for m in members)

    def _search_key(self, event: Any) -> None:
        if event.key == "Enter":
            if self._best is not None:
                self.on_add(self._best)
        elif event.key == "Escape":
            self.search.value = ""
            self.filter("")

    @staticmethod
    def _dragstart(event: Any, type_id: str) -> None:
        event.dataTransfer.setData(NODE_MIME, type_id)
        event.dataTransfer.setData("text/plain", type_id)
        event.dataTransfer.effectAllowed = "copy"
