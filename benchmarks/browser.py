"""The browser against native Pillow, re-runs, and the editor on a large graph (headless Chromium).

(a) run: each example in static/examples (photo-cleanup gets a photo-like 2048×1536 PNG as a
    data: URL in its source.image `image` param) and a 2048×2048 photo pipeline (image → resize
    contain 1536 → adjust → blur 2 → sharpen 0.5 → text → export JPEG). Browser side: a fresh
    browser context per sample (no HTTP cache, no executor cache); the page boots on an empty
    autosaved graph (so its automatic first run has nothing to do and caches nothing of ours),
    we wait for that run to settle and for the service worker's precaching to end, load the
    workflow with window.studio.load (a scripted load schedules no auto-run) and time
    `await window.studio.run()` in the page with performance.now().
    Pillow side: the same workflow text through Executor + PillowBackend in this process, a fresh
    executor per sample. The two sides are interleaved sample by sample. Goal browser/Pillow ≤ 1.0.
(b) re-run: in the same page, after the timed run has settled (thumbnails, preview), load the
    workflow with the last node's param changed (window.studio.load keeps the executor cache),
    check every upstream node reports "cached", and time run() again: % of the full run, goal ≤ 15 %.
(c) editor: a 200-node chain (source.solid 8×8 → 199 × transform.invert, with positions) loaded
    with window.studio.load; time from the call to the second animation frame after it resolved
    (the browser has styled, laid out and painted the new DOM): goal ≤ 0.5 s.
    Drag: page.mouse.down on a node's title bar (.node-head), then 60 real page.mouse.move steps.
    In the page, a pointermove listener on window in the capture phase notes performance.now()
    before any other handler, and one on window in the bubble phase (after the canvas's own
    handler, which runs synchronously: Python via a create_proxy) forces style + layout
    (getBoundingClientRect of the dragged node) and notes the time again. The difference is the
    per-move handling time (event dispatch, the Python handler, the DOM updates and the layout they
    cause; not paint/composite, which the browser does once per frame). 95th percentile, goal ≤ 16 ms.
    Slider: the source node selected by a click, then 40 input events on its width slider, each
    timed around dispatchEvent with the layout it causes (the inspector, the node, its wires, the
    stale marks downstream). 95th percentile, goal ≤ 16 ms (a tick per frame).

With --engines, (a) also runs each sample with the engine on the page's main thread (?engine=page,
the path before the worker) and reports worker / main thread, interleaved sample by sample.

Run: .venv/bin/python benchmarks/browser.py [-n RUNS] [--only run|editor] [--engines] [--workflow NAME]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import io
import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from browser_boot import WORKER_ACTIVE, studio_site_in_browser  # noqa: E402  (the same site, server and browser)
from PIL import Image, ImageChops, ImageFilter  # noqa: E402

from studio.backend.pillow_backend import PillowBackend  # noqa: E402
from studio.core.executor import Executor  # noqa: E402
from studio.core.workflow import load_workflow  # noqa: E402
from studio.nodes import default_catalog  # noqa: E402

READY = "() => ['ready', 'error'].includes(document.documentElement.dataset.studio)"
EMPTY = json.dumps({"format": "pyxis.workflow", "version": 1, "name": "bench", "nodes": [], "edges": []})
INIT = f"localStorage.setItem('pyxis.autosave', {json.dumps(EMPTY)});"
CHAIN = 200
MOVES = 60
VERBOSE = "-v" in sys.argv

TIMED_RUN = """async () => {
  const t0 = performance.now();
  const result = await window.studio.run();
  const ms = performance.now() - t0;
  const status = {}, nodes = {};
  for (const [id, r] of Object.entries(result)) { status[id] = r.status; nodes[id] = Math.round(r.ms); }
  return {ms, status, nodes};
}"""

IDLE = """() => new Promise(resolve => {
  // Idle: no autosave pending (it is debounced after a load and would land in the timed run),
  // then three consecutive 50 ms timers each fire within 10 ms of schedule.
  let quiet = 0;
  const tick = () => { const t = performance.now(); setTimeout(() => {
    const saving = document.documentElement.dataset.autosave === 'pending';
    quiet = (!saving && performance.now() - t < 60) ? quiet + 1 : 0;
    if (quiet >= 3) resolve(); else tick(); }, 50); };
  tick();
})"""

TIMED_LOAD = """async (text) => {
  const t0 = performance.now();
  await window.studio.load(text);
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return {ms: performance.now() - t0, nodes: document.querySelectorAll('.node').length};
}"""

# A node in the middle of the chain whose title bar is on top at its centre (not under a panel).
PICK_NODE = """() => {
  const ids = [...document.querySelectorAll('.node')].map(n => n.dataset.node);
  const order = ids.map((id, i) => [Math.abs(i - ids.length / 2), id]).sort((a, b) => a[0] - b[0]);
  for (const [, id] of order) {
    const head = document.querySelector(`[data-testid="node-${id}"] .node-head`);
    const r = head.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (hit && hit.closest('.node-head') === head) return id;
  }
  return null;
}"""

DRAG_PROBE = """(nodeId) => {
  const el = document.querySelector(`[data-testid="node-${nodeId}"]`);
  const times = window.__moves = [];
  let start = null;
  window.addEventListener('pointermove', () => { start = performance.now(); }, true);
  window.addEventListener('pointermove', () => {
    if (start === null) return;
    el.getBoundingClientRect();  // force the style and layout the handler's DOM changes cause
    times.push(performance.now() - start); start = null;
  }, false);
}"""


# --- inputs ---


def photo_png(width: int, height: int) -> bytes:
    """A PNG that compresses like a photo: gradients with fine noise per channel."""
    base = Image.linear_gradient("L").resize((width, height))
    radial = Image.radial_gradient("L").resize((width, height))
    channels = [
        ImageChops.add(src, Image.effect_noise((width, height), s).filter(ImageFilter.BoxBlur(1)), offset=-128)
        for src, s in ((base, 24), (radial, 18), (base.transpose(Image.Transpose.FLIP_LEFT_RIGHT), 30))
    ]
    out = io.BytesIO()
    Image.merge("RGB", channels).save(out, "PNG")
    return out.getvalue()


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def workflows() -> dict[str, dict]:
    out = {}
    for path in sorted((ROOT / "static" / "examples").glob("*.json")):
        if path.name == "index.json":
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        if any(n["type"].startswith("ai.") for n in doc["nodes"]):
            continue  # a Gemini call is not the browser's speed (benchmarks/ai_browser.py times AI answers)
        for n in doc["nodes"]:
            if n["type"] == "source.image":
                n["params"]["image"] = data_url(photo_png(2048, 1536))
        out[f"example {path.stem}"] = doc
    chain = [
        ("photo", "source.image", {"image": data_url(photo_png(2048, 2048))}),
        ("fit", "transform.resize", {"width": 1536, "height": 1536, "fit": "contain"}),
        ("adjust", "transform.adjust", {"brightness": 1.05, "contrast": 1.1, "saturation": 1.15}),
        ("blur", "transform.blur", {"radius": 2}),
        ("sharpen", "transform.sharpen", {"amount": 0.5}),
        ("caption", "compose.text", {"text": "Pyxis", "size": 64, "position": "bottom"}),
        ("out", "output.export", {"format": "jpeg", "quality": 88}),
    ]
    out["photo 2048² pipeline"] = linear(chain, "Photo pipeline")
    return out


def linear(chain: list[tuple[str, str, dict]], name: str, per_row: int = 0) -> dict:
    nodes = []
    for i, (node_id, type_id, params) in enumerate(chain):
        x, y = (i % per_row, i // per_row) if per_row else (i, 0)
        nodes.append({"id": node_id, "type": type_id, "params": params, "position": [40 + 260 * x, 40 + 200 * y]})
    edges = [{"from": f"{a[0]}.image", "to": f"{b[0]}.image"} for a, b in zip(chain, chain[1:], strict=False)]
    return {"format": "pyxis.workflow", "version": 1, "name": name, "nodes": nodes, "edges": edges}


def last_param_changed(doc: dict) -> dict:
    """The same workflow with the last node's (an export's) quality changed: the export runs
    again, in the same format, and nothing upstream does."""
    doc = json.loads(json.dumps(doc))
    params = doc["nodes"][-1]["params"]
    params["quality"] = int(params.get("quality", 90)) - 7
    return doc


# --- the two sides ---


def _pillow_run(text: str, catalog) -> tuple[float, object]:
    graph = load_workflow(text, catalog)
    executor = Executor(catalog, PillowBackend())
    started = time.perf_counter()
    result = asyncio.run(executor.run(graph))
    return (time.perf_counter() - started) * 1000, result


def pillow_ms(text: str, catalog) -> float:
    # Playwright's sync API keeps an event loop on this thread: asyncio.run goes to a worker thread.
    with ThreadPoolExecutor(1) as pool:
        ms, result = pool.submit(_pillow_run, text, catalog).result()
    bad = {k: r.status for k, r in result.nodes.items() if r.status != "done"}
    if bad:
        raise SystemExit(f"Pillow run not all done: {bad}")
    return ms


# With --minimap: the minimap shown from the start, and the time of every animation-frame callback
# (the minimap draws in one) recorded, so its cost during a drag is measured, not only the handler's.
MINIMAP_ON = """
localStorage.setItem('pyxis.minimap', 'on');
window.__frames = [];
const requestFrame = window.requestAnimationFrame.bind(window);
window.requestAnimationFrame = (callback) => requestFrame((t) => {
  const start = performance.now(); callback(t); window.__frames.push(performance.now() - start);
});
"""


# Where the pictures are made: the engine's Web Worker (the Studio's default) or the page's main
# thread (?engine=page, the path before issue 8's worker), for --engines.
ENGINES = {"worker": "/", "page": "/?engine=page"}


def fresh_page(browser, base: str, *, minimap: bool = False, engine: str = "worker", query: str = ""):
    """A new context's page booted and settled for a timed run; `query` adds to the address's
    query (e.g. "warm-up=off")."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.add_init_script(INIT + (MINIMAP_ON if minimap else ""))
    address = ENGINES[engine]
    page.goto(base + (address + ("&" if "?" in address else "?") + query if query else address))
    page.wait_for_function(READY, timeout=120_000, polling=20)
    if page.evaluate("document.documentElement.dataset.studio") != "ready":
        raise SystemExit("the Studio did not boot")
    # A run waits for the worker's start (it begins at boot): not what a run's time should count.
    page.wait_for_function("() => document.documentElement.dataset.engine !== 'starting'", timeout=60_000)
    page.wait_for_function("() => !!document.documentElement.dataset.lastRun", timeout=60_000, polling=20)
    # A first visit's service worker precaches the whole site (~37 MB) after `ready`: on two cores that
    # slowed a small graph's run by half, and a run timed during it measured the install, not the run.
    page.evaluate(WORKER_ACTIVE)
    page.evaluate(IDLE)
    return context, page


