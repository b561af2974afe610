"""Runs the graph from the UI: Run/Cancel, auto-run after edits, live node states, thumbnails.

Money rules (studio/app/billing.py): a Run press first counts the Gemini calls it will make (the
toolbar shows them), asks through `confirm` when that is more than one or re-makes paid steps, and
runs held to the count; automatic runs and step changes run only what costs nothing."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable
from typing import Any

from ...app import ai_conversation
from ...app.ai_wait import Waits
from ...app.billing import Consent, MeterEvent, Plan
from ...app.events import Change
from ...app.run_state import RunBoard
from ...core.fit import THUMB_SIDE
from ...core.run_result import CACHED, DONE, FAILED, QUEUED, RUNNING, NodeEvent, RunResult
from .canvas_view import CanvasView
from .dom import Debounce, after_paint, later, report, spawn

AUTORUN_MS = 350
ANNOUNCE_MS = 150  # the Run button's call count follows edits after this pause
TICK_MS = 1000  # how often a waiting AI node's elapsed time and countdown are redrawn


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
        self.on_wait: list[Callable[[str, str], Any]] = []  # AI panel: (node id, what it waits for)
        self.is_offline: Callable[[], bool] = lambda: False  # set by ui/app_status.py
        self._task: asyncio.Task | None = None
        self._again = False
        self._again_automatic = True
        self._again_force: tuple[str, ...] = ()
        self._paused_hint_shown = False
        self._thumbs: dict[str, tuple[Any, str]] = {}  # node id -> (image handle, data URL)
        self._making: dict[str, tuple[Any, asyncio.Future[str]]] = {}  # thumbnails being made, per node
        self._to_redraw: set[str] = set()  # nodes whose run state changed since the last redraw
        self._debounce = Debounce(AUTORUN_MS, self._auto)
        # Billing: asks before costly runs (the AI panel's dialog), nodes not to ask about again
        # (this page only: never in the file, so a shared workflow never skips someone's question).
        self.confirm: Callable[[Plan], Awaitable[Consent]] | None = None
        self.trusted: set[str] = set()
        self.on_plan: list[Callable[[Plan], Any]] = []  # toolbar: "Run · 3 Gemini calls"
        self.waits = Waits()
        self.notes: dict[str, list[str]] = {}  # node id -> notes of its last run (the AI panel lists them)
        self._ticking = False
        self._announce_soon = Debounce(ANNOUNCE_MS, self.announce)
        session.listeners.append(self._on_event)
        if getattr(session, "meter", None) is not None:
            session.meter.listeners.append(self._on_meter)
        editor.subscribe(self._on_change)

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def run(self, force: tuple[str, ...] = (), *, automatic: bool = False) -> asyncio.Task:
        """Start a run, or, while one runs, ask for another right after it (edits came in).
        An automatic run (after an edit, an open, a restore, a step change) leaves out the AI
        nodes that would ask the service (and what depends on them): those cost money and time,
        so they run only from Run. A forced AI node re-asks the step on screen (`run_again`)."""
        self._debounce.cancel()
        # Offline (ui/app_status.py says): run what can run; AI nodes that would call Gemini wait, neutral.
        automatic = automatic or self.is_offline()
        if self.busy:
            # A Run press while an automatic run goes on makes the follow-up a full run.
            self._again_automatic = (self._again_automatic and automatic) if self._again else automatic
            self._again = True
            self._again_force = tuple(dict.fromkeys((*self._again_force, *force)))
            return self._task
        if not automatic:
            for node_id in force:
                self._cut_for_run_again(node_id)
            self._debounce.cancel()  # the cut is an edit: its auto-run is this run
        if automatic:
            # offline: even a node judged free below never calls the service from an automatic run.
            self._task = spawn(self._run(force, self.safe_targets(), offline=True), "run")
        else:
            self._task = spawn(self._asked(force), "run")
        return self._task

    def run_to(self, node_id: str) -> asyncio.Task | None:
        """Run only what `node_id` needs (it and what feeds it), asked like Run: its Gemini calls
        counted and confirmed first. While a run goes on, nothing starts (the caller says so)."""
        if self.busy or node_id not in self.editor.graph.nodes:
            return None
        automatic = self.is_offline()
        targets = [node_id]
        self._debounce.cancel()
        if automatic:
            self._task = spawn(self._run((), targets, offline=True), "run to here")
        else:
            self._task = spawn(self._asked((), targets), "run to here")
        return self._task

    async def _asked(self, force: tuple[str, ...], targets: list[str] | None = None) -> RunResult | None:
        """A run the user asked for: count its Gemini calls, ask first when the rules say so."""
        plan = self.session.plan(force=force, targets=targets)
        if plan.must_ask(self.trusted) and self.confirm is not None:
            answer = await self.confirm(plan)
            if not answer.run:
                if targets is not None:
                    return None  # "Not now" on Run to here: nothing was asked for but that node
                # "Not now": what costs nothing still runs (the rest of the graph stays current).
                return await self._run((), self.safe_targets(), offline=True)
            if answer.trust:
                self.trusted.update(n.node for n in plan.nodes)
        return await self._run(force, targets, offline=False, allowance=plan.total)

    def _cut_for_run_again(self, node_id: str) -> None:
        """Run again on step k of n re-asks step k: the steps after it go first (one undo step)."""
        node = self.editor.graph.nodes.get(node_id)
        changes = ai_conversation.run_again_data(node) if node is not None else {}
        if changes:
            shown = len(changes["turns"])
            self.editor.set_data(node_id, changes, f"run again from step {shown}")

    def plan(self) -> Plan:
        """What a Run press would cost now."""
        try:
            return self.session.plan()
        except Exception as exc:  # a preview must never break editing
            report("count Gemini calls", exc)
            return Plan()

    def announce(self) -> None:
        plan = self.plan()
        for callback in list(self.on_plan):
            callback(plan)

    def safe_targets(self) -> list[str] | None:
        """The nodes a run that must cost nothing may run (None: all of them): all but the AI
        nodes that would ask Gemini (see billing.plan_run) and what depends on them. An AI node
        that can replay what it recorded runs (offline) and shows its result."""
        graph = self.editor.graph
        costly = [n.node for n in self.plan().nodes if n.node in graph.nodes]
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
        self._again_force = ()
        self._debounce.cancel()
        self.session.cancel()

    async def _run(
        self, force: tuple[str, ...], targets: list[str] | None, *, offline: bool = False, allowance: int | None = 0
    ) -> RunResult | None:
        self._set_busy(True)
        try:
            result = await self.session.run(force=force, targets=targets, offline=offline, allowance=allowance)
        finally:
            self._set_busy(False)
            self.waits.clear()
        await self.settle(result)
        if self._again:
            self._again = False
            # This task is still running here, so run() would take itself for busy and only
            # note "again" once more: the edits made during this run would never run (their
            # nodes stayed stale, thumbnails out of date). The follow-up is a task of its own.
            self._task = None
            force, self._again_force = self._again_force, ()
            self.run(force if not self._again_automatic else (), automatic=self._again_automatic)
        return result

    async def settle(self, result: RunResult | None) -> None:
        """Bring badges and thumbnails in line with a finished run (also one started by a hook)."""
        if result is None:
            return
        self.board.apply_result(result)
        for node_id, node_result in result.nodes.items():
            if node_result.status in (DONE, FAILED):  # it ran: its notes are new (cached: kept)
                self.notes[node_id] = list(node_result.notes)
            self.board.get(node_id).note = " · ".join(self.notes.get(node_id, ()))
        self.canvas.update_status(*result.nodes)
        # What the run put on screen (a node's thumbnail, its badge) is drawn before the bookkeeping
        # that follows (the Run button's count, run history, autosave): a frame, not a ~20 ms later one.
        await after_paint()
        self.announce()
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
        if event.state not in (QUEUED, RUNNING):
            self.waits.end(event.node)
        self._redraw_soon(event.node)
        if event.state == DONE and event.outputs:
            # Its thumbnail now, not when the whole run ends (a 4K AI answer waited for the rest).
            spawn(self._thumbnail_of_outputs(event.node, event.outputs), "thumbnail")

    def _redraw_soon(self, node_id: str) -> None:
        """Redraw the node (and what waits for it) once the run's next step is under way, all the
        events of a turn in one go: with the engine in its worker, each call waited for the main
        thread to redraw the previous node before it could even be sent."""
        if not self._to_redraw:
            later(0, self._redraw)
        self._to_redraw.add(node_id)

    def _redraw(self) -> None:
        changed, self._to_redraw = self._to_redraw, set()
        self.canvas.update_status(*changed)

    def _on_meter(self, event: MeterEvent) -> None:
        """A Gemini request left, or the client waits to retry: say so on the node, and tick."""
        node_id = self.waits.apply(event)
        if node_id is None:
            return
        self._show_wait(node_id)
        if not self._ticking:
            self._ticking = True
            later(TICK_MS, self._tick)

    def _show_wait(self, node_id: str) -> None:
        self.board.get(node_id).note = self.waits.text(node_id)
        self.canvas.update_status(node_id)
        for callback in list(self.on_wait):
            callback(node_id, self.waits.text(node_id))

    def _tick(self) -> None:
        for node_id in list(self.waits.nodes):
            self._show_wait(node_id)
        if self.waits.nodes:
            later(TICK_MS, self._tick)
        else:
            self._ticking = False

    def _on_change(self, change: Change) -> None:
        graph = self.editor.graph
        if not change.affects_results:
            return
        self.board.forget(graph.nodes)
        for node_id in [n for n in self._thumbs if n not in graph.nodes]:
            del self._thumbs[node_id]
        touched = [n for n in change.nodes if n in graph.nodes]
        self.canvas.update_status(*self.board.mark_stale([*touched, *graph.descendants(touched)]))
        if self.autorun and touched:
            self._debounce.trigger()
        self._announce_soon.trigger()  # counting hashes inputs: not on every slider tick

    def _auto(self) -> None:
        if self.editor.graph.nodes:
            self.run(automatic=True)

    # --- thumbnails ---

    async def refresh_thumbnails(self, result: RunResult) -> None:
        for node_id, node_result in result.nodes.items():
            if node_result.status not in (DONE, CACHED) and not node_result.outputs:
                self._thumbs.pop(node_id, None)
                self.canvas.set_thumbnail(node_id, None)
                continue
            image = self.session.image_output(node_id)
            if image is None:
                continue
            await self._show_thumbnail(node_id, image)
            await asyncio.sleep(0)  # keep the page responsive between encodes

    async def _show_thumbnail(self, node_id: str, image: Any) -> None:
        backend = self.session.backend
        known = self._thumbs.get(node_id)
        if known is not None and known[0] is image:
            self.canvas.set_thumbnail(node_id, known[1], backend.size(image))
            return
        # One thumbnail per picture: the run's end waits for the one its "done" started, and an
        # export shows the thumbnail of the picture its input node made (not a second one of it).
        making = self._making.get(node_id)
        if making is None or making[0] is not image:
            making = self._made_of(image) or (image, asyncio.ensure_future(thumbnail_url(backend, image)))
            self._making[node_id] = making
        try:
            url = await making[1]
        finally:
            if self._making.get(node_id) is making:
                del self._making[node_id]
        if self._thumbs.get(node_id, (None,))[0] is image:
            return  # the other waiter showed it
        self._thumbs[node_id] = (image, url)
        self.canvas.set_thumbnail(node_id, url, backend.size(image))

    def _made_of(self, image: Any) -> tuple[Any, asyncio.Future[str]] | None:
        """The thumbnail another node has (or is making) of this very picture."""
        for made in self._making.values():
            if made[0] is image:
                return made
        for picture, url in self._thumbs.values():
            if picture is image:
                done: asyncio.Future[str] = asyncio.get_event_loop().create_future()
                done.set_result(url)
                return image, done
        return None

    async def _thumbnail_of_outputs(self, node_id: str, outputs: dict[str, Any]) -> None:
        image = self.session.image_in(node_id, outputs)
        if image is not None:
            try:
                await self._show_thumbnail(node_id, image)
            except Exception as exc:  # a thumbnail must never break a run
                report("thumbnail", exc)

    def thumbnail(self, node_id: str) -> str | None:
        known = self._thumbs.get(node_id)
        return known[1] if known else None


async def thumbnail_url(backend: Any, image: Any, side: int = THUMB_SIDE) -> str:
    """A small PNG data: URL of the image (scaled down to `side` px, never up)."""
    data = await backend.thumbnail_png(image, side)
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")
