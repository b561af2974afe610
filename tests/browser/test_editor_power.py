"""The editor's power keys in a real page, by keyboard and mouse (issue 12): Ctrl+B bypasses the
selected node (dimmed, labelled, its picture passed through, saved), Ctrl+Delete deletes a node and
keeps its chain connected, Shift+Enter runs only what the selected node needs."""

from __future__ import annotations

import base64
import io
import json

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from .editor_helpers import node, run_by_button, select_node, set_autorun, tid, wait_first_run, workflow
from .person import click

pytestmark = pytest.mark.browser

CHAIN = json.dumps(
    {
        "format": "pyxis.workflow",
        "version": 2,
        "name": "Chain",
        "nodes": [
            {"id": "bg", "type": "source.solid", "params": {"width": 32, "height": 24, "color": "#c83232"}, "position": [0, 0]},
            {"id": "blur", "type": "transform.blur", "params": {"radius": 2}, "position": [260, 0]},
            {"id": "inv", "type": "transform.invert", "position": [520, 0]},
            {"id": "out", "type": "output.export", "params": {"format": "png"}, "position": [780, 0]},
        ],
        "edges": [
            {"from": "bg.image", "to": "blur.image"},
            {"from": "blur.image", "to": "inv.image"},
            {"from": "inv.image", "to": "out.image"},
        ],
    }
)  # fmt: skip


@pytest.fixture
def page(studio_page):
    page = studio_page.page
    wait_first_run(page)
    page.evaluate("(text) => window.studio.load(text)", CHAIN)  # set-up by hook; a scripted load
    page.evaluate("() => window.studio.run()")  # runs only when the script says
    yield page
    assert studio_page.errors == [], studio_page.console_tail()


def pixel(page: Page, node_id: str) -> tuple[int, int, int]:
    url = page.evaluate("id => window.studio.output(id)", node_id)
    assert url, f"no output for {node_id}"
    return Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGB").getpixel((16, 12))


def test_ctrl_b_bypasses_the_selected_node_dims_it_and_passes_its_picture_through(page, tmp_path):
    select_node(page, "inv")
    page.keyboard.press("Control+b")
    expect(node(page, "inv")).to_contain_class("bypassed")
    expect(page.locator(tid("node-bypassed-inv"))).to_be_visible()
    assert float(node(page, "inv").evaluate("el => getComputedStyle(el).opacity")) < 0.7
    assert next(n for n in workflow(page)["nodes"] if n["id"] == "inv").get("bypass") is True
    run_by_button(page)
    assert pixel(page, "inv") == pixel(page, "blur") == (200, 50, 50)  # not inverted
    page.screenshot(path=str(tmp_path / "bypassed.png"))
    # Ctrl+B again turns it off; Ctrl+Z brings the bypass back, in one step.
    page.keyboard.press("Control+b")
    expect(node(page, "inv")).not_to_contain_class("bypassed")
    expect(page.locator(tid("node-bypassed-inv"))).to_be_hidden()
    run_by_button(page)
    assert pixel(page, "inv") == (55, 205, 205)
    page.keyboard.press("Control+z")
    expect(node(page, "inv")).to_contain_class("bypassed")
    # An export has no picture to pass on: refused, said, nothing changes.
    select_node(page, "out")
    page.keyboard.press("Control+b")
    expect(page.get_by_text("Export “out” cannot be bypassed: it has no image to pass through")).to_be_visible()
    assert not next(n for n in workflow(page)["nodes"] if n["id"] == "out").get("bypass")


def test_ctrl_delete_keeps_the_chain_and_undo_puts_the_node_back(page):
    select_node(page, "blur")
    page.keyboard.press("Control+Delete")
    expect(node(page, "blur")).to_have_count(0)
    edges = {(e["from"], e["to"]) for e in workflow(page)["edges"]}
    assert edges == {("bg.image", "inv.image"), ("inv.image", "out.image")}
    expect(page.locator('path.edge-hit[data-edge="bg.image>inv.image"]')).to_have_count(1)
    page.keyboard.press("Control+z")
    expect(node(page, "blur")).to_be_visible()
    assert {(e["from"], e["to"]) for e in workflow(page)["edges"]} == {
        ("bg.image", "blur.image"),
        ("blur.image", "inv.image"),
        ("inv.image", "out.image"),
    }
    # Plain Delete still leaves the gap.
    select_node(page, "blur")
    page.keyboard.press("Delete")
    assert {(e["from"], e["to"]) for e in workflow(page)["edges"]} == {("inv.image", "out.image")}


