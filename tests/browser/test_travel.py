"""Workflows that travel, in the page: the Share link, the workflow inside exported PNGs, and Run batch."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from studio.core.share import fragment_workflow
from studio.nodes.ai import call_estimate

from .editor_helpers import node, tid, wait_first_run, workflow
from .gemini_fake import FakeGemini, set_key, workflow_json
from .person import assert_reachable, button, click

pytestmark = pytest.mark.browser
ROOT = Path(__file__).parents[2]
POSTER = (ROOT / "static/examples/poster.json").read_text()
CLEANUP = (ROOT / "static/examples/photo-cleanup.json").read_text()


@pytest.fixture
def page(studio_page):
    page = studio_page.page
    wait_first_run(page)
    yield page
    assert studio_page.errors == [], studio_page.console_tail()


def load(page, text: str) -> None:
    page.evaluate("(text) => window.studio.load(text)", text)
    page.evaluate("() => window.studio.run()")


def select(page, node_id: str) -> None:
    """Click a node's title as a person would: zooming out first while it lies off screen or under a panel."""
    title = node(page, node_id).locator(".node-title")
    for _ in range(6):
        if not what_covers_or_off(title):
            break
        click(button(page, "Zoom out"))
    click(title)


def what_covers_or_off(locator) -> bool:
    try:
        assert_reachable(locator)
    except AssertionError:
        return True
    return False


