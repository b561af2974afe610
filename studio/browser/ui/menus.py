"""Drop-down menus (role="menu") opened by a button: mouse, keyboard (arrows, Home/End, Escape), click outside."""

from __future__ import annotations

from typing import Any

from .dom import Listeners, all_of, h

_OPEN: list[Menu] = []  # at most one menu is open at a time


class Menu:
    """A button plus the menu it opens, inside a `.menu-host` (which anchors the menu under the button).

    Items are `role="menuitem"` buttons; `add_item` or `set_items` fills it. The button says whether the
    menu is open (`aria-expanded`), so a test or a screen reader can tell."""

    def __init__(self, trigger: Any, *, testid: str | None = None, label: str = "") -> None:
        self.trigger = trigger
        self._listeners = Listeners()
        self.el = h(
            "div", {"cls": "menu", "role": "menu", "testid": testid, "aria-label": label or None, "hidden": True}
        )
        trigger.setAttribute("aria-haspopup", "menu")
        trigger.setAttribute("aria-expanded", "false")
        self._listeners.on(trigger, "click", lambda e: self.toggle())
        self._listeners.on(trigger, "keydown", self._trigger_key)
        self._listeners.on(self.el, "keydown", self._menu_key)

    @property
    def open(self) -> bool:
        return not self.el.hidden

    def item(self, label: str, action: Any, *, testid: str | None = None, detail: str = "") -> Any:
        """A menu item showing `label` (and a smaller `detail` line); its accessible name is the label."""
        children = [h("strong" if detail else "span", {"text": label})]
        if detail:
            children.append(h("small", {"text": detail, "aria-hidden": "true"}))
        el = h(
            "button",
            {"cls": "menu-item", "type": "button", "role": "menuitem", "testid": testid, "tabindex": "-1"},
            *children,
        )
        if detail:
            el.setAttribute("aria-label", label)
            el.setAttribute("aria-description", detail)

        def chosen(e: Any) -> Any:
            self.close(focus=False)
            return action()  # may be a coroutine: the listener runs it

        self._listeners.on(el, "click", chosen)
        return el

    def add_item(self, label: str, action: Any, **kw: Any) -> Any:
        el = self.item(label, action, **kw)
        self.el.append(el)
        return el

    def toggle(self) -> None:
        if self.open:
            self.close()
        else:
            self.show()

    def show(self, *, focus_first: bool = False) -> None:
        close_all()
        self.el.hidden = False
        self.trigger.setAttribute("aria-expanded", "true")
        _OPEN.append(self)
        if focus_first:
            self._focus(0)

    def close(self, *, focus: bool = False) -> None:
        if self in _OPEN:
            _OPEN.remove(self)
        self.el.hidden = True
        self.trigger.setAttribute("aria-expanded", "false")
        if focus:
            self.trigger.focus()

    def _items(self) -> list[Any]:
        return all_of(self.el, '[role="menuitem"]:not([hidden]):not(:disabled)')

    def _focus(self, index: int) -> None:
        if items := self._items():
            items[index % len(items)].focus()

    def _trigger_key(self, e: Any) -> None:
        if e.key in ("ArrowDown", "ArrowUp"):
            e.preventDefault()
            self.show()
            self._focus(0 if e.key == "ArrowDown" else -1)

    def _menu_key(self, e: Any) -> None:
        items = self._items()
        if not items:
            return
        active = e.target.ownerDocument.activeElement
        index = next((i for i, item in enumerate(items) if item == active), -1)
        if e.key == "ArrowDown":
            self._focus(index + 1)
        elif e.key == "ArrowUp":
            self._focus(index - 1 if index >= 0 else -1)
        elif e.key == "Home":
            self._focus(0)
        elif e.key == "End":
            self._focus(-1)
        elif e.key == "Escape":
            # Handled here so Escape closes the menu only (the Studio's Escape would also deselect).
            e.stopPropagation()
            self.close(focus=True)
        elif e.key == "Tab":
            self.close()
            return
        else:
            return
        e.preventDefault()


def close_all() -> bool:
    """Close every open menu (Escape, a click elsewhere); True if one was open."""
    was_open = bool(_OPEN)
    for menu in list(_OPEN):
        menu.close()
    return was_open


def host(*children: Any, cls: str = "") -> Any:
    """The anchor a menu hangs from: clicks inside it do not count as "outside"."""
    return h("div", {"cls": f"menu-host {cls}".strip()}, *children)
