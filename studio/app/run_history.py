"""Run history: the last results of each output node of a document, and what made each one.

Pure data and rules. The page keeps the shots of the open document in IndexedDB with their
pictures (studio/browser/ui/run_history_store.py) and compares any two of them, or two steps of
an AI node, side by side or under a slider (studio/browser/ui/compare_view.py). The history is
never part of the workflow file: it is this browser's record of what the user tried.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..core.catalog import IMAGE, Catalog
from ..core.graph import Graph
from ..core.quoting import quote
from . import ai_conversation

LIMIT = 20  # shots kept per output node; the oldest goes first
# A slider dragged with auto-run on runs every pause: while the same params keep changing, the
# newest shot is replaced instead of twenty near-copies pushing out what the user wanted to keep.
COALESCE_MS = 5_000
VALUE_CHARS = 200  # longer values (a picture's data: URL) are remembered by a digest only
STEP = "(step)"  # an AI node's shown step, recorded beside its params
ANSWER = "(answer)"  # a digest of that step's picture: Run again gives another answer to the same step
BYPASS = "(bypass)"

Recipe = dict[str, dict[str, Any]]  # node id -> {"type": ..., "params": {name: value}}


def output_nodes(graph: Graph, catalog: Catalog) -> list[str]:
    """The nodes whose results are worth a history: export nodes, and image nodes nothing reads."""
    read = {edge.source.node for edge in graph.edges}
    out = []
    for node in graph.nodes.values():
        spec = catalog.get(node.type)
        if spec is None:
            continue
        makes_image = any(port.type == IMAGE for port in spec.outputs)
        if spec.produces_file or (makes_image and node.id not in read):
            out.append(node.id)
    return out


def _kept(value: Any) -> Any:
    """A param value as the history keeps it: itself, or a digest when it is long or odd."""
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    if len(text) <= VALUE_CHARS:
        return value if isinstance(value, str) else text
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:16]


def recipe(graph: Graph, node_id: str) -> Recipe:
    """What made `node_id`'s result: it and every node upstream, with their params (and an AI
    node's shown step, a bypass), values long or odd kept as digests."""
    incoming = graph.incoming()
    seen, stack = {node_id}, [node_id]
    while stack:
        for edge in incoming.get(stack.pop(), ()):
            if edge.source.node not in seen and edge.source.node in graph.nodes:
                seen.add(edge.source.node)
                stack.append(edge.source.node)
    out: Recipe = {}
    for nid in sorted(seen):
        node = graph.nodes.get(nid)
        if node is None:
            continue
        params = {name: _kept(value) for name, value in sorted(node.params.items())}
        if node.bypass:
            params[BYPASS] = True
        step = ai_conversation.selected_index(node)
        if step is not None:
            params[STEP] = step + 1
            shown = next((s for s in ai_conversation.steps(node) if s.index == step), None)
            if shown is not None and shown.image_b64:
                params[ANSWER] = ai_conversation.blob_key(shown.image_b64)[:16]
        out[nid] = {"type": node.type, "params": params}
    return out


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return "a picture" if value.startswith("sha256:") else quote(value, 40)
    if isinstance(value, float):
        return f"{value:g}"  # 5.0 from a float field reads "5", as the inspector shows it
    return json.dumps(value)


def differences(before: Recipe, after: Recipe) -> list[str]:
    """What changed from one recipe to another, a line each ("resize.width: 512 → 640")."""
    lines = []
    for nid in sorted(set(before) | set(after)):
        old, new = before.get(nid), after.get(nid)
        if old is None and new is not None:
            lines.append(f"+ {nid} ({new.get('type')})")
        elif new is None and old is not None:
            lines.append(f"− {nid} ({old.get('type')})")
        elif old is not None and new is not None:
            if old.get("type") != new.get("type"):
                lines.append(f"{nid}: {old.get('type')} → {new.get('type')}")
                continue
            a, b = old.get("params") or {}, new.get("params") or {}
            for name in sorted(set(a) | set(b)):
                if a.get(name) != b.get(name):
                    if name == BYPASS:
                        lines.append(f"{nid}: {'bypassed' if b.get(name) else 'no longer bypassed'}")
                    elif name == ANSWER:
                        lines.append(f"{nid}: another answer from Gemini")
                    elif name == STEP:
                        lines.append(f"{nid}: step {a.get(name, '–')} → {b.get(name, '–')}")
                    else:
                        lines.append(f"{nid}.{name}: {_shown(a.get(name))} → {_shown(b.get(name))}")
    return lines


