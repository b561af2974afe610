"""Executor overhead on a 200-node chain, and each example end to end under Pillow.

Run: python benchmarks/engine.py   (prints a Markdown table; copy it into docs/benchmarks.md)
Overhead is measured as a difference within one run: the executor running the chain versus
the same node bodies called directly in a loop, so machine load affects both sides alike.
"""

from __future__ import annotations

import asyncio
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studio.backend.pillow_backend import PillowBackend  # noqa: E402
from studio.core.catalog import TEXT, Catalog, PortSpec, node  # noqa: E402
from studio.core.context import CancelToken, NodeContext  # noqa: E402
from studio.core.executor import Executor  # noqa: E402
from studio.core.graph import Graph, Node  # noqa: E402
from studio.core.params import TextParam  # noqa: E402
from studio.core.workflow import load_workflow  # noqa: E402
from studio.nodes import default_catalog  # noqa: E402

CHAIN = 200
REPEATS = 15


@node(
    "bench.step",
    title="Step",
    category="Bench",
    help="Appends one character.",
    inputs=(PortSpec("text", TEXT, required=False),),
    outputs=(PortSpec("text", TEXT),),
    params=(TextParam("suffix", "x"),),
)
async def step(ctx, *, text, suffix):
    return {"text": (text or "")[-8:] + suffix}


def chain_graph() -> Graph:
    graph = Graph()
    for i in range(CHAIN):
        graph.add_node(Node(f"n{i}", "bench.step", {"suffix": "x"}))
        if i:
            graph.connect(f"n{i - 1}.text", f"n{i}.text")
    return graph


async def direct_calls() -> None:
    ctx = NodeContext(Node("d", "bench.step"), None, CancelToken())
    text = None
    for _ in range(CHAIN):
        text = (await step.fn(ctx, text=text, suffix="x"))["text"]


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def overhead_rows() -> list[tuple[str, str, str]]:
    catalog = Catalog([step])
    cold, warm, direct = [], [], []
    for _ in range(REPEATS):
        executor = Executor(catalog, backend=None)
        graph = chain_graph()
        cold.append(timed(lambda e=executor, g=graph: asyncio.run(e.run(g))))
        warm.append(timed(lambda e=executor, g=graph: asyncio.run(e.run(g))))
        direct.append(timed(lambda: asyncio.run(direct_calls())))
    base = statistics.median(direct)
    per_node = (statistics.median(cold) - base) / CHAIN
    per_hit = statistics.median(warm) / CHAIN
    return [
        ("executor overhead per node (200-node chain, cold)", f"{per_node:.3f} ms", "≤ 1 ms"),
        ("per cache hit (same chain, second run)", f"{per_hit:.3f} ms", "≤ 0.1 ms"),
        ("the same 200 bodies called directly", f"{base:.2f} ms total", "reference"),
    ]


def example_rows() -> list[tuple[str, str, str]]:
    from PIL import Image

    rows = []
    catalog = default_catalog()
    with tempfile.TemporaryDirectory() as tmp:
        photo = Path(tmp) / "photo.png"
        Image.radial_gradient("L").resize((2048, 1536)).convert("RGB").save(photo)
        for path in sorted((ROOT / "static" / "examples").glob("*.json")):
            if path.name == "index.json":
                continue
            graph = load_workflow(path.read_text(), catalog)
            inputs = {n.id: photo.read_bytes() for n in graph.nodes.values() if n.type == "source.image"}
            times = []
            for _ in range(5):
                executor = Executor(catalog, PillowBackend())
                times.append(timed(lambda e=executor, g=graph, i=inputs: asyncio.run(e.run(g, inputs=i))))
            rows.append((f"example {path.stem} end to end (Pillow)", f"{statistics.median(times):.0f} ms", "—"))
    return rows


def main() -> None:
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, {platform.system()}"
    )
    print()
    print("| measure | median | goal |")
    print("|---|---|---|")
    for name, value, goal in overhead_rows() + example_rows():
        print(f"| {name} | {value} | {goal} |")


if __name__ == "__main__":
    main()