def test_shift_enter_runs_only_what_the_selected_node_needs(page):
    set_autorun(page, False)
    select_node(page, "bg")
    field = page.locator(tid("param-color"))
    field.fill("#3264c8")
    field.press("Enter")
    for stale in ("bg", "blur", "inv", "out"):
        expect(node(page, stale)).to_contain_class("stale")
    select_node(page, "blur")
    page.evaluate("() => { delete document.documentElement.dataset.lastRun; }")
    page.locator(tid("canvas")).focus()
    page.keyboard.press("Shift+Enter")
    wait_first_run(page)
    expect(node(page, "blur")).not_to_contain_class("stale")
    expect(node(page, "bg")).not_to_contain_class("stale")
    expect(node(page, "inv")).to_contain_class("stale")  # downstream of "here": not run
    expect(node(page, "out")).to_contain_class("stale")
    assert pixel(page, "blur") == (50, 100, 200)


def test_the_context_menu_of_a_node_and_of_the_canvas_by_mouse_and_keyboard(page, tmp_path):
    menu = page.locator(tid("context-menu"))
    # Right-click a node: it is selected and its menu opens there.
    node(page, "inv").locator(".node-title").click(button="right")
    expect(menu).to_be_visible()
    expect(page.locator(".inspector-type")).to_contain_text("inv")
    labels = menu.locator('[role="menuitem"] > span').all_inner_texts()
    assert labels == [
        "Run to here", "Bypass", "Frame the selection", "Rename…", "Duplicate", "Delete", "Delete, keep the chain"
    ]  # fmt: skip
    page.screenshot(path=str(tmp_path / "node-menu.png"))
    click(menu.get_by_role("menuitem", name="Bypass"))
    expect(menu).to_be_hidden()
    expect(node(page, "inv")).to_contain_class("bypassed")
    # The menu key opens it for the selection; the bypass item now turns it off; arrows and Enter choose.
    page.locator(tid("canvas")).focus()
    page.keyboard.press("ContextMenu")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("menuitem", name="Turn bypass off")).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("menuitem", name="Turn bypass off")).to_be_focused()
    page.keyboard.press("Enter")
    expect(node(page, "inv")).not_to_contain_class("bypassed")
    # Escape closes it and keeps the selection.
    page.keyboard.press("Shift+F10")
    expect(menu).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(page.locator(".inspector-type")).to_contain_text("inv")
    click(node(page, "inv").locator(".node-title"))
    node(page, "inv").locator(".node-title").click(button="right")
    click(menu.get_by_role("menuitem", name="Delete, keep the chain"))
    assert {(e["from"], e["to"]) for e in workflow(page)["edges"]} == {
        ("bg.image", "blur.image"),
        ("blur.image", "out.image"),
    }

    # On the background: add a node there, through the searchable list.
    canvas = page.locator(tid("canvas"))
    box = canvas.bounding_box()
    assert box is not None
    canvas.click(button="right", position={"x": box["width"] / 2, "y": box["height"] - 120})
    expect(menu).to_be_visible()
    assert menu.locator('[role="menuitem"] > span').all_inner_texts() == ["Add a node…", "Paste", "Frame all"]
    click(menu.get_by_role("menuitem", name="Add a node…"))
    page.locator(tid("node-menu-search")).fill("sepia")
    page.keyboard.press("Enter")
    expect(page.locator('.node[data-node="sepia"]')).to_be_visible()
    page.screenshot(path=str(tmp_path / "canvas-menu.png"))


