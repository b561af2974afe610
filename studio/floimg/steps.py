"""Both FloImg formats read into one list of steps: what each does, its params, where its input comes from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class FloimgError(ValueError):
    """The file is not a FloImg pipeline or Studio workflow this importer can read."""


@dataclass
class Step:
    """One FloImg step (pipeline) or node (Studio): `kind` is generate/transform/save/input/…,
    `name` the generator, operation or provider it names."""

    id: str
    kind: str
    name: str
    params: dict[str, Any] = field(default_factory=dict)
    inputs: list[str] = field(default_factory=list)  # ids of the steps it reads, in order
    position: tuple[float, float] | None = None
    destination: str = ""
    provider: str = ""


def _params(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise FloimgError(f"{where}: params must be a mapping, not {type(value).__name__}")
    return value


def pipeline_steps(document: dict[str, Any]) -> list[Step]:
    """FloImg's pipeline YAML: `steps: [{kind, generator | op, in, params, out}]`; `in`/`out` name variables."""
    raw = document.get("steps")
    if not isinstance(raw, list) or not raw:
        raise FloimgError("a FloImg pipeline needs a non-empty `steps` list")
    steps: list[Step] = []
    producer: dict[str, str] = {}
    for index, item in enumerate(raw, start=1):
        where = f"step {index}"
        if not isinstance(item, dict) or not isinstance(item.get("kind"), str):
            raise FloimgError(f"{where}: each step is a mapping with a `kind`")
        kind = item["kind"]
        name = str(item.get("op") or item.get("generator") or item.get("provider") or kind)
        out = item.get("out")
        step_id = out if isinstance(out, str) and out else f"step{index}"
        sources = item.get("in")
        names = sources if isinstance(sources, list) else [sources] if isinstance(sources, str) else []
        inputs = [producer[n] for n in names if isinstance(n, str) and n in producer]
        step = Step(
            step_id, kind, name, _params(item.get("params"), where), inputs,
            destination=str(item.get("destination") or ""), provider=str(item.get("provider") or ""),
        )  # fmt: skip
        steps.append(step)
        for var in out if isinstance(out, list) else [out]:
            if isinstance(var, str):
                producer[var] = step_id
    return steps


def studio_steps(document: dict[str, Any]) -> list[Step]:
    """FloImg Studio's saved workflow or template: `{nodes: [{id, type, data, position}], edges: [{source, target}]}`,
    or a template object holding it under `workflow`."""
    if isinstance(document.get("workflow"), dict):
        document = document["workflow"]
    nodes, edges = document.get("nodes"), document.get("edges", [])
    if not isinstance(nodes, list) or not nodes or not isinstance(edges, list):
        raise FloimgError("a FloImg Studio workflow needs a non-empty `nodes` list and an `edges` list")
    steps: dict[str, Step] = {}
    for index, item in enumerate(nodes, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not isinstance(item.get("type"), str):
            raise FloimgError(f"node {index}: each node needs a string `id` and `type`")
        raw_data = item.get("data")
        data: dict[str, Any] = raw_data if isinstance(raw_data, dict) else {}
        name = data.get("generatorName") or data.get("operation") or data.get("providerName") or item["type"]
        position = item.get("position")
        point = None
        if isinstance(position, dict) and all(isinstance(position.get(k), int | float) for k in ("x", "y")):
            point = (float(position["x"]), float(position["y"]))
        steps[item["id"]] = Step(
            item["id"], item["type"], str(name), _params(data.get("params"), f"node {item['id']!r}"), [], point,
            destination=str(data.get("destination") or ""),
            provider=str(data.get("providerName") or data.get("provider") or ""),
        )  # fmt: skip
    for edge in edges:
        if isinstance(edge, dict) and edge.get("source") in steps and edge.get("target") in steps:
            steps[edge["target"]].inputs.append(edge["source"])
    return list(steps.values())
