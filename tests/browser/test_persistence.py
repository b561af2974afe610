"""Never lose work: autosave across reloads (pictures included), safe Open, Save round trip, bad uploads."""

from __future__ import annotations

import io
import json
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from .editor_helpers import node, png_bytes, set_autorun, states, tid, wait_first_run, workflow
from .person import button, click

pytestmark = pytest.mark.browser

SAVED = "() => document.documentElement.dataset.autosave === 'saved'"
# This tab's document envelope, as autosave keeps it in localStorage (studio/app/library.py Doc).
CURRENT_DOC = "() => JSON.parse(localStorage.getItem('pyxis.doc.' + sessionStorage.getItem('pyxis.tab.doc')))"


@pytest.fixture
def page(studio_page):
    page = studio_page.page
    wait_first_run(page)
    yield page
    assert studio_page.errors == [], studio_page.console_tail()


def add_picture_node(page, data: bytes, name: str = "photo.png") -> None:
    page.locator(tid("palette-item-source.image")).click()
    expect(node(page, "image")).to_be_visible()
    page.locator(tid("param-image")).set_input_files(files=[{"name": name, "mimeType": "image/png", "buffer": data}])
    expect(page.locator(tid("picture-name"))).to_have_text(name)


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def rename(page, name: str) -> None:
    field = page.locator(tid("workflow-name"))
    click(field)
    field.fill(name)
    field.press("Enter")


def test_first_visit_shows_the_poster_already_run(page):
    assert workflow(page)["name"] == "AI Edit"  # the first example (shell.FIRST_EXAMPLE) is the AI one
    assert set(states(page).values()) == {"done"}
    expect(node(page, "poster").locator(".node-thumb img")).to_have_attribute("src", re.compile("^data:image/png"))
    expect(page.locator(tid("preview"))).to_have_attribute("data-loaded", "true")


def test_autosave_survives_a_reload_with_the_uploaded_picture(page):
    add_picture_node(page, png_bytes((40, 30)), "tiny.png")
    page.locator(tid("workflow-name")).fill("Kept")
    page.locator(tid("workflow-name")).press("Enter")
    expect(node(page, "image")).to_have_attribute("data-state", "done")
    page.wait_for_function(SAVED)
    before = workflow(page)
    assert len(page.evaluate(CURRENT_DOC)["text"]) < 20000  # no picture inside

    page.evaluate("() => { delete document.documentElement.dataset.lastRun; }")
    page.reload()
    page.wait_for_function("() => document.documentElement.dataset.studio === 'ready'", timeout=90_000)
    wait_first_run(page)
    assert workflow(page) == before
    expect(node(page, "image")).to_have_attribute("data-state", "done")
    expect(node(page, "image").locator(".node-thumb img")).to_have_attribute("src", re.compile("^data:image/png"))
    node(page, "image").locator(".node-title").click()
    expect(page.locator(tid("preview-size"))).to_have_text("40 × 30 px")


def test_a_broken_autosave_is_kept_and_the_example_opens(page):
    page.wait_for_function(SAVED)  # the first visit's own autosave must not overwrite ours
    page.evaluate(
        """() => {
        const doc = JSON.parse(localStorage.getItem('pyxis.doc.' + sessionStorage.getItem('pyxis.tab.doc')));
        doc.rev += 100;
        doc.text = '{"format": "pyxis.workflow", "version": 1, "nodes": [{"id": "x", "type": "nope.nope"}]}';
        localStorage.setItem('pyxis.doc.' + doc.id, JSON.stringify(doc));
    }"""
    )
    page.evaluate("() => { delete document.documentElement.dataset.lastRun; }")
    page.reload()
    page.wait_for_function("() => document.documentElement.dataset.studio === 'ready'", timeout=90_000)
    wait_first_run(page)
    expect(page.locator(tid("banner"))).to_contain_text("could not be restored")
    expect(page.locator(tid("banner"))).to_contain_text("nope.nope")
    assert workflow(page)["name"] == "AI Edit"  # the first example
    assert "nope.nope" in page.evaluate("() => localStorage.getItem('pyxis.autosave.broken')")


def test_a_bad_workflow_file_shows_the_error_and_changes_nothing(page):
    before = workflow(page)
    bad = json.dumps(
        {
            "format": "pyxis.workflow",
            "version": 1,
            "nodes": [{"id": "blur", "type": "transform.blur", "params": {"radius": -4}}],
        }
    )
    page.locator(tid("workflow-open")).set_input_files(
        files=[{"name": "bad.json", "mimeType": "application/json", "buffer": bad.encode()}]
    )
    banner = page.locator(tid("banner"))
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Could not open bad.json")
    expect(banner).to_contain_text("node 'blur' param 'radius'")
    assert workflow(page) == before
    page.locator(tid("banner-dismiss")).click()
    expect(banner).to_be_hidden()

    page.locator(tid("workflow-open")).set_input_files(
        files=[{"name": "junk.json", "mimeType": "application/json", "buffer": b"{not json"}]
    )
    expect(banner).to_contain_text("not valid JSON")
    assert workflow(page) == before


