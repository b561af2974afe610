"""The workflow library's rules (studio/app/library.py) and what a save keeps (studio/app/saving.py), under CPython."""

from __future__ import annotations

import base64
import json

import pytest

from studio.app import library, saving
from studio.app.library import Doc, Library
from studio.core.graph import Graph, Node


def doc(doc_id: str, name: str = "A", *, rev: int = 1, updated: float = 0, tab: str = "t1", **kw) -> Doc:
    return Doc(id=doc_id, name=name, text="{}", rev=rev, updated=updated, tab=tab, **kw)


def test_an_envelope_round_trips_and_junk_is_refused():
    d = doc("d1", "Poster", pictures={"image": {"key": "k1", "filename": "a.png"}}, origin=library.FILE)
    assert Doc.from_json(d.to_json()) == d
    for junk in (None, "", "{", "[]", "{}", '{"format": "pyxis.workflow"}', '{"format": "pyxis.document", "id": 3}'):
        assert Doc.from_json(junk) is None
    deep = '{"format": "pyxis.document", "id": "x", "text": "", "pictures": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert Doc.from_json(deep) is None  # storage may hold anything: reading it never raises
    odd = Doc.from_json(json.dumps({"format": "pyxis.document", "id": "x", "text": "t", "rev": True, "name": "  "}))
    assert odd is not None and odd.rev == 0 and odd.name == library.UNTITLED


@pytest.mark.parametrize(
    ("local", "db", "wins"),
    [
        ((3, 10), (2, 20), "local"),  # a higher revision wins over a later clock
        ((2, 10), (3, 5), "db"),
        ((2, 10), (2, 20), "db"),  # same revision: the later write
        (None, (1, 1), "db"),
        ((1, 1), None, "local"),
    ],
)
def test_the_newer_of_two_copies(local, db, wins):
    a = doc("d", rev=local[0], updated=local[1]) if local else None
    b = doc("d", name="B", rev=db[0], updated=db[1]) if db else None
    assert library.newer(a, b) is (a if wins == "local" else b)


@pytest.mark.parametrize(
    ("base", "stored", "tab", "conflict"),
    [
        ((3, "t1"), None, "t1", False),  # nothing stored yet
        ((3, "t2"), (3, "t2"), "t1", False),  # the revision this tab loaded (followed) from t2
        ((3, "t1"), (4, "t1"), "t1", False),  # this tab's own newer write
        ((3, "t1"), (4, "t2"), "t1", True),  # another tab saved after: never overwrite it
        ((4, "t1"), (4, "t2"), "t1", True),  # both wrote revision 4 (this tab's reached no storage)
        ((5, "t1"), (4, "t2"), "t1", False),  # an older one: this tab is ahead
    ],
)
def test_saving_over_another_tabs_revision_is_a_conflict(base, stored, tab, conflict):
    mine = doc("d", rev=base[0], tab=base[1])
    other = doc("d", rev=stored[0], tab=stored[1]) if stored else None
    assert library.overwrites_other_tab(mine, other, tab) is conflict


def test_which_saves_of_another_tab_are_news():
    mine = doc("d", rev=4, tab="t1")
    assert library.is_news(mine, 5, "t2")
    assert library.is_news(mine, 4, "t2")  # the same number from another writer: a different version
    assert not library.is_news(mine, 4, "t1")
    assert not library.is_news(mine, 3, "t2")


@pytest.mark.parametrize(
    ("state", "pristine", "at_risk"),
    [
        (library.SAVED, False, False),
        (library.PENDING, False, False),  # flushed synchronously before switching
        (library.FAILED, False, True),
        (library.OFF, False, True),
        (library.FAILED, True, False),  # an untouched example can be had again
    ],
)
def test_when_opening_something_else_must_ask(state, pristine, at_risk):
    assert library.work_at_risk(state, pristine) is at_risk


def test_new_documents_get_names_no_other_has():
    lib = Library()
    first = lib.create("Untitled", "", origin=library.NEW, now=1)
    second = lib.create("Untitled", "", origin=library.NEW, now=2)
    third = lib.create("untitled", "", origin=library.NEW, now=3)
    assert [first.name, second.name, third.name] == ["Untitled", "Untitled 2", "untitled 3"]
    assert len({first.id, second.id, third.id}) == 3
    assert lib.create("Poster 2", "", origin=library.FILE, now=4).name == "Poster 2"
    assert lib.unique_name("Poster 2") == "Poster 3"
    assert lib.copy_name("Poster", "this tab") == "Poster (this tab)"
    assert lib.unique_name("   ") == "Untitled 4"


