"""The image engine in its Web Worker (issue 8): the page answers while a heavy run goes on (a node is
dragged, Cancel is heard), without a worker the page makes the pictures itself and says so, and a worker that dies is
replaced by the next run."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from .editor_helpers import node, node_ids, run_by_button, tid, wait_first_run, workflow
from .person import click

# About a second per sharpen of 6 megapixels on this machine's software WebGL: long enough to act in.
HEAVY = {
    "format": "pyxis.workflow",
    "version": 1,
    "name": "Heavy",
    "nodes": [
        {"id": "g", "type": "source.gradient", "params": {"width": 3000, "height": 2000}, "position": [40, 60]},
        *[
            {
                "id": f"s{i}",
                "type": "transform.sharpen",
                "params": {"amount": 0.2 + i / 10},
                "position": [300 + 240 * i, 60],
            }
            for i in range(5)
        ],
    ],
    "edges": [
        {"from": "g.image", "to": "s0.image"},
        *[{"from": f"s{i}.image", "to": f"s{i + 1}.image"} for i in range(4)],
    ],
}
RUNNING = "() => document.documentElement.dataset.running === 'true'"
WARMED = "() => document.documentElement.dataset.warmUp === '3'"  # core/warm_up.py ROUNDS, all whole


def test_idle_after_its_start_the_worker_warms_up_out_of_sight_and_the_next_run_is_whole(studio_page):
    page = studio_page.page
    wait_first_run(page)
    shown, text = node_ids(page), workflow(page)
    page.wait_for_function(WARMED, timeout=60_000)
    # Nothing of the warm-up's graph reached the document, the canvas or the run's states.
    assert node_ids(page) == shown and workflow(page) == text
    run_by_button(page)
    assert page.evaluate("document.documentElement.dataset.lastRun") == "ok"
    assert page.locator(".node[data-state='done'], .node[data-state='cached']").count() == len(shown)


def test_during_a_heavy_run_a_node_can_be_dragged_and_cancel_stops_it(studio_page):
    page = studio_page.page
    page.wait_for_function("() => document.documentElement.dataset.engine === 'ready'", timeout=60_000)
    wait_first_run(page)
    page.evaluate("(t) => window.studio.load(t)", json.dumps(HEAVY))
    click(page.locator(tid("run")))
    expect(node(page, "s0")).to_have_attribute("data-state", "running", timeout=30_000)

    # The person drags the gradient node while a sharpen holds the engine: it follows the mouse now.
    head = node(page, "g").locator(".node-head").bounding_box()
    assert head is not None
    x, y = head["x"] + head["width"] / 2, head["y"] + head["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + 12 * step, y + 6 * step)
    page.mouse.up()
    moved = next(n for n in workflow(page)["nodes"] if n["id"] == "g")["position"]
    assert moved != [40, 60]
    assert page.evaluate(RUNNING), "the run ended before the drag was handled: the page did not answer during it"

    click(page.locator(tid("cancel")))
    page.wait_for_function("() => document.documentElement.dataset.lastRun === 'cancelled'", timeout=30_000)
    states = {n: node(page, n).get_attribute("data-state") for n in ("g", "s0", "s1", "s2", "s3", "s4")}
    assert states["g"] == "done" and "cancelled" in states.values() and states["s4"] != "done", states
    expect(page.locator(tid("run"))).to_be_enabled()
    # Nothing was lost to the cancel: the next run makes everything.
    click(page.locator(tid("run")))
    page.wait_for_function("() => document.documentElement.dataset.lastRun === 'ok'", timeout=120_000)
    expect(node(page, "s4")).to_have_attribute("data-state", "done")
    assert studio_page.errors == [], studio_page.console_tail()


def test_without_a_worker_the_page_makes_the_pictures_itself_and_says_so(open_page):
    opened = open_page(
        "/", setup=lambda page: page.route("**/engine-worker.js", lambda route: route.fulfill(status=404, body="gone"))
    )
    assert opened.wait_booted() == "ready"
    page = opened.page
    page.wait_for_function("() => document.documentElement.dataset.engine === 'in-page'", timeout=60_000)
    banner = page.locator(tid("engine-banner"))
    expect(banner).to_contain_text("Pictures are made on this page")
    expect(banner).to_contain_text("worker could not start (its script could not be loaded)")
    wait_first_run(page)
    assert page.evaluate("document.documentElement.dataset.lastRun") == "ok"
    page.wait_for_function(WARMED, timeout=60_000)  # the page makes the pictures: it warmed itself
    expect(page.locator(tid("preview"))).to_have_attribute("data-loaded", "true")
    assert page.locator(tid("preview-image")).evaluate("c => c.width") > 0
    # Dismissed, it stays away; the Studio goes on working.
    click(page.locator(tid("engine-banner-dismiss")))
    expect(page.locator(tid("engine-banner"))).to_be_hidden()


def test_when_the_worker_dies_mid_run_the_page_says_so_and_the_next_run_starts_a_new_one(studio_page):
    page = studio_page.page
    page.wait_for_function("() => document.documentElement.dataset.engine === 'ready'", timeout=60_000)
    wait_first_run(page)
    page.evaluate("(t) => window.studio.load(t)", json.dumps(HEAVY))
    before = workflow(page)
    click(page.locator(tid("run")))
    expect(node(page, "s0")).to_have_attribute("data-state", "running", timeout=30_000)

    # The worker fails on its own (as a crash in the browser's code would): an error nobody catches.
    engine = next(w for w in page.workers if w.url.endswith("engine-worker.js"))
    engine.evaluate("setTimeout(() => { throw new Error('simulated crash'); }, 0)")

    # The page says so, and keeps saying it while the pictures are gone (the thumbnails at the failed
    # run's end may start the next worker at once: the notice stays until a run makes them again).
    banner = page.locator(tid("engine-banner"))
    expect(banner).to_contain_text("The image engine stopped", timeout=30_000)
    expect(banner).to_contain_text("simulated crash")
    page.wait_for_function("() => document.documentElement.dataset.lastRun === 'failed'", timeout=30_000)
    expect(banner).to_contain_text(re.compile("The next run starts a new one|Run makes the pictures again"))
    failed = [n for n in ("s0", "s1", "s2", "s3", "s4") if node(page, n).get_attribute("data-state") == "failed"]
    assert failed, "the node whose picture was in the worker should say it failed"
    assert workflow(page) == before, "the document changed when the worker died"

    # The notice's own Run again: a new worker, every picture made anew (the old ones died with it).
    click(banner.get_by_role("button", name="Run again"))
    page.wait_for_function("() => document.documentElement.dataset.lastRun === 'ok'", timeout=180_000)
    assert page.evaluate("document.documentElement.dataset.engine") == "ready"
    expect(node(page, "s4")).to_have_attribute("data-state", "done")
    expect(banner).to_be_hidden()
    assert studio_page.errors == [], studio_page.console_tail()
