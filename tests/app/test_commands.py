"""Every editing command sent through the application does what its editor command does, in one undo
step that Undo takes back whole; a refused one raises EditError and changes nothing; selection is not
an edit (issue 8, item 1: the views' only way to change the document)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from studio.app.application import Application
from studio.app.clipboard import copy_text
from studio.app.commands import (
    AddNode,
    AddPicture,
    CollapseFrame,
    Connect,
    Delete,
    DeleteKeepingChain,
    Disconnect,
    Duplicate,
    ForgetHistory,
    GroupInFrame,
    InsertOnEdge,
    Move,
    MoveFrame,
    Paste,
    RemoveFrame,
    Rename,
    RenameFrame,
    ResizeFrame,
    RestorePictures,
    RestoreRecordings,
    Retitle,
    Select,
    SelectAll,
    SetColor,
    SetParam,
    SetPicture,
    ToggleBypass,
    Undo,
)
from studio.app.ports import EditError
from studio.core.graph import Edge, PortRef
from tests.app.helpers import doc, make_app
from tests.gemini.wire import picture

BOXES = {"bg": (40.0, 80.0, 200.0, 120.0), "blur": (300.0, 80.0, 200.0, 120.0)}
PHOTO = picture("PNG", size=(6, 4))
BLUR_TO_OUT = Edge(PortRef("blur", "image"), PortRef("out", "image"))


def nodes(app: Application) -> dict[str, Any]:
    return app.editor.graph.nodes


def wires(app: Application) -> set[tuple[str, str]]:
    return {(f"{e.source.node}.{e.source.port}", f"{e.target.node}.{e.target.port}") for e in app.editor.graph.edges}


def add_loose_blur(app: Application) -> None:
    app.send(AddNode("transform.blur", (300, 400)))


def add_photo_node(app: Application) -> None:
    app.send(AddNode("source.image", (40, 400)))


def frame_bg_and_blur(app: Application) -> None:
    app.send(GroupInFrame(("bg", "blur"), BOXES))


def the_frame(app: Application) -> Any:
    return app.editor.graph.frames[0]


def nothing(app: Application) -> None:
    return None


# (what, setup, the command, what it changed)
ROWS: list[tuple[str, Callable[[Application], None], Callable[[Application], Any], Callable[[Application], bool]]] = [
    ("AddNode", nothing, lambda a: AddNode("transform.blur", (900, 80)), lambda a: len(nodes(a)) == 4),
    ("SetParam", nothing, lambda a: SetParam("blur", "radius", 7), lambda a: nodes(a)["blur"].params["radius"] == 7),
    (
        "Connect replaces the target's wire",
        nothing,
        lambda a: Connect("bg.image", "out.image"),
        lambda a: ("bg.image", "out.image") in wires(a) and ("blur.image", "out.image") not in wires(a),
    ),
    ("Disconnect", nothing, lambda a: Disconnect(BLUR_TO_OUT), lambda a: ("blur.image", "out.image") not in wires(a)),
    (
        "InsertOnEdge",
        add_loose_blur,
        lambda a: InsertOnEdge("blur-2", BLUR_TO_OUT),
        lambda a: {("blur.image", "blur-2.image"), ("blur-2.image", "out.image")} <= wires(a),
    ),
    ("Move", nothing, lambda a: Move(("bg",), 10, 5), lambda a: nodes(a)["bg"].position == (50, 85)),
    ("Delete", nothing, lambda a: Delete(("blur",)), lambda a: "blur" not in nodes(a)),
    (
        "DeleteKeepingChain",
        nothing,
        lambda a: DeleteKeepingChain(("blur",)),
        lambda a: "blur" not in nodes(a) and ("bg.image", "out.image") in wires(a),
    ),
    ("Duplicate", nothing, lambda a: Duplicate(("blur",)), lambda a: len(nodes(a)) == 4),
    ("ToggleBypass", nothing, lambda a: ToggleBypass(("blur",)), lambda a: nodes(a)["blur"].bypass),
    (
        "Paste",
        nothing,
        lambda a: Paste(copy_text(a.editor.graph, ["bg", "blur"]), (40, 400)),
        lambda a: len(nodes(a)) == 5,
    ),
    (
        "AddPicture",
        nothing,
        lambda a: AddPicture(PHOTO, "photo.png", (40, 400)),
        lambda a: a.session.inputs.get("image") == PHOTO and nodes(a)["image"].params["filename"] == "photo.png",
    ),
    ("SetPicture", add_photo_node, lambda a: SetPicture("image", PHOTO, "p.png"), lambda a: a.session.inputs["image"] == PHOTO),
    ("Rename", nothing, lambda a: Rename("My poster"), lambda a: a.editor.graph.name == "My poster"),
    ("GroupInFrame", nothing, lambda a: GroupInFrame(("bg", "blur"), BOXES), lambda a: len(a.editor.graph.frames) == 1),
    (
        "MoveFrame moves what it holds",
        frame_bg_and_blur,
        lambda a: MoveFrame(the_frame(a).id, 20, 0),
        lambda a: nodes(a)["bg"].position == (60, 80) and nodes(a)["blur"].position == (320, 80),
    ),
    ("ResizeFrame", frame_bg_and_blur, lambda a: ResizeFrame(the_frame(a).id, 900, 400, BOXES), lambda a: the_frame(a).width == 900),
    ("CollapseFrame", frame_bg_and_blur, lambda a: CollapseFrame(the_frame(a).id), lambda a: the_frame(a).collapsed),
    ("RenameFrame", frame_bg_and_blur, lambda a: RenameFrame(the_frame(a).id, "Look"), lambda a: the_frame(a).title == "Look"),
    ("RemoveFrame", frame_bg_and_blur, lambda a: RemoveFrame(the_frame(a).id), lambda a: a.editor.graph.frames == []),
    ("Retitle", nothing, lambda a: Retitle("blur", "Soften"), lambda a: nodes(a)["blur"].title == "Soften"),
    ("SetColor", nothing, lambda a: SetColor("#aa3355", ("blur",)), lambda a: nodes(a)["blur"].color == "#aa3355"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "setup", "command", "changed"), ROWS, ids=[row[0] for row in ROWS])
def test_each_edit_does_its_editor_command_in_one_undo_step(current_loop, what, setup, command, changed):
    app = make_app()
    setup(app)
    before = doc(app.editor)
    app.send(command(app))
    assert changed(app)
    app.send(Undo())
    assert doc(app.editor) == before
    assert app.stream.errors == [] and app.editor.changes.errors == []


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        (SetParam("blur", "radius", -4), "at least 0"),
        (Connect("out.image", "bg.image"), "Export has no output 'image'"),
        (AddNode("no.such-node", (0, 0)), "unknown node type"),
        (SetPicture("blur", PHOTO), "does not take a picture"),
        (GroupInFrame((), BOXES), "select the nodes to frame first"),
    ],
)
def test_a_refused_edit_says_why_and_changes_nothing(current_loop, command, reason):
    app = make_app()
    before = doc(app.editor)
    with pytest.raises(EditError, match=reason):
        app.send(command)
    assert doc(app.editor) == before and not app.editor.history.can_undo


def test_selection_is_not_an_edit(current_loop):
    app = make_app()
    app.send(Select(("blur",)))
    assert app.editor.selection.nodes == ["blur"]
    app.send(SelectAll())
    assert sorted(app.editor.selection.nodes) == ["bg", "blur", "out"]
    assert not app.editor.history.can_undo


def test_reopening_a_stored_document_restores_its_pictures_and_forgets_the_undo_steps(current_loop):
    app = make_app()
    app.send(AddNode("source.image", (40, 400)))
    assert app.editor.history.can_undo
    app.send(RestorePictures({"image": PHOTO, "gone": b"not in this graph"}))
    assert app.session.inputs == {"image": PHOTO}  # a picture of a node the graph lacks is not kept
    app.send(ForgetHistory())
    assert not app.editor.history.can_undo


def test_reopening_puts_the_recorded_answers_pictures_back_and_drops_the_turns_whose_picture_is_gone(current_loop):
    from studio.app import ai_conversation
    from studio.core.workflow import dump_workflow
    from tests.app.test_ai_conversation import BLUE, GREEN, ai_graph, turn
    from tests.gemini.wire import b64

    kept = ai_graph(turns=[turn("green", GREEN), turn("blue", BLUE)])
    light, images = ai_conversation.with_image_refs(kept)  # what the autosave wrote
    app = make_app(dump_workflow(light))
    app.send(RestoreRecordings(images))
    assert app.editor.graph.nodes["edit"].data == kept.nodes["edit"].data
    assert not app.editor.history.can_undo  # part of the open, not an edit to undo

    del images[ai_conversation.blob_key(b64(BLUE))]  # that picture was gone from the browser's storage
    app = make_app(dump_workflow(light))
    app.send(RestoreRecordings(images))
    assert [t["prompt"] for t in app.editor.graph.nodes["edit"].data["turns"]] == ["green"]
