"""When the graph runs and what a run may cost: Run/Cancel, auto-run after edits, coalescing, the
per-node run state (the run board) and its notes.

Money rules (studio/app/billing.py): a Run press first counts the Gemini calls it will make
(PlanChanged: the toolbar shows them), asks through `confirm` when that is more than one or
re-makes paid steps, and runs held to the count; automatic runs and step changes are offline: they
run only what costs nothing, and never call Gemini."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from ..core.run_result import DONE, FAILED, QUEUED, RUNNING, NodeEvent, RunResult
from . import ai_conversation
from .ai_wait import Waits
from .billing import Consent, MeterEvent, Plan
from .events import Change
from .messages import BusyChanged, Event, NodeNote, NodeStateChanged, Notice, PlanChanged, RunFinished, RunStarted
from .run_state import RunBoard
from .tasks import Debounce, later, report, spawn
from .thumbnails import Thumbnails

AUTORUN_MS = 350
ANNOUNCE_MS = 150  # the Run button's call count follows edits after this pause
TICK_MS = 1000  # how often a waiting AI node's elapsed time and countdown are redrawn
PAUSED_AI = "AI nodes run only when you press Run; the rest runs by itself."


async def _next_turn() -> None:
    await asyncio.sleep(0)


class RunController:
    def __init__(self, session: Any, editor: Any, board: RunBoard, publish: Callable[[Event], None]) -> None:
        self.session = session
        self.editor = editor
        self.board = board
        self.publish = publish
        self.autorun = True
        self.is_offline: Callable[[], bool] = lambda: False  # the page's connection (ui/app_status.py)
        # Awaited when a run's end is on screen, before its bookkeeping (the page: the next frame).
        self.after_paint: Callable[[], Awaitable[None]] = _next_turn
        # Asks before costly runs (the AI panel's dialog); nodes not to ask about again (this page
        # only: never in the file, so a shared workflow never skips someone's question).
        self.confirm: Callable[[Plan], Awaitable[Consent]] | None = None
        self.trusted: set[str] = set()
        self.thumbnails = Thumbnails(session, publish)
        self.waits = Waits()
        self.notes: dict[str, list[str]] = {}  # node id -> notes of its last run (the AI panel lists them)
        self._task: asyncio.Task[Any] | None = None
        self._again = False
        self._again_automatic = True
        self._again_force: tuple[str, ...] = ()
        self._paused_hint_shown = False
        self._ticking = False
        self._debounce = Debounce(AUTORUN_MS, self._auto)
        self._announce_soon = Debounce(ANNOUNCE_MS, self.announce)
        session.listeners.append(self._on_event)
        if getattr(session, "meter", None) is not None:
            session.meter.listeners.append(self._on_meter)
        editor.subscribe(self._on_change)

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def idle(self) -> bool:
        """No run going on, none queued after it and no automatic run waiting for its pause."""
        return not self.busy and not self._again and not self._debounce.pending

    def run(self, force: tuple[str, ...] = (), *, automatic: bool = False) -> asyncio.Task[Any]:
        """Start a run, or, while one runs, ask for another right after it (edits came in).
        An automatic run (after an edit, an open, a restore, a step change) leaves out the AI
        nodes that would ask the service (and what depends on them): those cost money and time,
        so they run only from Run. A forced AI node re-asks the step on screen (`run_again`)."""
        self._debounce.cancel()
        automatic = automatic or self.is_offline()  # offline: AI nodes that would call Gemini wait
        if self._task is not None and self.busy:
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

    def run_to(self, node_id: str) -> asyncio.Task[Any] | None:
        """Run only what `node_id` needs (it and what feeds it), asked like Run: its Gemini calls
        counted and confirmed first. While a run goes on, nothing starts (the caller says so)."""
        if self.busy or node_id not in self.editor.graph.nodes:
            return None
        self._debounce.cancel()
        if self.is_offline():
            self._task = spawn(self._run((), [node_id], offline=True), "run to here")
        else:
            self._task = spawn(self._asked((), [node_id]), "run to here")
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
            plan: Plan = self.session.plan()
            return plan
        except Exception as exc:  # a preview must never break editing
            report("count Gemini calls", exc)
            return Plan()

    def announce(self) -> None:
        self.publish(PlanChanged(self.plan()))

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
            self.publish(Notice(PAUSED_AI))
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

    async def run_now(self) -> RunResult:
        """window.studio.run(): the whole graph at once, unmetered (automation). The result comes
        back as soon as the run ends; the views settle after it (as after any run)."""
        result: RunResult = await self.session.run()
        spawn(self.settle(result), "settle a scripted run")
        return result

    async def _run(
        self, force: tuple[str, ...], targets: list[str] | None, *, offline: bool = False, allowance: int | None = 0
    ) -> RunResult | None:
        self.publish(BusyChanged(True))
        self.publish(RunStarted(automatic=offline))
        try:
            result: RunResult = await self.session.run(
                force=force, targets=targets, offline=offline, allowance=allowance
            )
        finally:
            self.publish(BusyChanged(False))
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
        self.publish(NodeStateChanged(tuple(result.nodes)))
        # What the run put on screen (a node's thumbnail, its badge) is drawn before the bookkeeping
        # that follows (the Run button's count, run history, autosave): a frame, not a ~20 ms later one.
        await self.after_paint()
        self.announce()
        try:
            await self.thumbnails.refresh(result)
        except Exception as exc:  # a thumbnail must never break a run
            report("thumbnails", exc)
        self.publish(RunFinished(result))

    # --- live state ---

    def _on_event(self, event: NodeEvent) -> None:
        self.board.apply(event)
        if event.state not in (QUEUED, RUNNING):
            self.waits.end(event.node)
        self.publish(NodeStateChanged((event.node,), during_run=True))
        if event.state == DONE and event.outputs:
            spawn(self.thumbnails.of_outputs(event.node, event.outputs), "thumbnail")

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
        text = self.waits.text(node_id)
        self.board.get(node_id).note = text
        self.publish(NodeStateChanged((node_id,)))
        self.publish(NodeNote(node_id, text))

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
        self.thumbnails.forget_missing(graph)
        touched = [n for n in change.nodes if n in graph.nodes]
        stale = self.board.mark_stale([*touched, *graph.descendants(touched)])
        if stale:
            self.publish(NodeStateChanged(tuple(stale)))
        if self.autorun and touched:
            self._debounce.trigger()
        self._announce_soon.trigger()  # counting hashes inputs: not on every slider tick

    def _auto(self) -> None:
        if self.editor.graph.nodes:
            self.run(automatic=True)
