"""AI node overhead in the real page: Gemini answered instantly by page.route, timed inside Chromium.

(a) From the answer fully received (fetch's body read) to the image decoded (node "done") and on
    screen (the node's thumbnail loaded), for a 4096 x 4096 PNG answer (~20 MB of base64).
    Goal: on screen within 300 ms.
(b) The node's own time beyond the request: the node's ms minus its fetch (request start to body
    read), for a 1024 x 1024 answer (a typical 1K result) and for the 4K one. Goal: 50 ms.
    A no-op fetch of the same routed answer from page JavaScript is shown for comparison.
(d) The floor under (a): the browser's own decode of the same 4K PNG (createImageBitmap of its
    bytes, timed in the same page, between the runs); no page can show the picture sooner, so
    "on screen" is also given as a ratio to it.

(c) With --compare: the same runs, alternating the page's answer parsing between the native path
    (JSON.parse and Uint8Array.fromBase64 in JavaScript, the default) and the old Python path
    (json.loads and base64 in Pyodide), interleaved so that both see the same machine load.
(e) With --compare-fetch: runs alternating where the request is made: on the page (its answer parsed
    and its picture decoded there, then handed to the engine's worker) or in the engine's worker (the
    default: the answer is parsed, and its picture decoded and thumbnailed, where it lands), with the
    page's longest main-thread task while the answer is handled.

Run: .venv/bin/python benchmarks/ai_browser.py [-n RUNS] [--compare]
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from browser_boot import studio_site_in_browser  # noqa: E402  (the same site, server and browser)
from PIL import Image, ImageChops  # noqa: E402

GEMINI = "https://generativelanguage.googleapis.com/**"
KEY = "bench-key-not-real-0000"
GOAL_SCREEN_MS = 300.0
GOAL_OVERHEAD_MS = 50.0

# Every Gemini fetch (start, headers, body read) of the scope it runs in: the page (before its own
# scripts) and the engine's worker (once it is up), which makes the requests now. Times are on one
# clock for both, the wall clock in ms (timeOrigin + now), so page marks and worker fetches compare.
INSTRUMENT_FETCH = """
(() => {
  if (globalThis.__benchFetches) return;
  globalThis.__benchFetches = [];
  const now = () => performance.timeOrigin + performance.now();
  const original = globalThis.fetch;
  globalThis.fetch = function (input, init) {
    const url = String((input && input.url) || input);
    const pending = original.apply(this, arguments);
    if (!url.includes('generativelanguage.googleapis.com')) return pending;
    const record = {url, start: now()};
    globalThis.__benchFetches.push(record);
    return pending.then(response => {
      record.headers = now();
      const read = response.arrayBuffer.bind(response);
      response.arrayBuffer = () => read().then(buffer => {
        record.bodyEnd = now(); record.bytes = buffer.byteLength; return buffer;
      });
      return response;
    });
  };
})();
"""
# On the page: its fetches, the marks a run sets, and every task over 50 ms on its main thread.
INSTRUMENT = (
    INSTRUMENT_FETCH
    + """
window.__bench = {marks: {}, longtasks: []};
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.__bench.longtasks.push({start: performance.timeOrigin + entry.startTime, ms: entry.duration});
  }
}).observe({type: 'longtask', buffered: true});
"""
)


def engine_worker(page):
    """The engine's worker, instrumented (None when the page makes its pictures itself)."""
    for worker in page.workers:
        if worker.url.endswith("engine-worker.js"):
            worker.evaluate(INSTRUMENT_FETCH)
            return worker
    return None


def fetches(page) -> list[dict]:
    found = page.evaluate("() => globalThis.__benchFetches.splice(0)")
    worker = engine_worker(page)
    if worker is not None:
        found += worker.evaluate("() => globalThis.__benchFetches.splice(0)")
    return found


# After a load: note when the AI node turns "done" and when its thumbnail has loaded and decoded.
WATCH = """() => {
  const marks = window.__bench.marks = {};
  window.__bench.longtasks = [];
  const now = () => performance.timeOrigin + performance.now();
  const node = document.querySelector('[data-testid="node-edit"]');
  new MutationObserver(() => {
    if (node.dataset.state === 'done' && !marks.done) marks.done = now();
  }).observe(node, {attributes: true, attributeFilter: ['data-state']});
  const img = node.querySelector('.node-thumb img');
  new MutationObserver(() => {
    const src = img.getAttribute('src');
    if (!src || marks.thumb) return;
    img.decode().then(() => requestAnimationFrame(() => { marks.thumb = marks.thumb || now(); }));
  }).observe(img, {attributes: true, attributeFilter: ['src']});
  // The preview draws the picture into a <canvas> and then marks itself data-loaded="true".
  const preview = document.querySelector('[data-testid="preview"]');
  preview.dataset.loaded = 'false';
  new MutationObserver(() => {
    if (marks.preview || preview.dataset.loaded !== 'true') return;
    requestAnimationFrame(() => { marks.preview = marks.preview || now(); });
  }).observe(preview, {attributes: true, attributeFilter: ['data-loaded']});
}"""

