"""`studio run --batch` on 24 photos: --jobs 1 against --jobs 2 (and a Dask LocalCluster of 2), in one run.

Run: python benchmarks/batch.py   (prints a Markdown table; copy it into docs/benchmarks.md)
Each configuration runs the same command line on the same pictures, alternating, so machine load
falls on all alike; the ratio is the number to read, not the seconds.
"""

from __future__ import annotations

import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / "static" / "examples" / "photo-cleanup.json"
PICTURES = 24
ROUNDS = 3


def make_photos(folder: Path) -> None:
    gradient = Image.radial_gradient("L").resize((1600, 1200)).convert("RGB")
    for i in range(PICTURES):
        gradient.rotate(i * 15).save(folder / f"photo{i:02d}.jpg", quality=90)


def timed_batch(folder: Path, out: Path, *extra: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "studio", "run", str(WORKFLOW), "--batch", str(folder / "*.jpg"),
         "--input-node", "photo", "--out", str(out), *extra],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    from distributed import LocalCluster

    with (
        tempfile.TemporaryDirectory() as tmp,
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as cluster,
    ):
        folder = Path(tmp)
        make_photos(folder)
        configs = {
            "--jobs 1": ("--jobs", "1"),
            "--jobs 2": ("--jobs", "2"),
            "Dask LocalCluster, 2 workers": ("--scheduler", cluster.scheduler_address),
        }
        times: dict[str, list[float]] = {name: [] for name in configs}
        for round_ in range(ROUNDS):
            for name, extra in configs.items():
                times[name].append(timed_batch(folder, folder / f"out-{round_}-{len(times[name])}", *extra))
    base = statistics.median(times["--jobs 1"])
    print(f"batch of {PICTURES} photos 1600×1200 (photo-cleanup), median of {ROUNDS}, {platform.node()}")
    print("| configuration | time | vs --jobs 1 |")
    print("|---|---|---|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| {name} | {median:.1f} s | {median / base:.2f}× |")


if __name__ == "__main__":
    main()
