"""The graph canvas: node views and wires in a pannable, zoomable world, redrawn from editor changes."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ...app import events
from ...app.events import Change
from ...app.node_states import Shown, present
from ...app.ports import REFERENCES
from ...app.run_state import RunBoard
from ...app.viewport import Viewport, bounds
from ...core.graph import Edge
from .. import keystore
from .dom import h
from .edges_view import EdgesView, edge_key
from .node_view import NodeView, slot_port

GRID = 24  # background dot spacing in graph pixels
THUMB_ROOM = 120.0  # height a node's thumbnail adds (see .node-thumb in studio.css)


class CanvasView:
    def __init__(self, app: Any) -> None:
        self.editor = app.editor
        self.board: RunBoard = app.board
        self.viewport = Viewport(0, 0, 1)
        self.views: dict[str, NodeView] = {}
        self._port_offsets: dict[str, dict[tuple[str, str], tuple[float, float]]] = {}
        self.edges = EdgesView()
        self.nodes_layer = h("div", {"cls": "nodes"})
        self.world = h("div", {"cls": "world"}, self.edges.svg, self.nodes_layer)
        self.box = h("div", {"cls": "select-box", "hidden": True})
        self.empty = h(
            "div",
            {"cls": "canvas-empty", "hidden": True},
            h("p", {"text": "Drag a node from the palette, drop a picture here, or open an example."}),
        )
        self.el = h(
            "div",
            {"cls": "canvas", "tabindex": "0", "testid": "canvas", "aria-label": "Node graph"},
            self.world,
            self.box,
            self.empty,
        )
        self.on_viewport: list[Any] = []  # called after pan/zoom (the zoom label)
        self.thumbnail_for: Any = lambda node_id: None  # the run controller's thumbnails, for redrawn nodes
        self.shown: dict[str, Shown] = {}  # what each node shows now (node_states.present)
        self.on_shown: list[Any] = []  # called after node states changed (the status pill)
        app.on_document(self._on_change)

    # --- rendering ---

    def render_all(self) -> None:
        graph = self.editor.graph
        if not self.views:
            self.board.revalidate(graph, self.editor.catalog)  # the first draw (boot, restore)
        for node_id in [n for n in self.views if n not in graph.nodes]:
            self._remove(node_id)
        for node in graph.nodes.values():
            view = self.views.get(node.id)
            if view is not None and view.spec is not None and view.spec.id != node.type:
                self._remove(node.id)
                view = None
            if view is None:
                view = NodeView(node, self.editor.catalog.get(node.type))
                self.views[node.id] = view
                self.nodes_layer.append(view.el)
                self._port_offsets.pop(node.id, None)
                view.set_thumbnail(self.thumbnail_for(node.id))
            view.update(node)
        self.refresh_states()
        self.empty.hidden = bool(graph.nodes)
        self._refresh_selection()
        self.render_edges()

    def render_edges(self) -> None:
        graph = self.editor.graph
        connected: dict[str, set[tuple[str, str]]] = {n: set() for n in graph.nodes}
        ends = self._target_ports(graph.edges)
        references = Counter(edge.target.node for edge, port in ends.items() if port != edge.target.port)
        for node_id, view in self.views.items():
            if view.set_reference_slots(references.get(node_id, 0)):
                self._port_offsets.pop(node_id, None)  # rows were added or removed: measure again
        items = []
        for edge in graph.edges:
            a = self.port_point(edge.source.node, "out", edge.source.port)
            b = self.port_point(edge.target.node, "in", ends[edge])
            if a is None or b is None:
                continue
            connected[edge.source.node].add(("out", edge.source.port))
            connected[edge.target.node].add(("in", edge.target.port))
            connected[edge.target.node].add(("in", ends[edge]))
            dot = self.views[edge.source.node].ports.get(("out", edge.source.port))
            port_type = dot.dataset.type if dot is not None else "image"
            items.append((edge, a, b, port_type, edge == self.editor.selection.edge))
        self.edges.render(items)
        for node_id, ports in connected.items():
            if node_id in self.views:
                self.views[node_id].set_connected(ports, references.get(node_id, 0))

    def _target_ports(self, edges: list[Edge]) -> dict[Edge, str]:
        """The input dot each wire ends on: its port, or for an AI node's references the dot of
        its slot, in edge order ("references" 1, 2, … — "3 of 14 images")."""
        ends: dict[Edge, str] = {}
        slots: Counter[str] = Counter()
        for edge in edges:
            view = self.views.get(edge.target.node)
            if edge.target.port == REFERENCES and view is not None and view.slots is not None:
                ends[edge] = slot_port(slots[edge.target.node])
                slots[edge.target.node] += 1
            else:
                ends[edge] = edge.target.port
        return ends

    def _move_edges(self, moved: set[str] | None) -> None:
        """After a move only the wires of the moved nodes change: redraw just those (a drag in a
        large graph would otherwise rebuild every wire on each pointer move)."""
        if moved is None:
            self.render_edges()
            return
        items = []
        edges = self.editor.graph.edges
        ends = self._target_ports([e for e in edges if e.target.port == REFERENCES])
        for edge in edges:
            if edge.source.node not in moved and edge.target.node not in moved:
                continue
            a = self.port_point(edge.source.node, "out", edge.source.port)
            b = self.port_point(edge.target.node, "in", ends.get(edge, edge.target.port))
            if a is None or b is None:
                continue
            items.append((edge, a, b))
        if not self.edges.move(items):
            self.render_edges()

    def update_status(self, *node_ids: str) -> None:
        """Nodes' run states changed: redraw them and what comes after them (nodes waiting for them),
        each once."""
        graph = self.editor.graph
        changed = [n for n in node_ids if n in graph.nodes]
        if changed:
            self.refresh_states(sorted({*changed, *graph.descendants(changed)}))

    def refresh_states(self, node_ids: list[str] | None = None) -> None:
        editor = self.editor
        has_key = keystore.get() is not None
        shown = present(editor.graph, editor.catalog, self.board, editor.session.inputs, node_ids, has_key=has_key)
        if node_ids is None:
            self.shown = shown
        else:
            self.shown.update(shown)
        for node_id in [n for n in self.shown if n not in editor.graph.nodes]:
            del self.shown[node_id]
        for node_id, item in shown.items():
            view = self.views.get(node_id)
            if view is not None:
                view.set_status(item)
        for callback in self.on_shown:
            callback()

    def set_thumbnail(self, node_id: str, url: str | None, size: tuple[int, int] | None = None) -> None:
        view = self.views.get(node_id)
        if view is not None:
            view.set_thumbnail(url, size)

    def _remove(self, node_id: str) -> None:
        view = self.views.pop(node_id)
        view.el.remove()
        self._port_offsets.pop(node_id, None)

    def _on_change(self, change: Change) -> None:
        if change.kind == events.SELECTION:
            self._refresh_selection()
            self.render_edges()  # the selected edge is drawn highlighted
        elif change.kind == events.LOOKS:
            for node_id in change.nodes:
                if node_id in self.views and node_id in self.editor.graph.nodes:
                    self.views[node_id].update(self.editor.graph.nodes[node_id])
        elif change.kind == events.MOVED:
            graph = self.editor.graph
            for node_id in change.nodes or graph.nodes:
                if node_id in self.views and node_id in graph.nodes:
                    self.views[node_id].update(graph.nodes[node_id])
            self._move_edges(set(change.nodes) if change.nodes else None)
        elif change.kind == events.PARAM and self._params_redraw_alone(change.nodes):
            self._update_params(change.nodes)
        elif change.kind in (events.STRUCTURE, events.REPLACED, events.PARAM, events.PICTURE):
            if change.kind == events.REPLACED and change.label == "open":
                # Another document: the old one's states (same ids, other nodes) mean nothing here,
                # and would make its AI nodes look edited (so auto-run would not replay them).
                self.board.reset()
            # Validation follows every edit: a fixed graph loses its old "not connected" at once.
            self.board.revalidate(self.editor.graph, self.editor.catalog)
            self.render_all()

    def _params_redraw_alone(self, node_ids: frozenset[str]) -> bool:
        """A param change (a slider tick) redraws those nodes and their wires only, not all 200; not
        when an AI node's reference slots follow its model (its ports may move)."""
        graph = self.editor.graph
        return bool(node_ids) and all(
            n in graph.nodes and (view := self.views.get(n)) is not None and view.slots is None for n in node_ids
        )

    def _update_params(self, node_ids: frozenset[str]) -> None:
        graph = self.editor.graph
        self.board.revalidate(graph, self.editor.catalog)  # a param out of range is a problem on its node
        for node_id in node_ids:
            self.views[node_id].update(graph.nodes[node_id])
        self.refresh_states(list(node_ids))
        self._move_edges(set(node_ids))

    def _refresh_selection(self) -> None:
        chosen = set(self.editor.selection.nodes)
        for node_id, view in self.views.items():
            view.set_selected(node_id in chosen)

    # --- geometry ---

    def size(self) -> tuple[float, float]:
        return float(self.el.clientWidth), float(self.el.clientHeight)

    def to_graph(self, client_x: float, client_y: float) -> tuple[float, float]:
        rect = self.el.getBoundingClientRect()
        return self.viewport.to_graph(client_x - rect.left, client_y - rect.top)

    def node_box(self, node_id: str) -> tuple[float, float, float, float] | None:
        node = self.editor.graph.nodes.get(node_id)
        view = self.views.get(node_id)
        if node is None or view is None:
            return None
        x, y = node.position or (0, 0)
        return (x, y, float(view.el.offsetWidth), float(view.el.offsetHeight))

    def _framing_box(self, node_id: str) -> tuple[float, float, float, float] | None:
        # A node without its thumbnail yet grows when the run ends: frame it as it will be.
        box = self.node_box(node_id)
        if box is None or not self.views[node_id].thumb.hidden:
            return box
        return (box[0], box[1], box[2], box[3] + THUMB_ROOM)

    def boxes(self) -> dict[str, tuple[float, float, float, float]]:
        return {n: box for n in self.views if (box := self.node_box(n)) is not None}

    def port_point(self, node_id: str, direction: str, port: str) -> tuple[float, float] | None:
        """The centre of a port dot in graph coordinates."""
        node = self.editor.graph.nodes.get(node_id)
        if node is None or node_id not in self.views or self.views[node_id].el.hidden:
            return None  # hidden in a collapsed frame: its wires are not drawn
        offsets = self._port_offsets.get(node_id)
        if not offsets:
            offsets = self._measure_ports(node_id)
        offset = offsets.get((direction, port))
        if offset is None:
            return None
        x, y = node.position or (0, 0)
        return (x + offset[0], y + offset[1])

    def _measure_ports(self, node_id: str) -> dict[tuple[str, str], tuple[float, float]]:
        # Measured once per node view: ports sit above the thumbnail, so later growth of the
        # node (a thumbnail, an error) does not move them.
        view = self.views[node_id]
        base = view.el.getBoundingClientRect()
        zoom = self.viewport.zoom
        offsets = {}
        for key, dot in view.ports.items():
            r = dot.getBoundingClientRect()
            offsets[key] = ((r.left + r.width / 2 - base.left) / zoom, (r.top + r.height / 2 - base.top) / zoom)
        if base.width > 0:
            self._port_offsets[node_id] = offsets
        return offsets

    def edge_by_key(self, key: str) -> Edge | None:
        return next((e for e in self.editor.graph.edges if edge_key(e) == key), None)

    # --- viewport ---

    def apply_viewport(self) -> None:
        v = self.viewport
        self.world.style.transform = f"translate({v.x}px, {v.y}px) scale({v.zoom})"
        step = GRID * v.zoom
        self.el.style.backgroundSize = f"{step}px {step}px"
        self.el.style.backgroundPosition = f"{v.x}px {v.y}px"
        for callback in self.on_viewport:
            callback(v)

    def frame(self, node_ids: list[str] | None = None) -> None:
        """Zoom and pan so that the given nodes (or all) fit in the view (the F key)."""
        ids = node_ids or list(self.views)
        content = bounds([b for n in ids if (b := self._framing_box(n)) is not None])
        width, height = self.size()
        self.viewport.fit(content, width, height)
        self.apply_viewport()

    def zoom_by(self, factor: float) -> None:
        width, height = self.size()
        self.viewport.zoom_at(width / 2, height / 2, factor)
        self.apply_viewport()

    def centre(self) -> tuple[float, float]:
        width, height = self.size()
        return self.viewport.centre(width, height)
