"""The idle warm-up after start-up (studio/core/warm_up.py) against the same Studio without it
(?warm-up=off), measured in one run, sample by sample, on both engines (the worker, ?engine=page).

Each sample is a fresh browser context on the built site (benchmarks/browser.py's fresh_page: an
empty autosaved graph, the boot's run and the service worker's precaching waited for). With the warm-up, we wait for
<html data-warm-up> to say all its rounds ran whole; then, in both arms, 1 s and an idle page, so the
two differ only in what ran between the boot and the run. Then the example is loaded with
window.studio.load and `await window.studio.run()` timed in the page. Goal: ratio on/off < 1.

Run: .venv/bin/python benchmarks/warm_up.py [-n SAMPLES]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import browser as B  # noqa: E402
import browser_boot as BB  # noqa: E402

from studio.core.warm_up import ROUNDS  # noqa: E402

WORKFLOWS = ("example composite", "example poster")
ENGINES = ("worker", "page")


def sample(browser, base: str, text: str, engine: str, warm: bool) -> float:
    context, page = B.fresh_page(browser, base, engine=engine, query="" if warm else "warm-up=off")
    try:
        if warm:
            page.wait_for_function("() => !!document.documentElement.dataset.warmUp", timeout=30_000)
            rounds = page.evaluate("document.documentElement.dataset.warmUp")
            if rounds != str(ROUNDS):
                raise SystemExit(f"the warm-up ran {rounds} of {ROUNDS} rounds whole")
        page.wait_for_timeout(1000)
        page.evaluate(B.IDLE)
        page.evaluate("t => window.studio.load(t)", text)
        page.evaluate(B.IDLE)
        run = page.evaluate(B.TIMED_RUN)
        if any(status != "done" for status in run["status"].values()):
            raise SystemExit(f"not every node ran: {run['status']}")
        return float(run["ms"])
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=6, help="samples per workflow, engine and arm (interleaved)")
    args = parser.parse_args()
    docs = B.workflows()
    times: dict[tuple[str, str, bool], list[float]] = {}
    with BB.studio_site_in_browser() as (browser, base, _site):
        sample(browser, base, json.dumps(docs[WORKFLOWS[1]]), "worker", True)  # the first context pays more
        for i in range(args.n):
            for name in WORKFLOWS:
                for engine in ENGINES:
                    for warm in (True, False) if i % 2 else (False, True):
                        ms = sample(browser, base, json.dumps(docs[name]), engine, warm)
                        times.setdefault((name, engine, warm), []).append(ms)
    print(f"{'workflow':<20} {'engine':<8} {'warm-up (ms)':>13} {'without (ms)':>13} {'ratio':>6}")
    for name in WORKFLOWS:
        for engine in ENGINES:
            on, off = (statistics.median(times[(name, engine, warm)]) for warm in (True, False))
            print(f"{name:<20} {engine:<8} {on:>13.0f} {off:>13.0f} {on / off:>6.2f}")


if __name__ == "__main__":
    main()
