"""The preview: the selected node's output large, with zoom/pan, before/after compare, size and Download."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import js  # browser-only
from pyodide.ffi import create_proxy

from ...app import events
from ...app.events import Change
from ...app.viewport import Viewport
from ...core.catalog import IMAGE
from ...core.run_result import CACHED, DONE, FAILED, SKIPPED
from ...core.sniff import sniff_mime
from ...nodes.output import EXTENSIONS, MIME_TYPES
from ..drawn import paint_pictures
from .dom import Listeners, h, report, spawn
from .downloads import download


class Preview:
    def __init__(self, app: Any, hint: Callable[[str], Any]) -> None:
        self.session = app.session
        self.editor = app.editor
        self.hint = hint
        self._listeners = Listeners()
        on = self._listeners.on
        self.node_id: str | None = None
        self._shown: tuple[Any, Any] = (None, None)  # (after, before) handles on screen
        self._paints = 0  # which _show's pixels may still be drawn (the latest only)
        self._size: tuple[int, int] | None = None
        self.view = Viewport(min_zoom=0.01, max_zoom=32.0, frame_min_zoom=0.0)  # any picture fits
        self._drag: tuple[float, float, float, float] | None = None

        self.title = h("span", {"cls": "preview-title", "testid": "preview-title"})
        self.size = h("span", {"cls": "preview-size", "testid": "preview-size"})
        self.compare_toggle = h("input", {"type": "checkbox", "testid": "preview-compare-toggle"})
        compare_label = h(
            "label",
            {"cls": "toggle small", "title": "Compare with the node's input"},
            self.compare_toggle,
            h("span", {"text": "Compare"}),
        )
        fit = h(
            "button",
            {
                "cls": "btn",
                "type": "button",
                "title": "Fit the picture in the preview (double-click)",
                "testid": "preview-fit",
            },
            h("span", {"cls": "btn-icon", "aria-hidden": "true", "text": "⤢"}),
            h("span", {"text": "Fit"}),
        )
        # <canvas> elements: the picture is drawn from its canvas handle as it is, never encoded
        # to a file just to be shown (a PNG encode of a 4096 x 4096 picture takes seconds).
        self.after = h("canvas", {"cls": "preview-after", "testid": "preview-image", "width": "0", "height": "0"})
        self.before = h("canvas", {"cls": "preview-before", "width": "0", "height": "0", "hidden": True})
        self.layer = h("div", {"cls": "preview-layer"}, self.after, self.before)
        self.empty = h("div", {"cls": "preview-empty", "text": "Run the graph to see the output here."})
        # Which side is which while comparing: the input shows left of the slider, the output right.
        self.tags = [
            h("span", {"cls": "compare-tag before", "text": "Before", "testid": "compare-before", "hidden": True}),
            h("span", {"cls": "compare-tag after", "text": "After", "testid": "compare-after", "hidden": True}),
        ]
        self.stage = h("div", {"cls": "preview-stage"}, self.layer, self.empty, *self.tags)
        self.compare = h(
            "input",
            {
                "type": "range",
                "min": "0",
                "max": "100",
                "value": "50",
                "cls": "compare-slider",
                "testid": "preview-compare",
                "aria-label": "Before/after",
                "hidden": True,
            },
        )
        self.format = h(
            "select",
            {"testid": "download-format", "aria-label": "Download format"},
            *[h("option", {"value": f, "text": f.upper()}) for f in ("png", "jpeg", "webp")],
        )
        self.download = h(
            "button",
            {"cls": "btn primary", "type": "button", "testid": "download", "disabled": True},
            h("span", {"cls": "btn-icon", "aria-hidden": "true", "text": "⤓"}),
            h("span", {"text": "Download"}),
        )
        self.foot = h(
            "div",
            {"cls": "preview-foot"},
            compare_label,
            fit,
            h("div", {"cls": "download-group"}, self.format, self.download),
        )
        self.el = h(
            "section",
            {"cls": "preview", "testid": "preview", "aria-label": "Preview"},
            h(
                "div",
                {"cls": "panel-title preview-head"},
                h("span", {"text": "Preview"}),
                self.title,
                h("span", {"cls": "spacer"}),
                self.size,
            ),
            self.stage,
            self.compare,
            self.foot,
        )
        on(fit, "click", lambda e: self.fit())
        on(self.stage, "dblclick", lambda e: self.fit())
        on(self.stage, "wheel", self._wheel, passive=False)
        on(self.stage, "pointerdown", self._down)
        on(self.stage, "pointermove", self._move)
        on(self.stage, "pointerup", self._up)
        on(self.compare_toggle, "change", lambda e: self._update_compare())
        on(self.compare, "input", lambda e: self._clip())
        on(self.download, "click", lambda e: self._download())
        app.on_document(self._on_change)
        # The stage changes size with the window and when the foot wraps (the format picker comes
        # and goes): a picture still shown "fitted" is refitted; one the user zoomed stays put.
        self._fitted = False
        self._resized = create_proxy(lambda entries, observer: self._fitted and self.fit())
        js.ResizeObserver.new(self._resized).observe(self.stage)

    # --- which node, which picture ---

    def target(self) -> str | None:
        """The selected node, else the first export node (what the user is making)."""
        graph = self.editor.graph
        primary = self.editor.selection.primary
        if primary in graph.nodes:
            return primary
        catalog = self.editor.catalog
        return next((n.id for n in graph.nodes.values() if _makes_file(catalog, n.type)), None)

    def _on_change(self, change: Change) -> None:
        if change.kind in (events.SELECTION, events.REPLACED, events.STRUCTURE):
            self.refresh()
        elif change.kind == events.PARAM and self.node_id in change.nodes:
            self._refresh_download()

    def refresh(self) -> None:
        try:
            self._refresh()
        except Exception as exc:
            report("preview", exc)

    def _refresh(self) -> None:
        node_id = self.target()
        changed_node = node_id != self.node_id
        self.node_id = node_id
        node = self.editor.graph.nodes.get(node_id) if node_id else None
        spec = self.editor.catalog.get(node.type) if node else None
        self.title.textContent = node_id or ""
        self.title.title = f"{spec.title} ({spec.id})" if spec else ""
        after = self.session.image_output(node_id) if node_id else None
        before = self._input_image(node_id) if node_id else None
        if (after, before) != self._shown or after is None:
            self._show(after, before, refit=changed_node)
        self._refresh_download()

    def _input_image(self, node_id: str) -> Any:
        """The image entering the node (what "before" shows), from the last run."""
        run = self.session.last_run
        node = self.editor.graph.nodes.get(node_id)
        spec = self.editor.catalog.get(node.type) if node else None
        if run is None or spec is None:
            return None
        for port in spec.inputs:
            if port.type != IMAGE:
                continue
            for edge in self.editor.graph.inputs_of(node_id):
                if edge.target.port == port.name and edge.source.node in run.nodes:
                    return run.nodes[edge.source.node].outputs.get(edge.source.port)
        return None

    def _show(self, after: Any, before: Any, *, refit: bool) -> None:
        self._shown = (after, before)
        self._paints += 1
        backend = self.session.backend
        if after is None:
            self.empty.textContent = self._why_empty()
            for element in (self.after, self.before):
                element.width = element.height = 0
            self.empty.hidden = False
            self.layer.hidden = True
            self.size.textContent = ""
            self._size = None
            self.el.dataset.loaded = "false"
            return
        width, height = backend.size(after)
        self.el.dataset.loaded = "false"
        self.after.style.width, self.after.style.height = f"{width}px", f"{height}px"
        self.layer.style.width, self.layer.style.height = f"{width}px", f"{height}px"
        self.empty.hidden = True
        self.layer.hidden = False
        self.size.textContent = f"{width} × {height} px"
        # A new node, or a picture of another size (a resize would look like a crop otherwise): refit.
        resized = self._size != (width, height)
        self._size = (width, height)
        if refit or resized:
            self.fit()
        self._update_compare()
        spawn(self._paint_shown(self._paints, after, before), "preview")

    async def _paint_shown(self, ticket: int, after: Any, before: Any) -> None:
        """The pixels, from where they are (the engine's worker sends a bitmap of each)."""
        pairs = [(self.after, after), (self.before, before)]
        if await paint_pictures(self.session.backend, pairs, lambda: ticket == self._paints, hand_over=True):
            self.el.dataset.loaded = "true"

    def _why_empty(self) -> str:
        if self.node_id is None:
            return "Select a node to see its output here."
        run = self.session.last_run
        result = run.nodes.get(self.node_id) if run else None
        if result is not None and result.status == FAILED:
            return f"{self.node_id} failed: {result.error}"
        if result is not None and result.status == SKIPPED:
            return f"{self.node_id} did not run: {result.error}"
        if result is not None and result.status in (DONE, CACHED):
            return f"{self.node_id} has no picture to show."
        return "Run the graph to see the output here."

    # --- compare ---

    def _update_compare(self) -> None:
        on = bool(self.compare_toggle.checked) and self._shown[1] is not None
        self.before.hidden = not on
        self.compare.hidden = not on
        for tag in self.tags:
            tag.hidden = not on
        self._clip()

    def _clip(self) -> None:
        # The input shows left of the slider, the output right of it.
        self.before.style.clipPath = f"inset(0 {100 - int(self.compare.value)}% 0 0)"

    # --- zoom and pan ---

    def fit(self) -> None:
        if self._size is None:
            return
        width, height = self._size
        self.view.fit((0, 0, width, height), float(self.stage.clientWidth), float(self.stage.clientHeight), margin=12)
        self._apply()
        self._fitted = True

    def _apply(self) -> None:
        v = self.view
        self.layer.style.transform = f"translate({v.x}px, {v.y}px) scale({v.zoom})"
        self.stage.classList.toggle("pixelated", v.zoom > 2)

    def _wheel(self, e: Any) -> None:
        e.preventDefault()
        rect = self.stage.getBoundingClientRect()
        self.view.zoom_at(e.clientX - rect.left, e.clientY - rect.top, math.exp(-e.deltaY * 0.0015))
        self._apply()
        self._fitted = False

    def _down(self, e: Any) -> None:
        self._drag = (e.clientX, e.clientY, self.view.x, self.view.y)
        self.stage.setPointerCapture(e.pointerId)

    def _move(self, e: Any) -> None:
        if self._drag is None:
            return
        sx, sy, vx, vy = self._drag
        self.view.x, self.view.y = vx + e.clientX - sx, vy + e.clientY - sy
        self._apply()
        self._fitted = False

    def _up(self, e: Any) -> None:
        self._drag = None

    # --- download ---

    def _export_format(self) -> str | None:
        node = self.editor.graph.nodes.get(self.node_id) if self.node_id else None
        if node is None or not _makes_file(self.editor.catalog, node.type):
            return None
        return node.params.get("format", "png")

    def _refresh_download(self) -> None:
        fmt = self._export_format()
        has_file = fmt is not None and self._export_file() is not None
        self.format.hidden = has_file
        self.download.disabled = not (has_file or self._shown[0] is not None)
        self.download.title = (
            f"Download {self.node_id}.{EXTENSIONS[fmt]}" if has_file else "Download the picture in the chosen format"
        )

    def _export_file(self) -> bytes | None:
        # The file as saved: a PNG carries the graph-only workflow (session.file_output does that).
        run = self.session.last_run
        result = run.nodes.get(self.node_id) if run and self.node_id else None
        if result is None or result.status not in (DONE, CACHED):
            return None
        return self.session.file_output(self.node_id)

    async def _download(self) -> None:
        fmt = self._export_format()
        data = self._export_file() if fmt else None
        if data is None:
            image = self._shown[0]
            if image is None:
                self.hint("nothing to download yet: run the graph first")
                return
            fmt = self.format.value
            data = await self.session.backend.encode(image, fmt, 92)
        else:
            # The file is what the last run encoded, whatever the format param says now.
            fmt = {"image/png": "png", "image/jpeg": "jpeg", "image/webp": "webp"}.get(sniff_mime(data) or "", fmt)
        download(data, f"{self.node_id}.{EXTENSIONS[fmt]}", MIME_TYPES[fmt])


def _makes_file(catalog: Any, type_id: str) -> bool:
    spec = catalog.get(type_id)
    return spec is not None and spec.produces_file
