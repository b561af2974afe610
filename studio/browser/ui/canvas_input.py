"""Pointer input on the canvas: select, move, wire ports, box-select, pan, zoom, drop."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import js  # browser-only

from ...app import chain
from ...app.commands import (
    AddNode,
    Connect,
    Disconnect,
    EndGesture,
    InsertOnEdge,
    Move,
    Select,
    SelectEdge,
    ToggleSelected,
)
from ...app.ports import EditError, Offer, offers_for_wire
from ...app.selection import nodes_in_rect
from ...core.graph import Edge, PortRef
from .canvas_view import CanvasView
from .dom import Listeners, closest, missing
from .edges_view import edge_key
from .node_menu import NodeMenu
from .notices import Notices

NODE_MIME = "application/x-pyxis-node"  # what a palette item carries when dragged
CLICK_SLOP = 4  # pixels a pointer may wander and still count as a click
NODE_GRAB = (100.0, 18.0)  # a node dropped at a point hangs from its title's middle


class Gesture:
    """A key that makes the edits of one pointer gesture a single undo step."""

    _count = 0

    def __init__(self, kind: str) -> None:
        Gesture._count += 1
        self.key = (kind, Gesture._count)


class CanvasInput:
    def __init__(
        self,
        canvas: CanvasView,
        app: Any,
        notices: Notices,
        menu: NodeMenu,
        on_files: Callable[[Any, tuple[float, float], str | None], Any],
    ) -> None:
        self.canvas = canvas
        self.app, self.editor = app, app.editor
        self.notices = notices
        self.menu = menu
        self.on_files = on_files
        self.space_held = False  # set by the keyboard module: space + drag pans
        self._drag: dict[str, Any] | None = None
        self._listeners = Listeners()
        el = canvas.el
        for event, handler in (
            ("pointerdown", self._down),
            ("pointermove", self._move),
            ("pointerup", self._up),
            ("pointercancel", self._up),
            ("dblclick", self._dblclick),
            ("dragover", self._dragover),
            ("drop", self._drop),
        ):
            self._listeners.on(el, event, handler)
        self._listeners.on(el, "wheel", self._wheel, passive=False)

    # --- pointer down: decide what this gesture is ---

    def _down(self, e: Any) -> None:
        if closest(e.target, ".node-menu, .context-menu, .minimap"):
            return
        self.menu.hide()
        if e.button == 1 or (e.button == 0 and self.space_held):
            self._start(e, "pan", vx=self.canvas.viewport.x, vy=self.canvas.viewport.y, clear=False)
            return
        if e.button != 0:
            return
        port = closest(e.target, ".port")
        if port is not None:
            self._start_wire(e, port)
            return
        hit = closest(e.target, ".edge-hit")
        if hit is not None:
            self.app.send(SelectEdge(self.canvas.edge_by_key(hit.dataset.edge)))
            self.canvas.el.focus()
            e.preventDefault()
            return
        node_el = closest(e.target, ".node")
        if node_el is not None:
            node_id = node_el.dataset.node
            additive = e.shiftKey or e.ctrlKey or e.metaKey
            if additive:
                self.app.send(ToggleSelected(node_id))
            elif node_id not in self.editor.selection:
                self.app.send(Select((node_id,)))
            ids = list(self.editor.selection.nodes)
            if node_id in ids:
                self._start(
                    e,
                    "move",
                    ids=ids,
                    last=self.canvas.to_graph(e.clientX, e.clientY),
                    gesture=Gesture("move").key,
                    node=node_id,
                    additive=additive,
                )
            return
        if e.shiftKey or e.ctrlKey or e.metaKey:
            self._start(e, "box", origin=self.canvas.to_graph(e.clientX, e.clientY), add=True)
        else:
            self._start(e, "pan", vx=self.canvas.viewport.x, vy=self.canvas.viewport.y, clear=True)

    def _start(self, e: Any, mode: str, **state: Any) -> None:
        e.preventDefault()  # no text selection or native image drag while dragging
        self.canvas.el.focus()
        self.canvas.el.setPointerCapture(e.pointerId)
        self._drag = {"mode": mode, "sx": e.clientX, "sy": e.clientY, "moved": False, **state}
        self.canvas.el.classList.add(f"dragging-{mode}")

    def _start_wire(self, e: Any, port: Any) -> None:
        node_id, name, direction, port_type = port.dataset.node, port.dataset.port, port.dataset.dir, port.dataset.type
        gesture = Gesture("wire").key
        detached = None
        if direction == "in":
            # Grabbing a connected input picks its wire up: drop it elsewhere or on nothing.
            incoming = [edge for edge in self.editor.graph.edges if edge.target == PortRef(node_id, name)]
            # An AI node's reference dots: "free" (a new wire), or the place of the wire to pick up.
            slot = str(port.getAttribute("data-slot")) if port.hasAttribute("data-slot") else ""
            if slot == "free":
                incoming = []
            elif slot.isdigit() and int(slot) < len(incoming):
                incoming = [incoming[int(slot)]]
            if incoming:
                detached = incoming[-1]
                self.app.send(Disconnect(detached, gesture))
                node_id, name, direction = detached.source.node, detached.source.port, "out"
        anchor = self.canvas.port_point(node_id, direction, name)
        if anchor is None:
            return
        self._start(
            e,
            "wire",
            node=node_id,
            port=name,
            dir=direction,
            type=port_type,
            anchor=anchor,
            gesture=gesture,
            detached=detached,
        )
        self._mark_compatible(direction, port_type, node_id)

    # --- pointer move ---

    def _move(self, e: Any) -> None:
        drag = self._drag
        if drag is None:
            return
        if not drag["moved"] and math.hypot(e.clientX - drag["sx"], e.clientY - drag["sy"]) < CLICK_SLOP:
            return
        drag["moved"] = True
        mode = drag["mode"]
        if mode == "pan":
            self.canvas.viewport.x = drag["vx"] + e.clientX - drag["sx"]
            self.canvas.viewport.y = drag["vy"] + e.clientY - drag["sy"]
            self.canvas.apply_viewport()
        elif mode == "move":
            now = self.canvas.to_graph(e.clientX, e.clientY)
            dx, dy = now[0] - drag["last"][0], now[1] - drag["last"][1]
            drag["last"] = now
            self.app.send(Move(tuple(drag["ids"]), dx, dy, drag["gesture"]))
            # Checked once per drag: for a wired node the hit test below never runs.
            if len(drag["ids"]) == 1 and drag.setdefault("unwired", chain.unwired(self.editor.graph, drag["node"])):
                self._aim_insert(e, drag)
        elif mode == "wire":
            point = self.canvas.to_graph(e.clientX, e.clientY)
            a, b = (drag["anchor"], point) if drag["dir"] == "out" else (point, drag["anchor"])
            self.canvas.edges.show_wire(a, b, drag["type"])
        elif mode == "box":
            self._draw_box(e)

    def _aim_insert(self, e: Any, drag: dict[str, Any]) -> None:
        """Dragging one unwired node over a wire it fits: the wire lights up; letting go splices it in."""
        edge = None
        for element in js.document.elementsFromPoint(e.clientX, e.clientY):
            if element.classList.contains("edge-hit"):
                found = self.canvas.edge_by_key(str(element.dataset.edge))
                if found is not None and chain.insertion(self.editor.graph, self.editor.catalog, drag["node"], found):
                    edge = found
                break
        if edge != drag.get("insert"):
            drag["insert"] = edge
            self._mark_insert(edge)
            view = self.canvas.views.get(drag["node"])
            if view is not None:  # the wire may lie under the node: the node says it too
                view.el.classList.toggle("inserting", edge is not None)

    def _mark_insert(self, edge: Edge | None) -> None:
        for lit in self.canvas.el.querySelectorAll(".edge.insert-target, .node.inserting"):
            lit.classList.remove("insert-target", "inserting")
        if edge is not None:
            group = self.canvas.el.querySelector(f'.edge[data-edge="{edge_key(edge)}"]')
            if not missing(group):
                group.classList.add("insert-target")

    # --- pointer up: finish the gesture ---

    def _up(self, e: Any) -> None:
        drag, self._drag = self._drag, None
        if drag is None:
            return
        self.canvas.el.classList.remove(f"dragging-{drag['mode']}")
        mode = drag["mode"]
        try:
            if mode == "pan" and not drag["moved"] and drag.get("clear"):
                self.app.send(Select(()))
            elif mode == "move" and not drag["moved"] and not drag["additive"] and len(drag["ids"]) > 1:
                # A plain click on one node of a group selects just that node (a drag moves the group).
                self.app.send(Select((drag["node"],)))
            elif mode == "move" and drag.get("insert") is not None:
                self._mark_insert(None)
                try:  # with the drag that brought it: one undo step
                    self.app.send(InsertOnEdge(drag["node"], drag["insert"], drag["gesture"]))
                except EditError as exc:
                    self.notices.hint(str(exc))
            elif mode == "wire":
                self._finish_wire(e, drag)
            elif mode == "box":
                self.canvas.box.hidden = True
                if drag["moved"]:
                    here = self.canvas.to_graph(e.clientX, e.clientY)
                    ox, oy = drag["origin"]
                    ids = nodes_in_rect(self.canvas.boxes(), (ox, oy, here[0] - ox, here[1] - oy))
                    self.app.send(Select(tuple(ids), add=drag["add"]))
        finally:
            self.app.send(EndGesture())

    def _finish_wire(self, e: Any, drag: dict[str, Any]) -> None:
        self.canvas.edges.hide_wire()
        self._mark_compatible(None, None, None)
        under = js.document.elementFromPoint(e.clientX, e.clientY)
        port = closest(under, ".port")
        node_el = closest(under, ".node")
        own = PortRef(drag["node"], drag["port"])
        if port is not None:
            if port.dataset.dir == drag["dir"]:
                self.notices.hint("connect an output to an input")
                return
            other = PortRef(port.dataset.node, port.dataset.port)
            self._connect(own, other, drag)
        elif node_el is not None and node_el.dataset.node != drag["node"]:
            self._connect_to_node(own, node_el.dataset.node, drag)
        elif drag["moved"] and drag["detached"] is None and closest(under, ".canvas") is not None:
            self._offer_nodes(e, drag)

    def _connect(self, own: PortRef, other: PortRef, drag: dict[str, Any]) -> None:
        source, target = (own, other) if drag["dir"] == "out" else (other, own)
        try:
            self.app.send(Connect(source, target, drag["gesture"]))
        except EditError as exc:
            self.notices.hint(str(exc))

    def _connect_to_node(self, own: PortRef, node_id: str, drag: dict[str, Any]) -> None:
        """A wire dropped on a node's body goes to its first free port of the wire's type."""
        spec = self.editor.catalog.get(self.editor.graph.nodes[node_id].type)
        ports = (spec.inputs if drag["dir"] == "out" else spec.outputs) if spec else ()
        fitting = [p for p in ports if p.type == drag["type"]]
        if not fitting:
            kind = "input" if drag["dir"] == "out" else "output"
            self.notices.hint(f"{spec.title if spec else node_id} has no {drag['type']} {kind}")
            return
        taken = {e.target.port for e in self.editor.graph.inputs_of(node_id)}
        port = next((p for p in fitting if p.name not in taken), fitting[0])
        self._connect(own, PortRef(node_id, port.name), drag)

    def _offer_nodes(self, e: Any, drag: dict[str, Any]) -> None:
        offers = offers_for_wire(self.editor.catalog, drag["type"], from_output=drag["dir"] == "out")
        point = self.canvas.to_graph(e.clientX, e.clientY)
        rect = self.canvas.el.getBoundingClientRect()
        own = PortRef(drag["node"], drag["port"])
        gesture = drag["gesture"]

        def pick(offer: Offer) -> None:
            x = point[0] if drag["dir"] == "out" else point[0] - 200
            node_id = self.app.send(AddNode(offer.type, (x, point[1] - 40), gesture))
            other = PortRef(node_id, offer.port)
            self._connect(own, other, {"dir": drag["dir"], "gesture": gesture})
            self.app.send(EndGesture())

        title = f"Add a node for this {drag['type']}"
        self.menu.show(e.clientX - rect.left, e.clientY - rect.top, title, offers, pick)

    def _mark_compatible(self, direction: str | None, port_type: str | None, node_id: str | None) -> None:
        """While a wire is dragged, light up the ports it may go to and dim the others."""
        self.canvas.el.classList.toggle("wiring", direction is not None)
        for dot in self.canvas.el.querySelectorAll(".port"):
            fits = (
                direction is not None
                and dot.dataset.dir != direction
                and dot.dataset.type == port_type
                and dot.dataset.node != node_id
            )
            dot.classList.toggle("can-drop", fits)

    def _draw_box(self, e: Any) -> None:
        rect = self.canvas.el.getBoundingClientRect()
        drag = self._drag
        x1, y1 = drag["sx"] - rect.left, drag["sy"] - rect.top
        x2, y2 = e.clientX - rect.left, e.clientY - rect.top
        style = self.canvas.box.style
        style.left, style.top = f"{min(x1, x2)}px", f"{min(y1, y2)}px"
        style.width, style.height = f"{abs(x2 - x1)}px", f"{abs(y2 - y1)}px"
        self.canvas.box.hidden = False

    # --- wheel, double-click, drop ---

    def _wheel(self, e: Any) -> None:
        if closest(e.target, ".node-menu"):
            return
        e.preventDefault()
        delta = e.deltaY * (16 if e.deltaMode == 1 else 1)
        rect = self.canvas.el.getBoundingClientRect()
        self.canvas.viewport.zoom_at(e.clientX - rect.left, e.clientY - rect.top, math.exp(-delta * 0.0015))
        self.canvas.apply_viewport()

    def _dblclick(self, e: Any) -> None:
        if closest(e.target, ".node, .node-menu, .edge-hit, .minimap, .frame-head"):
            return
        rect = self.canvas.el.getBoundingClientRect()
        self.quick_add(e.clientX - rect.left, e.clientY - rect.top)

    def quick_add(self, x: float, y: float) -> None:
        """The searchable list of every node type at (x, y) in the canvas element's pixels; the
        picked one is added there."""
        rect = self.canvas.el.getBoundingClientRect()
        point = self.canvas.to_graph(rect.left + x, rect.top + y)
        offers = [Offer(s.id, s.title, s.category, "") for s in self.editor.catalog]

        def pick(offer: Offer) -> None:
            self.app.send(AddNode(offer.type, (point[0] - NODE_GRAB[0], point[1] - NODE_GRAB[1])))

        self.menu.show(x, y, "Add a node", offers, pick)

    def _dragover(self, e: Any) -> None:
        types = [] if missing(e.dataTransfer) else list(e.dataTransfer.types)
        if NODE_MIME in types or "Files" in types:
            e.preventDefault()
            e.dataTransfer.dropEffect = "copy"
            self.canvas.el.classList.add("drop-target")

    def _drop(self, e: Any) -> None:
        self.canvas.el.classList.remove("drop-target")
        transfer = e.dataTransfer
        if missing(transfer):
            return
        e.preventDefault()
        point = self.canvas.to_graph(e.clientX, e.clientY)
        type_id = transfer.getData(NODE_MIME)
        if type_id:
            try:
                self.app.send(AddNode(type_id, (point[0] - NODE_GRAB[0], point[1] - NODE_GRAB[1])))
            except EditError as exc:
                self.notices.hint(str(exc))
            return
        if transfer.files and transfer.files.length:
            node_el = closest(e.target, ".node")
            return self.on_files(transfer.files, point, node_el.dataset.node if node_el is not None else None)
