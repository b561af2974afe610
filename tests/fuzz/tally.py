"""The fuzz tests' count of outcomes (tried / refused / ran / crashed / lost), printed at the end."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, settings

# Fixed and derandomized, so CI runs the same cases every time; PYXIS_FUZZ_SCALE multiplies the
# number of examples for a longer local sweep (docs/reliability.md gives the counts of one).
SCALE = float(os.environ.get("PYXIS_FUZZ_SCALE", "1"))


def fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=max(1, int(examples * SCALE)),
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


COUNTS: dict[str, Counter[str]] = {}
KINDS: dict[str, Counter[str]] = {}


def record(suite: str, outcome: str, kind: str = "") -> None:
    """outcome: refused (a clear message) / loaded / ran / crashed / lost."""
    COUNTS.setdefault(suite, Counter())["tried"] += 1
    COUNTS[suite][outcome] += 1
    if kind:
        KINDS.setdefault(suite, Counter())[kind] += 1


def summary() -> str:
    lines = []
    for suite, counts in COUNTS.items():
        parts = ", ".join(f"{name} {counts[name]}" for name in ("tried", "refused", "loaded", "ran", "crashed", "lost"))
        lines.append(f"{suite}: {parts}")
    return "\n".join(lines)


def write_report() -> None:
    target = os.environ.get("PYXIS_FUZZ_REPORT")
    if target and COUNTS:
        report = {"counts": {s: dict(c) for s, c in COUNTS.items()}, "kinds": {s: dict(c) for s, c in KINDS.items()}}
        Path(target).write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
