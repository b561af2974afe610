"""The node editor in a real Chromium: build, wire, edit, run, undo, copy/paste, delete, refusals."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .editor_helpers import (
    clear_graph,
    connect,
    drag_mouse,
    node,
    node_ids,
    port,
    run_and_wait,
    set_autorun,
    states,
    tid,
    wait_first_run,
    workflow,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def page(studio_page):
    page = studio_page.page
    wait_first_run(page)
    set_autorun(page, False)  # runs start from the Run button, so states are predictable
    yield page
    assert studio_page.errors == [], studio_page.console_tail()


def build_three(page) -> None:
    """source.gradient → transform.blur → output.export, from the palette, wired by dragging."""
    clear_graph(page)
    canvas = page.locator(tid("canvas"))
    page.locator(tid("palette-item-source.gradient")).drag_to(canvas, target_position={"x": 120, "y": 110})
    expect(node(page, "gradient")).to_be_visible()
    page.locator(tid("palette-item-transform.blur")).drag_to(canvas, target_position={"x": 380, "y": 110})
    expect(node(page, "blur")).to_be_visible()
    page.locator(tid("palette-item-output.export")).click()  # a click adds at the view centre
    expect(node(page, "export")).to_be_visible()
    # Move the export node by its title to the right of the blur node.
    drag_mouse(page, node(page, "export").locator(".node-title"), canvas, target_position={"x": 640, "y": 110})
    connect(page, "gradient.image", "blur.image")
    connect(page, "blur.image", "export.image")
    assert {(e["from"], e["to"]) for e in workflow(page)["edges"]} == {
        ("gradient.image", "blur.image"),
        ("blur.image", "export.image"),
    }


def test_build_edit_run_and_preview(page):
    build_three(page)
    node(page, "gradient").locator(".node-title").click()
    expect(page.locator(tid("inspector"))).to_contain_text("Gradient")
    page.locator(tid("param-width")).fill("320")
    page.locator(tid("param-width")).press("Enter")
    page.locator(tid("param-height")).fill("200")
    page.locator(tid("param-height")).press("Tab")
    node(page, "blur").locator(".node-title").click()
    radius = page.locator(tid("param-radius"))
    radius.fill("4")
    radius.press("Enter")
    assert workflow(page)["nodes"][1]["params"]["radius"] == 4

    assert run_and_wait(page) == {"gradient": "done", "blur": "done", "export": "done"}
    expect(node(page, "blur").locator(".node-thumb img")).to_have_attribute("src", re.compile(r"^data:image/png"))
    expect(node(page, "blur").locator(".node-status")).to_contain_text("ms")

    node(page, "export").locator(".node-title").click()
    expect(page.locator(tid("preview"))).to_have_attribute("data-loaded", "true")
    expect(page.locator(tid("preview-size"))).to_have_text("320 × 200 px")
    assert page.locator(tid("preview-image")).evaluate("canvas => canvas.width") == 320

    # A downstream edit re-runs only what lies downstream.
    page.locator(tid("param-format")).select_option("webp")
    assert run_and_wait(page) == {"gradient": "cached", "blur": "cached", "export": "done"}
    with page.expect_download() as info:
        page.locator(tid("download")).click()
    assert info.value.suggested_filename == "export.webp"
    assert open(info.value.path(), "rb").read(12)[8:12] == b"WEBP"
    node(page, "blur").locator(".node-title").click()
    page.locator(tid("param-radius")).fill("6")
    page.locator(tid("param-radius")).press("Enter")
    expect(node(page, "export")).to_have_class(re.compile(r"\bstale\b"))
    assert run_and_wait(page) == {"gradient": "cached", "blur": "done", "export": "done"}


def test_invalid_param_is_refused_inline(page):
    node(page, "corners").locator(".node-title").click()
    field = page.locator(tid("param-radius"))
    before = workflow(page)
    field.fill("-5")
    field.press("Enter")
    expect(page.locator(tid("param-error-radius"))).to_contain_text("at least 0")
    field.fill("soft")
    field.press("Enter")
    expect(page.locator(tid("param-error-radius"))).to_contain_text("whole number")
    assert workflow(page) == before
    field.fill("12")
    field.press("Enter")
    expect(page.locator(tid("param-error-radius"))).to_be_hidden()
    assert next(n for n in workflow(page)["nodes"] if n["id"] == "corners")["params"]["radius"] == 12


def test_undo_redo_copy_paste_delete(page):
    build_three(page)
    page.locator(tid("canvas")).click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+z")  # the last wire
    assert len(workflow(page)["edges"]) == 1
    page.keyboard.press("Control+Shift+z")
    assert len(workflow(page)["edges"]) == 2
    page.keyboard.press("Control+z")
    page.keyboard.press("Control+y")
    assert len(workflow(page)["edges"]) == 2

    node(page, "blur").locator(".node-title").click()
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    expect(node(page, "blur-2")).to_be_visible()
    expect(node(page, "blur-2")).to_have_class(re.compile(r"\bselected\b"))
    page.keyboard.press("Control+d")
    expect(node(page, "blur-3")).to_be_visible()

    # Shift-click adds to the selection; Delete removes both.
    node(page, "blur-2").locator(".node-title").click(modifiers=["Shift"])
    page.keyboard.press("Delete")
    expect(node(page, "blur-2")).to_have_count(0)
    expect(node(page, "blur-3")).to_have_count(0)
    page.keyboard.press("Control+z")
    expect(node(page, "blur-2")).to_be_visible()
    expect(node(page, "blur-3")).to_be_visible()

    # A wire: click it, then Delete.
    before = len(workflow(page)["edges"])
    box = page.locator(tid("edge-gradient-blur-image")).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.keyboard.press("Delete")
    assert len(workflow(page)["edges"]) == before - 1


def test_incompatible_connection_is_refused_with_a_hint(page):
    before = workflow(page)
    # Frame all stops at a legible zoom, so the whole Poster graph is wider than a 1280 px window:
    # zoom out about its left end (as a person would, with the wheel) to have both ends on screen.
    page.locator(tid("canvas")).hover(position={"x": 40, "y": 300})
    page.mouse.wheel(0, 300)
    expect(page.locator(tid("zoom-reset"))).not_to_have_text("80%")
    connect(page, "poster.file", "corners.image")
    expect(page.locator(tid("hint"))).to_contain_text("cannot connect file to image")
    assert workflow(page) == before


def test_dragging_a_wire_off_an_input_disconnects(page):
    drag_mouse(page, port(page, "corners.image", "in"), page.locator(tid("canvas")), target_position={"x": 30, "y": 30})
    edges = {(e["from"], e["to"]) for e in workflow(page)["edges"]}
    assert ("tagline.image", "corners.image") not in edges
    page.keyboard.press("Control+z")
    assert ("tagline.image", "corners.image") in {(e["from"], e["to"]) for e in workflow(page)["edges"]}


def test_wire_dropped_on_empty_canvas_offers_nodes(page):
    clear_graph(page)
    page.locator(tid("palette-item-source.solid")).drag_to(
        page.locator(tid("canvas")), target_position={"x": 150, "y": 150}
    )
    drag_mouse(
        page, port(page, "solid.image", "out"), page.locator(tid("canvas")), target_position={"x": 520, "y": 200}
    )
    menu = page.locator(tid("node-menu"))
    expect(menu).to_be_visible()
    expect(menu.locator(tid("node-menu-item-output.export"))).to_be_visible()
    expect(menu.locator(tid("node-menu-item-source.gradient"))).to_have_count(0)  # no image input
    menu.locator(tid("node-menu-item-transform.invert")).click()
    expect(node(page, "invert")).to_be_visible()
    assert workflow(page)["edges"] == [{"from": "solid.image", "to": "invert.image"}]
    page.keyboard.press("Control+z")  # adding and wiring were one step
    assert node_ids(page) == ["solid"]


def test_failed_node_shows_its_message_and_the_rest_runs(page):
    clear_graph(page)
    canvas = page.locator(tid("canvas"))
    page.locator(tid("palette-item-source.solid")).drag_to(canvas, target_position={"x": 120, "y": 100})
    page.locator(tid("palette-item-transform.crop")).drag_to(canvas, target_position={"x": 400, "y": 100})
    page.locator(tid("palette-item-transform.invert")).drag_to(canvas, target_position={"x": 120, "y": 400})
    connect(page, "solid.image", "crop.image")
    connect(page, "solid.image", "invert.image")
    node(page, "crop").locator(".node-title").click()
    page.locator(tid("param-x")).fill("5000")
    page.locator(tid("param-x")).press("Enter")
    result = run_and_wait(page)
    assert result == {"solid": "done", "crop": "failed", "invert": "done"}
    expect(page.locator(tid("node-error-crop"))).to_contain_text("outside")
    expect(page.locator(tid("node-error-invert"))).to_be_hidden()


def test_ctrl_enter_runs(page):
    page.evaluate("() => { delete document.documentElement.dataset.lastRun; }")
    page.locator(tid("canvas")).click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+Enter")
    wait_first_run(page)
    assert set(states(page).values()) == {"cached"}
    assert page.locator(tid("cancel")).is_disabled()


def test_cancel_stops_between_nodes(page):
    nodes = [{"id": "g", "type": "source.gradient", "params": {"width": 2000, "height": 2000}}]
    edges = []
    for i in range(8):
        nodes.append({"id": f"b{i}", "type": "transform.blur", "params": {"radius": 12 + i}})
        edges.append({"from": f"{nodes[-2]['id']}.image", "to": f"b{i}.image"})
    page.evaluate(
        "(t) => window.studio.load(t)",
        json.dumps({"format": "pyxis.workflow", "version": 1, "name": "Heavy", "nodes": nodes, "edges": edges}),
    )
    # The page is busy between frames while it runs: press Cancel from inside the page on the
    # third frame (the browser paints between nodes), as a user's click would land.
    page.evaluate("""() => {
        delete document.documentElement.dataset.lastRun;
        let frames = 0;
        const tick = () => { if (++frames === 3) document.querySelector('[data-testid=cancel]').click();
                             else requestAnimationFrame(tick); };
        requestAnimationFrame(tick);
        document.querySelector('[data-testid=run]').click();
    }""")
    page.wait_for_function("() => !!document.documentElement.dataset.lastRun", polling=200, timeout=60_000)
    assert page.evaluate("document.documentElement.dataset.lastRun") == "cancelled"
    assert "cancelled" in states(page).values()  # drawn as "cancelled" (neutral), see test_states.py
    expect(page.locator(tid("run"))).to_be_enabled()


def test_shortcut_sheet_and_settings_hook(page):
    page.locator(tid("canvas")).click(position={"x": 5, "y": 5})
    page.keyboard.press("?")
    expect(page.locator(tid("shortcuts"))).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(tid("shortcuts"))).to_be_hidden()
    page.locator(tid("settings-open")).click()
    expect(page.locator(tid("settings"))).to_be_visible()
    page.locator(tid("settings-close")).click()
    expect(page.locator(tid("settings"))).to_be_hidden()


def test_examples_menu_opens_and_runs_an_example(page):
    page.locator(tid("examples")).click()
    page.locator(tid("example-composite")).click()
    expect(node(page, "place")).to_be_visible()
    expect(node(page, "composite")).to_have_attribute("data-state", re.compile("done|cached"))
    assert workflow(page)["name"] == "Composite"  # a new document; the first one stays in the library


def test_zoom_buttons_wheel_and_frame(page):
    label = page.locator(tid("zoom-reset"))
    framed = label.inner_text()
    page.locator(tid("zoom-reset")).click()
    expect(label).to_have_text("100%")
    page.locator(tid("zoom-in")).click()
    expect(label).to_have_text("120%")
    page.locator(tid("canvas")).hover(position={"x": 200, "y": 200})
    page.mouse.wheel(0, 300)
    assert int(label.inner_text().rstrip("%")) < 120
    page.keyboard.press("f")
    expect(label).to_have_text(framed)


def test_double_click_quick_add_and_box_select(page):
    clear_graph(page)
    canvas = page.locator(tid("canvas"))
    canvas.dblclick(position={"x": 200, "y": 150})
    page.locator(tid("node-menu-search")).fill("sepia")
    page.keyboard.press("Enter")
    expect(node(page, "sepia")).to_be_visible()
    canvas.dblclick(position={"x": 200, "y": 420})
    page.locator(tid("node-menu-item-transform.invert")).click()
    expect(node(page, "invert")).to_be_visible()
    # Shift + drag on the background draws a box; what it touches is selected.
    page.keyboard.press("Escape")
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 20)
    page.keyboard.down("Shift")
    page.mouse.down()
    page.mouse.move(box["x"] + 500, box["y"] + box["height"] - 20, steps=6)
    page.mouse.up()
    page.keyboard.up("Shift")
    expect(page.locator(tid("inspector"))).to_contain_text("2 nodes selected")


SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot.png"


def test_screenshot_for_the_readme(chromium, site_url, tmp_path):
    """The Studio at 1280x800 with the Poster example run. With PYXIS_WRITE_SCREENSHOT=1 it
    refreshes docs/screenshot.png (the README shows it); otherwise a test run leaves the
    checkout clean."""
    target = SCREENSHOT if os.environ.get("PYXIS_WRITE_SCREENSHOT") == "1" else tmp_path / "screenshot.png"
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(site_url + "/")
        page.wait_for_function("() => document.documentElement.dataset.studio === 'ready'", timeout=90_000)
        wait_first_run(page)
        node(page, "tagline").locator(".node-title").click()
        expect(page.locator(tid("preview"))).to_have_attribute("data-loaded", "true")
        expect(node(page, "poster").locator(".node-thumb img")).to_have_attribute("src", re.compile("^data:"))
        page.locator(tid("canvas")).hover(position={"x": 5, "y": 5})
        target.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(target))
    finally:
        context.close()
    assert target.stat().st_size > 10_000
