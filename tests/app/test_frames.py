"""Frames as the editor changes them (issue 12): Ctrl+G frames the selection, a frame moves with
its nodes, a resize decides what it holds, collapse and rename; each one undo step, and all of it
is saved in the workflow."""

from __future__ import annotations

import pytest

from studio.app import frames
from studio.app.ports import EditError
from studio.core.workflow import dump_workflow, load_workflow
from studio.nodes import default_catalog

from .helpers import make_editor

BOXES = {"bg": (40.0, 80.0, 200.0, 120.0), "blur": (300.0, 80.0, 200.0, 120.0), "out": (560.0, 80.0, 200.0, 120.0)}


def test_grouping_frames_the_nodes_with_room_for_the_title_and_undo_removes_it():
    editor = make_editor()
    commands = frames.FrameCommands(editor)
    frame_id = commands.group(["bg", "blur"], BOXES)
    frame = editor.graph.frame(frame_id)
    assert frame is not None and frame.nodes == ["bg", "blur"]
    assert (frame.x, frame.y) == (40 - frames.MARGIN, 80 - frames.MARGIN - frames.HEAD)
    assert frame.width == 460 + 2 * frames.MARGIN
    editor.undo()
    assert editor.graph.frames == []
    with pytest.raises(EditError, match="select the nodes"):
        commands.group([], BOXES)


def test_moving_a_frame_moves_its_nodes_and_a_drag_is_one_undo_step():
    editor = make_editor()
    commands = frames.FrameCommands(editor)
    frame_id = commands.group(["bg", "blur"], BOXES)
    for _ in range(5):
        commands.move(frame_id, 10, 4, gesture="drag-1")
    editor.end_gesture()
    assert editor.graph.nodes["bg"].position == (90, 100)
    assert editor.graph.nodes["out"].position == (560, 80)  # not in the frame
    editor.undo()
    assert editor.graph.nodes["bg"].position == (40, 80)


def test_a_resized_frame_holds_the_nodes_inside_it_and_collapse_and_title_are_saved():
    editor = make_editor()
    commands = frames.FrameCommands(editor)
    frame_id = commands.group(["bg"], BOXES)
    commands.resize(frame_id, 900, 260, BOXES)
    frame = editor.graph.frame(frame_id)
    assert frame is not None and frame.nodes == ["bg", "blur", "out"]
    commands.resize(frame_id, 10, 10, BOXES)  # never smaller than a title bar
    assert (frame.width, frame.height) == (frames.MIN_WIDTH, frames.MIN_HEIGHT) and frame.nodes == []
    assert commands.toggle_collapsed(frame_id) is True
    commands.rename(frame_id, "  Background   layers ")
    saved = load_workflow(dump_workflow(editor.graph), default_catalog())
    again = saved.frame(frame_id)
    assert again is not None and again.collapsed and again.title == "Background layers"
    commands.remove(frame_id)
    assert editor.graph.frames == [] and "bg" in editor.graph.nodes