def test_rename_a_node_in_place_and_colour_it_from_its_menu_and_undo_each(page, tmp_path):
    menu = page.locator(tid("context-menu"))
    node(page, "blur").locator(".node-title").click(button="right")
    click(menu.get_by_role("menuitem", name="Rename…"))
    box = page.locator(tid("node-title-input-blur"))
    expect(box).to_be_focused()
    page.keyboard.type("Soften the edges")  # the letters are text here, not shortcuts (F frames, M maps)
    page.keyboard.press("Enter")
    expect(page.locator(tid("node-title-blur"))).to_have_text("Soften the edges")
    saved = next(n for n in workflow(page)["nodes"] if n["id"] == "blur")
    assert saved["title"] == "Soften the edges" and workflow(page)["version"] == 3

    node(page, "blur").locator(".node-title").click(button="right")
    click(menu.get_by_role("menuitem", name="Colour: Orange"))
    expect(node(page, "blur")).to_contain_class("tinted")
    head = node(page, "blur").locator(".node-head").evaluate("el => getComputedStyle(el).boxShadow")
    assert "217, 130, 43" in head, head  # the orange band across its head
    assert next(n for n in workflow(page)["nodes"] if n["id"] == "blur")["color"] == "#d9822b"
    page.screenshot(path=str(tmp_path / "coloured.png"))

    # F2 renames the selected node too; Escape leaves the title as it was.
    page.keyboard.press("F2")
    expect(page.locator(tid("node-title-input-blur"))).to_be_focused()
    page.keyboard.type("Nope")
    page.keyboard.press("Escape")
    expect(page.locator(tid("node-title-blur"))).to_have_text("Soften the edges")
    # An empty title gives the type's back; each change is one undo step.
    page.keyboard.press("F2")
    page.keyboard.press("Backspace")
    page.keyboard.press("Enter")
    expect(page.locator(tid("node-title-blur"))).to_have_text("Blur")
    click(page.locator(tid("undo")))
    expect(page.locator(tid("node-title-blur"))).to_have_text("Soften the edges")
    click(page.locator(tid("undo")))
    expect(node(page, "blur")).not_to_contain_class("tinted")
    assert "color" not in next(n for n in workflow(page)["nodes"] if n["id"] == "blur")


def test_the_minimap_shows_the_graph_and_dragging_on_it_moves_the_view(page, tmp_path):
    wide = json.loads(CHAIN)
    for index, item in enumerate(wide["nodes"]):
        item["position"] = [index * 1400, 0]  # wider than the view at a legible zoom
    page.evaluate("(text) => window.studio.load(text)", json.dumps(wide))
    page.evaluate("() => window.studio.run()")
    canvas = page.locator(tid("canvas"))
    area = canvas.bounding_box()
    assert area is not None
    out = node(page, "out")
    assert out.bounding_box()["x"] > area["x"] + area["width"]  # off to the right

    minimap = page.locator(tid("minimap"))
    expect(minimap).to_be_hidden()
    canvas.click(position={"x": 20, "y": area["height"] - 20})  # the background: focus, no node
    page.keyboard.press("m")
    expect(minimap).to_be_visible()
    expect(page.locator(tid("minimap-toggle"))).to_have_attribute("aria-pressed", "true")
    expect(minimap).to_have_attribute("data-nodes", "4")
    # Drawn in the theme's colours (a light-dark() value once made every node black).
    painted = page.locator(tid("minimap-canvas")).evaluate(
        """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let black = 0, drawn = 0;
                  for (let i = 0; i < d.length; i += 4) { if (d[i + 3] === 255) { drawn++; if (!d[i] && !d[i + 1] && !d[i + 2]) black++; } }
                  return [drawn, black]; }"""
    )
    assert painted[0] > 50 and painted[1] == 0, painted
    drawn = page.locator(tid("minimap-canvas"))
    box = drawn.bounding_box()
    assert box is not None
    view_x, view_y, view_w, view_h = (float(v) for v in minimap.get_attribute("data-view").split(","))
    start = (box["x"] + view_x + view_w / 2, box["y"] + view_y + view_h / 2)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 10, start[1], steps=5)
    page.mouse.up()
    moved = out.bounding_box()
    assert moved is not None and area["x"] <= moved["x"] and moved["x"] + moved["width"] <= area["x"] + area["width"]
    assert minimap.get_attribute("data-view") != f"{view_x:.0f},{view_y:.0f},{view_w:.0f},{view_h:.0f}"
    page.screenshot(path=str(tmp_path / "minimap.png"))
    # The toolbar button hides it again.
    click(page.locator(tid("minimap-toggle")))
    expect(minimap).to_be_hidden()
    expect(page.locator(tid("minimap-toggle"))).to_have_attribute("aria-pressed", "false")
    # In a narrow window the map is smaller: it covers little of a 900 px wide page's canvas.
    page.set_viewport_size({"width": 900, "height": 700})
    narrow = canvas.bounding_box()
    assert narrow is not None
    canvas.click(position={"x": 20, "y": narrow["height"] - 20})  # (the toolbar button is in More ▾ here)
    page.keyboard.press("m")
    expect(minimap).to_be_visible()
    small = drawn.bounding_box()
    assert small is not None
    assert small["width"] <= 0.3 * narrow["width"] and small["height"] <= 0.2 * narrow["height"], (small, narrow)
    page.screenshot(path=str(tmp_path / "minimap-900.png"))


