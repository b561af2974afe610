"""The Studio page: builds the panels, lays them out, wires actions between them, and boots."""

from __future__ import annotations

from typing import Any

import js  # browser-only

from ...app.application import Application
from ...app.commands import (
    AddNode,
    AutoLayout,
    Delete,
    DeleteKeepingChain,
    Duplicate,
    ForgetHistory,
    GroupInFrame,
    Redo,
    Select,
    SelectAll,
    ToggleBypass,
    Undo,
)
from ...app.layout import free_spot
from ...app.messages import BusyChanged, Cancel, DocumentOpened, Notice, Run, RunFinished, RunTo, SetAutorun
from ...app.ports import EditError
from ...core.portable import LEFT_OUT_NOTICE
from ...core.run_result import RunResult
from . import ai_wiring, documents, share
from .app_status import AppStatus
from .autosave import Autosave
from .batch_panel import BatchPanel
from .canvas_input import NODE_GRAB, CanvasInput
from .canvas_view import CanvasView
from .compare_view import CompareDialog
from .context_menu import ContextMenu
from .dom import Listeners, closest, h, is_typing, later, missing, report, spawn
from .files import Files
from .frames_view import FramesView
from .inspector import Inspector
from .minimap import Minimap
from .node_looks import NodeLooks
from .node_menu import NodeMenu
from .notices import Notices
from .palette import Palette
from .preview import Preview
from .run_history_keeper import HistoryKeeper
from .run_history_strip import HistoryStrip
from .run_pill import RunPill
from .run_view import RunView
from .settings import SettingsDialog
from .shortcuts import Keyboard, ShortcutSheet
from .theme import Theme
from .toolbar import Toolbar

FIRST_EXAMPLE = "ai-edit.json"  # what a first-time visitor sees, already run


