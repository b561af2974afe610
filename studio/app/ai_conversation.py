"""AI node conversations kept in node data: what a save keeps of them, and image references for autosave.

An AI node's `data["turns"]` (see studio/nodes/ai.py) holds every image Gemini returned as base64,
megabytes each. Three ways to write a workflow treat them differently:

- a self-contained Save keeps everything (the file replays without calling Gemini);
- a graph-only Save keeps the instructions and Gemini's texts, not the images or the
  conversation contents (`graph_only`); the node asks Gemini afresh when it next runs;
- the autosave keeps everything, but moves each image out into a blob store (`with_image_refs`)
  so that what goes into localStorage stays small, and puts them back on restore
  (`restore_image_refs`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..core.graph import Graph, Node
from ..core.run_result import CACHED, DONE
from ..nodes.conversation import Turn

AI_PREFIX = "ai."
# What an image's base64 becomes in an autosaved document. Not valid base64 (":" and "-"): if a
# reference ever reached Gemini by mistake, the API would refuse it instead of reading garbage.
REF_PREFIX = "pyxis-blob:"
# Of a turn, a graph-only save keeps only these (the conversation contents hold the images).
LIGHT_TURN_KEYS = ("prompt", "text")


def is_ai_node(node: Node) -> bool:
    return node.type.startswith(AI_PREFIX)


# The last few digests made, for whoever asks next: after a 4K answer the autosave, the run history
# and the AI panel each asked for the same 20 MB text's digest, 70 ms of the page's time apiece.
# Keyed by the string (Python keeps its hash); only a few, as each pins a text that may be megabytes.
_RECENT: dict[str, str] = {}
RECENT_DIGESTS = 4


def blob_key(b64: str) -> str:
    """The store key of one image: a digest of its base64 text (equal images are stored once)."""
    key = _RECENT.get(b64)
    if key is None:
        key = hashlib.sha256(b64.encode("ascii", "replace")).hexdigest()
        while len(_RECENT) >= RECENT_DIGESTS:
            del _RECENT[next(iter(_RECENT))]  # the oldest (dicts keep insertion order)
        _RECENT[b64] = key
    return key


def _inline_parts(turn: Any) -> Iterator[dict[str, Any]]:
    """Every inlineData object of a turn's user and model contents."""
    if not isinstance(turn, dict):
        return
    for role in ("user", "model"):
        content = turn.get(role)
        parts = content.get("parts") if isinstance(content, dict) else None
        for part in parts if isinstance(parts, list) else ():
            inline = part.get("inlineData") if isinstance(part, dict) else None
            if isinstance(inline, dict) and isinstance(inline.get("data"), str):
                yield inline


def _ai_turns(graph: Graph) -> Iterator[tuple[Node, list[Any]]]:
    for node in graph.nodes.values():
        turns = node.data.get("turns") if is_ai_node(node) else None
        if isinstance(turns, list) and turns:
            yield node, turns


def graph_only(graph: Graph) -> Graph:
    """A copy for a graph-only save: each turn reduced to its instruction and Gemini's text.

    The follow-ups and the selected step stay (they are the user's intent); `basis` goes, so
    nothing claims the light turns are a conversation that could be replayed."""
    out = graph.copy()
    for node, turns in _ai_turns(out):
        node.data["turns"] = [
            {key: turn[key] for key in LIGHT_TURN_KEYS if key in turn} for turn in turns if isinstance(turn, dict)
        ]
        node.data.pop("basis", None)
    return out


class KeyCache:
    """Digests of base64 texts already seen, so an autosave every few seconds does not hash
    megabytes again. Keyed by the string itself: Python caches a str's hash, and equal strings
    that are the same object compare at once."""

    def __init__(self, digest: Callable[[str], str] = blob_key) -> None:
        self._digest = digest
        self._known: dict[str, str] = {}

    def __call__(self, b64: str) -> str:
        key = self._known.get(b64)
        if key is None:
            key = self._known[b64] = self._digest(b64)
        return key

    def keep_only(self, texts: set[str]) -> None:
        self._known = {text: key for text, key in self._known.items() if text in texts}


