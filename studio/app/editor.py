"""The editor: every user edit as a command on the session's graph, undoable, announced as a Change."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from ..core.catalog import NodeSpec
from ..core.graph import Edge, Graph, GraphError, Node, PortRef
from ..core.params import ParamError
from ..core.quoting import quote
from . import chain, clipboard, events, layout, pictures
from .events import Change, Emitter
from .ports import EditError, as_port_ref, check_connection, replaced_edges
from .selection import Selection
from .undo import History, Snapshot, changed_nodes


class Editor:
    """Commands change `session.graph` (and the uploaded pictures in `session.inputs`) and either
    finish completely or raise EditError leaving everything as it was."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.catalog = session.catalog
        self.selection = Selection()
        self.history = History()
        self.changes = Emitter()
        # Loads through the session (window.studio.load, Open) become undoable steps too.
        session.on_replace.append(self._on_session_replace)

    @property
    def graph(self) -> Graph:
        graph: Graph = self.session.graph
        return graph

    def subscribe(self, listener: Callable[[Change], Any]) -> Any:
        return self.changes.subscribe(listener)

    # --- nodes ---

    def add_node(
        self,
        type_id: str,
        position: tuple[float, float] | None = None,
        params: dict[str, Any] | None = None,
        *,
        gesture: Any = None,
    ) -> str:
        spec = self.catalog.get(type_id)
        if spec is None:
            raise EditError(f"unknown node type {quote(type_id)}")
        values = {}
        for name, value in (params or {}).items():
            values[name] = self._coerce(spec, name, value)
        node_id = self.graph.unique_id(type_id)
        with self._edit(f"add {spec.title}", events.STRUCTURE, [node_id], gesture=gesture):
            self.graph.add_node(Node(node_id, type_id, values, _point(position)))
            self.session.inputs.pop(node_id, None)  # a picture left by an older node of that id
            if position is None:
                self._place_missing()
        self.select([node_id])
        return node_id

    def move_nodes(self, node_ids: Iterable[str], dx: float, dy: float, *, gesture: Any = None) -> None:
        ids = [n for n in node_ids if n in self.graph.nodes]
        if not ids or (dx == 0 and dy == 0):
            return
        if self.history.continues(gesture):
            # Each pointer move of a drag: the step (and its snapshot) exists already, and a move
            # changes only positions, so those are all there is to put back on an error (no
            # copy of the whole graph per move).
            nodes = self.graph.nodes
            before = {node_id: nodes[node_id].position for node_id in ids}
            try:
                self._shift(ids, dx, dy)
            except BaseException:
                for node_id, position in before.items():
                    nodes[node_id].position = position
                raise
            self.changes.emit(Change(events.MOVED, frozenset(ids), "move"))
            return
        with self._edit("move", events.MOVED, ids, gesture=gesture):
            self._shift(ids, dx, dy)

    def _shift(self, ids: list[str], dx: float, dy: float) -> None:
        for node_id in ids:
            node = self.graph.nodes[node_id]
            x, y = node.position or (0.0, 0.0)
            node.position = (round(x + dx, 2), round(y + dy, 2))

    def set_positions(self, positions: dict[str, tuple[float, float]], *, label: str = "arrange") -> None:
        ids = [n for n in positions if n in self.graph.nodes]
        if not ids:
            return
        with self._edit(label, events.MOVED, ids):
            for node_id in ids:
                self.graph.nodes[node_id].position = _point(positions[node_id])

    def auto_layout(self) -> None:
        """Tidy every node into dependency columns (one undo step)."""
        self.set_positions(layout.layout(self.graph, only_missing=False), label="tidy up")

    def delete(self, node_ids: Iterable[str] | None = None) -> None:
        """Delete the given nodes, or what is selected (nodes, or the selected edge)."""
        if node_ids is None and not self.selection.nodes and self.selection.edge is not None:
            self.disconnect(self.selection.edge)
            return
        ids = self._chosen(node_ids)
        if not ids:
            return
        with self._edit("delete", events.STRUCTURE, self._downstream(ids)):
            for node_id in ids:
                self.graph.remove_node(node_id)
        # Deleted nodes leave the selection (the inspector must not offer buttons for them).
        if self.selection.keep_only(self.graph.nodes, self.graph.edges):
            self._announce_selection()

    def delete_keeping_chain(self, node_ids: Iterable[str] | None = None) -> None:
        """Delete nodes and keep each chain they sat in connected (one undo step): what fed a
        node's image input feeds what its image output fed."""
        ids = self._chosen(node_ids)
        if not ids:
            return
        with self._edit("delete, keep the chain", events.STRUCTURE, self._downstream(ids)):
            for node_id in ids:  # one at a time: a run of selected nodes bridges over all of them
                kept = chain.bridges(self.graph, self.catalog, node_id)
                self.graph.remove_node(node_id)
                for edge in kept:
                    self.graph.connect(edge.source, edge.target)
        if self.selection.keep_only(self.graph.nodes, self.graph.edges):
            self._announce_selection()

    def toggle_bypass(self, node_ids: Iterable[str] | None = None) -> bool | None:
        """Bypass the nodes (or the selection), or, when all are bypassed already, turn it off
        (one undo step). Returns the new state; raises EditError naming a node that cannot."""
        ids = self._chosen(node_ids)
        if not ids:
            return None
        refused = next((why for n in ids if (why := chain.bypass_refusal(self.graph, self.catalog, n))), None)
        if refused is not None:
            raise EditError(refused)
        on = not all(self.graph.nodes[n].bypass for n in ids)
        with self._edit("bypass" if on else "bypass off", events.STRUCTURE, ids):
            for node_id in ids:
                self.graph.nodes[node_id].bypass = on
        return on

    def duplicate(self, node_ids: Iterable[str] | None = None) -> list[str]:
        ids = list(self.selection.nodes if node_ids is None else node_ids)
        if not ids:
            return []
        return self.paste(clipboard.copy_text(self.graph, ids), label="duplicate")

    # --- edges ---

    def connect(self, source: PortRef | str, target: PortRef | str, *, gesture: Any = None) -> Edge:
        source, target = as_port_ref(source), as_port_ref(target)
        port = check_connection(self.graph, self.catalog, source, target)
        edge = Edge(source, target)
        if edge in self.graph.edges:
            return edge
        with self._edit("connect", events.STRUCTURE, [target.node], gesture=gesture):
            for old in replaced_edges(self.graph, target, port):
                self.graph.disconnect(old)
            self.graph.connect(source, target)
        return edge

    def insert_on_edge(self, node_id: str, edge: Edge, *, gesture: Any = None) -> None:
        """Splice an unwired node into a wire: A -> B becomes A -> node -> B (with the drag that
        brought it there, one undo step)."""
        ports = chain.insertion(self.graph, self.catalog, node_id, edge)
        if ports is None:
            raise EditError(f"{quote(node_id)} does not fit on this wire: it needs an input and an output of its type")
        with self._edit("insert on the wire", events.STRUCTURE, [node_id, edge.target.node], gesture=gesture):
            self.graph.disconnect(edge)
            self.graph.connect(edge.source, ports[0])
            self.graph.connect(ports[1], edge.target)

    def disconnect(self, edge: Edge, *, gesture: Any = None) -> None:
        if edge not in self.graph.edges:
            return
        with self._edit("disconnect", events.STRUCTURE, [edge.target.node], gesture=gesture):
            self.graph.disconnect(edge)
        if self.selection.edge == edge:
            self.selection.select_edge(None)
            self._announce_selection()

    # --- params and pictures ---

    def set_param(self, node_id: str, name: str, value: Any, *, gesture: Any = None) -> Any:
        """Validate with the param's own coerce; an invalid value raises EditError with the reason."""
        node = self._node(node_id)
        spec = self.catalog[node.type]
        value = self._coerce(spec, name, value)
        if node.params.get(name, spec.param(name).default) == value:
            return value
        with self._edit(f"set {name}", events.PARAM, [node_id], gesture=gesture):
            node.params[name] = value
        return value

    def set_data(self, node_id: str, values: dict[str, Any], label: str) -> None:
        """Set keys of a node's `data` (an AI node's follow-ups, its selected step) as one undoable edit."""
        node = self._node(node_id)
        with self._edit(label, events.PARAM, [node_id]):
            node.data.update(values)

    def set_picture(self, node_id: str, data: bytes, filename: str = "") -> None:
        """An upload: the bytes go beside the graph, the name into the `filename` param."""
        node = self._node(node_id)
        if node.type != pictures.SOURCE_IMAGE:
            raise EditError(f"node {quote(node_id)} does not take a picture")
        with self._edit("set picture", events.PICTURE, [node_id]):
            self.session.inputs[node_id] = bytes(data)
            node.params["image"] = ""
            node.params["filename"] = filename[:200]

    def add_picture(self, data: bytes, filename: str, position: tuple[float, float] | None) -> str:
        """A dropped or pasted picture: a new source.image node holding it (one undo step), at
        `position` or the nearest free spot to it (a paste at the view's centre never hides a node)."""
        node_id = self.graph.unique_id(pictures.SOURCE_IMAGE)
        if position is not None:
            position = layout.free_spot(self.graph, (float(position[0]), float(position[1])))
        with self._edit("add picture", events.STRUCTURE, [node_id]):
            self.graph.add_node(Node(node_id, pictures.SOURCE_IMAGE, {"filename": filename[:200]}, _point(position)))
            self.session.inputs[node_id] = bytes(data)
            if position is None:
                self._place_missing()
        self.select([node_id])
        return node_id

    def rename(self, name: str) -> None:
        name = name.strip() or "Untitled"
        if name == self.graph.name:
            return
        with self._edit("rename", events.NAME):
            self.graph.name = name[:200]

    # --- clipboard ---

    def copy(self, node_ids: Iterable[str] | None = None) -> str | None:
        ids = list(self.selection.nodes if node_ids is None else node_ids)
        return clipboard.copy_text(self.graph, ids) if ids else None

    def paste(
        self,
        text: str,
        at: tuple[float, float] | None = None,
        *,
        label: str = "paste",
        pictures_by_id: dict[str, bytes] | None = None,
    ) -> list[str]:
        """Paste workflow text with fresh ids; pictures of the copied nodes come along when known."""
        clip = clipboard.parse_clip(text, self.catalog)
        part, mapping = clipboard.remap(clip, self.graph, at)
        with self._edit(label, events.STRUCTURE, part.nodes):
            for node in part.nodes.values():
                self.graph.add_node(node)
            self.graph.edges.extend(part.edges)
            known = self.session.inputs if pictures_by_id is None else pictures_by_id
            for old, new in mapping.items():
                if old in known:
                    self.session.inputs[new] = known[old]
                else:
                    self.session.inputs.pop(new, None)
            pictures.absorb(self.graph, self.session.inputs)
            self._place_missing()
        self.select(part.nodes)
        return list(part.nodes)

    # --- whole documents ---

    def load_text(self, text: str | bytes) -> Graph:
        """Open a workflow file (incomplete graphs allowed); a bad one raises WorkflowError and
        changes nothing."""
        graph: Graph = self.session.load_text(text, complete=False)
        return graph

    def _on_session_replace(self, old_graph: Graph, old_inputs: dict[str, bytes]) -> None:
        self.history.record("open", Snapshot(old_graph, dict(old_inputs)))
        pictures.absorb(self.graph, self.session.inputs)
        self._place_missing()
        self.selection.clear()
        self.changes.emit(Change(events.REPLACED, frozenset(self.graph.nodes), "open"))

    # --- undo ---

    def undo(self) -> bool:
        step = self.history.undo(self._snapshot())
        return self._restore(step.before, f"undo {step.label}") if step else False

    def redo(self) -> bool:
        step = self.history.redo(self._snapshot())
        return self._restore(step.before, f"redo {step.label}") if step else False

    def end_gesture(self) -> None:
        """Call on pointer up: the next drag or slide is a step of its own."""
        self.history.end_gesture()

    # --- selection (not an edit: no undo step) ---

    def select(self, node_ids: Iterable[str], *, add: bool = False) -> None:
        ids = [n for n in node_ids if n in self.graph.nodes]
        if add:
            self.selection.add(ids)
        else:
            self.selection.set(ids)
        self._announce_selection()

    def toggle_selected(self, node_id: str) -> None:
        self.selection.toggle(node_id)
        self._announce_selection()

    def select_edge(self, edge: Edge | None) -> None:
        self.selection.select_edge(edge)
        self._announce_selection()

    def select_all(self) -> None:
        self.select(self.graph.nodes)

    # --- internals ---

    def edit(self, label: str, kind: str, nodes: Iterable[str] = (), *, gesture: Any = None) -> Any:
        """An edit made by a command elsewhere (studio/app/frames.py): all or nothing, one undo step."""
        return self._edit(label, kind, nodes, gesture=gesture)

    def _downstream(self, ids: list[str]) -> set[str]:
        """The nodes and those they feed directly: what a deletion changes."""
        return set(ids) | {e.target.node for e in self.graph.edges if e.source.node in ids}

    def _chosen(self, node_ids: Iterable[str] | None) -> list[str]:
        """The given nodes, or the selected ones, that exist."""
        return [n for n in (self.selection.nodes if node_ids is None else node_ids) if n in self.graph.nodes]

    @contextmanager
    def _edit(self, label: str, kind: str, nodes: Iterable[str] = (), *, gesture: Any = None) -> Iterator[None]:
        """Snapshot, apply, and on any error put everything back: an edit is all or nothing."""
        continuing = self.history.continues(gesture)
        before = self._snapshot()
        try:
            yield
        except GraphError as exc:
            self._put_back(before)
            raise EditError(str(exc)) from None
        except BaseException:
            self._put_back(before)
            raise
        if not continuing:
            self.history.record(label, before, gesture)
        self.changes.emit(Change(kind, frozenset(nodes), label))

    def _snapshot(self) -> Snapshot:
        return Snapshot.take(self.graph, self.session.inputs)

    def _put_back(self, snapshot: Snapshot) -> None:
        self.session.graph = snapshot.graph
        self.session.inputs = snapshot.inputs

    def _restore(self, snapshot: Snapshot, label: str) -> bool:
        old = self._snapshot()
        self._put_back(snapshot)
        changed = changed_nodes(old, snapshot)
        self.selection.keep_only(self.graph.nodes, self.graph.edges)
        # `nodes` lists only what may give other results: moves and renames list none.
        self.changes.emit(Change(events.REPLACED, frozenset(changed), label))
        self._announce_selection()
        return True

    def _place_missing(self) -> None:
        for node_id, point in layout.layout(self.graph, only_missing=True).items():
            self.graph.nodes[node_id].position = point

    def _announce_selection(self) -> None:
        self.changes.emit(Change(events.SELECTION, frozenset(self.selection.nodes)))

    def _node(self, node_id: str) -> Node:
        node = self.graph.nodes.get(node_id)
        if node is None:
            raise EditError(f"no node with id {quote(node_id)}")
        return node

    @staticmethod
    def _coerce(spec: NodeSpec, name: str, value: Any) -> Any:
        param = spec.param(name)
        if param is None:
            raise EditError(f"{spec.title} has no param {quote(name)}")
        try:
            return param.coerce(value)
        except ParamError as exc:
            raise EditError(f"{name}: {exc}") from None


def _point(position: Iterable[float] | None) -> tuple[float, float] | None:
    if position is None:
        return None
    x, y = position
    return (round(float(x), 2), round(float(y), 2))
