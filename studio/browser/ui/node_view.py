"""One node on the canvas: title, typed ports, a one-line summary, thumbnail, run state, error."""

from __future__ import annotations

from typing import Any

from ...app.node_states import STATES, TONES, Shown
from ...app.pictures import SOURCE_IMAGE
from ...app.ports import REFERENCES
from ...core.catalog import NodeSpec
from ...core.graph import Node
from ...core.run_result import CACHED, DONE, FAILED
from ...gemini.pricing import format_usd
from . import note_markdown
from .dom import h, missing


def slot_port(index: int) -> str:
    """The key of the dot of an AI node's `index`-th connected reference (its wire ends there)."""
    return f"{REFERENCES}#{index}"


CATEGORY_ICONS = {
    "Source": "◐",
    "Transform": "⤢",
    "Filter": "◍",
    "Compose": "◧",
    "Output": "⇩",
    "AI": "✦",
    "Note": "✎",
}
NOTE = "canvas.note"  # issue 12: a note shows its whole text, as Markdown or plain


def summary(node: Node, spec: NodeSpec) -> str:
    """A short reminder of what the node is set to, e.g. "radius 3 · png"."""
    if spec.id == SOURCE_IMAGE:
        return node.params.get("filename") or ""  # the status line says when it waits for one
    if spec.id == NOTE:
        return str(node.params.get("text", ""))
    parts = []
    for param in spec.params:
        value = node.params.get(param.name, param.default)
        if value is None or value == "" or param.name in ("model",):
            continue
        if isinstance(value, bool):
            text = param.name if value else ""
        elif isinstance(value, float):
            text = f"{param.name} {value:g}"
        elif isinstance(value, str) and param.kind == "text":
            lines = value.strip().splitlines()
            first = lines[0] if lines else ""
            more = "…" if len(first) > 18 or len(lines) > 1 else ""
            text = f"“{first[:18]}{more}”" if first else ""
        elif param.kind == "choice":
            text = str(value)
        else:
            text = f"{param.name} {value}"
        if text:
            parts.append(text)
        if len(parts) == 3:
            break
    return " · ".join(parts)