NOOP_FETCH = """async (body) => {
  const t0 = performance.now();
  const response = await fetch('https://generativelanguage.googleapis.com/v1beta/models/gemini-3.1-flash-image:generateContent',
    {method: 'POST', headers: {'Content-Type': 'application/json', 'x-goog-api-key': 'x'}, body});
  await response.arrayBuffer();
  return performance.now() - t0;
}"""


# The browser decoding the answer's PNG and nothing else: the floor under "answer -> on screen".
BROWSER_DECODE = """async (b64) => {
  const bytes = Uint8Array.fromBase64(b64);
  const t0 = performance.now();
  const bitmap = await createImageBitmap(new Blob([bytes], {type: 'image/png'}));
  const ms = performance.now() - t0;
  bitmap.close();
  return ms;
}"""


def picture(side: int) -> bytes:
    """A PNG that compresses like a photo-ish result: a gradient with fine noise (4096² ≈ 15 MB)."""
    base = Image.linear_gradient("L").resize((side, side))
    channels = [
        ImageChops.add(base.rotate(90 * i), Image.effect_noise((side, side), s), offset=-128)
        for i, s in enumerate((0.6, 0.5, 0.7))
    ]
    out = io.BytesIO()
    Image.merge("RGB", channels).save(out, "PNG")
    return out.getvalue()


def answer_body(image: bytes) -> bytes:
    data = base64.b64encode(image).decode("ascii")
    return json.dumps(
        {
            "candidates": [
                {
                    "content": {
                        "role": "model",
                        "parts": [
                            {"text": "Here it is.", "thoughtSignature": "c2lnLTE="},
                            {"inlineData": {"mimeType": "image/png", "data": data}, "thoughtSignature": "c2lnLTI="},
                        ],
                    },
                    "finishReason": "STOP",
                    "index": 0,
                }
            ],
            "modelVersion": "gemini-3.1-flash-image",
            "responseId": "bench",
        }
    ).encode("utf-8")


def workflow(prompt: str) -> str:
    return json.dumps(
        {
            "format": "pyxis.workflow",
            "version": 1,
            "name": "AI benchmark",
            "nodes": [
                {
                    "id": "src",
                    "type": "source.solid",
                    "params": {"width": 64, "height": 64, "color": "#c83232"},
                    "position": [0, 0],
                },
                {"id": "edit", "type": "ai.edit", "params": {"prompt": prompt}, "position": [260, 0]},
                {
                    "id": "small",
                    "type": "transform.resize",
                    "params": {"width": 16, "height": 16, "fit": "fill"},
                    "position": [520, 0],
                },
                {"id": "out", "type": "output.export", "params": {"format": "png"}, "position": [780, 0]},
            ],
            "edges": [
                {"from": "src.image", "to": "edit.image"},
                {"from": "edit.image", "to": "small.image"},
                {"from": "small.image", "to": "out.image"},
            ],
        }
    )