def with_image_refs(graph: Graph, key_of: Callable[[str], str] = blob_key) -> tuple[Graph, dict[str, str]]:
    """A copy of the graph whose AI turn images are references, and {reference key: base64}.

    Everything else of the conversation (texts, thought signatures, the basis) stays, so a
    restored node replays its turns without calling Gemini."""
    out = graph.copy()  # deep, but the big strings are shared, never copied
    blobs: dict[str, str] = {}
    for _node, turns in _ai_turns(out):
        for turn in turns:
            for inline in _inline_parts(turn):
                data = inline["data"]
                if data.startswith(REF_PREFIX):
                    continue
                key = key_of(data)
                blobs[key] = data
                inline["data"] = REF_PREFIX + key
    return out, blobs


def image_refs(graph: Graph) -> set[str]:
    """The reference keys a graph (as restored from an autosave) asks for."""
    return {
        inline["data"][len(REF_PREFIX) :]
        for _node, turns in _ai_turns(graph)
        for turn in turns
        for inline in _inline_parts(turn)
        if inline["data"].startswith(REF_PREFIX)
    }


def restore_image_refs(graph: Graph, blobs: dict[str, str]) -> list[str]:
    """Put the images back in place of references (in place). A turn whose image is missing is
    dropped with every later turn (a conversation is a chain); the node then asks Gemini again
    for those. Returns the ids of nodes that lost turns."""
    damaged = []
    for node, turns in _ai_turns(graph):
        kept = []
        for turn in turns:
            refs = [inline for inline in _inline_parts(turn) if inline["data"].startswith(REF_PREFIX)]
            if any(inline["data"][len(REF_PREFIX) :] not in blobs for inline in refs):
                break
            for inline in refs:
                inline["data"] = blobs[inline["data"][len(REF_PREFIX) :]]
            kept.append(turn)
        if len(kept) < len(turns):
            node.data["turns"] = kept
            damaged.append(node.id)
    return damaged


@dataclass(frozen=True)
class Step:
    """One turn of an AI node's conversation, as the history strip shows it."""

    index: int
    prompt: str
    text: str
    image_b64: str | None  # the turn's final image (base64), None if the turn has none
    mime: str
    # The model's interim drafts on the way (parts marked `thought`, base64), when the node asked
    # for them (include_thoughts): shown with the step, never its result, never charged.
    thoughts: tuple[str, ...] = ()


def steps(node: Node) -> list[Step]:
    """The recorded turns of an AI node, oldest first, with the final image of each."""
    turns = node.data.get("turns") if is_ai_node(node) else None
    out = []
    for index, value in enumerate(turns if isinstance(turns, list) else ()):
        turn = Turn.from_json(value)
        if turn is None:
            continue
        final, thoughts = turn.pictures()
        image, mime = final if final is not None else (None, "image/png")
        out.append(Step(index, turn.prompt, turn.text or "", image, mime, thoughts))
    return out


def selected_index(node: Node) -> int | None:
    """Which turn flows downstream: data["selected"] when it names a recorded turn, else the latest."""
    count = len(node.data.get("turns") or ()) if is_ai_node(node) else 0
    selected = node.data.get("selected")
    if isinstance(selected, int) and not isinstance(selected, bool) and 0 <= selected < count:
        return selected
    return count - 1 if count else None


def followups_from(node: Node, instruction: str) -> tuple[list[str], int | None]:
    """(new followups, new selected) for sending `instruction` as a follow-up.

    The conversation continues from the step that is shown: after stepping back to step k,
    the steps after k are replaced (Undo brings them back). The new step is then the latest."""
    followups = [str(f) for f in node.data.get("followups") or ()]
    selected = node.data.get("selected")
    turns = node.data.get("turns") or ()
    if isinstance(selected, int) and not isinstance(selected, bool) and 0 <= selected < len(turns) - 1:
        followups = followups[:selected]  # turn k answers the prompt (k=0) or followups[k-1]
    return [*followups, instruction], None


