"""Node declarations and the catalog that checks them against their implementations."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .params import Param

# Port types. Edges connect ports of the same type; more types can be added here.
IMAGE = "image"
TEXT = "text"
NUMBER = "number"
COLOR = "color"
FILE = "file"  # encoded bytes ready to save (what output.export produces)
IMAGES = "images"  # a list of images (an AI node's interim thought images)
PORT_TYPES = (IMAGE, TEXT, NUMBER, COLOR, FILE, IMAGES)
# The data key kept beside a node's recordings: the basis they were made under (see recording.py).
RECORDED_BASIS = "basis"

NodeFunction = Callable[..., Awaitable[dict[str, Any]]]
# Checks a node's `data` when a workflow loads: one message per problem, each starting with the
# place (`data.followups[2]: expected text, got a number`); an empty list when it is fine.
DataCheck = Callable[[dict[str, Any]], list[str]]


class CatalogError(Exception):
    """A node declaration is inconsistent with its function, or its id is taken."""


@dataclass(frozen=True)
class PortSpec:
    """An input or output port. `multiple` inputs take any number of edges, in edge order."""

    name: str
    type: str = IMAGE
    required: bool = True
    multiple: bool = False
    help: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "required": self.required,
            "multiple": self.multiple,
            "help": self.help,
        }


@dataclass(frozen=True)
class NodeSpec:
    """A node type: its stable id, how it looks in the palette, its ports, params and body.

    The body is `async def fn(ctx, *, <inputs>, <params>) -> {output port: value}`.
    `deterministic=False` marks nodes whose result may change on a re-run (AI): they are
    cached per node and re-run only on an explicit "run again".
    `external_input` marks nodes that read bytes supplied from outside the graph (an upload).
    `state_keys` names the keys of `Node.data` that change the result (and so the cache key);
    None means all of them. `records` names the keys the body records (`NodeContext.record`, e.g.
    an AI conversation): the executor hands them back under the same basis and they are never part
    of the cache key (`basis` is kept beside them, so it is taken too).
    `check_data` checks that `data` has the shape the body expects (the loader calls it), so a
    bad file is refused at load, naming the node, rather than failing inside the body.
    `services` names the services the body asks its context for (`ctx.service`, e.g. "gemini"):
    where the services are not (the engine's worker), the body runs where they are (the page).
    """

    id: str
    title: str
    category: str
    help: str
    fn: NodeFunction
    inputs: tuple[PortSpec, ...] = ()
    outputs: tuple[PortSpec, ...] = (PortSpec("image"),)
    params: tuple[Param, ...] = ()
    deterministic: bool = True
    external_input: bool = False
    state_keys: tuple[str, ...] | None = None
    check_data: DataCheck | None = None
    records: tuple[str, ...] = ()
    services: tuple[str, ...] = ()

    @property
    def produces_file(self) -> bool:
        """It encodes a file to save (an export): the CLI writes it, the preview downloads it."""
        return any(port.type == FILE for port in self.outputs)

    def input(self, name: str) -> PortSpec | None:
        return next((p for p in self.inputs if p.name == name), None)

    def output(self, name: str) -> PortSpec | None:
        return next((p for p in self.outputs if p.name == name), None)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "category": self.category,
            "help": self.help,
            "inputs": [p.to_json() for p in self.inputs],
            "outputs": [p.to_json() for p in self.outputs],
            "params": [p.to_json() for p in self.params],
            "deterministic": self.deterministic,
            "external_input": self.external_input,
        }


def node(
    id: str,
    *,
    title: str,
    category: str,
    help: str,
    inputs: tuple[PortSpec, ...] = (),
    outputs: tuple[PortSpec, ...] = (PortSpec("image"),),
    params: tuple[Param, ...] = (),
    deterministic: bool = True,
    external_input: bool = False,
    state_keys: tuple[str, ...] | None = None,
    check_data: DataCheck | None = None,
    records: tuple[str, ...] = (),
    services: tuple[str, ...] = (),
) -> Callable[[NodeFunction], NodeSpec]:
    """Decorator: turns an async node body into its NodeSpec (it registers nothing globally)."""

    def wrap(fn: NodeFunction) -> NodeSpec:
        return NodeSpec(
            id=id,
            title=title,
            category=category,
            help=help,
            fn=fn,
            inputs=tuple(inputs),
            outputs=tuple(outputs),
            params=tuple(params),
            deterministic=deterministic,
            external_input=external_input,
            state_keys=state_keys,
            check_data=check_data,
            records=tuple(records),
            services=tuple(services),
        )

    return wrap


def check_spec(spec: NodeSpec) -> None:
    """Raise CatalogError when the declaration and the function disagree."""
    where = f"node type {spec.id!r}"
    if not spec.id or spec.id.count(".") != 1:
        raise CatalogError(f"{where}: ids are namespaced as 'category.name'")
    if not inspect.iscoroutinefunction(spec.fn):
        raise CatalogError(f"{where}: the body must be an async function")
    for group, items in (("input", spec.inputs), ("output", spec.outputs), ("param", spec.params)):
        names = [item.name for item in items]
        if len(set(names)) != len(names):
            raise CatalogError(f"{where}: duplicate {group} names {names}")
    for port in (*spec.inputs, *spec.outputs):
        if port.type not in PORT_TYPES:
            raise CatalogError(f"{where}: port {port.name!r} has unknown type {port.type!r}")
    if spec.check_data is not None and not callable(spec.check_data):
        raise CatalogError(f"{where}: check_data must be a function of the node's data")
    if spec.records and spec.state_keys is None:
        raise CatalogError(f"{where}: a node that records names its state_keys (recordings are not state)")
    kept = set(spec.records) & {*(spec.state_keys or ()), RECORDED_BASIS}
    if kept:
        raise CatalogError(f"{where}: {sorted(kept)} cannot be both recorded and state (or the basis)")
    clash = {p.name for p in spec.inputs} & {p.name for p in spec.params}
    if clash:
        raise CatalogError(f"{where}: {sorted(clash)} is both an input and a param")
    for param in spec.params:
        try:
            param.coerce(param.default)
        except ValueError as exc:
            raise CatalogError(f"{where}: default of param {param.name!r} is invalid: {exc}") from None
    signature = inspect.signature(spec.fn)
    positional = [p for p in signature.parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(positional) != 1:
        raise CatalogError(f"{where}: the body takes exactly one positional argument (ctx)")
    keywords = {p.name for p in signature.parameters.values() if p.kind == p.KEYWORD_ONLY}
    declared = {p.name for p in spec.inputs} | {p.name for p in spec.params}
    if keywords != declared:
        missing = sorted(declared - keywords)
        extra = sorted(keywords - declared)
        raise CatalogError(
            f"{where}: body keywords do not match the declaration"
            f" (declared but not taken: {missing}; taken but not declared: {extra})"
        )


class Catalog:
    """The node types a graph may use, each checked when it registers."""

    def __init__(self, specs: tuple[NodeSpec, ...] | list[NodeSpec] = ()) -> None:
        self._specs: dict[str, NodeSpec] = {}
        for spec in specs:
            self.register(spec)

    def register(self, spec: NodeSpec) -> NodeSpec:
        if spec.id in self._specs:
            raise CatalogError(f"node type {spec.id!r} is registered twice")
        check_spec(spec)
        self._specs[spec.id] = spec
        return spec

    def get(self, type_id: str) -> NodeSpec | None:
        return self._specs.get(type_id)

    def __getitem__(self, type_id: str) -> NodeSpec:
        return self._specs[type_id]

    def __contains__(self, type_id: object) -> bool:
        return type_id in self._specs

    def __iter__(self) -> Iterator[NodeSpec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)

    def to_json(self) -> dict[str, Any]:
        return {"format": "pyxis.catalog", "version": 1, "nodes": [s.to_json() for s in self]}
