"""What each node shows: its state, in words and in a tone, so that only a real failure looks like one.

A run reports done/cached/failed/skipped per node; a person needs more: an Image node without a
picture is waiting for one (the executor calls that a failure), an AI node that auto-run left out
is ready for Run, a node after it is waiting for it, a Cancel is not an error. `present` turns the
run board and the graph into one `Shown` per node; `pill_text` sums them up for the status pill.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from ..core.catalog import Catalog, NodeSpec
from ..core.graph import Graph, Node
from ..core.quoting import quote
from ..core.run_result import CACHED, DONE, FAILED, QUEUED, RUNNING, SKIPPED
from .offline import OFFLINE
from .run_state import CANCELLED, IDLE, NodeStatus, RunBoard, format_ms

WAITING = "waiting"  # needs something from the person: a picture, a connection
READY = "ready"  # an AI node that runs when Run is pressed
BLOCKED = "blocked"  # waits for (or was stopped by) a node before it
STATES = (IDLE, QUEUED, RUNNING, DONE, CACHED, FAILED, SKIPPED, WAITING, READY, BLOCKED, CANCELLED, OFFLINE)

# Tones: how a state is drawn. Only FAIL uses the failure colour.
NEUTRAL, BUSY, OK, FAIL = "neutral", "busy", "ok", "fail"
TONES = (NEUTRAL, BUSY, OK, FAIL)

MISSING_INPUT = "is required but not connected"  # studio/core/validation.py's wording
NOT_RUN_YET = "not run yet"  # how an AI node's offline run starts its error (studio/nodes/ai.py)
PICTURE_HINT = "Drop a picture on this node, or choose one in the inspector."
# An AI result shown while no key is set came from a file (an example's recording): one line on
# how to make one's own.
KEY_HINT = "Recorded result. Add your Gemini key in Settings (⚙) to make your own."


@dataclass(frozen=True)
class Shown:
    state: str  # one of STATES: the node's data-state on the canvas
    tone: str  # one of TONES
    label: str = ""  # the status line
    note: str = ""  # a neutral hint under the node
    error: str = ""  # the failure message (drawn in the failure colour)
    stale: bool = False  # the result shown is out of date
    remark: str = ""  # a live or last-run remark (a Gemini wait and its countdown, a downscaled input)


def ai_calls(node: Node) -> int:
    """Gemini calls a Run makes for an AI node: one per instruction (prompt, follow-ups) that no
    recorded turn answers yet. Recorded turns count only while their prompts match."""
    followups = node.data.get("followups") or []
    wanted = [node.params.get("prompt", ""), *[str(f) for f in followups]]
    turns = node.data.get("turns") or []
    answered = 0
    for turn, instruction in zip(turns, wanted, strict=False):
        if not isinstance(turn, dict) or turn.get("prompt") != instruction:
            break
        answered += 1
    return max(1, len(wanted) - answered)


def calls_text(count: int) -> str:
    return f"{count} Gemini call{'s' if count != 1 else ''}"


def has_picture(node: Node, inputs: dict[str, bytes]) -> bool:
    return node.id in inputs or str(node.params.get("image", "")).startswith("data:")


def present(
    graph: Graph,
    catalog: Catalog,
    board: RunBoard,
    inputs: dict[str, bytes],
    node_ids: Iterable[str] | None = None,
    *,
    calls: Callable[[Node], int] = ai_calls,
    has_key: bool = True,
) -> dict[str, Shown]:
    """The Shown of the given nodes (default all); a node's upstream is worked out as needed.
    `has_key`: whether a Gemini key is set (without one, AI results say where they came from)."""
    memo: dict[str, Shown] = {}
    incoming = graph.incoming()

    def of(node_id: str, visiting: frozenset[str]) -> Shown:
        if node_id in memo:
            return memo[node_id]
        upstream = []
        for edge in incoming.get(node_id, ()):
            source = edge.source.node
            if source in graph.nodes and source not in visiting:
                upstream.append((source, of(source, visiting | {node_id})))
        node = graph.nodes[node_id]
        shown = _one(node, catalog.get(node.type), board, inputs, upstream, calls, has_key)
        if board.get(node_id).note:
            shown = replace(shown, remark=board.get(node_id).note)
        memo[node_id] = shown
        return shown

    wanted = list(graph.nodes) if node_ids is None else [n for n in node_ids if n in graph.nodes]
    return {node_id: of(node_id, frozenset()) for node_id in wanted}


def _one(
    node: Node,
    spec: NodeSpec | None,
    board: RunBoard,
    inputs: dict[str, bytes],
    upstream: list[tuple[str, Shown]],
    calls: Callable[[Node], int],
    has_key: bool,
) -> Shown:
    status = board.get(node.id)
    if status.neutral:  # a state the page set for a reason outside the run (offline: "offline — AI Edit needs …")
        return Shown(status.state, NEUTRAL, status.neutral, stale=status.stale)
    if status.state == QUEUED:
        return Shown(QUEUED, BUSY, "queued", stale=status.stale)
    if status.state == RUNNING:
        return Shown(RUNNING, BUSY, "running…", stale=status.stale)
    if spec is None:
        return Shown(FAILED, FAIL, "failed", error=f"unknown node type {quote(node.type)}")
    if spec.external_input and not has_picture(node, inputs):
        return Shown(WAITING, NEUTRAL, "waiting for a picture", note=PICTURE_HINT)
    problems = board.problems.get(node.id, [])
    if problems:
        missing = [p.field for p in problems if p.message == MISSING_INPUT and p.field]
        if len(missing) == len(problems):
            ports = " and ".join(missing)
            return Shown(WAITING, NEUTRAL, f"connect {ports}", note=f"Connect something to its {ports} input.")
        return Shown(FAILED, FAIL, "failed", error="; ".join(p.message if p.node else str(p) for p in problems))
    if status.state == FAILED and status.invalid:
        # Failed validation on a run, and the graph has been fixed since: nothing to say yet.
        status = NodeStatus()
    if status.error == CANCELLED:
        return Shown(CANCELLED, NEUTRAL, "cancelled", stale=status.has_result)
    ai = not spec.deterministic
    blocker = next(((n, s) for n, s in upstream if s.tone != OK), None)
    # Behind a node that cannot give it an input (a missing picture, a failure), an AI node is
    # not ready: Run would skip it. Behind another AI node that waits for Run, it is.
    held = blocker is not None and blocker[1].state not in (READY,)
    if (
        ai
        and not held
        and (
            status.state == IDLE
            or status.stale
            or (status.state == FAILED and (status.error or "").startswith(NOT_RUN_YET))
        )
    ):
        return Shown(READY, NEUTRAL, f"ready — press Run ({calls_text(calls(node))})", stale=status.stale)
    if status.state == FAILED:
        return Shown(FAILED, FAIL, status.label(), error=status.error or "failed")
    if status.state in (DONE, CACHED):
        note = KEY_HINT if ai and not has_key else ""
        return Shown(status.state, OK, status.label(), note=note, stale=status.stale)
    if status.state == SKIPPED or (
        blocker is not None and blocker[1].state in (WAITING, READY, BLOCKED, CANCELLED, FAILED)
    ):
        if blocker is None:
            return Shown(BLOCKED, NEUTRAL, "skipped", note=status.error or "")
        name, up = blocker
        if up.state == FAILED:
            return Shown(BLOCKED, NEUTRAL, f"stopped: {name} failed")
        return Shown(BLOCKED, NEUTRAL, f"waiting for {name}", stale=status.stale)
    return Shown(IDLE, NEUTRAL, "", stale=status.stale)


def pill_text(shown: dict[str, Shown], board: RunBoard, *, cancelled: bool = False) -> str:
    """The status pill: the run going on ("Running 2 of 5… blur"), or a summary of the graph
    ("5 done · 40 ms · 1 AI node ready: press Run")."""
    if board.running:
        finished, total, current = board.progress()
        return f"Running {min(finished + 1, total)} of {total}…" + (f" {current}" if current else "")
    counts: dict[str, int] = {}
    for item in shown.values():
        counts[item.state] = counts.get(item.state, 0) + 1
    parts = []
    if cancelled and (counts.get(CANCELLED) or counts.get(SKIPPED)):
        parts.append("cancelled")
    for state in (DONE, CACHED, FAILED):
        if counts.get(state):
            parts.append(f"{counts[state]} {state}")
    ms = sum(board.get(n).ms for n, item in shown.items() if item.state in (DONE, FAILED))
    if parts and ms:
        parts.append(format_ms(ms))
    pictures = sum(1 for item in shown.values() if item.state == WAITING and item.label == "waiting for a picture")
    if pictures:
        parts.append(f"{pictures} waiting for a picture" if pictures > 1 else "waiting for a picture")
    connects = counts.get(WAITING, 0) - pictures
    if connects:
        parts.append(f"{connects} need{'s' if connects == 1 else ''} an input")
    ready = counts.get(READY, 0)
    if ready:
        parts.append(f"{ready} AI node{'s' if ready != 1 else ''} waiting for Run")
    return " · ".join(parts)
