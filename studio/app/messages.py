"""The one message stream's messages: the run and document commands, and the events the application
publishes (the editing commands are studio/app/commands.py).

Attributes down, messages up: a view never calls into another view; it sends a command to the
application (`App.send`) and redraws from the events it subscribed to (`App.subscribe`). The page's
automation hooks (window.studio.*, CONTRACT §4) send the same commands."""

from __future__ import annotations

from ..core.run_result import RunResult
from .billing import Plan
from .events import Change
from .message_base import Message

# --- commands: what a view asks of the application ---


class Command(Message):
    """Base of every command (a dispatch key: one handler per command type)."""


class Run(Command):
    """Run the graph: pressed (its Gemini calls counted and confirmed first) or automatic (offline:
    never calls Gemini). `force`: AI nodes to ask again (Run again)."""

    force: tuple[str, ...] = ()
    automatic: bool = False


class RunTo(Command):
    """Run only what `node` needs (Shift+Enter, "Run to here")."""

    node: str


class RunAgain(Command):
    """Ask an AI node's step on screen again (one call, confirmed like Run)."""

    node: str


class Cancel(Command):
    """Stop the run that goes on, and any run queued after it."""


class SetAutorun(Command):
    on: bool


class FollowUp(Command):
    """Refine an AI node's result with another instruction, from the step shown (then Run)."""

    node: str
    instruction: str


class StepBack(Command):
    """Show an AI node's step `index` downstream (the latest: its last index); costs nothing."""

    node: str
    index: int


class StartOver(Command):
    """Forget an AI node's conversation (one undo step); the next Run asks its prompt afresh."""

    node: str


class Load(Command):
    """Open workflow text as the document (a bad file raises WorkflowError; nothing changes).
    `scripted`: from window.studio.load — no automatic run follows (the script runs when it says)."""

    text: str | bytes
    scripted: bool = False


class RunNow(Command):
    """window.studio.run(): run the whole graph at once, unmetered, and settle the views; the
    handler returns the RunResult."""


# --- events: what happened, for the views that subscribed ---


class Event(Message):
    """Base of every event."""


class DocumentChanged(Event):
    """An edit (or a load, undo, redo) changed the document; `change` says what it touched."""

    change: Change


class NodeStateChanged(Event):
    """The run state of these nodes changed (the run board has it): redraw their badges.
    `during_run`: a node's step within a run — a view may draw it with the next turn, so the run's
    next engine call leaves first; otherwise (a run's end, a wait, an edit) draw it at once."""

    nodes: tuple[str, ...]
    during_run: bool = False


class DocumentOpened(Event):
    """Another document is open (scripted: by window.studio.load, which runs nothing by itself)."""

    scripted: bool = False


class RunStarted(Event):
    automatic: bool


class RunFinished(Event):
    """A run ended and the run board is settled (also a run a hook started)."""

    result: RunResult


class BusyChanged(Event):
    """Run/Cancel: a run is going on (True) or not."""

    busy: bool


class PlanChanged(Event):
    """What a Run press would cost now ("Run · 3 Gemini calls")."""

    plan: Plan


class NodeNote(Event):
    """A live remark on a node: a Gemini wait, its retry countdown, a downscale or skipped size."""

    node: str
    text: str


class ThumbnailChanged(Event):
    """A node's small picture: a PNG data: URL and the picture's size, or None (no result)."""

    node: str
    url: str | None
    size: tuple[int, int] | None = None


class Notice(Event):
    """Something to tell the user (kind: "info", "hint")."""

    text: str
    kind: str = "info"


class KeyChanged(Event):
    """The Gemini key was saved, replaced or removed (present: one is stored now)."""

    present: bool
