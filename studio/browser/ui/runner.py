"""Runs the graph from the UI: Run/Cancel, auto-run after edits, live node states, thumbnails."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
from typing import Any

from ...app.events import Change
from ...app.run_state import RunBoard
from ...core.run_result import CACHED, DONE, NodeEvent, RunResult
from .canvas_view import CanvasView
from .dom import Debounce, report, spawn

THUMB_SIDE = 160  # px: thumbnails are encoded this small so they stay cheap
AUTORUN_MS = 350


class Runner:
    def __init__(self, session: Any, editor: Any, board: RunBoard, canvas: CanvasView) -> None:
        self.session = session
        self.editor = editor
        self.board = board
        self.canvas = canvas
        self.autorun = True
        self.on_busy: list[Callable[[bool], Any]] = []  # toolbar: Run/Cancel states
        self.on_finished: list[Callable[[RunResult], Any]] = []  # preview: show the new output
        self.on_notice: Callable[[str], Any] = lambda text: None
        self._task: asyncio.Task | None = None
        self._again = False
        self._again_automatic = True
        self._paused_hint_shown = False
        self._thumbs: dict[str, tuple[Any, str]] = {}  # node id -> (image handle, data URL)
        self._debounce = Debounce(AUTORUN_MS, self._auto)
        session.listeners.append(self._on_event)
        editor.subscribe(self._on_change)

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def run(self, force: tuple[str, ...] = (), *, automatic: bool = False) -> asyncio.Task:
        """Start a run, or, while one runs, ask for another right after it (edits came in).
        An automatic run (after an edit, an open, a restore) leaves out the AI nodes that would
        ask the service (and what depends on them): those cost money and time, so they run only
        from Run."""
        self._debounce.cancel()
        if self.busy:
            # A Run press while an automatic run goes on makes the follow-up a full run.
            self._again_automatic = (self._again_automatic and automatic) if self._again else automatic
            self._again = True
            return self._task
        targets = self.safe_targets() if automatic else None
        # offline: even a node judged safe above never calls the service from an automatic run
        # (a graph-only file keeps prompts but not images; replaying those would be billed).
        self._task = spawn(self._run(force, targets, offline=automatic), "run")
        return self._task

    def safe_targets(self) -> list[str] | None:
        """The nodes an automatic run may run (None: all of them). A non-deterministic (AI) node
        qualifies only while it can replay what it recorded: it has recorded state (node data)
        and no edit touched it or its inputs since it last ran here."""
        graph = self.editor.graph
        costly = [
            n.id
            for n in graph.nodes.values()
            if (spec := self.editor.catalog.get(n.type)) is not None
            and not spec.deterministic
            and (not n.data or self.board.get(n.id).stale)
        ]
        if not costly:
            return None
        if not self._paused_hint_shown:
            self._paused_hint_shown = True
            self.on_notice("AI nodes run only when you press Run; the rest runs by itself.")
        avoid = set(costly) | graph.descendants(costly)
        return [n for n in graph.nodes if n not in avoid]

    def skip_pending_autorun(self) -> None:
        """Drop an auto-run that an edit scheduled (a scripted load runs only when the script says)."""
        self._debounce.cancel()

    def cancel(self) -> None:
        self._again = False
        self._debounce.cancel()
        self.session.cancel()

    async def _run(
        self, force: tuple[str, ...], targets: list[str] | None, *, offline: bool = False
    ) -> RunResult | None:
        self._set_busy(True)
        try:
            result = await self.session.run(force=force, targets=targets, offline=offline)
        finally:
            self._set_busy(False)
        await self.settle(result)
        if self._again:
            self._again = False
            # This task is still running here, so run() would take itself for busy and only
            # note "again" once more: the edits made during this run would never run (their
            # nodes stayed stale, thumbnails out of date). The follow-up is a task of its own.
            self._task = None
            self.run(automatic=self._again_automatic)
        return result

    async def settle(self, result: RunResult | None) -> None:
        """Bring badges and thumbnails in line with a finished run (also one started by a hook)."""
        if result is None:
            return
        self.board.apply_result(result)
        for node_id in result.nodes:
            self.canvas.update_status(node_id)
        try:
            await self.refresh_thumbnails(result)
        except Exception as exc:  # a thumbnail must never break a run
            report("thumbnails", exc)
        for callback in list(self.on_finished):
            try:
                callback(result)
            except Exception as exc:
                report("after run", exc)

    def _set_busy(self, busy: bool) -> None:
        for callback in list(self.on_busy):
            callback(busy)

    # --- live state ---

    def _on_event(self, event: NodeEvent) -> None:
        self.board.apply(event)
        self.canvas.update_status(event.node)

    def _on_change(self, change: Change) -> None:
        graph = self.editor.graph
        if not change.affects_results:
            return
        self.board.forget(graph.nodes)
        for node_id in [n for n in self._thumbs if n not in graph.nodes]:
            del self._thumbs[node_id]
        touched = [n for n in change.nodes if n in graph.nodes]
        for node_id in self.board.mark_stale([*touched, *graph.descendants(touched)]):
            self.canvas.update_status(node_id)
        if self.autorun and touched:
            self._debounce.trigger()

    def _auto(self) -> None:
        if self.editor.graph.nodes:
            self.run(automatic=True)

    # --- thumbnails ---

    async def refresh_thumbnails(self, result: RunResult) -> None:
        backend = self.session.backend
        for node_id, node_result in result.nodes.items():
            if node_result.status not in (DONE, CACHED) and not node_result.outputs:
                self._thumbs.pop(node_id, None)
                self.canvas.set_thumbnail(node_id, None)
                continue
            image = self.session.image_output(node_id)
            if image is None:
                continue
            known = self._thumbs.get(node_id)
            if known is not None and known[0] is image:
                self.canvas.set_thumbnail(node_id, known[1], backend.size(image))
                continue
            url = await thumbnail_url(backend, image)
            self._thumbs[node_id] = (image, url)
            self.canvas.set_thumbnail(node_id, url, backend.size(image))
            await asyncio.sleep(0)  # keep the page responsive between encodes

    def thumbnail(self, node_id: str) -> str | None:
        known = self._thumbs.get(node_id)
        return known[1] if known else None


async def thumbnail_url(backend: Any, image: Any, side: int = THUMB_SIDE) -> str:
    """A small PNG data: URL of the image (scaled down to `side` px, never up)."""
    width, height = backend.size(image)
    scale = min(1.0, side / max(width, height, 1))
    if scale < 1.0:
        image = await backend.resize(image, max(1, round(width * scale)), max(1, round(height * scale)))
    data = await backend.encode(image, "png", 90)
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")