def points_to_settings(error: str | None) -> bool:
    """True when a node's error tells the user to fix the key in Settings (no key, a key Gemini
    refused): the AI panel then offers a button that opens Settings."""
    return error is not None and ("in Settings" in error or "Open Settings" in error)


def carry_turns(recorded: dict[str, Any], data: dict[str, Any]) -> bool:
    """After an undo or redo, give a restored AI node the conversation recorded since its snapshot
    was taken, so that undoing an unrelated edit does not make Gemini answer (and bill) again.

    Carried when the restored node has no turns, or when the recorded turns extend its own (same
    basis, its prompts a prefix). A restored conversation of its own (another prompt, another
    branch of follow-ups) is kept. Returns True when `data` changed. Turns that do not fit the
    node's params are harmless: the node checks the basis and starts over."""
    turns = recorded.get("turns")
    if not isinstance(turns, list) or not turns:
        return False
    mine = data.get("turns")
    mine = mine if isinstance(mine, list) else []
    if mine:
        prompts = [t.get("prompt") if isinstance(t, dict) else None for t in turns]
        own = [t.get("prompt") if isinstance(t, dict) else None for t in mine]
        if data.get("basis") != recorded.get("basis") or len(own) >= len(prompts) or prompts[: len(own)] != own:
            return False
    data["turns"] = list(turns)
    data["basis"] = recorded.get("basis")
    return True


def has_result(node: Node, state: str, stale: bool) -> bool:
    """A follow-up continues a result the user sees: recorded steps, and the node's last run
    (done or replayed from the cache) is what is shown, not out of date."""
    return bool(steps(node)) and state in (DONE, CACHED) and not stale


def run_again_data(node: Node) -> dict[str, Any]:
    """The node data for "Run again" on the step shown: the conversation is cut after that step,
    so the forced run re-asks it (and only it). Empty when the latest step is shown (the forced
    run re-asks the latest as it is). The later steps go (Undo brings them back)."""
    turns = node.data.get("turns") if is_ai_node(node) else None
    shown = selected_index(node)
    if not isinstance(turns, list) or shown is None or shown >= len(turns) - 1:
        return {}
    followups = [str(f) for f in node.data.get("followups") or ()]
    return {"followups": followups[:shown], "turns": list(turns[: shown + 1]), "selected": None}


def replaced_steps(node: Node) -> tuple[int, int] | None:
    """(first, last) 1-based numbers of the steps a Run again or follow-up from the shown step
    replaces; None when the latest step is shown."""
    count = len(steps(node))
    shown = selected_index(node)
    if shown is None or shown >= count - 1:
        return None
    return shown + 2, count


START_OVER: dict[str, Any] = {"turns": [], "followups": [], "selected": None, "basis": None}


class Recorder:
    """The latest conversation each AI node recorded in this page (references, not copies): an
    undo or redo to a snapshot older than a run gets it back (see `carry_turns`), so undoing an
    unrelated edit never makes Gemini answer (and bill) again."""

    def __init__(self) -> None:
        self.recorded: dict[str, dict[str, Any]] = {}

    def after_run(self, graph: Graph, ran: Iterable[str]) -> list[str]:
        """Note what the AI nodes that ran recorded; returns their ids."""
        kept = []
        for node_id in ran:
            node = graph.nodes.get(node_id)
            if node is not None and is_ai_node(node) and node.data.get("turns"):
                self.recorded[node_id] = {"turns": node.data["turns"], "basis": node.data.get("basis")}
                kept.append(node_id)
        return kept

    def after_undo(self, graph: Graph) -> list[str]:
        """Carry recorded conversations into the restored graph; returns the nodes that got one."""
        carried = []
        for node_id, recorded in self.recorded.items():
            node = graph.nodes.get(node_id)
            if node is not None and is_ai_node(node) and carry_turns(recorded, node.data):
                carried.append(node_id)
        return carried

    def forget(self) -> None:
        """Another workflow was opened: its nodes are not these."""
        self.recorded.clear()
