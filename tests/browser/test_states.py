"""Honest states on the real page: what each node and the status pill show after opening each
example, after a Cancel, after deleting everything, after connecting a missing input."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .editor_helpers import connect, node, set_autorun, states, tid, wait_first_run, workflow
from .gemini_fake import GEMINI
from .person import button, click

pytestmark = pytest.mark.browser

EXAMPLES = Path(__file__).resolve().parents[2] / "static" / "examples"
INDEX = json.loads((EXAMPLES / "index.json").read_text(encoding="utf-8"))["examples"]

# What each example shows right after it opened (and auto-ran): node id -> (data-state, tone).
OPENED = {
    "photo-cleanup.json": {
        "photo": ("waiting", "neutral"),
        "crop": ("blocked", "neutral"),
        "fit": ("blocked", "neutral"),
        "adjust": ("blocked", "neutral"),
        "sharpen": ("blocked", "neutral"),
        "photo-jpeg": ("blocked", "neutral"),
    },
}
PILL = {"photo-cleanup.json": "waiting for a picture"}


@pytest.fixture
def page(studio_page):
    page = studio_page.page
    wait_first_run(page)
    yield page
    assert studio_page.errors == [], studio_page.console_tail()


def open_workflow(page: Page, name: str, text: str) -> None:
    """Open a workflow as a person does with Open (the same path as an example: it auto-runs)."""
    page.evaluate("() => { delete document.documentElement.dataset.lastRun; }")
    page.locator(tid("workflow-open")).set_input_files(
        files=[{"name": name, "mimeType": "application/json", "buffer": text.encode()}]
    )
    wait_first_run(page)


def drawn(page: Page) -> dict[str, tuple[str, str]]:
    return page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('.node')]"
        ".map(n => [n.dataset.node, [n.dataset.state, n.dataset.tone]]))"
    )


def failure_coloured(page: Page) -> list[str]:
    """Nodes drawn in the failure colour: a visible error box, or a red border."""
    return page.evaluate("""() => [...document.querySelectorAll('.node')].filter(n => {
        const box = n.querySelector('.node-error');
        const border = getComputedStyle(n).borderTopColor;
        return (box && !box.hidden) || border === 'rgba(255, 107, 107, 0.8)';
    }).map(n => n.dataset.node)""")


@pytest.mark.parametrize("example", [e["file"] for e in INDEX])
def test_each_example_opens_in_honest_states(page, example):
    open_workflow(page, example, (EXAMPLES / example).read_text(encoding="utf-8"))
    shown = drawn(page)
    expected = OPENED.get(example)
    if expected is not None:
        assert shown == {k: list(v) for k, v in expected.items()}
    elif any(state == "waiting" for state, _ in shown.values()):
        # An example that needs the visitor's photo: its picture node waits, what follows waits for
        # it, and nothing is drawn as a failure.
        waiting = {node_id for node_id, (state, _) in shown.items() if state == "waiting"}
        types = {n["id"]: n["type"] for n in json.loads((EXAMPLES / example).read_text())["nodes"]}
        assert {types[n] for n in waiting} == {"source.image"}, shown
        assert {state for state, _ in shown.values()} <= {"waiting", "blocked", "done", "cached"}, shown
        assert {tone for _, tone in shown.values()} <= {"neutral", "ok"}, shown
    else:  # everything else opens already run
        assert {state for state, _ in shown.values()} <= {"done", "cached"}, shown
        assert {tone for _, tone in shown.values()} == {"ok"}
    assert failure_coloured(page) == []
    if example in PILL:
        expect(page.locator(tid("run-status"))).to_have_text(PILL[example])
    if example == "photo-cleanup.json":
        note = page.locator(tid("node-hint-photo"))
        expect(note).to_be_visible()
        expect(note).to_contain_text("Drop a picture")
        assert "--input" not in page.locator(tid("node-photo")).inner_text()
        if os.environ.get("PYXIS_SHOTS"):
            page.screenshot(path=os.path.join(os.environ["PYXIS_SHOTS"], "photo-cleanup.png"))


def test_a_real_failure_is_the_only_red(page):
    graph = {
        "format": "pyxis.workflow",
        "version": 1,
        "name": "One failure",
        "nodes": [
            {"id": "solid", "type": "source.solid", "params": {"width": 40, "height": 30}},
            {"id": "crop", "type": "transform.crop", "params": {"x": 5000, "y": 0, "width": 10, "height": 10}},
            {"id": "out", "type": "output.export", "params": {}},
        ],
        "edges": [{"from": "solid.image", "to": "crop.image"}, {"from": "crop.image", "to": "out.image"}],
    }
    open_workflow(page, "fail.json", json.dumps(graph))
    assert drawn(page) == {"solid": ["done", "ok"], "crop": ["failed", "fail"], "out": ["blocked", "neutral"]}
    assert failure_coloured(page) == ["crop"]
    expect(node(page, "out").locator(".node-status")).to_have_text("stopped: crop failed")
    expect(page.locator(tid("run-status"))).to_contain_text("1 failed")


def test_select_all_and_delete_leaves_no_ghosts(page):
    """Defect 7: the inspector said "5 nodes selected" with dead buttons; the pill said "5 done"."""
    expect(page.locator(tid("run-status"))).to_contain_text("done")
    click(page.locator(tid("canvas")))
    page.keyboard.press("Control+a")
    expect(page.locator(tid("inspector"))).to_contain_text("nodes selected")
    page.keyboard.press("Delete")
    expect(page.locator(".node")).to_have_count(0)
    inspector = page.locator(tid("inspector"))
    expect(inspector).not_to_contain_text("selected")
    expect(inspector).to_contain_text("Select a node")
    expect(page.locator(tid("run-status"))).to_have_text("")


def test_connecting_a_missing_input_clears_its_error(page):
    """Defect 8: "required input not connected" stayed after connecting (auto-run skips the AI
    branch, so no run cleared it)."""
    graph = {
        "format": "pyxis.workflow",
        "version": 1,
        "name": "Unconnected",
        "nodes": [
            {"id": "bg", "type": "source.gradient", "params": {"width": 40, "height": 30}, "position": [40, 80]},
            {"id": "edit", "type": "ai.edit", "params": {"prompt": "Make it green"}, "position": [340, 80]},
            {"id": "blur", "type": "transform.blur", "params": {"radius": 2}, "position": [640, 80]},
        ],
        "edges": [],
    }
    open_workflow(page, "unconnected.json", json.dumps(graph))
    set_autorun(page, True)
    expect(node(page, "edit")).to_have_attribute("data-state", "waiting")
    expect(node(page, "edit").locator(".node-status")).to_have_text("connect image")
    page.evaluate("() => { delete document.documentElement.dataset.lastRun; }")
    press_run(page)  # Run: validation fails the node, as the executor reports it
    wait_first_run(page)
    expect(node(page, "blur")).to_have_attribute("data-state", "waiting")  # the graph's problem, not red
    connect(page, "bg.image", "edit.image")
    connect(page, "edit.image", "blur.image")
    expect(node(page, "edit")).to_have_attribute("data-state", "ready")
    expect(page.locator(tid("node-error-edit"))).to_be_hidden()
    # The blur after it failed validation on that Run; auto-run leaves it out (it follows an AI
    # node), and it no longer shows the old "not connected".
    expect(node(page, "blur")).to_have_attribute("data-state", "blocked")
    expect(page.locator(tid("node-error-blur"))).to_be_hidden()
    expect(node(page, "blur").locator(".node-status")).to_have_text("waiting for edit")
    expect(node(page, "edit").locator(".node-status")).to_have_text("ready — press Run (1 Gemini call)")
    expect(page.locator(tid("run-status"))).to_contain_text("1 AI node waiting for Run")


def press_run(page: Page) -> None:
    click(button(page, "Run"))


def test_cancel_is_neutral_and_keeps_the_last_result(page):
    nodes = [{"id": "g", "type": "source.gradient", "params": {"width": 1600, "height": 1600}}]
    edges = []
    for i in range(10):  # long enough that no machine finishes it before the Cancel click
        nodes.append({"id": f"b{i}", "type": "transform.blur", "params": {"radius": 10 + i}})
        edges.append({"from": f"{nodes[-2]['id']}.image", "to": f"b{i}.image"})
    heavy = {"format": "pyxis.workflow", "version": 1, "name": "Heavy", "nodes": nodes, "edges": edges}
    set_autorun(page, False)
    open_workflow(page, "heavy.json", json.dumps(heavy))  # an open still runs once
    assert set(states(page).values()) == {"done"}
    before = page.evaluate("() => window.studio.output('b9')")
    # A change to the first blur, then Run and Cancel as the run goes (clicked from inside the
    # page on the second frame: Python keeps the page busy between frames while it runs).
    page.evaluate("() => { delete document.documentElement.dataset.lastRun; }")
    node(page, "b0").locator(".node-title").click()
    page.locator(tid("param-radius")).fill("11")
    page.locator(tid("param-radius")).press("Enter")
    page.evaluate("""() => {
        const pill = document.querySelector('[data-testid=run-status]');
        window.pillTexts = [];
        new MutationObserver(() => window.pillTexts.push(pill.textContent))
            .observe(pill, {childList: true, characterData: true, subtree: true});
        let frames = 0;
        const tick = () => { if (++frames === 2) document.querySelector('[data-testid=cancel]').click();
                             else requestAnimationFrame(tick); };
        requestAnimationFrame(tick);
        document.querySelector('[data-testid=run]').click();
    }""")
    wait_first_run(page)
    assert page.evaluate("document.documentElement.dataset.lastRun") == "cancelled"
    shown = drawn(page)
    cancelled = [n for n, (state, _) in shown.items() if state == "cancelled"]
    assert cancelled and "b9" in cancelled, shown
    assert all(tone == "neutral" for n, (_, tone) in shown.items() if n in cancelled)
    assert failure_coloured(page) == []
    # The last good result stays on show (dimmed as out of date), thumbnail and output alike.
    expect(node(page, "b9").locator(".node-thumb img")).to_have_attribute("src", re.compile("^data:image/png"))
    expect(node(page, "b9")).to_have_class(re.compile(r"\bstale\b"))
    assert page.evaluate("() => window.studio.output('b9')") == before
    expect(page.locator(tid("run-status"))).to_contain_text("cancelled")
    texts = page.evaluate("() => window.pillTexts")
    assert any(re.fullmatch(r"Running ([1-9]|1[01]) of 11… \S+", t) for t in texts), texts


def test_palette_search_enter_adds_the_best_match(page):
    """Defect 9: "crop" + Enter added Resize, "exp" + Enter added Rotate."""
    search = page.get_by_role("searchbox", name="Search nodes")
    for typed, expected in (("crop", "transform.crop"), ("exp", "output.export")):
        before = {n["id"] for n in workflow(page)["nodes"]}
        click(search)
        page.keyboard.press("Control+a")
        page.keyboard.type(typed)
        page.keyboard.press("Enter")
        expect(page.locator(".node")).to_have_count(len(before) + 1)
        added = [n for n in workflow(page)["nodes"] if n["id"] not in before]
        assert [n["type"] for n in added] == [expected]
        # The palette shows which one Enter adds.
        expect(page.locator(".palette-item.best")).to_have_attribute("data-type", expected)


def thumbnails_match_outputs(page: Page) -> list[str]:
    """Nodes whose thumbnail is not a small copy of their current output (or that show one
    without having an output)."""
    import base64
    import io

    from PIL import Image, ImageChops, ImageStat

    def picture(url: str) -> Image.Image:
        return Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGBA")

    wrong = []
    for node_id in page.evaluate("() => [...document.querySelectorAll('.node')].map(n => n.dataset.node)"):
        thumb = node(page, node_id).locator(".node-thumb")
        output = page.evaluate("(id) => window.studio.output(id)", node_id)
        src = thumb.locator("img").get_attribute("src")
        if thumb.is_hidden() or not src:
            if output is not None:
                wrong.append(f"{node_id}: has an output but no thumbnail")
            continue
        if output is None:
            wrong.append(f"{node_id}: shows a thumbnail but has no output")
            continue
        small = picture(src)
        big = picture(output).resize(small.size, Image.Resampling.BILINEAR)
        difference = max(ImageStat.Stat(ImageChops.difference(small, big)).mean)
        if difference > 8:
            wrong.append(f"{node_id}: thumbnail differs from the output by {difference:.1f} on average")
    return wrong


def settled(page: Page) -> None:
    """Auto-run has caught up: no run going, none pending, nothing out of date."""
    try:
        page.wait_for_function(
            "() => document.documentElement.dataset.running !== 'true'"
            " && !document.querySelector('.node.stale, .node.state-queued, .node.state-running')",
            timeout=30_000,
        )
    except Exception:
        left = page.evaluate(
            "() => [...document.querySelectorAll('.node')].map(n => `${n.dataset.node}:${n.className}`)"
            " .concat([document.documentElement.dataset.running])"
        )
        raise AssertionError(f"the page did not settle (node:classes…, running): {left}") from None
    page.wait_for_timeout(600)  # past the auto-run delay (350 ms): a run that was still to start
    page.wait_for_function("() => document.documentElement.dataset.running !== 'true'", timeout=60_000)


def set_param(page: Page, node_id: str, name: str, value: str) -> None:
    click(node(page, node_id).locator(".node-title"))
    field = page.locator(tid(f"param-{name}"))
    field.fill(value)
    field.press("Enter")


def test_thumbnails_follow_a_long_undo_redo_chain(page):
    """Defect 12 (part): a thumbnail stayed stale after a long undo/redo chain. The cause: an edit
    made while a run went on asked for a follow-up run that never started (the runner took its
    own finishing task for busy), so those nodes stayed out of date until the next edit."""
    set_autorun(page, True)
    open_workflow(page, "poster.json", (EXAMPLES / "poster.json").read_text(encoding="utf-8"))
    settled(page)
    assert thumbnails_match_outputs(page) == []
    edits = [
        ("bg", "width", "400"),
        ("title", "size", "140"),
        ("corners", "radius", "120"),
        ("bg", "height", "300"),
        ("tagline", "size", "70"),
        ("corners", "radius", "10"),
        ("bg", "width", "900"),
    ]
    for node_id, name, value in edits:
        set_param(page, node_id, name, value)
    connect(page, "bg.image", "corners.image")  # skips the captions
    click(node(page, "title").locator(".node-title"))
    page.keyboard.press("Delete")
    settled(page)
    assert thumbnails_match_outputs(page) == []
    click(page.locator(tid("canvas")))
    steps = len(edits) + 2
    for keys, count, pause in (
        ("Control+z", steps, 120),  # a person's pace: some runs start, some are overtaken
        ("Control+Shift+z", steps, 0),  # as fast as keys repeat
        ("Control+z", steps // 2, 400),  # each step's run starts before the next key
        ("Control+Shift+z", 2, 30),
    ):
        for _ in range(count):
            page.keyboard.press(keys)
            if pause:
                page.wait_for_timeout(pause)
        settled(page)
        assert thumbnails_match_outputs(page) == [], keys


def test_a_first_visit_shows_a_recorded_ai_edit_without_a_call(open_page):
    """The first thing a new visitor sees: AI Edit's result, replayed from the example, with no
    key and zero requests to Gemini, and one line on adding a key."""
    gemini = []
    opened = open_page(
        "/", setup=lambda p: p.route(GEMINI, lambda route: (gemini.append(route.request.url), route.abort()))
    )
    assert opened.wait_booted() == "ready", opened.boot_error()
    page = opened.page
    page.set_viewport_size({"width": 1280, "height": 720})
    wait_first_run(page)
    assert workflow(page)["name"] == "AI Edit"
    assert set(states(page).values()) == {"done"}
    assert failure_coloured(page) == []
    edit = node(page, "edit")
    expect(edit.locator(".node-thumb img")).to_have_attribute("src", re.compile("^data:image/png"))
    expect(page.locator(tid("node-hint-edit"))).to_have_text(
        "Recorded result. Add your Gemini key in Settings (⚙) to make your own."
    )
    # Gemini's recorded text is the caption (compose.text's caption input).
    assert ("edit.text", "title.caption") in {(e["from"], e["to"]) for e in workflow(page)["edges"]}
    click(button(page, "Run"))  # a Run press replays the recording too
    expect(page.locator(tid("run-status"))).to_contain_text("cached")
    assert gemini == []
    assert opened.errors == []
    if os.environ.get("PYXIS_SHOTS"):
        page.screenshot(path=os.path.join(os.environ["PYXIS_SHOTS"], "first-visit.png"))