def test_recent_is_newest_first_without_the_open_one():
    lib = Library([doc("a", "A", updated=1), doc("b", "B", updated=3), doc("c", "C", updated=2)])
    assert [d.id for d in lib.recent()] == ["b", "c", "a"]
    assert [d.id for d in lib.recent(exclude="b")] == ["c", "a"]
    assert lib.latest().id == "b"
    assert lib.rename("a", "B", now=9).name == "B 2"  # no two entries share a name
    assert lib.recent()[0].id == "a"


def test_put_keeps_the_newer_copy():
    lib = Library([doc("a", "new", rev=5)])
    lib.put(doc("a", "old", rev=2))
    assert lib.get("a").name == "new"


def test_untouched_examples_and_new_documents_are_replaceable():
    lib = Library()
    example = lib.create("Poster", "", origin=library.EXAMPLE, now=1)
    mine = lib.create("Mine", "", origin=library.FILE, now=2)
    assert lib.replaceable(example.id) and not lib.replaceable(mine.id) and not lib.replaceable(None)


def test_clean_up_deletes_only_what_no_document_and_no_tab_needs():
    lib = Library(
        [
            doc("a", pictures={"image": {"key": "k1", "filename": ""}}),
            doc("b", pictures={"photo": {"key": "k2", "filename": ""}}),
        ]
    )
    assert lib.wanted_pictures() == {"k1", "k2"}
    assert library.garbage(["k1", "k2", "k3", "k4"], lib.wanted_pictures(), {"k4"}) == ["k3"]


def test_ai_image_references_are_found_in_the_text():
    key = "ab" * 32
    assert library.ai_image_refs(f'{{"data": "pyxis-blob:{key}"}}') == {key}
    assert library.ai_image_refs('{"data": "pyxis-blob:short"}') == set()


# --- saving.py ---


def test_graph_only_and_self_contained_saves_have_different_names():
    assert saving.file_name("My Poster!", embed=True) == "my-poster.json"
    assert saving.file_name("My Poster!", embed=False) == "my-poster.graph.json"
    assert saving.file_name("???", embed=False) == "workflow.graph.json"


def _ai_node(node_id: str, images: int, turns: int) -> Node:
    b64 = base64.b64encode(b"png").decode()
    recorded = []
    for i in range(turns):
        parts = [{"inlineData": {"mimeType": "image/png", "data": b64}}] if i < images else [{"text": "no"}]
        recorded.append({"prompt": f"p{i}", "model": {"parts": parts}})
    return Node(node_id, "ai.edit", {}, (0, 0), data={"turns": recorded})


def test_a_graph_only_save_says_what_it_drops_and_what_getting_it_back_costs():
    graph = Graph()
    graph.add_node(Node("photo", "source.image", {}, (0, 0)))
    graph.add_node(Node("empty", "source.image", {}, (0, 0)))
    graph.add_node(_ai_node("edit", images=2, turns=3))
    graph.add_node(_ai_node("fresh", images=0, turns=0))
    dropped = saving.graph_only_drops(graph, {"photo": b"\x89PNG"})
    assert (dropped.pictures, dropped.ai_nodes, dropped.calls) == (1, 1, 3)
    text = dropped.message()
    assert "1 picture " in text and "3 Gemini calls" in text and "Save self-contained" in text
    assert not saving.graph_only_drops(Graph(), {})


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (
            b"\xff\xd8\xff\xe0" + b"\0" * 20,
            "photo.json",
            "This is a JPEG picture, not a workflow: drop it on the canvas",
        ),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "x.png", "This is a PNG picture"),
        (b"%PDF-1.7", "doc.pdf", "This is a PDF document"),
        (b"PK\x03\x04", "w.zip", "This is a ZIP archive"),
        (b"hello", "notes.txt", "This is not a workflow file"),
    ],
)
def test_a_file_that_is_no_workflow_says_what_it_is(data, name, says):
    assert saving.not_a_workflow(data, name).startswith(says)


@pytest.mark.parametrize("data", [b'{"format": "pyxis.workflow"}', b"\xef\xbb\xbf  {", b"  [1]", b"", b"steps: []"])
def test_what_may_be_a_workflow_is_left_to_the_loader(data):
    assert saving.not_a_workflow(data, "pipeline.yaml" if data.startswith(b"steps") else "w.json") is None