def test_a_node_dragged_onto_a_wire_is_spliced_in_and_one_undo_takes_it_back(page, tmp_path):
    click(page.locator(tid("palette-item-transform.sepia")))  # lands unwired near the centre
    expect(node(page, "sepia")).to_be_visible()
    placed = next(n for n in workflow(page)["nodes"] if n["id"] == "sepia")["position"]
    wire = page.locator('path.edge-hit[data-edge="blur.image>inv.image"]')
    middle = wire.evaluate(
        """p => { const at = p.getPointAtLength(p.getTotalLength() / 2), m = p.getScreenCTM();
                  return [at.x * m.a + at.y * m.c + m.e, at.x * m.b + at.y * m.d + m.f]; }"""
    )
    head = node(page, "sepia").locator(".node-head").bounding_box()
    assert head is not None
    grab = (head["x"] + 30, head["y"] + head["height"] / 2)
    page.mouse.move(*grab)
    page.mouse.down()
    page.mouse.move((grab[0] + middle[0]) / 2, (grab[1] + middle[1]) / 2, steps=4)
    page.mouse.move(middle[0], middle[1], steps=4)
    expect(page.locator('.edge[data-edge="blur.image>inv.image"]')).to_contain_class("insert-target")
    expect(node(page, "sepia")).to_contain_class("inserting")
    page.screenshot(path=str(tmp_path / "over-a-wire.png"))
    page.mouse.up()
    edges = {(e["from"], e["to"]) for e in workflow(page)["edges"]}
    assert ("blur.image", "sepia.image") in edges and ("sepia.image", "inv.image") in edges
    assert ("blur.image", "inv.image") not in edges
    expect(page.locator(".edge.insert-target, .node.inserting")).to_have_count(0)
    page.keyboard.press("Control+z")  # the move and the splice are one step
    edges = {(e["from"], e["to"]) for e in workflow(page)["edges"]}
    assert ("blur.image", "inv.image") in edges and not any("sepia" in a or "sepia" in b for a, b in edges)
    assert next(n for n in workflow(page)["nodes"] if n["id"] == "sepia")["position"] == placed