def one_run(page, index: int, *, select_ai: bool) -> dict[str, float]:
    page.evaluate("t => window.studio.load(t)", workflow(f"benchmark run {index}"))
    if select_ai:
        page.locator('[data-testid="node-edit"] .node-head').click()
    page.evaluate(WATCH)
    fetches(page)  # forget the earlier runs' requests
    result = page.evaluate("() => window.studio.run()")
    if result["edit"]["status"] != "done":
        raise SystemExit(f"the AI node did not run: {result['edit']}")
    wait = "m => m.thumb" + (" && m.preview" if select_ai else "")
    page.wait_for_function(f"() => ({wait})(window.__bench.marks)", timeout=60_000, polling=20)
    bench = page.evaluate("() => window.__bench")
    fetch = [f for f in fetches(page) if f["url"].endswith(":generateContent")][-1]
    marks = bench["marks"]
    # The page's main thread from the answer's arrival to its thumbnail on screen: its longest task.
    held = [t["ms"] for t in bench["longtasks"] if fetch["bodyEnd"] - t["ms"] <= t["start"] <= marks["thumb"]]
    out = {
        "node_ms": result["edit"]["ms"],
        "fetch_ms": fetch["bodyEnd"] - fetch["start"],
        "decoded_ms": marks["done"] - fetch["bodyEnd"],
        "screen_ms": marks["thumb"] - fetch["bodyEnd"],
        "bytes": fetch["bytes"],
        "longest_task_ms": max(held, default=0.0),
    }
    out["overhead_ms"] = out["node_ms"] - out["fetch_ms"]
    if select_ai:
        out["preview_ms"] = marks["preview"] - fetch["bodyEnd"]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--runs", type=int, default=5)
    parser.add_argument("--compare", action="store_true", help="native vs Python answer parsing, interleaved")
    parser.add_argument(
        "--compare-fetch",
        action="store_true",
        help="the request made (answer parsed, picture decoded) on the page vs in the engine's worker, interleaved",
    )
    args = parser.parse_args()
    if args.compare or args.compare_fetch:
        return compare(args.runs, "fetch" if args.compare_fetch else "parse")
    print("making answer images…", flush=True)
    pictures = {"1K": picture(1024), "4K": picture(4096)}
    bodies = {size: answer_body(png) for size, png in pictures.items()}
    floor: list[float] = []
    current = {"body": bodies["1K"]}
    results: dict[str, list[dict[str, float]]] = {}
    noop: dict[str, list[float]] = {}
    with studio_site_in_browser() as (browser, base, site):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.add_init_script(INSTRUMENT + f"localStorage.setItem('pyxis.gemini-api-key', {json.dumps(KEY)});")

        def gemini(route):
            if ":generateContent" in route.request.url:
                route.fulfill(status=200, content_type="application/json; charset=UTF-8", body=current["body"])
            else:
                route.fulfill(status=200, content_type="application/json", body='{"models": []}')

        page.route(GEMINI, gemini)
        page.goto(base + "/")
        page.wait_for_function("document.documentElement.dataset.studio === 'ready'", timeout=120_000)
        page.wait_for_function("() => !!document.documentElement.dataset.lastRun", timeout=60_000)
        runs = 0
        for size in ("1K", "4K"):
            current["body"] = bodies[size]
            one_run(page, runs, select_ai=False)  # warm-up (first decode of this size, JIT)
            runs += 1
            for select_ai, label in ((False, size), (True, f"{size}, AI node selected")):
                results[label] = []
                for _ in range(args.runs):
                    results[label].append(one_run(page, runs, select_ai=select_ai))
                    runs += 1
            noop[size] = [page.evaluate(NOOP_FETCH, "{}") for _ in range(args.runs)]
        four_k = base64.b64encode(pictures["4K"]).decode("ascii")
        floor = [page.evaluate(BROWSER_DECODE, four_k) for _ in range(args.runs)]

    med = {label: {k: statistics.median(r[k] for r in rows) for k in rows[0]} for label, rows in results.items()}
    print(f"\nAI Edit in the page, Gemini answered instantly by page.route; medians of {args.runs} runs (ms)")
    head = (
        f"{'answer':<26}{'MB':>6}{'fetch':>8}{'no-op':>8}{'node':>8}{'overhead':>10}{'decoded':>9}"
        f"{'on screen':>11}{'preview':>9}{'page task':>11}"
    )
    print(head)
    for label, m in med.items():
        size = label[:2]
        print(
            f"{label:<26}{m['bytes'] / 1e6:>6.1f}{m['fetch_ms']:>8.0f}{statistics.median(noop[size]):>8.0f}"
            f"{m['node_ms']:>8.0f}{m['overhead_ms']:>10.0f}{m['decoded_ms']:>9.0f}{m['screen_ms']:>11.0f}"
            f"{m.get('preview_ms', float('nan')):>9.0f}{m['longest_task_ms']:>11.0f}"
        )
    print(
        "\ncolumns: fetch = the node's request, start to body read; no-op = the same routed answer fetched by page JS;"
        "\n  node = the node's ms (executor); overhead = node - fetch; decoded = body read -> node done;"
        "\n  on screen = body read -> the node's thumbnail decoded and painted; preview = body read -> the preview painted;"
        "\n  page task = the page's longest main-thread task over 50 ms (0: none) from body read to on screen"
    )
    print("\nagainst the goals (ratio < 1 meets the goal)")
    print(f"{'measure':<44}{'ms':>8}{'goal':>8}{'ratio':>8}")
    for label in ("1K", "4K"):
        print(
            f"{'(b) node overhead beyond the request, ' + label:<44}{med[label]['overhead_ms']:>8.0f}"
            f"{GOAL_OVERHEAD_MS:>8.0f}{med[label]['overhead_ms'] / GOAL_OVERHEAD_MS:>8.2f}"
        )
    print(
        f"{'(a) 4K answer received -> decoded':<44}{med['4K']['decoded_ms']:>8.0f}{GOAL_SCREEN_MS:>8.0f}"
        f"{med['4K']['decoded_ms'] / GOAL_SCREEN_MS:>8.2f}"
    )
    print(
        f"{'(a) 4K answer received -> on screen':<44}{med['4K']['screen_ms']:>8.0f}{GOAL_SCREEN_MS:>8.0f}"
        f"{med['4K']['screen_ms'] / GOAL_SCREEN_MS:>8.2f}"
    )
    browser = statistics.median(floor)
    print(f"\n(d) the browser's own decode of the 4K PNG, same page: {browser:.0f} ms (median)")
    print(
        f"    on screen / that decode: {med['4K']['screen_ms'] / browser:.2f}×;"
        f" decoded / that decode: {med['4K']['decoded_ms'] / browser:.2f}×"
    )
    return 0