class NodeView:
    """The DOM of one node; the canvas positions it and feeds it status and thumbnails."""

    def __init__(self, node: Node, spec: NodeSpec | None) -> None:
        self.id = node.id
        self.spec = spec
        title = spec.title if spec else node.type
        category = spec.category if spec else "Unknown"
        self.el = h("div", {"cls": f"node cat-{category.lower()}", "testid": f"node-{node.id}", "data-node": node.id})
        head = h(
            "div",
            {"cls": "node-head", "title": (spec.help if spec else f"unknown node type {node.type}")},
            h("span", {"cls": "node-icon", "aria-hidden": "true", "text": CATEGORY_ICONS.get(category, "•")}),
            self._title_el(title),
            self._bypass_badge(node.id),
            h("span", {"cls": "node-id", "text": node.id}),
        )
        self.summary = h("div", {"cls": "node-summary"})
        if spec is not None and spec.id == NOTE:
            self.el.classList.add("node-note")
        ports = h("div", {"cls": "node-ports"})
        inputs = h("div", {"cls": "ports-in"})
        outputs = h("div", {"cls": "ports-out"})
        self.ports: dict[tuple[str, str], Any] = {}
        for direction, group, column in (
            ("in", spec.inputs if spec else (), inputs),
            ("out", spec.outputs if spec else (), outputs),
        ):
            for port in group:
                dot = h(
                    "span",
                    {
                        "cls": f"port port-{direction}",
                        "testid": f"port-{node.id}-{port.name}",
                        "data-node": node.id,
                        "data-port": port.name,
                        "data-dir": direction,
                        "data-type": port.type,
                        "title": f"{port.name} ({port.type}{', optional' if not port.required else ''}"
                        f"{', many' if port.multiple else ''}){': ' + port.help if port.help else ''}",
                    },
                )
                label = h("span", {"cls": "port-label", "text": port.name})
                row = h(
                    "div",
                    {"cls": f"port-row port-row-{direction}"},
                    *((dot, label) if direction == "in" else (label, dot)),
                )
                column.append(row)
                self.ports[(direction, port.name)] = dot
                if direction == "in" and port.name == REFERENCES:
                    dot.dataset.slot = "free"  # grabbing it starts a new wire, never picks one up
                    self._free_row, self._free_label = row, label
        ports.append(inputs, outputs)
        self.thumb_img = h("img", {"alt": "", "draggable": "false"})
        self.thumb = h("div", {"cls": "node-thumb", "hidden": True}, self.thumb_img)
        self.status = h("div", {"cls": "node-status"})
        self.error = h("div", {"cls": "node-error", "testid": f"node-error-{node.id}", "role": "alert", "hidden": True})
        # A neutral hint (drop a picture here, connect an input): not an error, not in its colour.
        self.hint = h("div", {"cls": "node-hint", "testid": f"node-hint-{node.id}", "hidden": True})
        # A live or last-run remark (a Gemini wait and its countdown, a downscaled input).
        self.note = h(
            "div", {"cls": "node-remark", "testid": f"node-note-{node.id}", "aria-live": "polite", "hidden": True}
        )
        self.shown: Shown | None = None
        self.el.append(head, self.summary, ports, self.thumb, self.hint, self.error, self.note, self.status)
        # AI nodes: how many images go to Gemini against the model's limit ("3 of 14 images").
        self.slots = None
        self._references = 0
        self._slot_rows: list[Any] = []  # one row per connected reference, above the free slot
        if spec is not None and spec.input(REFERENCES) is not None:
            self.slots = h("div", {"cls": "node-slots muted", "testid": f"node-slots-{node.id}"})
            # The estimate per call before Run, and the shown step's tokens after it.
            self.cost = h("div", {"cls": "node-cost muted", "testid": f"node-cost-{node.id}"})
            ports.after(self.slots, self.cost)
        self.update(node)

    def update(self, node: Node) -> None:
        if self.spec is not None and self.spec.id == NOTE:
            note_markdown.show(self.summary, summary(node, self.spec), node.params.get("format", "markdown"))
        elif self.spec is not None:
            self.summary.textContent = summary(node, self.spec)
        if self.slots is not None:
            self._node = node
            self._model = node.params.get("model") or (self.spec.param("model").default if self.spec else "")
            self._show_slots()
            self._show_cost()
        # Bypassed: drawn dimmed and labelled, its picture passing straight through (Ctrl+B).
        self.el.classList.toggle("bypassed", node.bypass)
        self.bypass_badge.hidden = not node.bypass
        self._show_looks(node)
        x, y = node.position or (0, 0)
        self.el.style.transform = f"translate({x}px, {y}px)"

    def _title_el(self, title: str) -> Any:
        self.title = h("span", {"cls": "node-title", "testid": f"node-title-{self.id}", "text": title})
        return self.title

    def _show_looks(self, node: Node) -> None:
        """Its own title (the type's stays in the tooltip) and the colour of its head."""
        own = node.title or (self.spec.title if self.spec else node.type)
        if missing(self.title.querySelector("input")) and self.title.textContent != own:
            self.title.textContent = own
        self.el.classList.toggle("tinted", node.color is not None)
        if node.color is not None:
            self.el.style.setProperty("--node-color", node.color)
        else:
            self.el.style.removeProperty("--node-color")

    def _bypass_badge(self, node_id: str) -> Any:
        self.bypass_badge = h(
            "span",
            {
                "cls": "node-bypass",
                "testid": f"node-bypassed-{node_id}",
                "text": "bypassed",
                "title": "Bypassed: passes its input picture through unchanged (Ctrl+B to turn off)",
                "hidden": True,
            },
        )
        return self.bypass_badge

    def set_selected(self, selected: bool) -> None:
        self.el.classList.toggle("selected", selected)

    def set_status(self, shown: Shown) -> None:
        """Draw what the node shows (studio/app/node_states.py); the DOM is touched only on a change."""
        if shown == self.shown:
            return
        self.shown = shown
        for state in STATES:
            self.el.classList.toggle(f"state-{state}", shown.state == state)
        for tone in TONES:
            self.el.classList.toggle(f"tone-{tone}", shown.tone == tone)
        self.el.classList.toggle("stale", shown.stale)
        self.el.dataset.state = shown.state
        self.el.dataset.tone = shown.tone
        self.status.textContent = shown.label
        self.error.textContent = shown.error
        self.error.hidden = not shown.error
        self.hint.textContent = shown.note
        self.hint.hidden = not shown.note
        self.note.textContent = shown.remark
        self.note.hidden = not shown.remark
        if self.slots is not None and shown.state in (DONE, CACHED, FAILED):
            self._show_cost()  # a run recorded a step (and its usage) in the node's data

    def set_reference_slots(self, count: int) -> bool:
        """One input dot per connected reference ("reference 1", "reference 2", …) above the free
        slot, so each wire has its own place. Returns True when the rows changed (ports moved)."""
        if self.slots is None or count == len(self._slot_rows):
            return False
        for index, row in enumerate(self._slot_rows):
            row.remove()
            self.ports.pop(("in", slot_port(index)), None)
        self._slot_rows = []
        for index in range(count):
            dot = h(
                "span",
                {
                    "cls": "port port-in connected",
                    "testid": f"port-{self.id}-{REFERENCES}-{index}",
                    "data-node": self.id,
                    "data-port": REFERENCES,
                    "data-dir": "in",
                    "data-type": "image",
                    "data-slot": str(index),
                    "title": f"reference {index + 1} (drag to move or remove its wire)",
                },
            )
            row = h(
                "div",
                {"cls": "port-row port-row-in"},
                dot,
                h("span", {"cls": "port-label", "text": f"reference {index + 1}"}),
            )
            self._free_row.before(row)
            self._slot_rows.append(row)
            self.ports[("in", slot_port(index))] = dot
        return True

    def set_connected(self, connected: set[tuple[str, str]], references: int = 0) -> None:
        for key, dot in self.ports.items():
            # The free reference slot stays hollow: its connected wires have their own dots.
            dot.classList.toggle("connected", key in connected and not (key[1] == REFERENCES and self._slot_rows))
        if self.slots is not None and references != self._references:
            self._references = references
            self._show_slots()

    def _show_cost(self) -> None:
        from ...nodes.ai import call_estimate, last_usage

        node = self._node
        price = call_estimate(node.params).usd
        text = "no price known for this model" if price is None else f"≈ {format_usd(price)} per call (estimate)"
        usage = last_usage(node.data)
        if usage is not None:
            text += f" · last: {usage.get('prompt_tokens', 0):,} + {usage.get('candidate_tokens', 0):,}"
            text += f" + {usage.get('thought_tokens', 0):,} tokens"
        self.cost.textContent = text
        self.cost.title = "prompt + output + thinking tokens; Google's bill is authoritative"

    def _show_slots(self) -> None:
        from ...nodes.ai_inputs import image_slots

        shown = image_slots(self.spec.id, str(self._model), self._references)
        self.slots.textContent = shown["label"] + (" — too many for this model" if shown["over"] else "")
        self.slots.classList.toggle("over", shown["over"])
        dot = self.ports.get(("in", REFERENCES))
        if dot is not None:  # the free slot: one more reference may be connected, up to the limit
            dot.classList.toggle("full", shown["full"])
            dot.dataset.slots = str(shown["slots"])
            self._free_row.classList.toggle("full", shown["full"])
            self._free_label.textContent = (
                "references full" if shown["full"] else "+ reference" if self._references else REFERENCES
            )

    def set_thumbnail(self, url: str | None, size: tuple[int, int] | None = None) -> None:
        if url:
            self.thumb_img.src = url
            self.thumb.hidden = False
            self.thumb.title = f"{size[0]} × {size[1]} px" if size else ""
        else:
            self.thumb_img.removeAttribute("src")
            self.thumb.hidden = True
