"""Compare two results: a dialog with a picker per side, a slider or side by side, labels, and what differs.

What can be compared is a list of `Pick`s (studio/app/compare.py), built by whoever opens the
dialog: the run history of an output node and the steps of an AI node (run_history_strip.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ...app.compare import Pick, what_differs
from ...app.viewport import Viewport
from ..drawn import paint_pictures
from .dom import Listeners, h, report, spawn

SLIDER, SIDE = "slider", "side"


class CompareDialog:
    def __init__(self, backend_of: Callable[[], Any]) -> None:
        self._backend_of = backend_of
        self._listeners = Listeners()
        on = self._listeners.on
        self.picks: list[Pick] = []
        self.mode = SLIDER
        self._loads = 0  # a newer choice wins over a slower, older load
        self.title = h("h2", {"text": "Compare"})
        close = h(
            "button",
            {"cls": "icon-btn", "type": "button", "text": "✕", "aria-label": "Close", "testid": "compare-close"},
        )
        self.choose = [
            h("select", {"testid": "compare-a", "aria-label": "Left picture"}),
            h("select", {"testid": "compare-b", "aria-label": "Right picture"}),
        ]
        self.modes = {
            mode: h(
                "button",
                {
                    "cls": "btn",
                    "type": "button",
                    "text": text,
                    "testid": f"compare-mode-{mode}",
                    "aria-pressed": "false",
                },
            )  # fmt: skip
            for mode, text in ((SLIDER, "Slider"), (SIDE, "Side by side"))
        }
        self.canvases = [h("canvas", {"width": "0", "height": "0", "testid": f"compare-image-{s}"}) for s in "ab"]
        # Labels sit on the stage, not in the panes: the slider's clip must never cut them.
        self.labels = [h("div", {"cls": f"compare-label {s}", "testid": f"compare-label-{s}"}) for s in "ab"]
        self.panes = [
            h("div", {"cls": f"compare-pane {s}"}, canvas) for s, canvas in zip("ab", self.canvases, strict=True)
        ]
        self.stage = h(
            "div",
            {"cls": "compare-stage", "testid": "compare-stage",
             "title": "Wheel to zoom both sides, drag to pan, double-click to fit"},
            *self.panes,
            *self.labels,
        )  # fmt: skip
        # One zoom and pan for both sides, so the same detail sits under the same spot.
        self.view = Viewport(min_zoom=1.0, max_zoom=32.0)
        self._drag: tuple[float, float, float, float] | None = None
        self.range = h(
            "input",
            {"type": "range", "min": "0", "max": "100", "value": "50", "cls": "compare-range",
             "testid": "compare-range", "aria-label": "Left and right"},
        )  # fmt: skip
        self.diff = h("ul", {"cls": "compare-diff", "testid": "compare-diff", "aria-label": "What differs"})
        self.el = h(
            "dialog",
            {"cls": "dialog compare-dialog", "testid": "compare-dialog", "aria-label": "Compare"},
            h("div", {"cls": "dialog-head"}, self.title, close),
            h(
                "div",
                {"cls": "compare-bar"},
                h("label", {"cls": "compare-pick"}, h("span", {"text": "Left"}), self.choose[0]),
                h("label", {"cls": "compare-pick"}, h("span", {"text": "Right"}), self.choose[1]),
                h("span", {"cls": "spacer"}),
                h("div", {"cls": "segmented", "role": "group", "aria-label": "How"}, *self.modes.values()),
            ),
            self.stage,
            self.range,
            self.diff,
        )
        on(close, "click", lambda e: self.close())
        for select in self.choose:
            on(select, "change", lambda e: spawn(self._show(), "compare"))
        for mode, button in self.modes.items():
            on(button, "click", lambda e, mode=mode: self.set_mode(mode))
        on(self.range, "input", lambda e: self._clip())
        on(self.stage, "wheel", self._wheel, passive=False)
        on(self.stage, "pointerdown", self._down)
        on(self.stage, "pointermove", self._move)
        on(self.stage, "pointerup", self._up)
        on(self.stage, "dblclick", lambda e: self._zoom_to(1.0))

    def open(self, title: str, picks: list[Pick], left: str, right: str) -> None:
        """Show `left` against `right` (keys of picks); the pickers offer every pick."""
        self.picks = picks
        self.title.textContent = title
        for select, chosen in zip(self.choose, (left, right), strict=True):
            select.replaceChildren(
                *[h("option", {"value": p.key, "text": f"{p.label} — {p.caption}", "selected": p.key == chosen})
                  for p in picks]
            )  # fmt: skip
            select.value = chosen
        self.set_mode(self.mode)
        self._zoom_to(1.0)
        if not self.el.open:
            self.el.showModal()
        spawn(self._show(), "compare")

    def close(self) -> None:
        if self.el.open:
            self.el.close()
        for canvas in self.canvases:
            canvas.width = canvas.height = 0  # let go of two full-size pictures

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.stage.classList.toggle("side", mode == SIDE)
        self.range.hidden = mode != SLIDER
        for key, button in self.modes.items():
            button.setAttribute("aria-pressed", "true" if key == mode else "false")
            button.classList.toggle("active", key == mode)
        self._clip()

    def _clip(self) -> None:
        # Slider: the left picture shows left of the handle, the right one beyond it.
        cut = 100 - int(self.range.value) if self.mode == SLIDER else 0
        self.panes[0].style.clipPath = f"inset(0 {cut}% 0 0)" if self.mode == SLIDER else ""

    # --- zoom and pan, both sides at once ---

    def _zoom_to(self, zoom: float, at: tuple[float, float] = (0.0, 0.0)) -> None:
        self.view.zoom_at(at[0], at[1], zoom / self.view.zoom)
        if self.view.zoom <= 1.0:
            self.view.x = self.view.y = 0.0
        v = self.view
        for canvas in self.canvases:
            canvas.style.transform = f"translate({v.x}px, {v.y}px) scale({v.zoom})"
        self.stage.classList.toggle("pixelated", v.zoom > 2)

    def _wheel(self, e: Any) -> None:
        e.preventDefault()
        pane = self.panes[1 if self.mode == SIDE and _inside(self.panes[1], e) else 0]
        rect = pane.getBoundingClientRect()
        factor = math.exp(-e.deltaY * 0.0015)
        self._zoom_to(self.view.zoom * factor, (e.clientX - rect.left, e.clientY - rect.top))

    def _down(self, e: Any) -> None:
        if self.view.zoom > 1.0:
            self._drag = (e.clientX, e.clientY, self.view.x, self.view.y)
            self.stage.setPointerCapture(e.pointerId)

    def _move(self, e: Any) -> None:
        if self._drag is not None:
            sx, sy, vx, vy = self._drag
            self.view.x, self.view.y = vx + e.clientX - sx, vy + e.clientY - sy
            self._zoom_to(self.view.zoom)

    def _up(self, e: Any) -> None:
        self._drag = None

    def _pick(self, key: str) -> Pick | None:
        return next((p for p in self.picks if p.key == key), None)

    async def _show(self) -> None:
        self._loads += 1
        ticket = self._loads
        chosen = [self._pick(str(select.value)) for select in self.choose]
        self.el.dataset.loaded = "false"
        images = []
        for pick in chosen:
            try:
                images.append(await pick.load() if pick is not None else None)
            except Exception as exc:  # a damaged stored picture: say so on its side, show the other
                report("compare", exc)
                images.append(None)
        if ticket != self._loads:
            return
        backend = self._backend_of()
        if not await paint_pictures(
            backend, list(zip(self.canvases, images, strict=True)), lambda: ticket == self._loads
        ):
            return
        for label, pick, image in zip(self.labels, chosen, images, strict=True):
            size = "{} × {} px".format(*backend.size(image)) if image is not None else "picture not kept"
            label.textContent = f"{pick.label} · {size}" if pick else ""
            label.title = pick.caption if pick else ""
        self.diff.replaceChildren(*[h("li", {"text": line}) for line in what_differs(*chosen)])
        self.el.dataset.loaded = "true"


def _inside(el: Any, e: Any) -> bool:
    rect = el.getBoundingClientRect()
    return bool(rect.left <= e.clientX <= rect.right and rect.top <= e.clientY <= rect.bottom)
