"""The Studio as a person uses it at 1920×1080, 1280×720 and 900×700: every toolbar control and menu
item clicked by its visible label with the mouse (person.click checks it is what lies under the
pointer), nothing overlapping or cut off, and a screenshot of each size and theme.

One page per window size, many clicks in it, so the file stays fast. With PYXIS_WRITE_SCREENSHOT=1
the screenshots refresh docs/screenshots/ (the README links them); otherwise they go to a temp dir.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from .editor_helpers import node, open_poster, tid, wait_first_run
from .person import VIEWPORTS, assert_reachable, button, click, menu_item

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
EXAMPLES = json.loads((ROOT / "static" / "examples" / "index.json").read_text())["examples"]


def open_at(chromium, site_url: str, size: str, **options):
    context = chromium.new_context(viewport=VIEWPORTS[size], accept_downloads=True, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + "/")
    page.wait_for_function("() => document.documentElement.dataset.studio === 'ready'", timeout=90_000)
    wait_first_run(page)
    return context, page, errors


def library_name(name: str) -> re.Pattern:
    """A document's name in the library: a second "Poster" opened beside the first is "Poster 2"."""
    return re.compile("^" + re.escape(name) + r"( \d+)?$")


def boxes_overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"] - 0.5
        and b["x"] < a["x"] + a["width"] - 0.5
        and a["y"] < b["y"] + b["height"] - 0.5
        and b["y"] < a["y"] + a["height"] - 0.5
    )


def assert_toolbar_laid_out(page: Page) -> None:
    """Nothing in the bar is cut off, overlaps another control or leaves the window."""
    bar = page.locator(".toolbar")
    width = (page.viewport_size or {"width": 0})["width"]
    assert bar.evaluate("el => el.scrollWidth <= el.clientWidth"), "the toolbar is wider than the window"
    shown = page.locator(".toolbar [data-control]:not(.collapsed), .toolbar [data-testid=toolbar-more]")
    boxes = []
    for i in range(shown.count()):
        item = shown.nth(i)
        if item.is_visible():
            box = item.bounding_box()
            assert box is not None
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{item} leaves the window"
            boxes.append((item, box))
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            assert not boxes_overlap(box_a, box_b), f"{a} overlaps {b}"


def assert_not_squashed(locator: Locator) -> None:
    assert_reachable(locator)
    assert locator.evaluate("el => el.scrollWidth <= el.clientWidth + 1"), f"{locator} is squashed"


def use(page: Page, bar_label: str | re.Pattern, menu_label: str) -> None:
    """Click a control in the bar; if the window is too narrow for it, through More ▾."""
    control = button(page, bar_label) if isinstance(bar_label, str) else page.get_by_role("button", name=bar_label)
    if control.is_visible():
        click(control)
    else:
        click(button(page, "More"))
        click(menu_item(page, menu_label))


def zoom_text(page: Page) -> str:
    return page.locator(tid("zoom-reset")).text_content() or ""


def select(page: Page, node_id: str) -> None:
    click(node(page, node_id).locator(".node-title"))
    expect(node(page, node_id)).to_have_class(re.compile(r"\bselected\b"))