def test_frames_by_ctrl_g_move_with_their_nodes_resize_collapse_rename_and_are_saved(page, tmp_path):
    click(node(page, "bg").locator(".node-title"))
    node(page, "blur").locator(".node-title").click(modifiers=["Shift"])
    page.keyboard.press("Control+g")
    frame = page.locator(tid("frame-frame"))
    expect(frame).to_be_visible()
    area, bg, blur = frame.bounding_box(), node(page, "bg").bounding_box(), node(page, "blur").bounding_box()
    for inner in (bg, blur):
        assert area["x"] < inner["x"] and inner["x"] + inner["width"] < area["x"] + area["width"]
        assert area["y"] < inner["y"] and inner["y"] + inner["height"] < area["y"] + area["height"]
    saved = workflow(page)["frames"]
    assert [(f["id"], f["nodes"]) for f in saved] == [("frame", ["bg", "blur"])]

    # Dragging the title bar moves the frame and its nodes (not the others); one undo step.
    positions = {n["id"]: n["position"] for n in workflow(page)["nodes"]}
    head = page.locator(tid("frame-head-frame")).bounding_box()
    start = (head["x"] + head["width"] / 2, head["y"] + head["height"] / 2)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] + 60, start[1] + 40, steps=6)
    page.mouse.up()
    moved = {n["id"]: n["position"] for n in workflow(page)["nodes"]}
    zoom = head["height"] / 32  # the bar is 32 graph units tall
    for held in ("bg", "blur"):  # the whole drag, not just its first move
        assert moved[held][0] - positions[held][0] == pytest.approx(60 / zoom, abs=2)
        assert moved[held][1] - positions[held][1] == pytest.approx(40 / zoom, abs=2)
    assert moved["inv"] == positions["inv"] and moved["out"] == positions["out"]
    page.keyboard.press("Control+z")
    assert {n["id"]: n["position"] for n in workflow(page)["nodes"]} == positions

    # The corner: dragged over "inv", the frame holds it too.
    corner = page.locator(tid("frame-resize-frame")).bounding_box()
    inv = node(page, "inv").bounding_box()
    page.mouse.move(corner["x"] + 8, corner["y"] + 8)
    page.mouse.down()
    page.mouse.move(inv["x"] + inv["width"] + 20, corner["y"] + 8, steps=6)
    page.mouse.up()
    assert workflow(page)["frames"][0]["nodes"] == ["bg", "blur", "inv"]

    # Collapsed to its bar: its nodes and their wires are hidden, the bar counts them.
    click(page.locator(tid("frame-collapse-frame")))
    expect(node(page, "bg")).to_be_hidden()
    expect(page.locator(tid("frame-head-frame"))).to_contain_text("3 nodes")
    expect(page.locator('path.edge-hit[data-edge="inv.image>out.image"]')).to_have_count(0)
    page.screenshot(path=str(tmp_path / "collapsed.png"))
    click(page.locator(tid("frame-collapse-frame")))
    expect(node(page, "bg")).to_be_visible()
    expect(page.locator('path.edge-hit[data-edge="inv.image>out.image"]')).to_have_count(1)

    # Double-click the title to rename it.
    page.locator(tid("frame-title-frame")).dblclick()
    box = page.locator(tid("frame-title-input-frame"))
    expect(box).to_be_focused()
    box.fill("Colour and blur")
    box.press("Enter")
    expect(page.locator(tid("frame-title-frame"))).to_have_text("Colour and blur")
    saved = workflow(page)["frames"][0]
    assert saved["title"] == "Colour and blur" and saved.get("collapsed", False) is False
    page.screenshot(path=str(tmp_path / "frame.png"))


def test_a_param_change_redraws_its_node_and_what_follows_never_the_nodes_before(page):
    """Issue 8, item 8: a slider tick in a large graph must not rebuild every node."""
    set_autorun(page, False)  # no run after the edit: what changes is the edit's own redraw
    select_node(page, "blur")
    page.evaluate(
        """() => {
        window.__touched = new Set();
        window.__observer = new MutationObserver(records => { for (const r of records) {
            const node = (r.target.nodeType === 1 ? r.target : r.target.parentElement)?.closest('.node');
            if (node) window.__touched.add(node.dataset.node);
        } });
        window.__observer.observe(document.querySelector('[data-testid="canvas"]'),
            {subtree: true, childList: true, attributes: true, characterData: true});
    }"""
    )
    field = page.locator(tid("param-radius"))
    click(field)
    field.fill("5")
    field.press("Enter")
    expect(node(page, "blur").locator(".node-summary")).to_have_text("radius 5")
    touched = set(page.evaluate("() => { window.__observer.disconnect(); return [...window.__touched]; }"))
    assert "blur" in touched and "bg" not in touched, touched  # downstream may show "stale"
