"""Which ports may be wired together, and the hint shown when they may not."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.catalog import Catalog, NodeSpec, PortSpec
from ..core.errors import StudioError
from ..core.graph import Edge, Graph, GraphError, PortRef
from ..core.quoting import quote
from ..gemini.models import DEFAULT_MODEL
from ..nodes.ai_inputs import no_room_for_a_reference
from .billing import is_ai_node

REFERENCES = "references"  # the AI nodes' input of extra pictures, as many as the model takes


class EditError(StudioError):
    """An edit the editor refused; the message is the hint shown to the user, and nothing changed."""


def as_port_ref(value: PortRef | str) -> PortRef:
    """A port reference, or its text `node.port` parsed; EditError if malformed."""
    try:
        return value if isinstance(value, PortRef) else PortRef.parse(value)
    except GraphError as exc:
        raise EditError(str(exc)) from None


def output_port(graph: Graph, catalog: Catalog, ref: PortRef) -> PortSpec:
    spec = _spec(graph, catalog, ref.node)
    port = spec.output(ref.port)
    if port is None:
        raise EditError(f"{spec.title} has no output {quote(ref.port)}")
    return port


def input_port(graph: Graph, catalog: Catalog, ref: PortRef) -> PortSpec:
    spec = _spec(graph, catalog, ref.node)
    port = spec.input(ref.port)
    if port is None:
        raise EditError(f"{spec.title} has no input {quote(ref.port)}")
    return port


def check_connection(graph: Graph, catalog: Catalog, source: PortRef, target: PortRef) -> PortSpec:
    """Raise EditError with a hint unless source (an output) may feed target (an input).
    Returns the input's spec (the caller needs to know whether it takes several edges)."""
    out = output_port(graph, catalog, source)
    inp = input_port(graph, catalog, target)
    if out.type != inp.type:
        raise EditError(
            f"cannot connect {out.type} to {inp.type}: {source} gives {_a(out.type)}, {target} takes {_a(inp.type)}"
        )
    if source.node == target.node:
        raise EditError("cannot connect a node to itself")
    if source.node in graph.descendants([target.node]):
        raise EditError(f"cannot connect {source} to {target}: that would make a loop")
    full = _no_room(graph, source, target)
    if full is not None:
        raise EditError(full)
    return inp


def _no_room(graph: Graph, source: PortRef, target: PortRef) -> str | None:
    """An AI node's references stop at the model's image limit (a request past it is a 400)."""
    node = graph.nodes[target.node]
    if target.port != REFERENCES or not is_ai_node(node):
        return None
    into = [e for e in graph.edges if e.target == target]
    if any(e.source == source for e in into):
        return None  # already connected: connecting again changes nothing
    model = str(node.params.get("model") or DEFAULT_MODEL)
    return no_room_for_a_reference(node.type, model, len(into))


def replaced_edges(graph: Graph, target: PortRef, port: PortSpec) -> list[Edge]:
    """The edges a new connection to `target` pushes out: the old one on a single-valued input."""
    if port.multiple:
        return []
    return [e for e in graph.edges if e.target == target]


@dataclass(frozen=True)
class Offer:
    """A node type that can take a dangling wire, and the port it would be wired by."""

    type: str
    title: str
    category: str
    port: str


def offers_for_wire(catalog: Catalog, port_type: str, *, from_output: bool) -> list[Offer]:
    """Node types to offer when a wire is dropped on empty canvas. A wire pulled from an output
    needs a node with an input of its type; one pulled from an input needs a matching output."""
    offers = []
    for spec in catalog:
        ports = spec.inputs if from_output else spec.outputs
        match = next((p for p in ports if p.type == port_type), None)
        if match is not None:
            offers.append(Offer(spec.id, spec.title, spec.category, match.name))
    return offers


def _spec(graph: Graph, catalog: Catalog, node_id: str) -> NodeSpec:
    node = graph.nodes.get(node_id)
    if node is None:
        raise EditError(f"no node with id {quote(node_id)}")
    spec = catalog.get(node.type)
    if spec is None:
        raise EditError(f"node {quote(node_id)} has an unknown type {quote(node.type)}")
    return spec


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word
