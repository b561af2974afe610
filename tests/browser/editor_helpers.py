"""Helpers for driving the editor in a real page: waits on the page's own state, never on sleeps."""

from __future__ import annotations

import io
import json
from pathlib import Path

from playwright.sync_api import Page, expect

from .person import click

RUN_TIMEOUT_MS = 30_000
POSTER = Path(__file__).resolve().parents[2] / "static" / "examples" / "poster.json"


def tid(test_id: str) -> str:
    return f'[data-testid="{test_id}"]'


def node(page: Page, node_id: str):
    return page.locator(tid(f"node-{node_id}"))


def open_poster(page: Page) -> None:
    """Set up (a hook, not a click) the Poster example that flows written before the AI Edit first visit
    walk, and run it."""
    page.evaluate("(text) => window.studio.load(text)", POSTER.read_text(encoding="utf-8"))
    page.evaluate("() => window.studio.run()")
    expect(node(page, "bg")).to_be_visible()


def wait_first_run(page: Page) -> None:
    """The page boots, opens a workflow and runs it: wait for that run to end."""
    page.wait_for_function("() => !!document.documentElement.dataset.lastRun", timeout=RUN_TIMEOUT_MS)


def node_ids(page: Page) -> list[str]:
    return page.evaluate("() => [...document.querySelectorAll('.node')].map(n => n.dataset.node)")


def workflow(page: Page) -> dict:
    return json.loads(page.evaluate("() => window.studio.workflow()"))


def set_autorun(page: Page, on: bool) -> None:
    box = page.locator(tid("autorun"))
    if box.is_checked() != on:
        box.click()


def clear_graph(page: Page) -> None:
    """Select everything with the keyboard and delete it."""
    page.locator(tid("canvas")).click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    expect(page.locator(".node")).to_have_count(0)


def drag_mouse(page: Page, source, target, *, target_position: dict | None = None) -> None:
    """A real pointer drag (down, several moves, up) from the centre of one element to another."""
    a = source.bounding_box()
    b = target.bounding_box()
    x1, y1 = a["x"] + a["width"] / 2, a["y"] + a["height"] / 2
    if target_position is None:
        x2, y2 = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2
    else:
        x2, y2 = b["x"] + target_position["x"], b["y"] + target_position["y"]
    page.mouse.move(x1, y1)
    page.mouse.down()
    page.mouse.move((x1 + x2) / 2, (y1 + y2) / 2, steps=4)
    page.mouse.move(x2, y2, steps=4)
    page.mouse.up()


def port(page: Page, ref: str, direction: str):
    """A port dot; an input and an output may share a name (`image`), so the direction picks one."""
    node_id, name = ref.rsplit(".", 1)
    return page.locator(f'{tid(f"port-{node_id}-{name}")}[data-dir="{direction}"]')


def connect(page: Page, source: str, target: str) -> None:
    """Drag a wire from port `node.port` (an output) to `node.port` (an input)."""
    drag_mouse(page, port(page, source, "out"), port(page, target, "in"))


def run_and_wait(page: Page) -> dict:
    """Press Run and wait until the run has settled; returns each node's state."""
    page.evaluate("() => { delete document.documentElement.dataset.lastRun; }")
    page.locator(tid("run")).click()
    wait_first_run(page)
    return states(page)


def states(page: Page) -> dict[str, str]:
    return page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('.node')].map(n => [n.dataset.node, n.dataset.state]))"
    )


def png_bytes(size: tuple[int, int] = (64, 48), color: tuple[int, int, int] = (200, 40, 90)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def select_node(page: Page, node_id: str) -> None:
    """A click on the node's title, as a person selects it; the inspector then shows it."""
    click(node(page, node_id).locator(".node-title"))
    expect(page.locator(".inspector-type")).to_contain_text(node_id)


def run_by_button(page: Page) -> None:
    """Run pressed with the mouse, then wait for that run's end."""
    page.evaluate("() => { delete document.documentElement.dataset.lastRun; }")
    click(page.locator(tid("run")))
    wait_first_run(page)