def browser_sample(browser, base: str, text: str, changed: str, engine: str = "worker") -> tuple[float, float]:
    context, page = fresh_page(browser, base, engine=engine)
    try:
        page.evaluate("t => window.studio.load(t)", text)
        page.evaluate(IDLE)
        page.evaluate("() => { delete document.documentElement.dataset.lastRun; }")
        full = page.evaluate(TIMED_RUN)
        bad = {k: s for k, s in full["status"].items() if s != "done"}
        if bad:
            raise SystemExit(f"browser full run not all done: {bad}")
        page.wait_for_function("() => !!document.documentElement.dataset.lastRun", timeout=60_000, polling=20)
        page.evaluate(IDLE)
        page.evaluate("t => window.studio.load(t)", changed)
        page.evaluate(IDLE)
        again = page.evaluate(TIMED_RUN)
        last = json.loads(changed)["nodes"][-1]["id"]
        wrong = {k: s for k, s in again["status"].items() if (s != "cached") != (k == last)}
        if wrong:
            raise SystemExit(f"re-run: expected upstream cached and {last} done: {again['status']}")
        if VERBOSE:
            print(f"    per node (ms): full {full['nodes']}, re-run {again['nodes']}", file=sys.stderr, flush=True)
        return full["ms"], again["ms"]
    finally:
        context.close()


