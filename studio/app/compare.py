"""Two results side by side: what each one is (a `Pick`), and what differs between them.

The compare dialog (studio/browser/ui/compare_view.py) shows two picks; the run history
(run_history.py) and an AI node's steps (ai_conversation.py) provide them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from ..core.graph import Node
from ..core.quoting import quote
from . import ai_conversation
from .run_history import Shot, compare_lines


@dataclass(frozen=True)
class Pick:
    key: str
    label: str  # "Run 3 · 19:02:11", "Step 2"
    caption: str  # what made it, in one line
    load: Callable[[], Awaitable[Any]] = field(compare=False)  # -> an image handle, or None when gone
    # (other) -> what differs from this to other, a line each; None where the two share no recipe
    differs: Callable[[Pick], list[str] | None] | None = field(default=None, compare=False)


def what_differs(a: Pick | None, b: Pick | None) -> list[str]:
    if a is None or b is None:
        return []
    if a.key == b.key:
        return ["the same result on both sides: pick another one"]
    lines = a.differs(b) if a.differs is not None else None
    if lines is None:  # no common recipe (two AI steps, a step and a run): say what made each
        return [f"{a.label}: {a.caption}", f"{b.label}: {b.caption}"]
    return lines or ["the same settings (another answer, or a run again)"]


def shot_picks(shots: list[Shot], load: Callable[[str], Awaitable[Any]], clock: Callable[[float], str]) -> list[Pick]:
    """A pick per run-history shot, newest first, labelled "Run 3 · <clock(time)>"; two shots
    differ by their recipes."""
    by_id = {shot.id: shot for shot in shots}

    def pick(shot: Shot) -> Pick:
        def differs(other: Pick) -> list[str] | None:
            theirs = by_id.get(other.key)
            return compare_lines(shot, theirs) if theirs is not None else None

        return Pick(shot.id, f"{shot.label} · {clock(shot.time)}", shot.summary, _loader(load, shot.id), differs)

    return [pick(shot) for shot in reversed(shots)]


def step_picks(node: Node, load: Callable[[str], Awaitable[Any]]) -> list[Pick]:
    """A pick per AI step that has a picture, latest first, captioned with what it asked."""
    out = []
    for step in reversed(ai_conversation.steps(node)):
        b64 = step.image_b64
        if b64 is None:
            continue
        asked = quote(step.prompt, 60) if step.prompt else "(no instruction)"
        out.append(Pick(f"step-{step.index + 1}", f"Step {step.index + 1}", f"asked {asked}", _loader(load, b64)))
    return out


def _loader(load: Callable[[str], Awaitable[Any]], key: str) -> Callable[[], Awaitable[Any]]:
    return lambda: load(key)


def default_pair(picks: list[Pick], clicked: str | None = None) -> tuple[str, str] | None:
    """(left, right) to open with: what was clicked against the newest (the newest against the
    one before it when the newest was clicked, or nothing was). Picks are newest first."""
    if len(picks) < 2:
        return None
    newest = picks[0].key
    if clicked is None or clicked == newest or clicked not in {p.key for p in picks}:
        return picks[1].key, newest
    return clicked, newest