def test_a_corrupt_upload_fails_on_its_node(page):
    set_autorun(page, True)
    add_picture_node(page, b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "broken.png")
    expect(node(page, "image")).to_have_attribute("data-state", "failed")
    expect(page.locator(tid("node-error-image"))).to_be_visible()
    assert page.locator(tid("node-error-image")).inner_text().strip() != ""
    assert states(page)["poster"] == "done" or states(page)["poster"] == "cached"


def test_save_downloads_a_file_that_loads_back(page):
    add_picture_node(page, png_bytes((20, 10)), "small.png")
    with page.expect_download() as info:
        page.locator(tid("workflow-save")).click()
    download = info.value
    assert download.suggested_filename == "ai-edit.json"
    text = open(download.path(), encoding="utf-8").read()
    saved = json.loads(text)
    image_node = next(n for n in saved["nodes"] if n["id"] == "image")
    assert image_node["params"]["image"].startswith("data:image/png;base64,")  # self-contained

    # Open it again (through the picker): the same graph, and the picture is back.
    page.evaluate("() => window.studio.load(JSON.stringify({format: 'pyxis.workflow', version: 1, nodes: []}))")
    expect(page.locator(".node")).to_have_count(0)
    page.locator(tid("workflow-open")).set_input_files(
        files=[{"name": "poster.json", "mimeType": "application/json", "buffer": text.encode()}]
    )
    expect(node(page, "image")).to_be_visible()
    expect(node(page, "image")).to_have_attribute("data-state", re.compile("done|cached"))
    assert {n["id"] for n in workflow(page)["nodes"]} == {n["id"] for n in saved["nodes"]}

    with page.expect_download() as info:
        page.locator(tid("workflow-save-menu")).click()
        page.locator(tid("workflow-save-graph")).click()
    assert info.value.suggested_filename.endswith(".graph.json")  # never mistaken for the full file
    graph_only = json.loads(open(info.value.path(), encoding="utf-8").read())
    assert next(n for n in graph_only["nodes"] if n["id"] == "image")["params"].get("image", "") == ""
    # It says what the file leaves out.
    # The first visit's AI Edit example has its own photo and a recorded AI result beside ours.
    expect(page.locator(tid("banner"))).to_contain_text("Not in this file: 2 pictures")


def test_opening_a_picture_as_a_workflow_says_what_it_is(page):
    before = workflow(page)
    page.locator(tid("workflow-open")).set_input_files(
        files=[{"name": "holiday.json", "mimeType": "application/json", "buffer": jpeg_bytes()}]
    )
    expect(page.locator(tid("banner"))).to_contain_text("This is a JPEG picture, not a workflow: drop it on the canvas")
    assert workflow(page) == before


def test_new_and_recent_keep_every_workflow(page):
    rename(page, "My first")
    page.wait_for_function(SAVED)
    click(button(page, "New"))
    expect(page.locator(".node")).to_have_count(0)
    expect(page.locator(tid("workflow-name"))).to_have_value("Untitled")

    # A file opens as a document of its own, with a name no other one has.
    text = json.dumps({"format": "pyxis.workflow", "version": 1, "name": "My first", "nodes": []})
    page.locator(tid("workflow-open")).set_input_files(
        files=[{"name": "mine.json", "mimeType": "application/json", "buffer": text.encode()}]
    )
    expect(page.locator(tid("workflow-name"))).to_have_value("My first 2")
    page.wait_for_function(SAVED)

    click(button(page, "Recent"))
    menu = page.locator(tid("recent-menu"))
    expect(menu).to_contain_text("My first")
    expect(menu).not_to_contain_text("Untitled")  # an untouched New leaves no trace
    click(menu.get_by_role("menuitem").filter(has_text=re.compile("^My first(?! 2)")))
    expect(page.locator(tid("workflow-name"))).to_have_value("My first")
    expect(node(page, "poster")).to_be_visible()

    click(button(page, "Recent"))
    page.once("dialog", lambda dialog: dialog.accept())
    click(menu.get_by_role("button", name="Delete My first 2"))
    expect(menu).not_to_contain_text("My first 2")


def test_a_dropped_picture_becomes_a_source_node(page):
    data = list(png_bytes((16, 16)))
    page.evaluate(
        """(bytes) => {
        const file = new File([new Uint8Array(bytes)], 'dropped.png', {type: 'image/png'});
        const dt = new DataTransfer(); dt.items.add(file);
        const canvas = document.querySelector('[data-testid=canvas]');
        const r = canvas.getBoundingClientRect();
        const at = {bubbles: true, cancelable: true, dataTransfer: dt, clientX: r.left + 100, clientY: r.top + 100};
        canvas.dispatchEvent(new DragEvent('dragover', at));
        canvas.dispatchEvent(new DragEvent('drop', at));
    }""",
        data,
    )
    expect(node(page, "image")).to_be_visible()
    assert next(n for n in workflow(page)["nodes"] if n["id"] == "image")["params"]["filename"] == "dropped.png"


def test_a_pasted_picture_becomes_a_source_node(page):
    data = list(png_bytes((16, 16)))
    page.locator(tid("canvas")).click(position={"x": 5, "y": 5})
    page.evaluate(
        """(bytes) => {
        const file = new File([new Uint8Array(bytes)], 'pasted.png', {type: 'image/png'});
        const dt = new DataTransfer(); dt.items.add(file);
        document.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
    }""",
        data,
    )
    expect(node(page, "image")).to_be_visible()
