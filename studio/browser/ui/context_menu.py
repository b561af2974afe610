"""The right-click menu of the canvas: on a node, what can be done to it (run to here, bypass,
frame, duplicate, delete, delete keeping the chain); on the background, add a node, paste, frame all.
Opened by the mouse (contextmenu) or the keyboard (the menu key or Shift+F10) on the selection."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import js  # browser-only

from ...app.commands import Select
from ...app.looks import COLORS
from .dom import Listeners, all_of, closest, h

COLOR_ROW = "colors"  # the row of colour swatches (action "color", called with #rrggbb or None)
# (label, the shortcut shown beside it, action name); None is a separator
NODE_ITEMS: tuple[tuple[str, str, str] | None, ...] = (
    ("Run to here", "Shift+Enter", "run_to_here"),
    ("Bypass", "Ctrl+B", "bypass"),
    ("Frame the selection", "Ctrl+G", "group"),
    None,
    ("Rename…", "F2", "rename"),
    ("Colour", "", COLOR_ROW),
    None,
    ("Duplicate", "Ctrl+D", "duplicate"),
    ("Delete", "Delete", "delete"),
    ("Delete, keep the chain", "Ctrl+Delete", "delete_keep_chain"),
)
CANVAS_ITEMS: tuple[tuple[str, str, str] | None, ...] = (
    ("Add a node…", "double-click", "add_node"),
    ("Paste", "Ctrl+V", "paste"),
    ("Frame all", "F", "frame"),
)


class ContextMenu:
    """`actions` maps the names above to callables; "add_node" gets the (x, y) the menu opened at
    in the canvas element's pixels, "bypass" is relabelled "Turn bypass off" when `bypassed()`."""

    def __init__(self, canvas: Any, app: Any, actions: dict[str, Callable[..., Any]]) -> None:
        self.canvas, self.app, self.editor, self.actions = canvas, app, app.editor, actions
        self._listeners = Listeners()
        self._items = Listeners()
        self.el = h("div", {"cls": "context-menu", "role": "menu", "testid": "context-menu", "hidden": True})
        self._at = (0.0, 0.0)
        self._listeners.on(canvas.el, "contextmenu", self._from_mouse)
        self._listeners.on(self.el, "keydown", self._key)
        self._listeners.on(js.document, "pointerdown", self._outside)

    @property
    def open(self) -> bool:
        return not self.el.hidden

    def _from_mouse(self, e: Any) -> None:
        e.preventDefault()  # ours, not the browser's
        rect = self.canvas.el.getBoundingClientRect()
        on_node = closest(e.target, ".node")
        if on_node is not None:
            node_id = str(on_node.dataset.node)
            if node_id not in self.editor.selection.nodes:
                self.app.send(Select((node_id,)))
        self.show(e.clientX - rect.left, e.clientY - rect.top, on_node=on_node is not None)

    def from_keyboard(self) -> None:
        """The menu key: for the selected nodes beside the first of them, else at the canvas centre."""
        rect = self.canvas.el.getBoundingClientRect()
        selected = [n for n in self.editor.selection.nodes if n in self.canvas.views]
        if selected:
            box = self.canvas.views[selected[0]].el.getBoundingClientRect()
            self.show(box.right - rect.left + 4, box.top - rect.top, on_node=True)
        else:
            self.show(rect.width / 2, rect.height / 2, on_node=False)

    def show(self, x: float, y: float, *, on_node: bool) -> None:
        self._items.clear()
        self._at = (x, y)
        children = []
        for entry in NODE_ITEMS if on_node else CANVAS_ITEMS:
            if entry is None:
                children.append(h("div", {"cls": "context-sep", "role": "separator"}))
                continue
            label, keys, name = entry
            if name == COLOR_ROW:
                children.append(self._colors(label))
                continue
            if name == "bypass" and self._all_bypassed():
                label = "Turn bypass off"
            item = h(
                "button",
                {
                    "cls": "context-item",
                    "type": "button",
                    "role": "menuitem",
                    "testid": f"context-{name}",
                    "tabindex": "-1",
                },
                h("span", {"text": label}),
                h("kbd", {"text": keys, "aria-hidden": "true"}),
            )
            self._items.on(item, "click", lambda e, name=name: self._choose(name))
            children.append(item)
        self.el.replaceChildren(*children)
        self.el.hidden = False
        # Inside the canvas whatever corner was clicked.
        width, height = self.el.offsetWidth, self.el.offsetHeight
        host_w, host_h = self.canvas.el.clientWidth, self.canvas.el.clientHeight
        self.el.style.left = f"{max(4, min(x, host_w - width - 4))}px"
        self.el.style.top = f"{max(4, min(y, host_h - height - 4))}px"
        self._focus(0)

    def _colors(self, label: str) -> Any:
        """A row of swatches, each a menu item of its own (the arrows reach them too)."""
        swatches = []
        for name, value in (*COLORS, ("No colour", None)):
            swatch = h(
                "button",
                {"cls": "context-swatch" + ("" if value else " none"), "type": "button", "role": "menuitem",
                 "tabindex": "-1", "aria-label": f"Colour: {name}", "title": name,
                 "testid": f"context-color-{name.lower().replace(' ', '-')}"},
            )  # fmt: skip
            if value:
                swatch.style.backgroundColor = value
            self._items.on(swatch, "click", lambda e, value=value: self._pick_color(value))
            swatches.append(swatch)
        return h("div", {"cls": "context-colors"}, h("span", {"text": label}), *swatches)

    def _pick_color(self, value: str | None) -> None:
        self.hide()
        self.actions["color"](value)

    def hide(self) -> None:
        self.el.hidden = True
        self._items.clear()

    def _choose(self, name: str) -> None:
        self.hide()
        action = self.actions[name]
        if name == "add_node":
            action(*self._at)
        else:
            action()

    def _all_bypassed(self) -> bool:
        nodes = [self.editor.graph.nodes.get(n) for n in self.editor.selection.nodes]
        return bool(nodes) and all(node is not None and node.bypass for node in nodes)

    def _focus(self, index: int) -> None:
        if buttons := all_of(self.el, '[role="menuitem"]'):
            options = js.Object.new()
            options.preventScroll = True  # the canvas under it stays where it is
            buttons[index % len(buttons)].focus(options)

    def _key(self, e: Any) -> None:
        buttons = all_of(self.el, '[role="menuitem"]')
        active = js.document.activeElement
        index = next((i for i, b in enumerate(buttons) if b == active), -1)
        if e.key in ("ArrowDown", "ArrowUp"):
            self._focus(index + (1 if e.key == "ArrowDown" else -1))
        elif e.key == "Escape":
            self.hide()
            self.canvas.el.focus()
        elif e.key == "Tab":
            self.hide()
            return
        else:
            return
        e.preventDefault()
        e.stopPropagation()  # the Studio's own Escape would deselect; arrows would pan

    def _outside(self, e: Any) -> None:
        if self.open and closest(e.target, ".context-menu") is None:
            self.hide()