# A slider tick: the input event's whole handling (set the param, redraw, mark stale), then the
# style and layout it causes, timed synchronously around dispatchEvent, TICKS times.
SLIDER_PROBE = """(ticks) => {
  const slider = document.querySelector('[data-testid="param-width-slider"]');
  if (!slider) return null;
  const times = [];
  for (let i = 0; i < ticks; i++) {
    slider.value = String(8 + (i % 8));
    const t = performance.now();
    slider.dispatchEvent(new Event('input', {bubbles: true}));
    document.querySelector('.node').getBoundingClientRect();
    times.push(performance.now() - t);
  }
  slider.dispatchEvent(new Event('change', {bubbles: true}));
  return times;
}"""
TICKS = 40


def editor_sample(
    browser, base: str, text: str, *, minimap: bool = False
) -> tuple[float, list[float], list[float], list[float]]:
    context, page = fresh_page(browser, base, minimap=minimap)
    try:
        loaded = page.evaluate(TIMED_LOAD, text)
        if loaded["nodes"] != CHAIN:
            raise SystemExit(f"rendered {loaded['nodes']} nodes, expected {CHAIN}")
        page.evaluate(IDLE)
        node_id = page.evaluate(PICK_NODE)
        if node_id is None:
            raise SystemExit("no node's title bar is visible to drag")
        box = page.locator(f'[data-testid="node-{node_id}"] .node-head').bounding_box()
        page.evaluate(DRAG_PROBE, node_id)
        page.evaluate("() => { if (window.__frames) window.__frames.length = 0; }")
        start = page.evaluate(f"() => document.querySelector('[data-testid=\"node-{node_id}\"]').style.transform")
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        for i in range(1, MOVES + 1):
            page.mouse.move(x + 3 * i, y + 2 * i)
        page.mouse.up()
        moves = page.evaluate("() => window.__moves")
        moved = page.evaluate(f"() => document.querySelector('[data-testid=\"node-{node_id}\"]').style.transform")
        if moved == start:
            raise SystemExit(f"the drag did not move {node_id}")
        if minimap and page.evaluate("() => document.querySelector('[data-testid=\"minimap\"]').hidden"):
            raise SystemExit("the minimap is not shown")
        frames = page.evaluate("() => window.__frames || []")
        page.locator('[data-testid="node-n0"] .node-head').click()  # the source: its width slider
        page.wait_for_selector('[data-testid="param-width-slider"]')
        ticks = page.evaluate(SLIDER_PROBE, TICKS)
        if not ticks:
            raise SystemExit("no width slider for n0")
        return loaded["ms"], moves[1:], frames, ticks[1:]  # the first move is the hover before the press
    finally:
        context.close()


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--runs", type=int, default=3)
    parser.add_argument("-v", action="store_true", help="per-node times on stderr")
    parser.add_argument("--only", choices=("run", "editor"), default=None)
    parser.add_argument("--minimap", action="store_true", help="the editor measures with the minimap shown")
    parser.add_argument("--engines", action="store_true", help="(a) also on the page's main thread: worker / page")
    parser.add_argument("--workflow", action="append", help="(a) only the workflows whose name holds this (repeatable)")
    args = parser.parse_args()
    catalog = default_catalog()
    print("making inputs…", file=sys.stderr, flush=True)
    docs = {
        name: doc for name, doc in workflows().items() if not args.workflow or any(w in name for w in args.workflow)
    }
    chain = linear(
        [("n0", "source.solid", {"width": 8, "height": 8, "color": "#336699"})]
        + [(f"n{i}", "transform.invert", {}) for i in range(1, CHAIN)],
        "200 nodes",
        per_row=20,
    )
    rows: list[tuple[str, str, str, str, str]] = []
    with studio_site_in_browser() as (browser, base, site):
        if args.only in (None, "run"):
            for name, doc in docs.items():
                text, changed = json.dumps(doc), json.dumps(last_param_changed(doc))
                pillow_ms(text, catalog)  # warm-up: imports, fonts, file cache
                browser_sample(browser, base, text, changed)
                full, again, native, on_page = [], [], [], []
                for _ in range(args.runs):  # interleaved: load changes hit both sides alike
                    f, a = browser_sample(browser, base, text, changed)
                    full.append(f)
                    again.append(a)
                    native.append(pillow_ms(text, catalog))
                    if args.engines:
                        on_page.append(browser_sample(browser, base, text, changed, engine="page")[0])
                    print(
                        f"  {name}: browser {f:.0f} ms, re-run {a:.0f} ms, Pillow {native[-1]:.0f} ms",
                        file=sys.stderr,
                        flush=True,
                    )
                b, r, p = statistics.median(full), statistics.median(again), statistics.median(native)
                rows.append(
                    (
                        f"(a) {name}: browser / Pillow",
                        f"{b:.0f} ms / {p:.0f} ms",
                        f"{b / p:.2f}",
                        "≤ 1.0",
                        "yes" if b / p <= 1.0 else "no",
                    )
                )
                if on_page:
                    w = statistics.median(on_page)
                    rows.append(
                        (f"(a) {name}: worker / main thread", f"{b:.0f} ms / {w:.0f} ms", f"{b / w:.2f}", "≤ 1.0",
                         "yes" if b / w <= 1.0 else "no")
                    )  # fmt: skip
                rows.append(
                    (
                        f"(b) {name}: re-run after last param / full",
                        f"{r:.0f} ms / {b:.0f} ms",
                        f"{100 * r / b:.1f} %",
                        "≤ 15 %",
                        "yes" if r / b <= 0.15 else "no",
                    )
                )
        if args.only in (None, "editor"):
            text = json.dumps(chain)
            editor_sample(browser, base, text, minimap=args.minimap)  # warm-up
            loads, moves, frames, ticks = [], [], [], []
            for _ in range(args.runs):
                ms, m, f, t = editor_sample(browser, base, text, minimap=args.minimap)
                loads.append(ms)
                moves.extend(m)
                frames.extend(f)
                ticks.extend(t)
                print(f"  editor: load {ms:.0f} ms, move p95 {p95(m):.1f} ms", file=sys.stderr, flush=True)
            load = statistics.median(loads) / 1000
            rows.append(
                (
                    f"(c) load a {CHAIN}-node graph until rendered",
                    f"{load:.2f} s",
                    f"{load / 0.5:.2f}",
                    "≤ 0.5 s",
                    "yes" if load <= 0.5 else "no",
                )
            )
            move = p95(moves)
            rows.append(
                (
                    f"(c) drag a node in it: per-move handling, p95 of {len(moves)}",
                    f"{move:.1f} ms (median {statistics.median(moves):.1f})",
                    f"{move / 16:.2f}",
                    "≤ 16 ms",
                    "yes" if move <= 16 else "no",
                )
            )
            tick = p95(ticks)
            rows.append(
                (
                    f"(c) a slider tick on one of its nodes: handling and layout, p95 of {len(ticks)}",
                    f"{tick:.1f} ms (median {statistics.median(ticks):.1f})",
                    f"{tick / 16:.2f}",
                    "≤ 16 ms",
                    "yes" if tick <= 16 else "no",
                )
            )
            if args.minimap:
                frame = p95(frames) if frames else float("nan")
                rows.append(
                    (
                        f"(c) with the minimap: animation-frame work during the drag, p95 of {len(frames)}",
                        f"{frame:.1f} ms",
                        f"{frame / 16:.2f}",
                        "≤ 16 ms",
                        "yes" if frame <= 16 else "no",
                    )
                )
    print(f"Browser benchmarks, medians of {args.runs} samples (headless Chromium; ratio column vs the goal)")
    print()
    print("| measure | value | ratio | goal | meets |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