def jpeg(color, size=(160, 120)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def test_share_copies_a_link_that_opens_the_same_graph_elsewhere_without_pictures(
    page, studio_context, chromium, site_url
):
    studio_context.grant_permissions(["clipboard-read", "clipboard-write"])
    load(page, POSTER)
    click(button(page, "Share"))
    expect(page.locator(tid("hint"))).to_contain_text("Share link copied")
    url = page.evaluate("() => navigator.clipboard.readText()")
    assert url == page.evaluate("() => window.studio.shareUrl()")
    carried = json.loads(fragment_workflow(url.split("#", 1)[1]))
    assert "data:" not in json.dumps(carried) and all("data" not in n for n in carried["nodes"])

    other = chromium.new_context()  # a fresh browser profile: nothing autosaved
    try:
        fresh = other.new_page()
        assert url.startswith(site_url)
        fresh.goto(url)
        fresh.wait_for_function("() => document.documentElement.dataset.studio === 'ready'", timeout=90_000)
        wait_first_run(fresh)
        opened = workflow(fresh)
        assert [(n["id"], n["params"]) for n in opened["nodes"]] == [(n["id"], n["params"]) for n in carried["nodes"]]
        expect(fresh.locator(tid("banner"))).to_contain_text("pictures and AI results are not part of a share link")
        assert "#workflow=" not in fresh.url  # taken once: a reload does not import it again
    finally:
        other.close()


def test_an_exported_png_carries_the_workflow_and_dropping_it_offers_to_open_it(page):
    load(page, POSTER)
    select(page, "poster")
    with page.expect_download() as info:
        click(page.locator(tid("download")))
    data = Path(info.value.path()).read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        carried = json.loads(image.text["pyxis.workflow"])
    assert carried["name"] == "Poster" and "data:" not in json.dumps(carried)

    page.evaluate(
        "() => window.studio.load(JSON.stringify({format: 'pyxis.workflow', version: 1, name: 'Other', nodes: [], edges: []}))"
    )
    expect(page.locator(".node")).to_have_count(0)
    drop_file(page, "poster.png", "image/png", data)
    click(button(page, "Open its workflow"))
    expect(node(page, "poster")).to_be_visible()
    assert workflow(page)["name"] == "Poster"


def drop_file(page, name: str, mime: str, data: bytes) -> None:
    """Drop a file on the canvas as the OS does: a DataTransfer with a File, drag events at a point."""
    page.evaluate(
        """([name, mime, bytes]) => {
            const canvas = document.querySelector('[data-testid="canvas"]');
            const box = canvas.getBoundingClientRect();
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(bytes)], name, {type: mime}));
            const at = {clientX: box.x + box.width / 2, clientY: box.y + box.height / 2, bubbles: true, cancelable: true, dataTransfer: transfer};
            canvas.dispatchEvent(new DragEvent('dragover', at));
            canvas.dispatchEvent(new DragEvent('drop', at));
        }""",
        [name, mime, list(data)],
    )


def test_run_batch_over_ten_pictures_downloads_one_zip_with_a_folder_each(page):
    load(page, CLEANUP)
    select(page, "photo")
    pictures = [
        {"name": f"shot{i}.jpg", "mimeType": "image/jpeg", "buffer": jpeg((i * 25, 100, 200 - i * 15))}
        for i in range(10)
    ]
    page.locator(tid("batch-pictures")).set_input_files(files=pictures)
    run = button(page, "Run batch (10 pictures)")
    with page.expect_download(timeout=120_000) as info:
        click(run)
    expect(page.locator(tid("batch-status"))).to_contain_text("10 of 10 pictures done")
    assert info.value.suggested_filename == "photo-cleanup-batch.zip"
    with zipfile.ZipFile(info.value.path()) as archive:
        names = sorted(archive.namelist())
    assert names == sorted(f"shot{i}/photo-jpeg.jpg" for i in range(10))
    assert page.locator(tid("batch-progress")).evaluate("p => [p.value, p.max]") == [10, 10]


def test_a_batch_through_an_ai_node_says_its_calls_and_price_and_sends_nothing_on_no(page):
    """Issue 10: a batch shows the estimate in its confirmation; "Don't run" calls Gemini 0 times."""
    gemini = FakeGemini(page)
    set_key(page)
    page.evaluate("(text) => window.studio.load(text)", workflow_json(embed_source=False))
    select(page, "src")
    pictures = [{"name": f"p{i}.jpg", "mimeType": "image/jpeg", "buffer": jpeg((i * 60, 90, 90))} for i in range(3)]
    page.locator(tid("batch-pictures")).set_input_files(files=pictures)
    click(button(page, "Run batch (3 pictures)"))
    confirm = page.locator(".batch-confirm")
    expect(confirm).to_contain_text("This batch will make 3 Gemini calls")
    edit = next(n for n in json.loads(page.evaluate("window.studio.workflow()"))["nodes"] if n["id"] == "edit")
    expect(page.locator(tid("batch-estimate"))).to_have_text(call_estimate(edit["params"], 3).describe())
    click(page.locator(tid("batch-decline")))
    expect(confirm).to_be_hidden()
    assert gemini.generate_calls == []


def test_cancel_stops_a_batch_and_keeps_what_finished(page):
    load(page, CLEANUP)
    select(page, "photo")
    pictures = [
        {"name": f"big{i}.jpg", "mimeType": "image/jpeg", "buffer": jpeg((90, 90, i * 20), (1600, 1200))}
        for i in range(8)
    ]
    page.locator(tid("batch-pictures")).set_input_files(files=pictures)
    click(button(page, "Run batch (8 pictures)"))
    expect(page.locator(tid("batch-status"))).to_contain_text("1 of 8", timeout=60_000)
    click(page.locator(tid("batch-cancel")))
    expect(page.locator(tid("batch-status"))).to_contain_text("cancelled", timeout=60_000)
    done = int(page.locator(tid("batch-status")).inner_text().split(" of ")[0])
    assert 1 <= done < 8


def test_several_pictures_dropped_on_a_picture_node_become_its_batch(page):
    load(page, CLEANUP)
    select(page, "photo")
    target = node(page, "photo").locator(".node-title")
    box = target.bounding_box()
    pictures = [[f"drop{i}.jpg", "image/jpeg", list(jpeg((30 * i, 60, 90)))] for i in range(3)]
    # The OS's drop of three files on the node: a DataTransfer with three Files, at the node's title.
    page.evaluate(
        """([files, x, y]) => {
            const transfer = new DataTransfer();
            for (const [name, mime, bytes] of files) transfer.items.add(new File([new Uint8Array(bytes)], name, {type: mime}));
            const at = {clientX: x, clientY: y, bubbles: true, cancelable: true, dataTransfer: transfer};
            const target = document.elementFromPoint(x, y);
            target.dispatchEvent(new DragEvent('dragover', at));
            target.dispatchEvent(new DragEvent('drop', at));
        }""",
        [pictures, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    expect(button(page, "Run batch (3 pictures)")).to_be_visible()
    expect(page.locator(tid("batch-count"))).to_contain_text("drop0.jpg, drop1.jpg, drop2.jpg")
    expect(page.locator(tid("picture-name"))).to_have_text("drop0.jpg")