# --compare and --compare-fetch: (the page global a run's mode sets, the two modes, the sizes timed)
COMPARISONS = {
    "parse": ("__pyxisParseInPython", ("python", "native"), ("1K", "4K")),
    "fetch": ("__pyxisFetchOnPage", ("page", "engine"), ("1K", "4K")),
}


def compare(runs: int, what: str) -> int:
    """(c) and (e): two ways of handling the same answers, alternating run by run. The first mode of
    each pair sets the page global to true."""
    switch, modes, sizes = COMPARISONS[what]
    print("making answer images…", flush=True)
    bodies = {size: answer_body(picture(1024 if size == "1K" else 4096)) for size in sizes}
    current = {"body": bodies[sizes[0]]}
    rows: dict[tuple[str, str], list[dict[str, float]]] = {}
    with studio_site_in_browser() as (browser, base, site):
        page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        page.add_init_script(INSTRUMENT + f"localStorage.setItem('pyxis.gemini-api-key', {json.dumps(KEY)});")

        def gemini(route):
            body = current["body"] if ":generateContent" in route.request.url else b'{"models": []}'
            route.fulfill(status=200, content_type="application/json; charset=UTF-8", body=body)

        page.route(GEMINI, gemini)
        page.goto(base + "/")
        page.wait_for_function("document.documentElement.dataset.studio === 'ready'", timeout=120_000)
        page.wait_for_function("() => !!document.documentElement.dataset.lastRun", timeout=60_000)
        index = 0

        def one(mode: str) -> dict[str, float]:
            nonlocal index
            page.evaluate("([name, on]) => { window[name] = on; }", [switch, mode == modes[0]])
            index += 1
            return one_run(page, index, select_ai=False)

        for size in sizes:
            current["body"] = bodies[size]
            for mode in modes:  # warm-ups
                one(mode)
            for _ in range(runs):
                for mode in modes:
                    rows.setdefault((size, mode), []).append(one(mode))
    print(f"\n{what}: {modes[0]} vs {modes[1]}, interleaved; medians of {runs} runs each (ms)")
    print(f"{'answer':<8}{what:<9}{'fetch':>8}{'overhead':>10}{'decoded':>9}{'on screen':>11}{'page task':>11}")
    for (size, mode), found in rows.items():
        m = {k: statistics.median(r[k] for r in found) for k in found[0]}
        print(
            f"{size:<8}{mode:<9}{m['fetch_ms']:>8.0f}{m['overhead_ms']:>10.0f}{m['decoded_ms']:>9.0f}"
            f"{m['screen_ms']:>11.0f}{m['longest_task_ms']:>11.0f}"
        )
    print("page task = the page's longest main-thread task (over 50 ms; 0 if none) from the answer to its thumbnail")
    for size in sizes:
        for measure in ("screen_ms", "longest_task_ms"):
            a, b = (statistics.median(r[measure] for r in rows[(size, mode)]) for mode in modes)
            ratio = f"{b / a:.2f}" if a else "n/a (0 ms)"
            print(f"{size}: {measure[:-3].replace('_', ' ')}, {modes[1]} / {modes[0]} = {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
