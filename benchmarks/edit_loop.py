"""The edit loop's fixed cost (issue 8, item 8): undo takes a copy of the graph before every edit,
a slider tick included. `Graph.copy` (field by field) against `copy.deepcopy` of the same graph,
timed in the same run, for a 200-node chain and for the AI Edit example (its conversation in node
data: a quarter MB of base64). Best of N rounds of 50 copies, CPU time, ms per copy.

Then the cost of the message stream (issue 8, item 1): a slider tick on the 200-node chain's
source sent as a `SetParam` command through the Application against the same edit called on its
editor directly, interleaved round by round; both reach every subscriber (the run controller's
stale marks and auto-run timer, the DocumentChanged bridge). Best of N rounds of 50 ticks.

Run: .venv/bin/python benchmarks/edit_loop.py [-n RUNS]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from studio.app.application import Application  # noqa: E402
from studio.app.commands import SetParam  # noqa: E402
from studio.app.session import Session  # noqa: E402
from studio.core.workflow import load_workflow  # noqa: E402
from studio.nodes import default_catalog  # noqa: E402

COPIES = 50


def chain(count: int) -> str:
    nodes = [{"id": "n0", "type": "source.solid", "params": {"width": 8, "height": 8}, "position": [0, 0]}]
    nodes += [{"id": f"n{i}", "type": "transform.invert", "position": [260 * i, 0]} for i in range(1, count)]
    edges = [{"from": f"n{i - 1}.image", "to": f"n{i}.image"} for i in range(1, count)]
    return json.dumps({"format": "pyxis.workflow", "version": 3, "name": "Chain", "nodes": nodes, "edges": edges})


def per_copy_ms(make, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        for _ in range(COPIES):
            make()
        best = min(best, (time.process_time() - started) / COPIES * 1000)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--runs", type=int, default=5)
    args = parser.parse_args()
    catalog = default_catalog()
    graphs = {
        "200-node chain": load_workflow(chain(200), catalog),
        "AI Edit example": load_workflow((ROOT / "static/examples/ai-edit.json").read_text(encoding="utf-8"), catalog),
    }
    print("| graph | Graph.copy | copy.deepcopy, same run | ratio |")
    print("|---|---|---|---|")
    for name, graph in graphs.items():
        assert graph.copy() == copy.deepcopy(graph) == graph
        fast = per_copy_ms(graph.copy, args.runs)
        deep = per_copy_ms(lambda graph=graph: copy.deepcopy(graph), args.runs)
        print(f"| {name} | {fast:.3f} ms | {deep:.3f} ms | {fast / deep:.2f} |")
    print()
    sent, direct = stream_cost(catalog, args.runs)
    print("| a slider tick, 200-node chain | sent as SetParam | editor.set_param, same run | ratio |")
    print("|---|---|---|---|")
    print(f"| per tick | {sent:.3f} ms | {direct:.3f} ms | {sent / direct:.2f} |")
    return 0


def stream_cost(catalog, runs: int) -> tuple[float, float]:
    """(ms per tick sent through the stream, ms per tick called on the editor), best of `runs`."""
    loop = asyncio.new_event_loop()  # the run controller's timers need a current loop (never run here)
    asyncio.set_event_loop(loop)
    app = Application(Session(catalog, backend=None))
    app.editor.load_text(chain(200))
    ticks = iter(range(10**9))

    def send() -> None:
        app.send(SetParam("n0", "width", 8 + next(ticks) % 500))

    def call() -> None:
        app.editor.set_param("n0", "width", 8 + next(ticks) % 500)

    best = {send: float("inf"), call: float("inf")}
    for _ in range(runs):
        for tick in (send, call):
            best[tick] = min(best[tick], per_copy_ms(tick, 1))
    loop.close()
    return best[send], best[call]


if __name__ == "__main__":
    raise SystemExit(main())
