"""Frames (groups) as the editor changes them: frame the selection (Ctrl+G), move a frame with
its nodes, resize it (the nodes inside it are then its nodes), collapse, rename, remove. Each is
one undo step; a drag is one step however many moves it makes."""

from __future__ import annotations

from typing import Any

from ..core.graph import Frame
from ..core.limits import MAX_TITLE_LENGTH
from ..core.quoting import quote
from . import events
from .ports import EditError
from .viewport import Rect, bounds

MARGIN = 24.0  # around the framed nodes
HEAD = 32.0  # the title bar above them
MIN_WIDTH, MIN_HEIGHT = 160.0, 80.0


def around(boxes: list[Rect]) -> Rect:
    """The frame rectangle around node boxes: a margin on each side and room for the title."""
    x, y, width, height = bounds(boxes) or (0.0, 0.0, MIN_WIDTH, MIN_HEIGHT)
    return x - MARGIN, y - MARGIN - HEAD, width + 2 * MARGIN, height + 2 * MARGIN + HEAD


def inside(frame: Rect, boxes: dict[str, Rect]) -> list[str]:
    """The nodes whose centre lies in the frame (what a resized frame holds)."""
    fx, fy, fw, fh = frame
    return [
        node_id for node_id, (x, y, w, h) in boxes.items() if fx <= x + w / 2 <= fx + fw and fy <= y + h / 2 <= fy + fh
    ]


class FrameCommands:
    """The frame edits of one editor; `boxes` gives each node's box on the canvas (graph units)."""

    def __init__(self, editor: Any) -> None:
        self.editor = editor

    def group(self, node_ids: list[str], boxes: dict[str, Rect], title: str = "Group") -> str:
        ids = [n for n in node_ids if n in self.editor.graph.nodes and n in boxes]
        if not ids:
            raise EditError("select the nodes to frame first")
        graph = self.editor.graph
        x, y, width, height = around([boxes[n] for n in ids])
        frame = Frame(graph.unique_frame_id(), x, y, width, height, title=title, nodes=ids)
        with self.editor.edit("frame the selection", events.FRAMES):
            graph.add_frame(frame)
        return frame.id

    def move(self, frame_id: str, dx: float, dy: float, *, gesture: Any = None) -> None:
        graph = self.editor.graph
        held = self._frame(frame_id).nodes
        with self.editor.edit("move the frame", events.MOVED, held, gesture=gesture):
            graph.move_frame(frame_id, dx, dy)

    def resize(
        self, frame_id: str, width: float, height: float, boxes: dict[str, Rect], *, gesture: Any = None
    ) -> None:
        frame = self._frame(frame_id)
        with self.editor.edit("resize the frame", events.FRAMES, gesture=gesture):
            frame.width, frame.height = max(MIN_WIDTH, width), max(MIN_HEIGHT, height)
            frame.nodes = inside((frame.x, frame.y, frame.width, frame.height), boxes)

    def toggle_collapsed(self, frame_id: str) -> bool:
        frame = self._frame(frame_id)
        with self.editor.edit("expand the frame" if frame.collapsed else "collapse the frame", events.FRAMES):
            frame.collapsed = not frame.collapsed
        return frame.collapsed

    def rename(self, frame_id: str, title: str) -> None:
        text = " ".join(title.split())[:MAX_TITLE_LENGTH] or "Group"
        frame = self._frame(frame_id)
        if text != frame.title:
            with self.editor.edit("rename the frame", events.FRAMES):
                frame.title = text

    def remove(self, frame_id: str) -> None:
        """The frame goes; its nodes stay where they are."""
        self._frame(frame_id)
        with self.editor.edit("remove the frame", events.FRAMES):
            self.editor.graph.remove_frame(frame_id)

    def _frame(self, frame_id: str) -> Frame:
        frame: Frame | None = self.editor.graph.frame(frame_id)
        if frame is None:
            raise EditError(f"no frame {quote(frame_id)}")
        return frame
