"""The inspector: the selected node's params as widgets built from the catalog, edits refused inline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...app import events
from ...app.commands import Delete, Duplicate, EndGesture, SetParam
from ...app.messages import DocumentChanged, RunAgain
from ...app.pictures import SOURCE_IMAGE
from ...app.ports import EditError
from ...core.graph import Node
from ...core.quoting import quote
from .dom import Listeners, h, is_typing
from .node_view import CATEGORY_ICONS
from .widgets import Field, make_field

HIDDEN_PARAMS = {SOURCE_IMAGE: {"image", "filename"}}  # shown as a file picker instead
IMAGE_TYPES = "image/png,image/jpeg,image/webp,image/gif,image/bmp"


class Inspector:
    """Reads the document (app.editor) and sends every edit and action as a command (app.send)."""

    def __init__(self, app: Any, on_picture: Callable[[str, Any], Any]) -> None:
        self.app = app
        self.editor = app.editor
        self.on_picture = on_picture
        self._listeners = Listeners()
        self.fields: dict[str, Field] = {}
        # Extra sections for some nodes (the AI conversation): extra(node, fields) -> element or None,
        # called for every node shown; what it returns goes under the params.
        self.extras: list[Callable[[Node, dict[str, Field]], Any]] = []
        self.node_id: str | None = None
        self._multi_shown = False
        self._filename: Any = None
        self._offered: Any = None  # model-dependent choices as shown (ChoiceParam.depends_on)
        self.body = h("div", {"cls": "inspector-body"})
        self.el = h(
            "section",
            {"cls": "inspector", "testid": "inspector", "aria-label": "Inspector"},
            h("div", {"cls": "panel-title", "text": "Inspector"}),
            self.body,
        )
        app.subscribe(DocumentChanged, self._on_change)
        self.render()

    def _on_change(self, event: DocumentChanged) -> None:
        change = event.change
        selection = self.editor.selection
        multi = len(selection.nodes) > 1
        if (
            selection.primary != self.node_id
            or multi != self._multi_shown
            or (self.node_id is not None and self.node_id not in self.editor.graph.nodes)
        ):
            self.render()
        elif change.kind in (events.PARAM, events.REPLACED, events.PICTURE, events.STRUCTURE) and self.node_id:
            self.refresh_values()

    def render(self) -> None:
        self._listeners.clear()
        self.fields = {}
        selection = self.editor.selection
        node = self.editor.graph.nodes.get(selection.primary) if selection.primary else None
        self.node_id = node.id if node else None
        self._multi_shown = len(selection.nodes) > 1
        self._filename = None
        if self._multi_shown:
            self.body.replaceChildren(self._multi(len(selection.nodes)))
        elif node is None:
            self.body.replaceChildren(self._empty())
        else:
            self.body.replaceChildren(*self._node(node))

    def refresh_values(self) -> None:
        node = self.editor.graph.nodes.get(self.node_id)
        spec = self.editor.catalog.get(node.type) if node else None
        if spec is None:
            return
        if _offered(spec, node) != self._offered:
            self._rebuild_dependent(spec, node)  # e.g. another model: other ratios, sizes, thinking
        active = self.el.ownerDocument.activeElement
        for name, field in self.fields.items():
            if field.el.contains(active) and is_typing(active):
                continue  # never overwrite what the user is typing
            field.set_value(node.params.get(name, spec.param(name).default))
            param = spec.param(name)
            if getattr(param, "depends_on", "") and (problem := param.mismatch(_values(spec, node))):
                field.show_error(problem)  # set_value cleared it; the model still does not take it
        if self._filename is not None:
            self._filename.textContent = node.params.get("filename") or "No picture yet"

    # --- views ---

    def _empty(self) -> Any:
        return h(
            "div",
            {"cls": "inspector-empty"},
            h("p", {"text": "Select a node to edit its settings."}),
            h(
                "p",
                {
                    "cls": "muted",
                    "text": "Tip: drag from an output port to an input port to connect nodes; "
                    "press ? for all shortcuts.",
                },
            ),
        )

    def _multi(self, count: int) -> Any:
        duplicate = h("button", {"cls": "btn", "text": "Duplicate"})
        delete = h("button", {"cls": "btn danger", "text": "Delete"})
        self._listeners.on(duplicate, "click", lambda e: self.app.send(Duplicate()))
        self._listeners.on(delete, "click", lambda e: self.app.send(Delete()))
        return h(
            "div",
            {"cls": "inspector-multi"},
            h("p", {"text": f"{count} nodes selected"}),
            h("div", {"cls": "btn-row"}, duplicate, delete),
        )

    def _node(self, node: Node) -> list[Any]:
        spec = self.editor.catalog.get(node.type)
        if spec is None:
            return [h("p", {"cls": "field-error", "text": f"Unknown node type {quote(node.type)}"})]
        head = h(
            "div",
            {"cls": "inspector-head"},
            h(
                "span",
                {"cls": f"inspector-icon cat-{spec.category.lower()}", "text": CATEGORY_ICONS.get(spec.category, "•")},
            ),
            h(
                "div",
                {},
                h("div", {"cls": "inspector-title", "text": spec.title}),
                h("div", {"cls": "inspector-type", "text": f"{node.id} · {spec.id}"}),
            ),
        )
        parts = [head, h("p", {"cls": "inspector-help", "text": spec.help})]
        if spec.id == SOURCE_IMAGE:
            parts.append(self._picture(node))
        hidden = HIDDEN_PARAMS.get(spec.id, set())
        form = h("div", {"cls": "fields"})
        self._offered = _offered(spec, node)
        for param in spec.params:
            if param.name in hidden:
                continue
            value = node.params.get(param.name, param.default)
            field = self._field(node, param, value)
            self.fields[param.name] = field
            form.append(field.el)
        if not self.fields and spec.id != SOURCE_IMAGE:
            form.append(h("p", {"cls": "muted", "text": "This node has no settings."}))
        parts.append(form)
        # Extra sections by node type (e.g. the AI panel): extra(node, fields) -> element or None.
        parts.extend(el for extra in self.extras if (el := extra(node, self.fields)) is not None)
        actions = h("div", {"cls": "btn-row inspector-actions"})
        if not spec.deterministic:
            again = h(
                "button",
                {
                    "cls": "btn",
                    "text": "Run again",
                    "testid": "run-again",
                    "title": "Results of this node are kept; run it afresh.",
                },
            )
            self._listeners.on(again, "click", lambda e: self.app.send(RunAgain(node.id)))
            actions.append(again)
        duplicate = h("button", {"cls": "btn", "text": "Duplicate", "title": "Ctrl/Cmd+D"})
        delete = h("button", {"cls": "btn danger", "text": "Delete", "title": "Delete"})
        self._listeners.on(duplicate, "click", lambda e: self.app.send(Duplicate((node.id,))))
        self._listeners.on(delete, "click", lambda e: self.app.send(Delete((node.id,))))
        actions.append(duplicate, delete)
        parts.append(actions)
        return parts

    def _field(self, node: Node, param: Any, value: Any) -> Any:
        # Choices that depend on another param (an AI model's ratios) offer only what fits, and
        # a value the model does not take is shown with why (ChoiceParam.narrowed / mismatch).
        values = _values(self.editor.catalog.get(node.type), node)
        shown = param.narrowed(values) if getattr(param, "depends_on", "") else param
        field = make_field(
            shown, value, self._committer(node.id, param.name), self._listeners, ("param", node.id, param.name)
        )
        if shown is not param and (problem := param.mismatch(values)):
            field.show_error(problem)
        return field

    def _rebuild_dependent(self, spec: Any, node: Node) -> None:
        """Swap in new widgets for the dependent params only: the field being typed in stays."""
        self._offered = _offered(spec, node)
        for param in spec.params:
            old = self.fields.get(param.name)
            if old is not None and getattr(param, "depends_on", ""):
                new = self._field(node, param, node.params.get(param.name, param.default))
                old.el.replaceWith(new.el)
                self.fields[param.name] = new

    def _picture(self, node: Node) -> Any:
        picker = h(
            "input",
            {"type": "file", "accept": IMAGE_TYPES, "testid": "param-image", "id": "param-image", "cls": "file-input"},
        )
        label = h("label", {"cls": "btn primary file-btn", "for": "param-image", "text": "Choose picture…"})
        self._filename = h(
            "div",
            {"cls": "picture-name", "testid": "picture-name", "text": node.params.get("filename") or "No picture yet"},
        )
        node_id = node.id

        def chosen(event: Any) -> Any:
            files = picker.files
            if files is not None and files.length:
                result = self.on_picture(node_id, files.item(0))
                picker.value = ""  # choosing the same file again still fires change
                return result

        self._listeners.on(picker, "change", chosen)
        return h(
            "div",
            {"cls": "field picture-field"},
            h("div", {"cls": "field-label", "text": "picture"}),
            h("div", {"cls": "field-row"}, label, picker),
            self._filename,
            h("div", {"cls": "field-help", "text": "Or drop a picture on this node, or paste one (Ctrl/Cmd+V)."}),
        )

    def _committer(self, node_id: str, name: str):
        def commit(value: Any, gesture: Any) -> str | None:
            try:
                self.app.send(SetParam(node_id, name, value, gesture))
            except EditError as exc:
                # "radius: must be…" — the field already names the param.
                return str(exc).removeprefix(f"{name}: ")
            finally:
                if gesture is None:
                    self.app.send(EndGesture())
            return None

        return commit


def _values(spec: Any, node: Node) -> dict[str, Any]:
    """The node's params with the defaults of those left out (a file may omit the model)."""
    return {**spec.defaults(), **node.params}


def _offered(spec: Any, node: Node) -> tuple:
    """The choices each model-dependent param offers for this node, to notice when they change."""
    values = _values(spec, node)
    return tuple((p.name, p.allowed(values), p.mismatch(values)) for p in spec.params if getattr(p, "depends_on", ""))
