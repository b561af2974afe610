"""Keyboard shortcuts (ignored while typing in a field) and the sheet that lists them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import js  # browser-only

from .dom import Listeners, closest, h, is_typing

SHEET = (
    ("Run the graph", "Ctrl/Cmd + Enter"),
    ("Run only what the selected node needs", "Shift + Enter"),
    ("Bypass the selected nodes (or turn it off)", "Ctrl/Cmd + B"),
    ("Frame the selected nodes", "Ctrl/Cmd + G"),
    ("Rename the selected node", "F2"),
    ("Undo / redo", "Ctrl/Cmd + Z  ·  Shift + Ctrl/Cmd + Z  ·  Ctrl + Y"),
    ("Copy / paste / duplicate", "Ctrl/Cmd + C  ·  V  ·  D"),
    ("Delete the selection or a clicked wire", "Delete  ·  Backspace"),
    ("Delete, keeping the chain connected", "Ctrl/Cmd + Delete  ·  Ctrl/Cmd + Backspace"),
    ("Select all", "Ctrl/Cmd + A"),
    ("Frame all nodes", "F"),
    ("Show or hide the minimap", "M"),
    ("Pan", "drag the background  ·  Space + drag  ·  middle button"),
    ("Zoom", "mouse wheel  ·  + / −"),
    ("Box select", "Shift or Ctrl/Cmd + drag the background"),
    ("Add to the selection", "Shift + click"),
    ("Disconnect", "drag a wire off its input"),
    ("Quick add", "double-click the background"),
    ("The menu of a node or of the canvas", "right-click  ·  Menu key  ·  Shift + F10"),
    ("Paste a picture", "Ctrl/Cmd + V with an image copied"),
    ("Close menus and dialogs", "Escape"),
    ("This sheet", "?"),
)


# Ctrl/Cmd + a letter whose browser meaning (save the page, bookmark, …) is not wanted: the action.
MOD_LETTERS = {"y": "redo", "d": "duplicate", "a": "select_all", "s": "save", "g": "group", "b": "bypass"}


class ShortcutSheet:
    def __init__(self) -> None:
        self._listeners = Listeners()
        rows = [h("tr", {}, h("td", {"text": what}), h("td", {}, *self._keys(keys))) for what, keys in SHEET]
        close = h(
            "button",
            {"cls": "icon-btn", "type": "button", "text": "✕", "aria-label": "Close", "testid": "shortcuts-close"},
        )
        self.el = h(
            "dialog",
            {"cls": "dialog shortcuts", "testid": "shortcuts", "aria-label": "Keyboard shortcuts"},
            h("div", {"cls": "dialog-head"}, h("h2", {"text": "Keyboard shortcuts"}), close),
            h("table", {}, h("tbody", {}, *rows)),
        )
        self._listeners.on(close, "click", lambda e: self.el.close())

    @staticmethod
    def _keys(text: str) -> list[Any]:
        """ "A  ·  B" as two key chips with "or" between them."""
        parts: list[Any] = []
        for i, keys in enumerate(text.split("  ·  ")):
            if i:
                parts.append(h("span", {"cls": "muted", "text": " or "}))
            parts.append(h("kbd", {"text": keys}))
        return parts

    def toggle(self) -> None:
        if self.el.open:
            self.el.close()
        else:
            self.el.showModal()


class Keyboard:
    """`actions` maps names ("run", "undo", …) to callables; the Studio provides them."""

    def __init__(self, document: Any, actions: dict[str, Callable[[], Any]], input_: Any) -> None:
        self.actions = actions
        self.input = input_  # CanvasInput: space-to-pan
        self._listeners = Listeners()
        self._listeners.on(document, "keydown", self._down)
        self._listeners.on(document, "keyup", self._up)

    def _down(self, e: Any) -> None:
        key = e.key
        mod = e.ctrlKey or e.metaKey
        if mod and key == "Enter":  # works from inside fields too: run what you just typed
            e.preventDefault()
            self.actions["run"]()
            return
        if key == "Escape":
            self.actions["escape"]()
            return
        if is_typing(e.target) or e.defaultPrevented or self._dialog_open():
            return
        lower = key.lower() if isinstance(key, str) else ""
        if mod and lower == "z":
            e.preventDefault()
            self.actions["redo" if e.shiftKey else "undo"]()
        elif mod and lower in MOD_LETTERS:
            e.preventDefault()
            self.actions[MOD_LETTERS[lower]]()
        elif mod and lower == "c":
            # No preventDefault: the browser's copy event then puts the nodes on the system clipboard too.
            self.actions["copy"]()
        elif mod and lower == "x":
            self.actions["cut"]()
        elif mod and lower == "v":
            # The paste event brings the system clipboard (pictures, text from elsewhere).
            self.actions["paste_key"]()
        elif mod and key in ("Delete", "Backspace"):
            e.preventDefault()
            self.actions["delete_keep_chain"]()
        elif mod:
            return
        elif key == "ContextMenu" or (e.shiftKey and key == "F10"):
            e.preventDefault()
            self.actions["context_menu"]()
        elif e.shiftKey and key == "Enter":
            e.preventDefault()
            self.actions["run_to_here"]()
        elif key in ("Delete", "Backspace"):
            e.preventDefault()
            self.actions["delete"]()
        elif key == "F2":
            e.preventDefault()
            self.actions["rename"]()
        elif lower == "f":
            self.actions["frame"]()
        elif lower == "m":
            self.actions["minimap"]()
        elif key == "?":
            self.actions["shortcuts"]()
        elif key in ("+", "="):
            self.actions["zoom_in"]()
        elif key in ("-", "_"):
            self.actions["zoom_out"]()
        elif key == " " and not closest(e.target, "button, a, label, summary"):
            e.preventDefault()
            self.input.space_held = True
            self.input.canvas.el.classList.add("space-pan")

    @staticmethod
    def _dialog_open() -> bool:
        # While a dialog (shortcuts, settings) is open, keys belong to it, not to the graph.
        return closest(js.document.querySelector("dialog[open]"), "dialog") is not None

    def _up(self, e: Any) -> None:
        if e.key == " ":
            self.input.space_held = False
            self.input.canvas.el.classList.remove("space-pan")
