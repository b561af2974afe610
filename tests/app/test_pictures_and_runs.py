"""Pictures beside the graph (absorb/embed), run-state bookkeeping and the session's notifications."""

from __future__ import annotations

import asyncio
import base64

from studio.app import pictures
from studio.app.run_state import RunBoard, format_ms
from studio.core.run_result import NodeEvent, NodeResult, RunResult
from studio.core.workflow import dump_workflow, load_workflow
from studio.nodes import default_catalog

from .helpers import make_editor

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def test_embed_then_absorb_round_trips_the_picture():
    editor = make_editor(None)
    node_id = editor.add_picture(PNG, "p.png", (0, 0))
    embedded = pictures.embed(editor.graph, editor.session.inputs)
    url = embedded.nodes[node_id].params["image"]
    assert url.startswith("data:image/png;base64,")
    assert editor.graph.nodes[node_id].params.get("image", "") == ""  # the open graph is untouched
    text = dump_workflow(embedded)
    load_workflow(text, default_catalog())  # a valid, self-contained file
    editor.load_text(text)
    assert editor.session.inputs[node_id] == PNG
    assert editor.graph.nodes[node_id].params["image"] == ""


def test_absorb_leaves_a_damaged_url_for_the_run_to_report():
    editor = make_editor(None)
    editor.load_text(
        '{"format": "pyxis.workflow", "version": 1, "nodes": [{"id": "p", "type": "source.image", "params": {"image": "data:image/png;base64,@@@"}}]}'
    )
    assert "p" not in editor.session.inputs
    assert editor.graph.nodes["p"].params["image"].startswith("data:")


def test_picture_upload_is_undoable():
    editor = make_editor(None)
    node_id = editor.add_node("source.image", (0, 0))
    editor.set_picture(node_id, PNG, "one.png")
    editor.set_picture(node_id, b"GIF89a", "two.gif")
    editor.undo()
    assert editor.session.inputs[node_id] == PNG
    assert editor.graph.nodes[node_id].params["filename"] == "one.png"
    assert pictures.extension_for(b"GIF89a....") == "gif"
    assert pictures.digest(PNG) == pictures.digest(bytes(PNG))


def test_run_board_follows_events_and_staleness():
    board = RunBoard()
    board.apply(NodeEvent("a", "queued"))
    board.apply(NodeEvent("a", "running"))
    assert board.get("a").label() == "running"
    board.apply(NodeEvent("a", "done", 12.4))
    assert board.get("a").label() == "done · 12 ms"
    assert board.mark_stale(["a", "b"]) == ["a"]
    board.apply(NodeEvent("a", "cached"))
    assert not board.get("a").stale
    board.apply_result(RunResult({"b": NodeResult("failed", 3, "boom")}))
    assert board.get("b").error == "boom"
    board.forget(["b"])
    assert set(board.nodes) == {"b"}
    assert format_ms(0.2) == "<1 ms" and format_ms(2500) == "2.5 s"


def test_session_runs_do_not_overlap():
    from studio.app.session import Session
    from tests.core.builders import chain, test_catalog

    session = Session(test_catalog(), backend=None)
    session.graph = chain(("a", "test.const", {}), ("s", "test.slow", {"steps": 5}))
    order = []
    session.listeners.append(lambda e: order.append((e.node, e.state)))

    async def both():
        return await asyncio.gather(session.run(), session.run())

    first, second = asyncio.run(both())
    assert first.ran == {"a", "s"} and second.cached == {"a", "s"}
    # The second run's events all come after the first run finished.
    assert order.index(("s", "done")) < order.index(("a", "cached"))


def test_data_url_is_plain_base64():
    url = pictures.data_url(PNG)
    assert base64.b64decode(url.split(",", 1)[1]) == PNG


def test_opening_a_workflow_brings_no_picture_from_the_last_one():
    editor = make_editor(None)
    editor.load_text('{"format": "pyxis.workflow", "version": 1, "nodes": [{"id": "photo", "type": "source.image"}]}')
    editor.set_picture("photo", PNG, "mine.png")
    editor.load_text('{"format": "pyxis.workflow", "version": 1, "nodes": [{"id": "photo", "type": "source.image"}]}')
    assert editor.session.inputs == {}
    editor.undo()  # the picture comes back with its document
    assert editor.session.inputs == {"photo": PNG}