def screenshot(page: Page, size: str, theme: str, tmp_path: Path) -> None:
    folder = SHOTS if os.environ.get("PYXIS_WRITE_SCREENSHOT") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.locator(tid("canvas")).hover(position={"x": 5, "y": 5})
    path = folder / f"studio-{size}-{theme}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_every_toolbar_control_and_menu_item_by_its_label(chromium, site_url, size, tmp_path):
    scheme = "light" if size == "900x700" else "dark"  # the system's preference, followed until a pick
    context, page, errors = open_at(chromium, site_url, size, color_scheme=scheme)
    try:
        open_poster(page)
        assert_toolbar_laid_out(page)
        # Every control is in the bar or, at a narrow width, in More ▾ (defect 2).
        for label, words in (
            ("Zoom out", "Zoom out"),
            ("Zoom in", "Zoom in"),
            ("Frame all nodes (F)", "Frame all nodes"),
            ("Tidy up: lay the nodes out in columns", "Tidy up"),
            ("Keyboard shortcuts (?)", "Keyboard shortcuts"),
            ("Settings", "Settings"),
        ):
            if not button(page, label).is_visible():
                click(button(page, "More"))
                assert_reachable(menu_item(page, words))
                page.keyboard.press("Escape")
                expect(page.get_by_role("menu", name="More controls")).to_be_hidden()

        # The preview's foot: Fit and Download whole, with the format picker shown too (defect 2, 12).
        select(page, "bg")
        expect(page.locator(tid("download-format"))).to_be_visible()
        assert_not_squashed(button(page, "Fit"))
        assert_not_squashed(button(page, "Download"))

        # The theme follows the system, the toggle picks the other one and it is remembered.
        other = "dark" if scheme == "light" else "light"
        background = "() => getComputedStyle(document.body).backgroundColor"
        assert (int(re.findall(r"\d+", page.evaluate(background))[0]) > 128) == (scheme == "light")
        screenshot(page, size, scheme, tmp_path)
        use(page, f"Switch to {other} theme", f"Switch to {other} theme")
        expect(page.locator("html")).to_have_attribute("data-theme", other)
        assert (int(re.findall(r"\d+", page.evaluate(background))[0]) > 128) == (other == "light")
        screenshot(page, size, other, tmp_path)
        if size == "1280x720":  # once: a reload keeps the pick
            page.reload()
            page.wait_for_function("() => document.documentElement.dataset.studio === 'ready'", timeout=90_000)
            wait_first_run(page)
            expect(page.locator("html")).to_have_attribute("data-theme", other)
            expect(page.locator(tid("workflow-name"))).to_have_value("Poster")  # the document came back too
            select(page, "bg")
        use(page, f"Switch to {scheme} theme", f"Switch to {scheme} theme")
        expect(page.locator("html")).to_have_attribute("data-theme", scheme)

        # Escape closes Settings and keeps the selection (defect 12).
        use(page, "Settings", "Settings")
        expect(page.locator(tid("settings"))).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.locator(tid("settings"))).to_be_hidden()
        expect(node(page, "bg")).to_have_class(re.compile(r"\bselected\b"))
        use(page, "Keyboard shortcuts (?)", "Keyboard shortcuts")
        expect(page.locator(tid("shortcuts"))).to_be_visible()
        click(page.locator(tid("shortcuts")).get_by_role("button", name="Close"))
        expect(page.locator(tid("shortcuts"))).to_be_hidden()

        # Examples ▾: each example by its name, with the mouse (defect 1: the menu was clipped). Each opens
        # as a new document with its own history: Undo has nothing to take back yet. Poster comes last.
        poster = next(e for e in EXAMPLES if e["file"] == "poster.json")
        for example in [*(e for e in EXAMPLES if e is not poster), poster]:
            click(button(page, "Examples"))
            click(menu_item(page, example["name"]))
            expect(page.get_by_role("menu", name="Examples")).to_be_hidden()
            opened = json.loads((ROOT / "static" / "examples" / example["file"]).read_text())["name"]
            expect(page.locator(tid("workflow-name"))).to_have_value(library_name(opened))
            expect(button(page, "Undo")).to_be_disabled()
        # Keyboard: arrows move through the items, Escape closes and gives focus back; a click
        # outside closes too.
        button(page, "Examples").focus()
        page.keyboard.press("ArrowDown")
        expect(menu_item(page, EXAMPLES[0]["name"])).to_be_focused()
        page.keyboard.press("ArrowDown")
        expect(menu_item(page, EXAMPLES[1]["name"])).to_be_focused()
        page.keyboard.press("Escape")
        expect(page.get_by_role("menu", name="Examples")).to_be_hidden()
        expect(button(page, "Examples")).to_be_focused()
        click(button(page, "Examples"))
        expect(page.get_by_role("menu", name="Examples")).to_be_visible()
        click(page.locator(".palette-category").first)
        expect(page.get_by_role("menu", name="Examples")).to_be_hidden()

        # Undo / redo by their buttons: deleting a node is a step.
        select(page, "bg")
        click(page.locator(tid("inspector")).get_by_role("button", name="Delete", exact=True))
        expect(node(page, "bg")).to_have_count(0)
        click(button(page, "Undo"))
        expect(node(page, "bg")).to_be_visible()
        click(button(page, "Redo"))
        expect(node(page, "bg")).to_have_count(0)
        click(button(page, "Undo"))
        expect(node(page, "bg")).to_be_visible()

        # Save and Save ▾: each downloads the workflow.
        with page.expect_download() as saved:
            click(button(page, "Save"))
        assert saved.value.suggested_filename.endswith(".json")
        for label in ("Save self-contained (pictures inside)", "Save graph only (no pictures)"):
            click(button(page, "More ways to save"))
            with page.expect_download() as saved:
                click(menu_item(page, label))
            assert json.loads(Path(saved.value.path()).read_text())["format"] == "pyxis.workflow"

        # Open: the label opens the file chooser.
        with page.expect_file_chooser() as chooser:
            click(button(page, "Open"))
        chooser.value.set_files(str(ROOT / "static" / "examples" / poster["file"]))
        expect(page.locator(tid("workflow-name"))).to_have_value(library_name("Poster"))

        # Run, Auto-run, and Cancel (idle: there, reachable, disabled).
        autorun = page.get_by_role("checkbox", name="Auto-run")
        click(autorun)
        expect(autorun).not_to_be_checked()
        page.evaluate("() => { delete document.documentElement.dataset.lastRun; }")
        click(button(page, "Run"))
        wait_first_run(page)
        click(autorun)
        expect(autorun).to_be_checked()
        assert_reachable(button(page, "Cancel"))
        expect(button(page, "Cancel")).to_be_disabled()

        # The view: zoom out / in / 100%, Frame all and Tidy up.
        use(page, "Frame all nodes (F)", "Frame all nodes")
        framed = zoom_text(page)
        use(page, "Zoom in", "Zoom in")
        expect(page.locator(tid("zoom-reset"))).not_to_have_text(framed)
        use(page, re.compile(r"^\d+%$"), "Zoom to 100%")
        expect(page.locator(tid("zoom-reset"))).to_have_text("100%")
        use(page, "Zoom out", "Zoom out")
        expect(page.locator(tid("zoom-reset"))).to_have_text("83%")
        use(page, "Tidy up: lay the nodes out in columns", "Tidy up")  # lays out, then frames
        expect(page.locator(tid("zoom-reset"))).to_have_text(framed)
        assert_toolbar_laid_out(page)
        assert errors == []
    finally:
        context.close()
