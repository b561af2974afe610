"""The editing commands: each is one editor (or frame, or looks) command, all-or-nothing and undoable.

A bad edit raises EditError with the reason and changes nothing; the sender shows the reason where
the edit was made. `gesture`: the drag or slide the edit belongs to (one undo step for all of it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.graph import Edge
from . import ai_conversation, pictures
from .editor import Editor
from .frames import FrameCommands
from .looks import LookCommands
from .messages import Command
from .viewport import Rect

Nodes = tuple[str, ...] | None  # None: the selection


class AddNode(Command):
    """A node of `type_id` at `at` (None: a free spot); the handler returns its id."""

    type_id: str
    at: tuple[float, float] | None = None
    gesture: Any = None


class SetParam(Command):
    """A param's new value, checked by the param's own coerce."""

    node: str
    name: str
    value: Any
    gesture: Any = None


class Connect(Command):
    """A wire from `source` to `target` ("node.port" or a PortRef); replaces the target's wire."""

    source: Any
    target: Any
    gesture: Any = None


class Disconnect(Command):
    edge: Edge
    gesture: Any = None


class InsertOnEdge(Command):
    """Splice an unwired node into a wire: A → B becomes A → node → B."""

    node: str
    edge: Edge
    gesture: Any = None


class Move(Command):
    nodes: tuple[str, ...]
    dx: float
    dy: float
    gesture: Any = None


class Delete(Command):
    nodes: Nodes = None


class DeleteKeepingChain(Command):
    """Delete, and wire what came before each deleted node to what came after it."""

    nodes: Nodes = None


class Duplicate(Command):
    nodes: Nodes = None


class ToggleBypass(Command):
    """The nodes pass their picture through (or stop); the handler returns the new state, None if
    nothing was selected."""

    nodes: Nodes = None


class Paste(Command):
    """Workflow text (a copy) pasted at `at`; `pictures`: bytes by node id that came with it."""

    text: str
    at: tuple[float, float] | None = None
    pictures: dict[str, bytes] | None = None


class SetPicture(Command):
    """An uploaded picture for an Image node."""

    node: str
    data: bytes
    filename: str = ""


class AddPicture(Command):
    """A new Image node holding the picture; the handler returns its id."""

    data: bytes
    filename: str
    at: tuple[float, float] | None = None


class Rename(Command):
    """The workflow's name."""

    name: str


class AutoLayout(Command):
    pass


class Undo(Command):
    pass


class Redo(Command):
    pass


class EndGesture(Command):
    """Pointer up: the next drag or slide is an undo step of its own."""


class RestorePictures(Command):
    """Reopening a stored document: its uploaded pictures, by node id, back beside the graph
    (part of the open: no undo step, nothing re-runs by itself)."""

    pictures: dict[str, bytes]


class RestoreRecordings(Command):
    """Reopening a stored document: the pictures of its recorded Gemini answers, by reference (the
    autosave keeps them apart, ai_conversation.with_image_refs), back into its AI nodes' turns. A turn
    whose picture is gone is dropped with every later one: that node asks Gemini again at the next
    Run, announced as any call. Part of the open, as RestorePictures is."""

    images: dict[str, str]  # reference key -> the picture's base64


class ForgetHistory(Command):
    """A document was opened or restored: nothing before it can be undone."""


# --- selection: not an edit (no undo step), announced as a SELECTION change ---


class Select(Command):
    nodes: tuple[str, ...]
    add: bool = False


class ToggleSelected(Command):
    node: str


class SelectEdge(Command):
    edge: Edge | None


class SelectAll(Command):
    pass


# --- frames and a node's own looks ---


class GroupInFrame(Command):
    """A frame around the nodes, from their boxes on screen; the handler returns its id."""

    nodes: tuple[str, ...]
    boxes: dict[str, Rect]


class MoveFrame(Command):
    frame: str
    dx: float
    dy: float
    gesture: Any = None


class ResizeFrame(Command):
    frame: str
    width: float
    height: float
    boxes: dict[str, Rect]
    gesture: Any = None


class CollapseFrame(Command):
    """Collapse the frame, or expand it (it toggles)."""

    frame: str


class RenameFrame(Command):
    frame: str
    title: str


class RemoveFrame(Command):
    """The frame goes; its nodes stay where they are."""

    frame: str


class Retitle(Command):
    """A node's own title (an empty one gives it back its type's)."""

    node: str
    title: str


class SetColor(Command):
    """The nodes' head colour (None: the selection's; color None takes it off)."""

    color: str | None
    nodes: Nodes = None


def edit_handlers(editor: Editor, frames: FrameCommands, looks: LookCommands) -> dict[type[Any], Callable[[Any], Any]]:
    """Each editing command's handler: the editor's (or frames', or looks') own command."""
    return {
        AddNode: lambda c: editor.add_node(c.type_id, c.at, gesture=c.gesture),
        SetParam: lambda c: editor.set_param(c.node, c.name, c.value, gesture=c.gesture),
        Connect: lambda c: editor.connect(c.source, c.target, gesture=c.gesture),
        Disconnect: lambda c: editor.disconnect(c.edge, gesture=c.gesture),
        InsertOnEdge: lambda c: editor.insert_on_edge(c.node, c.edge, gesture=c.gesture),
        Move: lambda c: editor.move_nodes(c.nodes, c.dx, c.dy, gesture=c.gesture),
        Delete: lambda c: editor.delete(c.nodes),
        DeleteKeepingChain: lambda c: editor.delete_keeping_chain(c.nodes),
        Duplicate: lambda c: editor.duplicate(c.nodes),
        ToggleBypass: lambda c: editor.toggle_bypass(c.nodes),
        Paste: lambda c: editor.paste(c.text, c.at, pictures_by_id=c.pictures),
        SetPicture: lambda c: editor.set_picture(c.node, c.data, c.filename),
        AddPicture: lambda c: editor.add_picture(c.data, c.filename, c.at),
        Rename: lambda c: editor.rename(c.name),
        AutoLayout: lambda c: editor.auto_layout(),
        Undo: lambda c: editor.undo(),
        Redo: lambda c: editor.redo(),
        EndGesture: lambda c: editor.end_gesture(),
        RestorePictures: lambda c: pictures.restore(editor.graph, editor.session.inputs, c.pictures),
        RestoreRecordings: lambda c: ai_conversation.restore_image_refs(editor.graph, c.images),
        ForgetHistory: lambda c: editor.history.clear(),
        Select: lambda c: editor.select(c.nodes, add=c.add),
        ToggleSelected: lambda c: editor.toggle_selected(c.node),
        SelectEdge: lambda c: editor.select_edge(c.edge),
        SelectAll: lambda c: editor.select_all(),
        GroupInFrame: lambda c: frames.group(list(c.nodes), c.boxes),
        MoveFrame: lambda c: frames.move(c.frame, c.dx, c.dy, gesture=c.gesture),
        ResizeFrame: lambda c: frames.resize(c.frame, c.width, c.height, c.boxes, gesture=c.gesture),
        CollapseFrame: lambda c: frames.toggle_collapsed(c.frame),
        RenameFrame: lambda c: frames.rename(c.frame, c.title),
        RemoveFrame: lambda c: frames.remove(c.frame),
        Retitle: lambda c: looks.retitle(c.node, c.title),
        SetColor: lambda c: looks.set_color(c.color, c.nodes),
    }
