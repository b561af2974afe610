"""The toolbar: a declared list of controls in groups; what does not fit moves into a "More ▾" menu.

To add a control (New, Recent, Install, Share…), declare it and add it, e.g. from the Studio:

    studio.toolbar.add(Control("share", "Share", icon="🔗", testid="workflow-share",
                               title="Copy a link to this workflow", action=share, group="files", collapse=3))

`group` places it (GROUPS, left to right); `collapse` > 0 lets it move into "More ▾" when the window is
too narrow (the highest number goes first); `element` puts a ready element (a menu host, an indicator)
in the bar instead of a plain button.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import js  # browser-only

from ...app import events
from ...app.commands import Redo, Rename, Undo
from ...app.messages import DocumentChanged
from .dom import Listeners, h
from .menus import Menu, close_all, host

# Left to right; "spacer" pushes what follows to the right edge.
GROUPS = ("brand", "name", "history", "run", "spacer", "files", "view", "app", "more")


@dataclass
class Control:
    """One toolbar control: its visible label (empty for an icon-only button, which `title` then
    names), test id, handler, group and when it collapses into the More menu."""

    key: str
    label: str = ""
    icon: str | None = None
    title: str = ""
    testid: str | None = None
    action: Callable[[], Any] | None = None
    group: str = "view"
    collapse: int = 0  # 0: always in the bar; n > 0: into "More ▾" at narrow widths, highest n first
    menu_label: str = ""  # its words in the More menu (icon-only controls need some)
    cls: str = "btn"
    element: Any = None  # a ready element instead of a button
    menu_item: Any = None  # its entry in the More menu (set by the toolbar)

    @property
    def words(self) -> str:
        return self.menu_label or self.label or self.title


def button(
    label: str, *, testid: str | None = None, title: str | None = None, cls: str = "btn", icon: str | None = None
) -> Any:
    children = [h("span", {"cls": "btn-icon", "aria-hidden": "true", "text": icon})] if icon else []
    if label:
        children.append(h("span", {"cls": "btn-label", "text": label}))
    return h(
        "button",
        {"cls": cls, "type": "button", "testid": testid, "title": title, "aria-label": title if not label else None},
        *children,
    )


class Toolbar:
    """Buttons only: each calls back into the Studio (`actions[name]()`); state comes back through
    set_busy/set_zoom/refresh."""

    def __init__(self, app: Any, actions: dict[str, Callable[..., Any]]) -> None:
        self.app = app
        self.editor = editor = app.editor
        self.actions = actions
        self._listeners = Listeners()
        on = self._listeners.on
        self.controls: list[Control] = []
        self.groups = {name: h("div", {"cls": f"tool-group group-{name}", "data-group": name}) for name in GROUPS}
        self.groups["spacer"] = h("div", {"cls": "spacer"})
        brand = h(
            "div",
            {"cls": "brand"},
            h("span", {"cls": "brand-mark", "aria-hidden": "true", "text": "✦"}),
            h("h1", {"text": "Pyxis Studio"}),
        )
        self.groups["brand"] = brand
        self.el = h(
            "header",
            {"cls": "toolbar", "role": "toolbar", "aria-label": "Studio"},
            *[self.groups[name] for name in GROUPS],
        )

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
        on(self.name, "change", lambda e: self.app.send(Rename(str(self.name.value))))
        on(self.name, "keydown", lambda e: self.name.blur() if e.key in ("Enter", "Escape") else None)
        self.add(Control("name", "Workflow name", group="name", element=self.name))

        self.undo, self.redo = (
            self.add(
                Control(
                    key,
                    icon=icon,
                    title=title,
                    testid=key,
                    action=lambda c=command: app.send(c),
                    group="history",
                    cls="icon-btn",
                )
            )  # fmt: skip
            for key, icon, title, command in (("undo", "↶", "Undo", Undo()), ("redo", "↷", "Redo", Redo()))
        )

        self.run = self.add(
            Control(
                "run",
                "Run",
                icon="▶",
                title="Run the graph (Ctrl/Cmd+Enter)",
                testid="run",
                action=lambda: self.actions["run"](),
                group="run",
                cls="btn primary run-btn",
            )
        )
        self.cancel = self.add(
            Control(
                "cancel", "Cancel", icon="■", title="Stop the run", testid="cancel", action=lambda: actions["cancel"]()
            ),
            group="run",
        )
        # How many Gemini calls a Run press makes ("· 3 Gemini calls"), written from PlanChanged.
        self.run_calls = h("span", {"cls": "run-calls", "testid": "run-calls", "hidden": True})
        self.run.append(self.run_calls)
        self.cancel.disabled = True
        self.autorun = h("input", {"type": "checkbox", "testid": "autorun", "checked": True})
        on(self.autorun, "change", lambda e: self.actions["autorun"](bool(self.autorun.checked)))
        autorun = h(
            "label",
            {"cls": "toggle", "title": "Run automatically after each change"},
            self.autorun,
            h("span", {"text": "Auto-run"}),
        )
        self.add(Control("autorun", "Auto-run", group="run", element=autorun))
        # Shown over the canvas (the shell places it), written here.
        self.status = h("span", {"cls": "run-status", "testid": "run-status", "aria-live": "polite"})

        self.examples = button("Examples", testid="examples", title="Open an example workflow", icon="✧")
        self.examples_menu = Menu(self.examples, testid="examples-menu", label="Examples")
        self.add(Control("examples", "Examples", group="files", element=host(self.examples, self.examples_menu.el)))

        self.open_input = h(
            "input",
            {
                "type": "file",
                # Workflows, FloImg pipelines/templates, and PNGs that carry a workflow.
                "accept": ".json,application/json,.yaml,.yml,.png,image/png",
                "cls": "file-input",
                "id": "workflow-open",
                "testid": "workflow-open",
                "tabindex": "-1",
                "aria-hidden": "true",  # the visible "Open" label is the control
            },
        )
        on(self.open_input, "change", self._opened)
        # A <label> for the hidden file input: the browser opens its file chooser from a real click.
        open_label = h(
            "label",
            {
                "cls": "btn",
                "for": "workflow-open",
                "role": "button",
                "tabindex": "0",
                "title": "Open a workflow file (or drop it on the canvas)",
            },
            h("span", {"cls": "btn-icon", "aria-hidden": "true", "text": "⤒"}),
            h("span", {"cls": "btn-label", "text": "Open"}),
        )
        on(open_label, "keydown", lambda e: self.open_input.click() if e.key in ("Enter", " ") else None)
        self.add(Control("open", "Open", group="files", element=open_label))
        self.el.append(self.open_input)  # hidden; anywhere in the page would do

        self.save = button("Save", testid="workflow-save", title="Download the workflow (pictures included)", icon="⤓")
        on(self.save, "click", lambda e: self.actions["save"](True))
        self.save_more = button(
            "", cls="icon-btn caret", title="More ways to save", icon="▾", testid="workflow-save-menu"
        )
        self.save_menu = Menu(self.save_more, testid="workflow-save-options", label="Save")
        self.save_menu.add_item(
            "Save self-contained (pictures inside)", lambda: self.actions["save"](True), testid="workflow-save-full"
        )
        self.save_menu.add_item(
            "Save graph only (no pictures)", lambda: self.actions["save"](False), testid="workflow-save-graph"
        )
        self.add(
            Control(
                "save", "Save", group="files", element=host(self.save, self.save_more, self.save_menu.el, cls="split")
            )
        )
        self.add(
            Control(
                "share", "Share", icon="⇪", testid="workflow-share", group="files", collapse=4,
                title="Copy a link with this workflow (graph only: no key, no pictures)",
                action=lambda: self.actions["share"](),
            )
        )  # fmt: skip

        zoom = self.actions["zoom"]
        view = [
            Control("zoom-out", icon="−", title="Zoom out", testid="zoom-out", action=lambda: zoom(1 / 1.2), collapse=6),
            Control("zoom-reset", "100%", title="Reset zoom to 100%", testid="zoom-reset", action=lambda: zoom(None),
                    menu_label="Zoom to 100%", collapse=6, cls="btn zoom-label"),
            Control("zoom-in", icon="+", title="Zoom in", testid="zoom-in", action=lambda: zoom(1.2), collapse=6),
            Control("fit", icon="⤢", title="Frame all nodes (F)", testid="zoom-fit", action=lambda: self.actions["frame"](),
                    menu_label="Frame all nodes", collapse=5),
            Control("tidy", icon="☷", title="Tidy up: lay the nodes out in columns", testid="tidy",
                    action=lambda: self.actions["tidy"](), menu_label="Tidy up", collapse=7),
            Control("minimap", icon="▣", title="Minimap (M)", testid="minimap-toggle",
                    action=lambda: self.actions["minimap"](), menu_label="Minimap", collapse=7),
        ]  # fmt: skip
        for control in view:
            if control.cls == "btn":
                control.cls = "icon-btn"
            self.add(control)
        self.zoom_label = view[1].element

        self.theme = self.add(
            Control("theme", icon="◐", title="Switch to light theme", testid="theme-toggle",
                    action=lambda: self.actions["theme"](), group="app", collapse=8, cls="icon-btn")
        )  # fmt: skip
        self.add(
            Control("shortcuts", icon="?", title="Keyboard shortcuts (?)", testid="shortcuts-open",
                    action=lambda: self.actions["shortcuts"](), group="app", collapse=4, menu_label="Keyboard shortcuts",
                    cls="icon-btn")
        )  # fmt: skip
        self.settings = self.add(
            Control("settings", icon="⚙", title="Settings", testid="settings-open",
                    action=lambda: self.actions["settings"](), group="app", collapse=2, cls="icon-btn")
        )  # fmt: skip

        # What does not fit: a "More ▾" menu holding a twin of each collapsed control.
        self.more_button = button("More", testid="toolbar-more", title="More controls", icon="⋯")
        self.more_button.querySelector(".btn-label").after(
            h("span", {"cls": "btn-icon", "aria-hidden": "true", "text": "▾"})
        )
        self.more_menu = Menu(self.more_button, testid="toolbar-more-menu", label="More controls")
        for control in self.controls:
            self._add_menu_twin(control)
        self.groups["more"].append(host(self.more_button, self.more_menu.el))
        self.groups["more"].hidden = True

        on(js.window, "resize", lambda e: self.fit())
        app.subscribe(DocumentChanged, self._on_change)
        self.refresh()

    # --- declaring controls ---

    def add(self, control: Control, *, group: str | None = None) -> Any:
        """Put a control in its group (and, if it may collapse, in the More menu); returns its element."""
        if group is not None:
            control.group = group
        if control.element is None:
            control.element = button(
                control.label, testid=control.testid, title=control.title, cls=control.cls, icon=control.icon
            )
            if control.action is not None:
                action = control.action
                self._listeners.on(control.element, "click", lambda e: action())
        control.element.dataset.control = control.key
        self.groups[control.group].append(control.element)
        self.controls.append(control)
        if hasattr(self, "more_menu"):  # declared after the toolbar was built
            self._add_menu_twin(control)
            self.fit()
        return control.element

    def _add_menu_twin(self, control: Control) -> None:
        if control.collapse <= 0 or control.action is None:
            return
        testid = f"more-{control.testid or control.key}"
        control.menu_item = self.more_menu.add_item(control.words, control.action, testid=testid)
        control.menu_item.hidden = True

    def fit(self) -> None:
        """Show every control; while the bar overflows, move the next collapsible one into More ▾."""
        bar = self.el
        for control in self.controls:
            control.element.classList.remove("collapsed")
            if control.menu_item is not None:
                control.menu_item.hidden = True
        for group in self.groups.values():
            group.classList.remove("collapsed")
        self.groups["more"].hidden = True
        collapsed = 0
        if bar.scrollWidth > bar.clientWidth:
            self.groups["more"].hidden = False
            for control in sorted((c for c in self.controls if c.menu_item is not None), key=lambda c: -c.collapse):
                if bar.scrollWidth <= bar.clientWidth:
                    break
                control.element.classList.add("collapsed")
                control.menu_item.hidden = False
                collapsed += 1
        for name, group in self.groups.items():
            members = [c for c in self.controls if c.group == name]
            if members and all(c.element.classList.contains("collapsed") for c in members):
                group.classList.add("collapsed")
        bar.dataset.collapsed = str(collapsed)

    # --- state from the Studio ---

    def set_examples(self, examples: list[dict[str, str]]) -> None:
        menu = self.examples_menu
        items = [
            menu.item(
                example.get("name", example["file"]),
                lambda f=example["file"]: self.actions["example"](f),
                testid=f"example-{example['file'].removesuffix('.json')}",
                detail=example.get("description", ""),
            )
            for example in examples
        ]
        menu.el.replaceChildren(*items)

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
        self.fit()  # the longer Run button may push the last controls out of the bar: into More ▾ with them

    def set_status(self, text: str) -> None:
        self.status.textContent = text

    def set_zoom(self, zoom: float) -> None:
        self.zoom_label.querySelector(".btn-label").textContent = f"{round(zoom * 100)}%"

    def set_minimap(self, on: bool) -> None:
        button = next(c.element for c in self.controls if c.key == "minimap")
        button.setAttribute("aria-pressed", "true" if on else "false")
        twin = next(c.menu_item for c in self.controls if c.key == "minimap")
        if twin is not None:
            twin.querySelector("span").textContent = "Hide the minimap" if on else "Minimap"

    def set_theme(self, current: str) -> None:
        other = "dark" if current == "light" else "light"
        words = f"Switch to {other} theme"
        self.theme.title = words
        self.theme.setAttribute("aria-label", words)
        self.theme.querySelector(".btn-icon").textContent = "☀" if other == "light" else "☾"
        twin = next(c.menu_item for c in self.controls if c.key == "theme")
        if twin is not None:
            twin.querySelector("span").textContent = words

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
        return close_all()

    def _on_change(self, event: DocumentChanged) -> None:
        if event.change.kind != events.SELECTION:
            self.refresh()

    def _opened(self, event: Any) -> Any:
        files = self.open_input.files
        if files is None or not files.length:
            return None
        file = files.item(0)
        self.open_input.value = ""  # the same file can be opened again
        return self.actions["open"](file)