def _changed_keys(before: Recipe, after: Recipe) -> set[tuple[str, str]]:
    keys = set()
    for nid in set(before) | set(after):
        a = (before.get(nid) or {}).get("params") or {}
        b = (after.get(nid) or {}).get("params") or {}
        if nid not in before or nid not in after:
            keys.add((nid, ""))
        keys |= {(nid, name) for name in set(a) | set(b) if a.get(name) != b.get(name)}
    return keys


@dataclass(frozen=True)
class Shot:
    """One result of an output node: when, its size, what made it, and what differed from the shot before."""

    id: str  # "<node id>~<number>": unique within the document
    node: str
    number: int  # the node's run number in this document, 1 for its first shot
    time: float  # ms since the epoch
    width: int
    height: int
    recipe: Recipe = field(default_factory=dict, compare=False)
    changed: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"Run {self.number}"

    @property
    def summary(self) -> str:
        """The differences in one line, for a tooltip or a caption."""
        if self.number == 1 and not self.changed:
            return "first run"
        return "; ".join(self.changed) if self.changed else "same settings"

    def to_json(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "node": self.node,
                "number": self.number,
                "time": self.time,
                "width": self.width,
                "height": self.height,
                "recipe": self.recipe,
                "changed": list(self.changed),
            },
            separators=(",", ":"),
        )

    @staticmethod
    def from_json(text: Any) -> Shot | None:
        """A stored shot, or None for anything that is not one (storage is shared with other
        versions of the page, and with whatever else ran on this origin)."""
        try:
            data = json.loads(text) if isinstance(text, str) else None
            if not isinstance(data, dict):
                return None
            shot = Shot(
                id=str(data["id"]),
                node=str(data["node"]),
                number=int(data["number"]),
                time=float(data["time"]),
                width=int(data["width"]),
                height=int(data["height"]),
                recipe=_recipe_of(data.get("recipe")),
                changed=tuple(str(line) for line in data.get("changed") or ()),
            )
        except (ValueError, TypeError, KeyError):
            return None
        return shot if shot.id == shot_id(shot.node, shot.number) and shot.number >= 1 else None


def _recipe_of(value: Any) -> Recipe:
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, dict)}


def shot_id(node_id: str, number: int) -> str:
    return f"{node_id}~{number}"


class RunHistory:
    """The shots of one document, per output node, oldest first, at most LIMIT each."""

    def __init__(self, shots: Iterable[Shot] = ()) -> None:
        self._shots: dict[str, list[Shot]] = {}
        for shot in sorted(shots, key=lambda s: (s.node, s.number)):
            self._shots.setdefault(shot.node, []).append(shot)
        for node_id in self._shots:
            self._shots[node_id] = self._shots[node_id][-LIMIT:]

    def of(self, node_id: str) -> list[Shot]:
        """The node's shots, oldest first."""
        return list(self._shots.get(node_id, ()))

    def get(self, id: str) -> Shot | None:
        node_id = id.rpartition("~")[0]
        return next((s for s in self._shots.get(node_id, ()) if s.id == id), None)

    @property
    def nodes(self) -> list[str]:
        return [node_id for node_id, shots in self._shots.items() if shots]

    def record(self, node_id: str, made_by: Recipe, size: tuple[int, int], now: float) -> tuple[Shot | None, list[str]]:
        """A new shot of the node; returns it and the ids of the oldest shots past LIMIT, which
        leave the history. A shot that continues the newest one's change (see COALESCE_MS)
        replaces it, under its number and id. The same recipe as the newest shot is the same
        picture (a reload ran the document again): no shot (None)."""
        shots = self._shots.setdefault(node_id, [])
        if shots and shots[-1].recipe == made_by:
            return None, []
        number = shots[-1].number + 1 if shots else 1
        if len(shots) >= 2 and now - shots[-1].time < COALESCE_MS:
            last, before = shots[-1], shots[-2]
            knob = _changed_keys(last.recipe, made_by)
            if knob and knob == _changed_keys(before.recipe, last.recipe):
                number = shots.pop().number
        previous = shots[-1] if shots else None
        gone: list[str] = []
        changed = tuple(differences(previous.recipe, made_by)) if previous else ()
        shot = Shot(shot_id(node_id, number), node_id, number, now, size[0], size[1], made_by, changed)
        shots.append(shot)
        while len(shots) > LIMIT:
            gone.append(shots.pop(0).id)
        return shot, gone

    def forget(self, ids: Iterable[str]) -> None:
        drop = set(ids)
        for node_id, shots in self._shots.items():
            self._shots[node_id] = [s for s in shots if s.id not in drop]


def compare_lines(a: Shot, b: Shot) -> list[str]:
    """What differs between any two shots (not only neighbours): from a's recipe to b's."""
    return differences(a.recipe, b.recipe)
