"""The application layer: the document's editor, the run controller and the one message stream.

Views and the automation hooks send commands (studio/app/messages.py) and subscribe to events;
what a command does is decided here, in pure Python, the same under CPython and in the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from . import ai_conversation
from .commands import edit_handlers
from .editor import Editor
from .events import Change
from .frames import FrameCommands
from .looks import LookCommands
from .messages import (
    Cancel,
    Command,
    DocumentChanged,
    DocumentOpened,
    Event,
    FollowUp,
    Load,
    Run,
    RunAgain,
    RunNow,
    RunTo,
    SetAutorun,
    StartOver,
    StepBack,
)
from .run_controller import RunController
from .run_state import RunBoard
from .stream import Stream

E = TypeVar("E", bound=Event)


class Application:
    """One open Studio: `session` (graph, pictures, runs), `editor` (every edit a command,
    undoable), `runs` (when and what runs; the run board), all reached through `send`."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.stream = Stream()
        self.editor = Editor(session)
        self.board = RunBoard()
        self.runs = RunController(session, self.editor, self.board, self.stream.publish)
        self.frames = FrameCommands(self.editor)
        self.looks = LookCommands(self.editor)
        self.editor.subscribe(lambda change: self.stream.publish(DocumentChanged(change)))
        handlers: dict[type[Any], Callable[[Any], Any]] = {
            Run: lambda c: self.runs.run(c.force, automatic=c.automatic),
            RunTo: lambda c: self.runs.run_to(c.node),
            RunAgain: lambda c: self.runs.run(force=(c.node,)),
            Cancel: lambda c: self.runs.cancel(),
            SetAutorun: self._set_autorun,
            FollowUp: self._follow_up,
            StepBack: self._step_back,
            Load: self._load,
            RunNow: lambda c: self.runs.run_now(),
            StartOver: self._start_over,
            **edit_handlers(self.editor, self.frames, self.looks),
        }
        for kind, handler in handlers.items():
            self.stream.handle(kind, handler)

    def send(self, command: Command) -> Any:
        """Do what the command asks; its handler's result (a run's task, a new node's id) comes back."""
        return self.stream.send(command)

    def subscribe(self, kind: type[E], listener: Callable[[E], Any]) -> Callable[[], None]:
        return self.stream.subscribe(kind, listener)

    def on_document(self, listener: Callable[[Change], Any]) -> Callable[[], None]:
        """Hear every DocumentChanged as the change it carries (what most views redraw from)."""
        return self.stream.subscribe(DocumentChanged, lambda event: listener(event.change))

    # --- handlers that decide more than one call ---

    def _set_autorun(self, command: SetAutorun) -> None:
        self.runs.autorun = command.on
        if command.on:
            self.runs.run(automatic=True)

    def _follow_up(self, command: FollowUp) -> Any:
        """A follow-up continues from the step shown; the draft is refused (None) while the node
        has no result to refine (nothing is stored, nothing is asked)."""
        node = self.editor.graph.nodes.get(command.node)
        text = command.instruction.strip()
        state = self.board.get(command.node)
        if node is None or not text or not ai_conversation.has_result(node, state.state, state.stale):
            return None
        followups, selected = ai_conversation.followups_from(node, text)
        self.editor.set_data(node.id, {"followups": followups, "selected": selected}, "follow-up")
        return self.runs.run()

    def _step_back(self, command: StepBack) -> Any:
        """Show step `index` downstream; the run that follows costs nothing (a node downstream that
        would ask Gemini waits for Run)."""
        node = self.editor.graph.nodes.get(command.node)
        if node is None:
            return None
        latest = len(node.data.get("turns") or ()) - 1
        value = None if command.index >= latest else command.index
        if node.data.get("selected") != value:
            self.editor.set_data(node.id, {"selected": value}, "step back" if value is not None else "latest step")
        return self.runs.run(automatic=True)

    def _start_over(self, command: StartOver) -> None:
        if command.node in self.editor.graph.nodes:
            self.editor.set_data(command.node, dict(ai_conversation.START_OVER), "start over")

    def _load(self, command: Load) -> Any:
        """Open workflow text (a bad file raises WorkflowError and the open document stays). A
        scripted load (window.studio.load) takes complete workflows only and runs nothing by itself:
        the script's own run() reports "done"; a person's Open may bring an unfinished graph."""
        if not command.scripted:
            opened = self.editor.load_text(command.text)
            self.stream.publish(DocumentOpened(scripted=False))
            return opened
        graph = self.session.load_text(command.text)
        self.runs.skip_pending_autorun()
        self.stream.publish(DocumentOpened(scripted=command.scripted))
        return graph
