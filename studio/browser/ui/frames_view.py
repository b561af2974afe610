"""Frames on the canvas: titled, coloured rectangles behind the nodes. Drag the title bar to move
a frame with its nodes, the corner to resize it (what lies inside is then its nodes), ▾ to
collapse it to its bar (its nodes and their wires hidden), double-click the title to rename it."""

from __future__ import annotations

from typing import Any

from ...app import events
from ...app.commands import CollapseFrame, EndGesture, MoveFrame, RemoveFrame, RenameFrame, ResizeFrame, Select
from ...app.frames import HEAD
from ...app.ports import EditError
from ...core.graph import Frame
from .canvas_input import Gesture
from .dom import Listeners, closest, h, missing
from .in_place import edit_in_place


class FramesView:
    def __init__(self, canvas: Any, app: Any, hint: Any) -> None:
        self.canvas, self.app, self.editor, self.hint = canvas, app, app.editor, hint
        self.layer = h("div", {"cls": "frames"})
        canvas.world.prepend(self.layer)  # behind the wires and the nodes
        self._els: dict[str, dict[str, Any]] = {}  # frame id -> its elements, kept across redraws
        self._listeners: dict[str, Listeners] = {}
        self._drag: dict[str, Any] | None = None
        app.on_document(self._on_change)

    def _on_change(self, change: Any) -> None:
        if change.kind == events.MOVED:
            # A node dragged (or a frame, whose nodes come along): only places change, and no
            # frame's collapse; nothing to do per node, on every pointer move of a drag.
            if self.editor.graph.frames:
                self.render(hide=False)
        elif change.kind != events.SELECTION:
            self.render()

    def render(self, *, hide: bool = True) -> None:
        """Draw every frame; with `hide`, also hide the nodes of collapsed frames and show the rest."""
        graph = self.editor.graph
        present = {frame.id for frame in graph.frames}
        for frame_id in [f for f in self._els if f not in present]:
            self._els.pop(frame_id)["el"].remove()
            self._listeners.pop(frame_id).clear()
        hidden: set[str] = set()
        for frame in graph.frames:
            parts = self._els.get(frame.id) or self._build(frame)
            self._show(frame, parts)
            if frame.collapsed:
                hidden.update(frame.nodes)
        order = [self._els[frame.id]["el"] for frame in graph.frames]  # the first at the back
        children = self.layer.children
        if [children.item(i) for i in range(children.length)] != order:
            # Only when the order differs: moving an element in the DOM ends a drag's pointer capture.
            self.layer.replaceChildren(*order)
        if not hide:
            return
        changed = False
        for node_id, view in self.canvas.views.items():
            if view.el.hidden != (node_id in hidden):
                view.el.hidden = node_id in hidden
                changed = True
        if changed:
            self.canvas.render_edges()  # wires to hidden nodes go, wires to shown ones come back

    def _build(self, frame: Frame) -> dict[str, Any]:
        fid = frame.id
        collapse = h("button", {"cls": "frame-collapse", "type": "button", "testid": f"frame-collapse-{fid}"})
        title = h("span", {"cls": "frame-title", "testid": f"frame-title-{fid}", "title": "Double-click to rename"})
        count = h("span", {"cls": "frame-count"})
        remove = h(
            "button",
            {"cls": "frame-remove", "type": "button", "text": "✕", "testid": f"frame-remove-{fid}",
             "title": "Remove the frame (its nodes stay)", "aria-label": "Remove the frame"},
        )  # fmt: skip
        head = h("div", {"cls": "frame-head", "testid": f"frame-head-{fid}"}, collapse, title, count, remove)
        corner = h("div", {"cls": "frame-resize", "testid": f"frame-resize-{fid}", "title": "Drag to resize"})
        el = h("div", {"cls": "frame", "testid": f"frame-{fid}", "data-frame": fid}, head, corner)
        listeners = self._listeners[fid] = Listeners()
        on = listeners.on
        on(collapse, "click", lambda e: self._act(lambda: self.app.send(CollapseFrame(fid))))
        on(remove, "click", lambda e: self._act(lambda: self.app.send(RemoveFrame(fid))))
        # On the bar, not the title: the bar holds the pointer while pressed, so the title never
        # gets the double-click itself.
        on(head, "dblclick", lambda e: None if closest(e.target, "button, input") else self._rename(fid, title))
        for part, mode in ((head, "move"), (corner, "resize")):
            on(part, "pointerdown", lambda e, part=part, mode=mode: self._down(e, fid, part, mode))
            on(part, "pointermove", self._move)
            on(part, "pointerup", self._up)
            on(part, "pointercancel", self._up)
        parts = {"el": el, "head": head, "title": title, "count": count, "collapse": collapse, "corner": corner}
        self._els[fid] = parts
        return parts

    @staticmethod
    def _show(frame: Frame, parts: dict[str, Any]) -> None:
        style = parts["el"].style
        style.left, style.top, style.width = f"{frame.x}px", f"{frame.y}px", f"{frame.width}px"
        style.height = f"{HEAD if frame.collapsed else frame.height}px"
        style.setProperty("--frame", frame.color)
        parts["el"].classList.toggle("collapsed", frame.collapsed)
        if missing(parts["title"].querySelector("input")):
            parts["title"].textContent = frame.title
        held = len(frame.nodes)
        parts["count"].textContent = f"{held} node{'s' if held != 1 else ''}" if frame.collapsed else ""
        parts["collapse"].textContent = "▸" if frame.collapsed else "▾"
        parts["collapse"].setAttribute("aria-expanded", "false" if frame.collapsed else "true")
        parts["collapse"].setAttribute("aria-label", "Expand the frame" if frame.collapsed else "Collapse the frame")
        parts["corner"].hidden = frame.collapsed

    def _act(self, command: Any) -> None:
        try:
            command()
        except EditError as exc:
            self.hint(str(exc))

    def _down(self, e: Any, frame_id: str, part: Any, mode: str) -> None:
        if e.button != 0:
            return
        e.stopPropagation()  # not a pan of the canvas under it (whose capture would eat a button's click)
        if closest(e.target, "button, input"):
            return
        e.preventDefault()
        part.setPointerCapture(e.pointerId)
        frame = self.editor.graph.frame(frame_id)
        self._drag = {
            "frame": frame_id, "mode": mode, "x": e.clientX, "y": e.clientY, "moved": False,
            "size": (frame.width, frame.height) if frame else (0, 0), "start": (e.clientX, e.clientY),
            "gesture": Gesture(f"frame-{mode}").key,
        }  # fmt: skip

    def _move(self, e: Any) -> None:
        drag = self._drag
        if drag is None:
            return
        zoom = self.canvas.viewport.zoom
        if drag["mode"] == "move":
            dx, dy = (e.clientX - drag["x"]) / zoom, (e.clientY - drag["y"]) / zoom
            drag["x"], drag["y"] = e.clientX, e.clientY
            if dx or dy:
                drag["moved"] = True
                self._act(lambda: self.app.send(MoveFrame(drag["frame"], dx, dy, drag["gesture"])))
        else:
            width = drag["size"][0] + (e.clientX - drag["start"][0]) / zoom
            height = drag["size"][1] + (e.clientY - drag["start"][1]) / zoom
            drag["moved"] = True
            boxes = self.canvas.boxes()
            self._act(lambda: self.app.send(ResizeFrame(drag["frame"], width, height, boxes, drag["gesture"])))

    def _up(self, e: Any) -> None:
        drag, self._drag = self._drag, None
        if drag is None:
            return
        self.app.send(EndGesture())
        frame = self.editor.graph.frame(drag["frame"])
        if drag["mode"] == "move" and not drag["moved"] and frame is not None:
            self.app.send(Select(tuple(frame.nodes)))  # a click on the bar selects what the frame holds

    def _rename(self, frame_id: str, title: Any) -> None:
        frame = self.editor.graph.frame(frame_id)
        if frame is None:
            return
        box = h("input", {"cls": "frame-title-input", "value": frame.title, "aria-label": "Frame title",
                          "testid": f"frame-title-input-{frame_id}"})  # fmt: skip

        def finish(text: str | None) -> None:
            title.textContent = frame.title
            if text is not None:
                self._act(lambda: self.app.send(RenameFrame(frame_id, text)))

        edit_in_place(title, box, self._listeners[frame_id], finish)
