"""Boot-time benchmark: the Studio page vs a bare PyScript page on the same runtime, cold and warm, in Chromium."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


def serve(site: Path) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(site)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    port = int(proc.stdout.readline().split(" port ")[1].split()[0])
    return proc, f"http://127.0.0.1:{port}"


@contextmanager
def studio_site_in_browser() -> Iterator[tuple[Any, str, Path]]:
    """The built site served on loopback and one headless Chromium: (browser, base URL, site
    folder). Files written into the folder are served too. Everything is stopped on exit."""
    with tempfile.TemporaryDirectory(prefix="pyxis-bench-") as tmp:
        site = build_site(Path(tmp) / "site")
        proc, base = serve(site)
        try:
            with sync_playwright() as pw:
                path = CHROMIUM if os.path.exists(CHROMIUM) else None
                browser = pw.chromium.launch(executable_path=path, args=ARGS, headless=True)
                try:
                    yield browser, base, site
                finally:
                    browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def time_boot(page, action) -> float:
    start = time.perf_counter()
    action()
    page.wait_for_function(READY, timeout=120_000, polling=10)
    elapsed = time.perf_counter() - start
    state = page.evaluate("document.documentElement.dataset.studio")
    if state != "ready":
        raise SystemExit(f"{page.url} did not boot: {state}")
    return elapsed


def measure_once(browser, url: str) -> tuple[float, float]:
    context = browser.new_context()  # new context: empty HTTP cache, a true cold start
    page = context.new_page()
    cold = time_boot(page, lambda: page.goto(url))
    warm = time_boot(page, lambda: page.reload())
    context.close()
    return cold, warm


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", "--runs", type=int, default=5)
    args = parser.parse_args()
    with studio_site_in_browser() as (browser, base, site):
        (site / "bare.html").write_text(BARE_HTML, encoding="utf-8")
        (site / "bare.toml").write_text(BARE_TOML, encoding="utf-8")
        pages = {"bare PyScript": base + "/bare.html", "Studio": base + "/"}
        for url in pages.values():
            measure_once(browser, url)  # warm-up: OS file cache, browser start
        results = {name: ([], []) for name in pages}
        for _ in range(args.runs):
            # Interleaved, so a change in machine load hits both pages alike.
            for name, url in pages.items():
                cold, warm = measure_once(browser, url)
                results[name][0].append(cold)
                results[name][1].append(warm)
    med = {name: (statistics.median(c), statistics.median(w)) for name, (c, w) in results.items()}
    print(f"Boot to data-studio=ready, median of {args.runs} runs (headless Chromium)")
    print(f"{'page':<16}{'cold (s)':>10}{'warm (s)':>10}")
    for name, (c, w) in med.items():
        print(f"{name:<16}{c:>10.2f}{w:>10.2f}")
    (bc, bw), (sc, sw) = med["bare PyScript"], med["Studio"]
    print(f"{'ratio':<16}{sc / bc:>10.2f}{sw / bw:>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
