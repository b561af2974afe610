"""A FloImg file (pipeline YAML or Studio JSON) → a Pyxis workflow, and what could not come along.

Mapped steps become nodes wired as in FloImg. A step with no Pyxis equivalent is never dropped
silently: it is listed by name and id, and the chain is kept whole where it can be — a missing
generator becomes an Image node to drop a picture on, a missing transform is passed through.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..core.workflow import FORMAT, VERSION
from .mapping import Mapped, mapper_for
from .steps import FloimgError, Step, pipeline_steps, studio_steps

_ID_CHARS = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass
class LeftOut:
    step: str  # the FloImg step's id (or out variable)
    name: str  # what it was: "generate quickchart", "transform preset", "save s3://…"
    how: str  # what the import did instead


@dataclass
class Conversion:
    workflow: dict[str, Any]
    left_out: list[LeftOut] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.left_out

    def report(self) -> str:
        lines = [f"left out: {item.name} (step {item.step!r}): {item.how}" for item in self.left_out]
        return "\n".join(lines + [f"note: {note}" for note in self.notes])


YamlLoad = Callable[[str], Any]  # text -> plain data; raises ValueError (or YAMLError) when it is not YAML


def _pyyaml_load(text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(str(exc).splitlines()[0]) from None


def read_document(text: str, yaml_load: YamlLoad = _pyyaml_load) -> tuple[str, dict[str, Any]]:
    """('pipeline' | 'studio', the parsed document). JSON first (Studio), else YAML (pipeline).
    `yaml_load` is PyYAML's safe loader under CPython; the page passes js-yaml's."""
    stripped = text.lstrip("\ufeff").lstrip()
    try:
        document = json.loads(stripped) if stripped[:1] in ("{", "[") else yaml_load(stripped)
    except RecursionError:
        raise FloimgError("the file is nested too deeply") from None
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        raise FloimgError(f"not JSON or YAML: {str(exc).splitlines()[0][:120]}") from None
    if isinstance(document, list) and document and isinstance(document[0], dict) and "workflow" in document[0]:
        document = document[0]  # a seed-templates list: its first template
    if not isinstance(document, dict):
        raise FloimgError("not a FloImg pipeline (a mapping with `steps`) or Studio workflow (`nodes` and `edges`)")
    if "steps" in document:
        return "pipeline", document
    if "nodes" in document or isinstance(document.get("workflow"), dict):
        return "studio", document
    raise FloimgError("not a FloImg pipeline (a mapping with `steps`) or Studio workflow (`nodes` and `edges`)")


def convert_text(text: str, yaml_load: YamlLoad = _pyyaml_load) -> Conversion:
    kind, document = read_document(text, yaml_load)
    steps = pipeline_steps(document) if kind == "pipeline" else studio_steps(document)
    name = document.get("name") or (document.get("workflow") or {}).get("name") or "FloImg import"
    return convert_steps(steps, str(name)[:200])


def _node_id(raw: str, taken: set[str]) -> str:
    base = _ID_CHARS.sub("-", raw).strip("-")[:60] or "step"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def convert_steps(steps: list[Step], name: str) -> Conversion:
    return _Builder(steps).build(name)


class _Builder:
    def __init__(self, steps: list[Step]) -> None:
        self.steps = steps
        self.conversion = Conversion({})
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[dict[str, str]] = []
        self.taken: set[str] = set()
        # What a step's output is in Pyxis: "<node id>.<port>", the upstream output it passes on, or None.
        self.output_of: dict[str, str | None] = {}
        self.formats: dict[str, dict[str, Any]] = {}  # save step id -> export params a convert before it chose
        self.consumers = {s.id: [t for t in steps if s.id in t.inputs] for s in steps}

    def build(self, name: str) -> Conversion:
        for index, step in enumerate(self.steps):
            self._step(index, step)
        if not any(n["type"] == "output.export" for n in self.nodes):
            self._add_final_export()
        self.conversion.workflow = {
            "format": FORMAT, "version": VERSION, "name": name, "nodes": self.nodes, "edges": self.edges,
        }  # fmt: skip
        return self.conversion

    def _step(self, index: int, step: Step) -> None:
        upstream = [self.output_of.get(i) for i in step.inputs]
        mapper = mapper_for(step)
        mapped = mapper(step) if mapper else None
        if mapped is None:
            mapped = self._left_out(step, upstream)
            if mapped is None:
                return
        consumers = self.consumers[step.id]
        if mapped.type == "output.export" and consumers and all(c.kind == "save" for c in consumers):
            # A convert before a save only chooses the format of the file that save writes.
            self.output_of[step.id] = upstream[0] if upstream else None
            for save in consumers:
                self.formats[save.id] = mapped.params
            self.conversion.notes += [f"{step.id}: {note}" for note in mapped.notes]
            return
        node_id = _node_id(step.id, self.taken)
        params = dict(mapped.params)
        if mapped.type == "output.export":
            params.update(self.formats.get(step.id, {}))
        position = list(step.position) if step.position else [40 + 260 * index, 80]
        self.nodes.append({"id": node_id, "type": mapped.type, "params": params, "position": position})
        for port, source in zip(mapped.ports, upstream, strict=False):
            if source:
                self.edges.append({"from": source, "to": f"{node_id}.{port}"})
        self.conversion.notes += [f"{node_id}: {note}" for note in mapped.notes]
        self.output_of[step.id] = None if mapped.type == "output.export" else f"{node_id}.image"

    def _left_out(self, step: Step, upstream: list[str | None]) -> Mapped | None:
        """A step with no equivalent: say so, and keep the chain whole where that makes sense."""
        what = f"{step.kind} {step.destination or step.name}"
        if step.kind in ("generate", "generator"):
            self.conversion.left_out.append(LeftOut(step.id, what, "became an Image node: drop a picture on it"))
            return Mapped("source.image", {}, ports=())
        if upstream and upstream[0]:
            self.output_of[step.id] = upstream[0]
            self.conversion.left_out.append(LeftOut(step.id, what, "passed through unchanged"))
        else:
            self.output_of[step.id] = None
            self.conversion.left_out.append(LeftOut(step.id, what, "nothing in its place"))
        return None

    def _add_final_export(self) -> None:
        last = next((self.output_of[s.id] for s in reversed(self.steps) if self.output_of.get(s.id)), None)
        if last:
            node_id = _node_id("export", self.taken)
            position = [40 + 260 * len(self.steps), 80]
            self.nodes.append(
                {"id": node_id, "type": "output.export", "params": {"format": "png"}, "position": position}
            )
            self.edges.append({"from": last, "to": f"{node_id}.image"})
            self.conversion.notes.append(f"{node_id}: added, so the result can be saved")
