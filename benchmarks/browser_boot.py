"""Boot-time benchmark: the Studio vs a bare PyScript page on the same runtime, in Chromium.

First visit: each page in a fresh browser context (empty HTTP cache, no service worker).
Repeat visit: a second visit in the same context: the Studio from its service worker's cache, the
bare page from the HTTP cache. The server sends `Cache-Control: max-age=600` like GitHub Pages, so the
bare page's repeat visit needs no network at all either. Prints medians, ratios, and where the Studio's
start-up goes (window.pyxisBoot: the runtime's download, Python's start, the Studio's start; the
"pyxis:imported" mark splits the last into importing the package and building the first screen).
With --engines, also the Studio with its image engine on the page (?engine=page): the worker starts
while the first screen is built, and this shows what it costs the boot.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from playwright.sync_api import sync_playwright  # noqa: E402

from studio.site.build import build_site  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
READY = "() => ['ready', 'error'].includes(document.documentElement.dataset.studio)"
WORKER_ACTIVE = """async () => {
  const reg = await navigator.serviceWorker.ready;
  const w = reg.active;
  if (w.state !== "activated") await new Promise(ok => w.addEventListener("statechange", () => w.state === "activated" && ok()));
}"""
SPLIT = """() => {
  const b = window.pyxisBoot || {};
  const imported = performance.getEntriesByName("pyxis:imported")[0];
  return {download: b.download, python: b.python, imported: imported ? imported.startTime : null, ready: b.studio};
}"""

# The baseline: one <script type="py"> on the same vendored runtime, setting the same flag.
BARE_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module" src="./static/vendor/pyscript/core.js"></script></head>
<body><script type="py" config="./bare.toml">
from pyscript import document
document.documentElement.dataset.studio = "ready"
</script></body></html>
"""
BARE_TOML = 'interpreter = "./static/vendor/pyodide/pyodide.mjs"\n'


class _PagesLikeHandler(SimpleHTTPRequestHandler):
    """Static files as GitHub Pages sends them: cacheable for ten minutes."""

    protocol_version = "HTTP/1.1"
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".webmanifest": "application/manifest+json",
    }

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def studio_site_in_browser() -> Iterator[tuple[Any, str, Path]]:
    """The built site served on loopback and one headless Chromium: (browser, base URL, site
    folder). Files written into the folder are served too. Everything is stopped on exit."""
    with tempfile.TemporaryDirectory(prefix="pyxis-bench-") as tmp:
        site = build_site(Path(tmp) / "site")
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_PagesLikeHandler, directory=str(site)))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as pw:
                path = CHROMIUM if os.path.exists(CHROMIUM) else None
                browser = pw.chromium.launch(executable_path=path, args=ARGS, headless=True)
                try:
                    yield browser, f"http://127.0.0.1:{httpd.server_address[1]}", site
                finally:
                    browser.close()
        finally:
            httpd.shutdown()
            httpd.server_close()


def time_boot(page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(READY, timeout=180_000, polling=10)
    elapsed = time.perf_counter() - start
    state = page.evaluate("document.documentElement.dataset.studio")
    if state != "ready":
        raise SystemExit(f"{page.url} did not boot: {state}")
    return elapsed


def measure_once(browser, url: str, studio: bool) -> tuple[float, float, dict, dict]:
    """(first visit s, repeat visit s, first split, repeat split) in one fresh context."""
    context = browser.new_context()
    page = context.new_page()
    first = time_boot(page, url)
    first_split = page.evaluate(SPLIT) if studio else {}
    if studio:
        page.evaluate(WORKER_ACTIVE)  # the precache is complete: the next visit is served by the worker
    page.close()
    page = context.new_page()
    repeat = time_boot(page, url)
    repeat_split = page.evaluate(SPLIT) if studio else {}
    if studio and not page.evaluate("!!navigator.serviceWorker.controller"):
        raise SystemExit("the repeat visit was not served by the service worker")
    context.close()
    return first, repeat, first_split, repeat_split


def _split_line(label: str, splits: list[dict]) -> str:
    def med(key: str) -> float:
        return statistics.median(s[key] for s in splits) / 1000

    download, python, imported, ready = med("download"), med("python"), med("imported"), med("ready")
    return (
        f"{label:<14}{download:>10.2f}{python - download:>10.2f}{imported - python:>10.2f}"
        f"{ready - imported:>10.2f}{ready:>10.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--runs", type=int, default=5)
    parser.add_argument(
        "--engines", action="store_true", help="also the Studio with its image engine on the page (?engine=page)"
    )
    args = parser.parse_args()
    with studio_site_in_browser() as (browser, base, site):
        (site / "bare.html").write_text(BARE_HTML, encoding="utf-8")
        (site / "bare.toml").write_text(BARE_TOML, encoding="utf-8")
        pages = {"bare PyScript": (base + "/bare.html", False), "Studio": (base + "/", True)}
        if args.engines:  # the worker starts before the first screen is drawn: what does that cost boot?
            pages["Studio, no worker"] = (base + "/?engine=page", True)
        for url, studio in pages.values():
            measure_once(browser, url, studio)  # warm-up: OS file cache, browser start
        results: dict[str, list[tuple[float, float, dict, dict]]] = {name: [] for name in pages}
        for _ in range(args.runs):
            # Interleaved, so a change in machine load hits both pages alike.
            for name, (url, studio) in pages.items():
                results[name].append(measure_once(browser, url, studio))
    med = {
        name: (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
        for name, runs in results.items()
    }
    print(f"Boot to data-studio=ready, median of {args.runs} runs (headless Chromium)")
    print(f"{'page':<16}{'first (s)':>11}{'repeat (s)':>12}")
    for name, (first, repeat) in med.items():
        print(f"{name:<16}{first:>11.2f}{repeat:>12.2f}")
    (bf, br), (sf, sr) = med["bare PyScript"], med["Studio"]
    print(f"{'ratio':<16}{sf / bf:>11.2f}{sr / br:>12.2f}")
    if args.engines:
        pf, pr = med["Studio, no worker"]
        print(f"{'worker / none':<16}{sf / pf:>11.2f}{sr / pr:>12.2f}")
    print("\nWhere the Studio's start goes (s since navigation start, medians)")
    print(f"{'visit':<14}{'download':>10}{'python':>10}{'import':>10}{'render':>10}{'ready':>10}")
    print(_split_line("first", [r[2] for r in results["Studio"]]))
    print(_split_line("repeat", [r[3] for r in results["Studio"]]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
