"""The toolbar: workflow name, undo/redo, run controls, files, examples, zoom and settings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...app import events
from ...app.events import Change
from .dom import Listeners, h


def button(
    label: str, *, testid: str | None = None, title: str | None = None, cls: str = "btn", icon: str | None = None
) -> Any:
    children = [h("span", {"cls": "btn-icon", "aria-hidden": "true", "text": icon})] if icon else []
    if label:
        children.append(h("span", {"text": label}))
    return h(
        "button",
        {"cls": cls, "type": "button", "testid": testid, "title": title, "aria-label": title if not label else None},
        *children,
    )


class Toolbar:
    """Buttons only: each calls back into the Studio (`actions[name]()`); state comes back through
    set_busy/refresh."""

    def __init__(self, editor: Any, actions: dict[str, Callable[..., Any]]) -> None:
        self.editor = editor
        self.actions = actions
        self._listeners = Listeners()
        on = self._listeners.on

        self.name = h(
            "input",
            {
                "cls": "workflow-name",
                "type": "text",
                "aria-label": "Workflow name",
                "testid": "workflow-name",
                "spellcheck": "false",
                "value": editor.graph.name,
            },
        )
        on(self.name, "change", lambda e: self.editor.rename(self.name.value))
        on(self.name, "keydown", lambda e: self.name.blur() if e.key in ("Enter", "Escape") else None)

        self.undo = button("", title="Undo (Ctrl/Cmd+Z)", cls="icon-btn", icon="↶", testid="undo")
        self.redo = button("", title="Redo (Shift+Ctrl/Cmd+Z)", cls="icon-btn", icon="↷", testid="redo")
        on(self.undo, "click", lambda e: self.editor.undo())
        on(self.redo, "click", lambda e: self.editor.redo())

        self.run = button(
            "Run", testid="run", title="Run the graph (Ctrl/Cmd+Enter)", cls="btn primary run-btn", icon="▶"
        )
        # How many Gemini calls a Run press makes ("· 3 Gemini calls"), written by the runner.
        self.run_calls = h("span", {"cls": "run-calls", "testid": "run-calls", "hidden": True})
        self.run.append(self.run_calls)
        self.cancel = button("Cancel", testid="cancel", title="Stop the run", cls="btn", icon="■")
        self.cancel.disabled = True
        on(self.run, "click", lambda e: self.actions["run"]())
        on(self.cancel, "click", lambda e: self.actions["cancel"]())
        self.autorun = h("input", {"type": "checkbox", "testid": "autorun", "checked": True})
        on(self.autorun, "change", lambda e: self.actions["autorun"](bool(self.autorun.checked)))
        autorun = h(
            "label",
            {"cls": "toggle", "title": "Run automatically after each change"},
            self.autorun,
            h("span", {"text": "Auto-run"}),
        )
        # Shown over the canvas (the shell places it), written here.
        self.status = h("span", {"cls": "run-status", "testid": "run-status", "aria-live": "polite"})

        self.open_input = h(
            "input",
            {
                "type": "file",
                "accept": ".json,application/json",
                "cls": "file-input",
                "id": "workflow-open",
                "testid": "workflow-open",
            },
        )
        on(self.open_input, "change", self._opened)
        open_label = h(
            "label",
            {"cls": "btn", "for": "workflow-open", "title": "Open a workflow file (or drop it on the canvas)"},
            h("span", {"cls": "btn-icon", "aria-hidden": "true", "text": "⤒"}),
            h("span", {"text": "Open"}),
        )
        self.save = button("Save", testid="workflow-save", title="Download the workflow (pictures included)", icon="⤓")
        on(self.save, "click", lambda e: self.actions["save"](True))
        self.save_more = button(
            "", cls="icon-btn caret", title="More ways to save", icon="▾", testid="workflow-save-menu"
        )
        self.save_menu = h("div", {"cls": "menu", "role": "menu", "hidden": True})
        for label, embed, testid in (
            ("Save self-contained (pictures inside)", True, "workflow-save-full"),
            ("Save graph only (no pictures)", False, "workflow-save-graph"),
        ):
            item = h("button", {"cls": "menu-item", "role": "menuitem", "text": label, "testid": testid})
            on(item, "click", lambda e, embed=embed: (self._close_menus(), self.actions["save"](embed)))
            self.save_menu.append(item)
        on(self.save_more, "click", lambda e: self._toggle(self.save_menu))

        self.examples = button("Examples", testid="examples", title="Open an example workflow", icon="✧")
        self.examples_menu = h("div", {"cls": "menu", "role": "menu", "testid": "examples-menu", "hidden": True})
        on(self.examples, "click", lambda e: self._toggle(self.examples_menu))

        zoom_out = button("", cls="icon-btn", title="Zoom out", icon="−", testid="zoom-out")
        zoom_in = button("", cls="icon-btn", title="Zoom in", icon="+", testid="zoom-in")
        self.zoom_label = button("100%", cls="btn zoom-label", title="Reset zoom to 100%", testid="zoom-reset")
        fit = button("", cls="icon-btn", title="Frame all nodes (F)", icon="⤢", testid="zoom-fit")
        tidy = button("", cls="icon-btn", title="Tidy up: lay the nodes out in columns", icon="☷", testid="tidy")
        on(zoom_out, "click", lambda e: self.actions["zoom"](1 / 1.2))
        on(zoom_in, "click", lambda e: self.actions["zoom"](1.2))
        on(self.zoom_label, "click", lambda e: self.actions["zoom"](None))
        on(fit, "click", lambda e: self.actions["frame"]())
        on(tidy, "click", lambda e: self.actions["tidy"]())
        help_button = button("", cls="icon-btn", title="Keyboard shortcuts (?)", icon="?", testid="shortcuts-open")
        on(help_button, "click", lambda e: self.actions["shortcuts"]())
        self.settings = button("", cls="icon-btn", title="Settings", icon="⚙", testid="settings-open")
        on(self.settings, "click", lambda e: self.actions["settings"]())

        brand = h(
            "div",
            {"cls": "brand"},
            h("span", {"cls": "brand-mark", "aria-hidden": "true", "text": "✦"}),
            h("h1", {"text": "Pyxis Studio"}),
        )
        group = lambda *items, cls="": h("div", {"cls": f"tool-group {cls}".strip()}, *items)  # noqa: E731
        self.el = h(
            "header",
            {"cls": "toolbar", "role": "toolbar", "aria-label": "Studio"},
            brand,
            group(self.name),
            group(self.undo, self.redo),
            group(self.run, self.cancel, autorun, cls="run-group"),
            h("div", {"cls": "spacer"}),
            group(
                h("div", {"cls": "menu-host"}, self.examples, self.examples_menu),
                open_label,
                self.open_input,
                h("div", {"cls": "menu-host split"}, self.save, self.save_more, self.save_menu),
            ),
            group(zoom_out, self.zoom_label, zoom_in, fit, tidy),
            group(help_button, self.settings),
        )
        editor.subscribe(self._on_change)
        self.refresh()

    def set_examples(self, examples: list[dict[str, str]]) -> None:
        items = []
        for example in examples:
            item = h(
                "button",
                {"cls": "menu-item", "role": "menuitem", "testid": f"example-{example['file'].removesuffix('.json')}"},
                h("strong", {"text": example.get("name", example["file"])}),
                h("small", {"text": example.get("description", "")}),
            )
            self._listeners.on(item, "click", lambda e, f=example["file"]: self._pick_example(f))
            items.append(item)
        self.examples_menu.replaceChildren(*items)

    def set_busy(self, busy: bool) -> None:
        self.run.disabled = busy
        self.cancel.disabled = not busy
        self.run.classList.toggle("busy", busy)
        self.el.ownerDocument.documentElement.dataset.running = "true" if busy else "false"

    def set_calls(self, text: str) -> None:
        """The Gemini calls of the next Run ("3 Gemini calls"; "" for none)."""
        self.run_calls.textContent = f"· {text}" if text else ""
        self.run_calls.hidden = not text
        self.run.title = f"Run the graph: {text} (Ctrl/Cmd+Enter)" if text else "Run the graph (Ctrl/Cmd+Enter)"

    def set_status(self, text: str) -> None:
        self.status.textContent = text

    def set_zoom(self, zoom: float) -> None:
        self.zoom_label.querySelector("span").textContent = f"{round(zoom * 100)}%"

    def refresh(self) -> None:
        # JS objects compare with == (two proxies of one element are not `is`-identical).
        if self.el.ownerDocument.activeElement != self.name:
            self.name.value = self.editor.graph.name
        history = self.editor.history
        self.undo.disabled = not history.can_undo
        self.redo.disabled = not history.can_redo
        self.undo.title = f"Undo {history.undo_label} (Ctrl/Cmd+Z)" if history.can_undo else "Nothing to undo"
        self.redo.title = f"Redo {history.redo_label} (Shift+Ctrl/Cmd+Z)" if history.can_redo else "Nothing to redo"

    def close_menus(self) -> bool:
        """Close open menus (Escape, a click elsewhere); True if one was open."""
        was_open = not self.save_menu.hidden or not self.examples_menu.hidden
        self._close_menus()
        return was_open

    def _on_change(self, change: Change) -> None:
        if change.kind != events.SELECTION:
            self.refresh()

    def _pick_example(self, file: str) -> Any:
        self._close_menus()
        return self.actions["example"](file)  # a coroutine: the listener runs it

    def _toggle(self, menu: Any) -> None:
        opening = menu.hidden
        self._close_menus()
        menu.hidden = not opening

    def _close_menus(self) -> None:
        self.save_menu.hidden = True
        self.examples_menu.hidden = True

    def _opened(self, event: Any) -> Any:
        files = self.open_input.files
        if files is None or not files.length:
            return None
        file = files.item(0)
        self.open_input.value = ""  # the same file can be opened again
        return self.actions["open"](file)
