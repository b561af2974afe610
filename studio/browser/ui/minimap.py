"""The minimap (toolbar toggle and M): the whole graph in a corner of the canvas with the part on
screen outlined; click or drag on it to move the view there. Redrawn at most once a frame."""

from __future__ import annotations

from typing import Any

import js  # browser-only
from pyodide.ffi import create_proxy

from ...app import minimap
from . import storage
from .dom import Listeners, h

KEY = "pyxis.minimap"  # "on" when the person left it shown


class Minimap:
    def __init__(self, canvas: Any, app: Any) -> None:
        self.canvas, self.editor = canvas, app.editor
        self._listeners = Listeners()
        self._ratio = max(1, round(float(js.window.devicePixelRatio or 1)))
        self.surface = h("canvas", {"testid": "minimap-canvas"})
        self._size = (0, 0)  # set on each drawing from the canvas's size (minimap.map_size)
        # The theme's colours, read from elements that wear them (a canvas takes no light-dark()).
        self._swatches = {
            name: h("span", {"cls": f"map-{name}", "hidden": True}) for name in ("node", "selected", "view")
        }
        self.el = h(
            "div",
            {"cls": "minimap", "testid": "minimap", "hidden": True, "aria-label": "Minimap: click to move the view"},
            self.surface,
            *self._swatches.values(),
        )
        self._frame: minimap.MapFrame | None = None
        self._pending = False
        self._dragging = False
        self._draw_proxy = create_proxy(lambda _t: self._draw())
        self.on_toggle: list[Any] = []
        canvas.on_viewport.append(lambda v: self.redraw())
        app.on_document(lambda change: self.redraw())
        on = self._listeners.on
        on(self.surface, "pointerdown", self._down)
        on(self.surface, "pointermove", self._move)
        on(self.surface, "pointerup", self._up)
        on(self.surface, "pointercancel", self._up)
        on(js.window, "resize", lambda e: self.redraw())  # the map's size follows the canvas's
        if storage.get_text(KEY) == "on":
            self.set_shown(True)

    @property
    def shown(self) -> bool:
        return not self.el.hidden

    def toggle(self) -> None:
        self.set_shown(not self.shown)

    def set_shown(self, on: bool) -> None:
        if on:  # sized now, not on the next frame: it never shows a moment at its last window's size
            self._resize(minimap.map_size(*self.canvas.size()))
        self.el.hidden = not on
        try:
            storage.set_text(KEY, "on" if on else "off")
        except storage.StorageError:
            pass  # a full storage: the choice lasts this visit only
        for callback in list(self.on_toggle):
            callback(on)
        self.redraw()

    def redraw(self) -> None:
        """Ask for a drawing on the next frame (a drag's many moves make one drawing each frame)."""
        if self.shown and not self._pending:
            self._pending = True
            js.requestAnimationFrame(self._draw_proxy)

    def _draw(self) -> None:
        self._pending = False
        view_w, view_h = self.canvas.size()
        map_w, map_h = self._resize(minimap.map_size(view_w, view_h))
        visible = minimap.visible_area(self.canvas.viewport, view_w, view_h)
        boxes = self.canvas.boxes()
        frame = self._frame = minimap.map_frame(list(boxes.values()), visible, map_w, map_h)
        ctx = self.surface.getContext("2d")
        ctx.setTransform(self._ratio, 0, 0, self._ratio, 0, 0)
        ctx.clearRect(0, 0, map_w, map_h)
        colour = {name: js.getComputedStyle(el).backgroundColor for name, el in self._swatches.items()}
        selected = set(self.editor.selection.nodes)
        for node_id, box in boxes.items():
            x, y, w, h_ = frame.rect(box)
            ctx.fillStyle = colour["selected" if node_id in selected else "node"]
            ctx.fillRect(x, y, max(w, 1.5), max(h_, 1.5))
        x, y, w, h_ = frame.rect(visible)
        ctx.strokeStyle = colour["view"]
        ctx.lineWidth = 1.5
        ctx.strokeRect(x, y, w, h_)
        # What it drew, for a test: the node count and the view's outline in map pixels.
        self.el.dataset.nodes = str(len(boxes))
        self.el.dataset.view = ",".join(str(round(v)) for v in (x, y, w, h_))

    def _resize(self, size: tuple[int, int]) -> tuple[int, int]:
        if size != self._size:
            self._size = size
            self.surface.width, self.surface.height = size[0] * self._ratio, size[1] * self._ratio
            self.surface.style.width, self.surface.style.height = f"{size[0]}px", f"{size[1]}px"
        return size

    def _go(self, e: Any) -> None:
        if self._frame is None:
            self._draw()
        rect = self.surface.getBoundingClientRect()
        gx, gy = self._frame.to_graph(e.clientX - rect.left, e.clientY - rect.top)
        view_w, view_h = self.canvas.size()
        minimap.centre_on(self.canvas.viewport, gx, gy, view_w, view_h)
        self.canvas.apply_viewport()

    def _down(self, e: Any) -> None:
        if e.button != 0:
            return
        e.preventDefault()
        e.stopPropagation()  # not a pan or a box selection of the canvas under it
        self._dragging = True
        self.surface.setPointerCapture(e.pointerId)
        self._go(e)

    def _move(self, e: Any) -> None:
        if self._dragging:
            self._go(e)

    def _up(self, e: Any) -> None:
        self._dragging = False
