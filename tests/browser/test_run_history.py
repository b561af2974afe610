"""Run history and compare in a real page, by mouse (issue 12, item 7): each run of an output node
leaves a shot under the preview; clicking one compares it with the newest, under a slider or side
by side, labelled, with what differs; the history outlives a reload; two AI steps compare too."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from .editor_helpers import run_by_button, select_node, set_autorun, tid, wait_first_run
from .gemini_fake import BLUE, GREEN, FakeGemini, answer, load, set_key, start_waiting_for_run, wait_run, workflow_json
from .person import button, click

pytestmark = pytest.mark.browser

CHAIN = json.dumps(
    {
        "format": "pyxis.workflow",
        "version": 2,
        "name": "History",
        "nodes": [
            {"id": "bg", "type": "source.solid", "params": {"width": 32, "height": 24, "color": "#c83232"}, "position": [0, 0]},
            {"id": "blur", "type": "transform.blur", "params": {"radius": 2}, "position": [260, 0]},
            {"id": "out", "type": "output.export", "params": {"format": "png"}, "position": [520, 0]},
        ],
        "edges": [{"from": "bg.image", "to": "blur.image"}, {"from": "blur.image", "to": "out.image"}],
    }
)  # fmt: skip


def set_param(page: Page, name: str, value: str) -> None:
    field = page.locator(tid(f"param-{name}"))
    click(field)
    field.fill(value)
    field.press("Enter")


@pytest.fixture
def page(studio_page):
    page = studio_page.page
    wait_first_run(page)
    set_autorun(page, False)  # each run below is one the test asks for
    page.evaluate("(text) => window.studio.load(text)", CHAIN)
    run_by_button(page)
    yield page
    assert studio_page.errors == [], studio_page.console_tail()


def test_each_run_leaves_a_shot_and_two_compare_with_a_slider_side_by_side_and_labels(page, tmp_path):
    select_node(page, "blur")
    set_param(page, "radius", "6")
    run_by_button(page)
    select_node(page, "bg")
    set_param(page, "width", "40")
    run_by_button(page)
    select_node(page, "out")
    strip = page.locator(tid("history-strip"))
    expect(strip).to_be_visible()
    expect(page.locator(tid("history-count"))).to_have_text("3 runs")
    for number in (1, 2, 3):
        expect(page.locator(tid(f"history-shot-{number}"))).to_be_visible()
    assert "blur.radius: 2 → 6" in (page.locator(tid("history-shot-2")).get_attribute("title") or "")

    click(page.locator(tid("history-shot-1")))  # run 1 against the newest
    dialog = page.locator(tid("compare-dialog"))
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("data-loaded", "true")
    expect(page.locator(tid("compare-label-a"))).to_contain_text("Run 1")
    expect(page.locator(tid("compare-label-a"))).to_contain_text("32 × 24 px")
    expect(page.locator(tid("compare-label-b"))).to_contain_text("Run 3")
    expect(page.locator(tid("compare-label-b"))).to_contain_text("40 × 24 px")
    diff = page.locator(tid("compare-diff"))
    expect(diff).to_contain_text("bg.width: 32 → 40")
    expect(diff).to_contain_text("blur.radius: 2 → 6")
    # The pictures are the stored results: run 1 is the red solid, 32 px wide.
    assert page.locator(tid("compare-image-a")).evaluate("c => [c.width, c.height]") == [32, 24]
    red = page.locator(tid("compare-image-a")).evaluate(
        "c => Array.from(c.getContext('2d').getImageData(16, 12, 1, 1).data.slice(0, 3))"
    )
    assert red == [200, 50, 50]

    # The slider: a click near its left end shows little of the left picture.
    slider = page.locator(tid("compare-range"))
    box = slider.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 0.15, box["y"] + box["height"] / 2)
    clip = page.locator(".compare-pane.a").evaluate("el => el.style.clipPath")
    assert clip.startswith("inset(0px 8") or clip.startswith("inset(0 8"), clip
    page.screenshot(path=str(tmp_path / "compare-slider.png"))

    click(page.locator(tid("compare-mode-side")))
    expect(page.locator(tid("compare-stage"))).to_contain_class("side")
    expect(slider).to_be_hidden()
    a, b = (page.locator(tid(f"compare-image-{s}")).bounding_box() for s in "ab")
    assert a is not None and b is not None and a["x"] + a["width"] <= b["x"] + 1  # left beside right
    # The wheel zooms both sides alike, so the same detail sits under the same spot.
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
    page.mouse.wheel(0, -400)
    transforms = [page.locator(tid(f"compare-image-{s}")).evaluate("c => c.style.transform") for s in "ab"]
    assert transforms[0] == transforms[1] and "scale(1)" not in transforms[0], transforms
    page.screenshot(path=str(tmp_path / "compare-side.png"))
    page.mouse.dblclick(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)  # back to the whole picture
    assert "scale(1)" in page.locator(tid("compare-image-b")).evaluate("c => c.style.transform")

    # Another pair from the pickers: run 2 against run 3 differs only by the width.
    page.locator(tid("compare-a")).select_option(
        label=page.locator(tid("compare-a")).locator("option").nth(1).inner_text()
    )
    expect(diff).to_have_text("bg.width: 32 → 40")
    click(page.locator(tid("compare-close")))
    expect(dialog).to_be_hidden()


def test_the_history_outlives_a_reload_and_the_same_settings_make_no_new_shot(page):
    select_node(page, "blur")
    set_param(page, "radius", "5")
    run_by_button(page)
    page.wait_for_function("() => document.documentElement.dataset.autosave === 'saved'")
    page.reload()
    page.wait_for_function("() => document.documentElement.dataset.studio === 'ready'")
    wait_first_run(page)  # the reload ran the document again, at the same settings
    select_node(page, "out")
    expect(page.locator(tid("history-count"))).to_have_text("2 runs")
    click(page.locator(tid("history-compare")))
    expect(page.locator(tid("compare-dialog"))).to_have_attribute("data-loaded", "true")
    expect(page.locator(tid("compare-diff"))).to_have_text("blur.radius: 2 → 5")
    size = page.locator(tid("compare-image-a")).evaluate("c => [c.width, c.height]")
    assert size == [32, 24]  # the picture came back from the browser's storage


def test_two_ai_steps_compare_from_the_ai_panel(studio_page, tmp_path):
    page = studio_page.page
    gemini = FakeGemini(page)
    wait_first_run(page)
    gemini.answer((200, answer(GREEN, "Green.", signature="s1")), (200, answer(BLUE, "Blue.", signature="s2")))
    set_key(page)
    load(page, workflow_json())
    select_node(page, "edit")
    start_waiting_for_run(page)
    click(page.locator(tid("run")))
    wait_run(page)
    click(page.locator(tid("ai-followup")))
    page.keyboard.type("Now make it blue")
    start_waiting_for_run(page)
    click(button(page, "Send"))
    wait_run(page)
    click(page.locator(tid("ai-compare")))
    expect(page.locator(tid("compare-dialog"))).to_have_attribute("data-loaded", "true")
    expect(page.locator(tid("compare-label-a"))).to_contain_text("Step 1 · 64 × 48 px")
    expect(page.locator(tid("compare-label-b"))).to_contain_text("Step 2")
    expect(page.locator(tid("compare-diff"))).to_contain_text("Step 2: asked 'Now make it blue'")
    pixels = [
        page.locator(tid(f"compare-image-{s}")).evaluate(
            "c => Array.from(c.getContext('2d').getImageData(5, 5, 1, 1).data.slice(0, 3))"
        )
        for s in "ab"
    ]
    assert pixels == [[0, 200, 0], [0, 0, 220]]
    page.screenshot(path=str(tmp_path / "compare-ai.png"))
    assert len(gemini.generate_calls) == 2  # comparing costs nothing
    assert studio_page.errors == []


@pytest.mark.parametrize("size", [(1280, 720), (900, 700)], ids=["1280x720", "900x700"])
def test_the_strip_and_the_dialog_fit_smaller_windows(page, size, tmp_path):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    stacked = json.loads(CHAIN)  # one above the other: a narrow canvas shows all three
    for i, item in enumerate(stacked["nodes"]):
        item["position"] = [0, 170 * i]
    page.evaluate("(text) => window.studio.load(text)", json.dumps(stacked))
    run_by_button(page)
    select_node(page, "blur")
    set_param(page, "radius", "9")
    run_by_button(page)
    select_node(page, "out")
    page.screenshot(path=str(tmp_path / f"strip-{size[0]}.png"))
    click(page.locator(tid("history-compare")))  # click() checks nothing covers it
    expect(page.locator(tid("compare-dialog"))).to_have_attribute("data-loaded", "true")
    for control in ("compare-a", "compare-b", "compare-mode-side", "compare-range", "compare-close"):
        expect(page.locator(tid(control))).to_be_in_viewport()
    stage = page.locator(tid("compare-stage")).bounding_box()
    assert stage is not None and stage["height"] > size[1] * 0.35  # room left for the pictures
    click(page.locator(tid("compare-mode-side")))
    page.screenshot(path=str(tmp_path / f"compare-{size[0]}.png"))
    click(page.locator(tid("compare-close")))