class Studio:
    def __init__(self, session: Any) -> None:
        self.session = session
        # The application layer (pure Python): views send it commands and draw from its events.
        self.app = app = Application(session)
        self.editor = editor = app.editor
        self.board = app.board
        self.runs = app.runs
        self.notices = Notices()
        self.canvas = CanvasView(app)
        self.menu = NodeMenu()
        self.minimap = Minimap(self.canvas, app)
        self.run_view = RunView(app, self.canvas)
        self.canvas.thumbnail_for = self.runs.thumbnails.url
        self.looks = NodeLooks(self.canvas, app, lambda text: self.notices.hint(text))
        app.subscribe(Notice, lambda e: self.notices.hint(e.text, kind=e.kind))
        app.subscribe(DocumentOpened, self._opened)
        self.files = Files(app, self.notices, after_open=self._after_open)
        self.input = CanvasInput(self.canvas, app, self.notices, self.menu, on_files=self.files.add_files)
        self.palette = Palette(session.catalog, on_add=self.add_at_centre)
        self.inspector = Inspector(app, on_picture=self.files.set_picture)
        self.preview = Preview(app, self.notices.hint)
        self.sheet = ShortcutSheet()
        self.settings = SettingsDialog()
        self.autosave = Autosave(app, self.notices)
        # Run history (the last results of each output node) and the dialog that compares two.
        self.history = HistoryKeeper(app, self.autosave)
        self.compare = CompareDialog(lambda: session.backend)
        self.history_strip = HistoryStrip(self.history, self.preview, app, self.compare)
        self.preview.el.insertBefore(self.history_strip.el, self.preview.foot)
        self.theme = Theme()
        self.toolbar = Toolbar(
            app,
            {
                "run": self.run,
                "cancel": lambda: app.send(Cancel()),
                "autorun": self.set_autorun,
                "open": self.files.open_file,
                "save": self.files.save,
                "example": self.files.open_example,
                "zoom": self.zoom,
                "frame": self.canvas.frame,
                "tidy": self.tidy,
                "shortcuts": self.sheet.toggle,
                "settings": self.settings.open,
                "share": lambda: spawn(share.copy_link(editor.graph, self.notices), "share"),
                "theme": self.theme.toggle,
                "minimap": self.minimap.toggle,
            },
        )
        self.minimap.on_toggle.append(self.toolbar.set_minimap)
        self.toolbar.set_minimap(self.minimap.shown)
        self.theme.on_change.append(self.toolbar.set_theme)
        self.toolbar.set_theme(self.theme.current)
        self.keyboard = Keyboard(
            js.document,
            {
                "run": self.run,
                "undo": lambda: app.send(Undo()),
                "redo": lambda: app.send(Redo()),
                "copy": self.files.copy,
                "cut": self.cut,
                "paste_key": self._paste_key,
                "duplicate": lambda: app.send(Duplicate()),
                "select_all": lambda: app.send(SelectAll()),
                "save": lambda: self.files.save(True),
                "delete": lambda: app.send(Delete()),
                "delete_keep_chain": lambda: app.send(DeleteKeepingChain()),
                "bypass": self.bypass,
                "run_to_here": self.run_to_here,
                "context_menu": lambda: self.context.from_keyboard(),
                "minimap": self.minimap.toggle,
                "rename": self.looks.rename_selected,
                "group": self.group,
                "frame": self.canvas.frame,
                "shortcuts": self.sheet.toggle,
                "escape": self.escape,
                "zoom_in": lambda: self.zoom(1.2),
                "zoom_out": lambda: self.zoom(1 / 1.2),
            },
            self.input,
        )
        app.subscribe(BusyChanged, lambda e: self.toolbar.set_busy(e.busy))
        app.subscribe(RunFinished, lambda e: self._finished(e.result))
        self.pill = RunPill(self.toolbar.status, self.canvas, app)  # ux-states
        self.ai = ai_wiring.install(self)  # AI nodes: inspector section, key settings, AI image autosave
        self.batch = BatchPanel(session, self.notices)
        self.inspector.extras.append(self.batch.section)
        self.batch.on_changed = lambda node_id: self.inspector.render()
        self.files.on_batch = self._batch_dropped
        # Offline indicator, Install, "A new version is ready — Reload" (static/pwa.js feeds it).
        self.app_status = AppStatus(self)
        self.toolbar.el.append(self.app_status.el)
        self.library = documents.install(self)  # the workflow library: New, Recent, tabs (ui/documents.py)
        self.canvas.on_viewport.append(lambda v: self.toolbar.set_zoom(v.zoom))
        self._paste_waiting: Any = None
        self._listeners = Listeners()
        doc = js.document
        self._listeners.on(doc, "paste", self._paste_event)
        self._listeners.on(doc, "copy", self._copy_event)
        self._listeners.on(doc, "pointerdown", self._outside_click, capture=True)
        self._listeners.on(
            doc, "visibilitychange", lambda e: self.autosave.flush() if doc.visibilityState == "hidden" else None
        )
        self._listeners.on(js.window, "pagehide", lambda e: self.autosave.flush())
        self._listeners.on(self.canvas.el, "dragleave", lambda e: self.canvas.el.classList.remove("drop-target"))
        self.el = self._layout()

    def _layout(self) -> Any:
        self.canvas.el.append(self.menu.el)
        self.context = ContextMenu(
            self.canvas,
            self.app,
            {
                "run_to_here": self.run_to_here,
                "bypass": self.bypass,
                "group": self.group,
                "duplicate": lambda: self.app.send(Duplicate()),
                "delete": lambda: self.app.send(Delete()),
                "delete_keep_chain": lambda: self.app.send(DeleteKeepingChain()),
                "add_node": self.input.quick_add,
                "paste": self.paste_copied,
                "frame": self.canvas.frame,
                "rename": self.looks.rename_selected,
                "color": self.looks.color,
            },
        )
        self.canvas.el.append(self.context.el)
        self.canvas.el.append(self.minimap.el)
        self.frames_view = FramesView(self.canvas, self.app, self.notices.hint)
        area = h(
            "div",
            {"cls": "canvas-area"},
            self.notices.banner,
            self.canvas.el,
            self.notices.hint_box,
            self.toolbar.status,
            self.batch.el,
        )
        side = h("div", {"cls": "side"}, self.inspector.el, self.preview.el)
        workspace = h("div", {"cls": "workspace"}, self.palette.el, area, side)
        return h(
            "div",
            {"cls": "studio", "testid": "studio"},
            self.toolbar.el,
            workspace,
            self.sheet.el,
            self.settings.el,
            self.compare.el,
        )

    # --- boot ---

    def mount(self, root: Any) -> None:
        root.replaceChildren(self.el)
        self.toolbar.fit()  # now that it has a width: what does not fit goes into More ▾
        self.canvas.render_all()
        self.canvas.apply_viewport()

    async def boot(self) -> None:
        """Restore the autosave, or open the first example; either way show it run."""
        restored = await self.autosave.restore()
        if restored:
            self._after_open()
        else:
            self.autosave.start_fresh()
            await self.files.open_example(FIRST_EXAMPLE)
        self.app.send(ForgetHistory())
        await self._open_share_link()
        self.toolbar.refresh()
        spawn(self._load_examples(), "examples")

    async def _batch_dropped(self, node_id: str, files: Any) -> None:
        count = await self.batch.add_files(node_id, files)
        self.app.send(Select((node_id,)))
        self.inspector.render()
        self.notices.hint(f"{count} pictures on {node_id}: Run batch (in the inspector) runs the graph once per picture",
                          kind="info")  # fmt: skip

    async def _open_share_link(self) -> None:
        """Opened from a share link: its graph (what the link carries) opens as a new document;
        the one that was open stays in Recent."""
        text, problem = share.take_arriving_workflow()
        if problem:
            self.notices.error("Could not open the share link", problem)
        elif text is not None and await self.files.open_text(text, "the share link"):
            self.notices.info("Opened a shared workflow", f"{LEFT_OUT_NOTICE}: add your own and press Run.")

    async def _load_examples(self) -> None:
        try:
            self.toolbar.set_examples(await self.files.examples())
        except Exception as exc:
            report("examples", exc)

    def _opened(self, event: DocumentOpened) -> None:
        if event.scripted:  # window.studio.load: the canvas drew the new graph (REPLACED); fit it
            self.canvas.frame()

    # --- actions ---

    def _after_open(self) -> None:
        self.canvas.render_all()
        self.canvas.frame()
        self.preview.refresh()
        self.app.send(Run(automatic=True))

    def run(self) -> None:
        self.app.send(Run())

    def run_to_here(self) -> None:
        """Shift+Enter: run only what the selected node needs (one node selected)."""
        selected = self.editor.selection.nodes
        if len(selected) != 1:
            self.notices.hint("select one node to run up to it")
            return
        self.app.send(RunTo(selected[0]))

    def group(self) -> None:
        """Ctrl+G: a frame around the selected nodes."""
        try:
            self.app.send(GroupInFrame(tuple(self.editor.selection.nodes), self.canvas.boxes()))
        except EditError as exc:
            self.notices.hint(str(exc))

    def bypass(self) -> None:
        """Ctrl+B: the selected nodes pass their picture through (or stop doing so)."""
        try:
            on = self.app.send(ToggleBypass())
        except EditError as exc:
            self.notices.hint(str(exc))
            return
        if on is None:
            self.notices.hint("select a node to bypass it")

    def set_autorun(self, on: bool) -> None:
        self.app.send(SetAutorun(on))

    def add_at_centre(self, type_id: str) -> None:
        x, y = self.canvas.centre()
        # Near the centre but never on top of another node, so a click never hides one.
        spot = free_spot(self.editor.graph, (round(x - NODE_GRAB[0]), round(y - 60)))
        point = (round(spot[0]), round(spot[1]))
        try:
            self.app.send(AddNode(type_id, point))
        except EditError as exc:
            self.notices.hint(str(exc))

    def zoom(self, factor: float | None) -> None:
        self.canvas.zoom_by(factor if factor is not None else 1 / self.canvas.viewport.zoom)

    def tidy(self) -> None:
        self.app.send(AutoLayout())
        self.canvas.frame()

    def cut(self) -> None:
        if self.files.copy() is not None:
            self.app.send(Delete())

    def escape(self) -> None:
        if not missing(js.document.querySelector("dialog[open]")):
            return  # the dialog closes itself; the selection behind it stays
        if self.menu.open:
            self.menu.hide()
        elif self.context.open:
            self.context.hide()
        elif self.toolbar.close_menus():
            pass
        elif not is_typing(js.document.activeElement):
            self.app.send(Select(()))

    def _finished(self, result: RunResult) -> None:
        self.preview.refresh()  # the status pill is RunPill's (run_pill.py)
        js.document.documentElement.dataset.lastRun = (
            "cancelled" if result.cancelled else ("ok" if result.ok else "failed")
        )

    # --- clipboard and clicks ---

    def paste_copied(self) -> None:
        """Paste from the context menu: the Studio's own last copy (a click brings no paste event)."""
        if self.files.clip_text:
            self.files.paste_text(self.files.clip_text, None)
        else:
            self.notices.hint("nothing copied yet: select nodes and press Ctrl+C")

    def _paste_key(self) -> None:
        # The browser normally follows Ctrl+V with a paste event carrying the system clipboard;
        # if none comes (clipboard access blocked), paste the Studio's own last copy.
        def fallback() -> None:
            self._paste_waiting = None
            if self.files.clip_text:
                self.files.paste_text(self.files.clip_text, None)

        self._paste_waiting = later(200, fallback)

    def _paste_event(self, e: Any) -> Any:
        if is_typing(e.target):
            return None
        if self._paste_waiting is not None:
            self._paste_waiting()
            self._paste_waiting = None
        data = e.clipboardData
        if missing(data):
            return None
        files = data.files
        for i in range(files.length if files is not None else 0):
            file = files.item(i)
            if str(file.type).startswith("image/"):
                e.preventDefault()
                x, y = self.canvas.centre()
                return self.files.paste_picture(file, (x - NODE_GRAB[0], y - 60))
        text = str(data.getData("text/plain") or "")
        if text and self.files.paste_text(text, None):
            e.preventDefault()
        elif self.files.clip_text and not text:
            self.files.paste_text(self.files.clip_text, None)
        return None

    def _copy_event(self, e: Any) -> None:
        if is_typing(e.target) or not self.editor.selection.nodes or missing(e.clipboardData):
            return
        e.clipboardData.setData("text/plain", self.editor.copy())
        e.preventDefault()

    def _outside_click(self, e: Any) -> None:
        if closest(e.target, ".menu-host") is None:
            self.toolbar.close_menus()
