"""Workflow loading time against the number of edges (issue 13: `edge not in graph.edges` was O(E²)).

For 10k, 30k and 100k edges, two files: every edge dangling (naming nodes that do not exist; the
file is refused, each edge reported), and every edge valid (1,000 solid sources feeding the
`references` input of AI Edit nodes). Each row is the best of a few runs of `load_workflow` on the
file's text: size and nesting checks, JSON parsing, structure, validation. Goal: 100k well under 1 s.
Both wall time and CPU time are shown: on a shared machine the CPU time is the load's own cost.
Beside it, `json.loads` of the same text alone, timed in the same run: the ratio is what the checks
cost over parsing, the number that holds still while the machine's speed drifts.

Run: .venv/bin/python benchmarks/loader.py [-n RUNS]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from studio.core.workflow import WorkflowError, load_workflow  # noqa: E402
from studio.nodes import default_catalog  # noqa: E402

SIZES = (10_000, 30_000, 100_000)
SOURCES = 1000
GOAL_S = 1.0


def dangling(edges: int) -> str:
    items = [{"from": f"n{i}.image", "to": f"m{i}.image"} for i in range(edges)]
    return json.dumps({"format": "pyxis.workflow", "version": 1, "nodes": [], "edges": items})


def valid(edges: int) -> str:
    nodes = [{"id": f"s{i}", "type": "source.solid"} for i in range(SOURCES)]
    items = []
    for e in range(edges // SOURCES):
        nodes.append({"id": f"edit{e}", "type": "ai.edit"})
        items.append({"from": "s0.image", "to": f"edit{e}.image"})
        items += [{"from": f"s{i}.image", "to": f"edit{e}.references"} for i in range(SOURCES)]
    return json.dumps({"format": "pyxis.workflow", "version": 1, "nodes": nodes, "edges": items})


def best_of(text: str, runs: int) -> tuple[float, float, str]:
    catalog = default_catalog()
    times, cpu, outcome = [], [], ""
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        try:
            graph = load_workflow(text, catalog)
            outcome = f"loaded, {len(graph.edges):,} edges"
        except WorkflowError as exc:
            outcome = f"refused, {len(exc.problems):,} problems"
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return min(times), min(cpu), outcome


def parse_only(text: str, runs: int) -> float:
    cpu = []
    for _ in range(runs):
        started = time.process_time()
        json.loads(text)
        cpu.append(time.process_time() - started)
    return min(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"| edges | kind | file | wall (best of {args.runs}) | CPU | json.loads alone (CPU) | ratio | result |")
    print("|---:|---|---:|---:|---:|---:|---:|---|")
    worst = 0.0
    for edges in SIZES:
        for kind, make in (("dangling", dangling), ("valid", valid)):
            text = make(edges)
            seconds, cpu, outcome = best_of(text, args.runs)
            parsing = parse_only(text, args.runs)
            worst = max(worst, cpu) if edges == SIZES[-1] else worst
            print(
                f"| {edges:,} | {kind} | {len(text) / 1e6:.1f} MB | {seconds * 1000:.0f} ms | {cpu * 1000:.0f} ms"
                f" | {parsing * 1000:.0f} ms | {cpu / parsing:.1f}× | {outcome} |"
            )
    print(f"\n100k edges: slowest {worst * 1000:.0f} ms of CPU (goal: well under {GOAL_S:.0f} s)")
    return 0 if worst < GOAL_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
