"""Param widgets built only from a param's own description: slider, number, select, color, text, checkbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...core.params import Param, ParamError
from .dom import Listeners, h

# commit(value, gesture) applies a value and returns None, or the reason it was refused.
Commit = Callable[[Any, Any], "str | None"]


class Field:
    """One labelled param control. `set_value` refreshes it from the graph (unless the user is in it)."""

    def __init__(self, param: Param, value: Any, commit: Commit, listeners: Listeners, gesture_key: Any) -> None:
        self.param = param
        self.info = param.to_json()
        self.commit = commit
        self.listeners = listeners
        self.gesture = gesture_key
        self.error = h(
            "div", {"cls": "field-error", "role": "alert", "testid": f"param-error-{param.name}", "hidden": True}
        )
        self.controls = self.build(value)
        label = h("label", {"cls": "field-label", "for": f"param-{param.name}", "text": param.name.replace("_", " ")})
        help_text = h("div", {"cls": "field-help", "text": param.help}) if param.help else None
        self.el = h(
            "div",
            {"cls": f"field field-{self.info['widget']}", "data-param": param.name},
            label,
            self.controls,
            self.error,
            help_text,
        )

    # Subclasses build their controls and keep them in sync.
    def build(self, value: Any) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def apply(self, value: Any, *, sliding: bool = False) -> bool:
        reason = self.commit(value, self.gesture if sliding else None)
        self.show_error(reason)
        return reason is None

    def apply_text(self, text: str) -> bool:
        """Parse typed text with the param's own rules, then apply it."""
        try:
            value = self.param.parse_text(text)
        except ParamError as exc:
            self.show_error(str(exc))
            return False
        return self.apply(value)

    def show_error(self, reason: str | None) -> None:
        self.error.textContent = reason or ""
        self.error.hidden = reason is None
        el = getattr(self, "el", None)  # not there yet while the controls are built
        if el is not None:
            el.classList.toggle("invalid", reason is not None)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e15 else str(value)
    return "" if value is None else str(value)


NUDGE_KEYS = ("ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "PageUp", "PageDown", "Home", "End")
WIDE_RANGE = 1000  # an int slider spanning more than this (pixels) gets bounds that follow its value
MIN_SLIDER_SPAN = 256


def slider_max(value: float, low: float, high: float) -> float:
    """The slider's top for a wide pixel range: the power of two at or above twice the value (at least
    256, at most the param's max), so a drag moves in steps a person can aim (16384 px over a 200 px
    slider would jump 80 px per pixel of drag). Typing in the box takes any value up to the max."""
    top = MIN_SLIDER_SPAN
    while top < 2 * value and top < high:
        top *= 2
    return max(low + 1, min(high, top))


class NumberField(Field):
    """Exact entry as text (so a bad entry is refused with the param's reason), plus a slider
    when the param has a range. One drag of the slider, or one hold of an arrow key (on the slider
    or in the box), is one undo step."""

    def build(self, value: Any) -> Any:
        name = self.param.name
        self.entry = h(
            "input",
            {
                "id": f"param-{name}",
                "cls": "num",
                "type": "text",
                "inputmode": "decimal",
                "testid": f"param-{name}",
                "value": _fmt(value),
                "autocomplete": "off",
            },
        )
        self.listeners.on(self.entry, "change", lambda e: self.apply_text(self.entry.value))
        self.listeners.on(self.entry, "keydown", self._keydown)
        box = h("div", {"cls": "field-row"})
        self.listeners.on(self.entry, "keyup", self._keyup)
        self.listeners.on(self.entry, "blur", lambda e: self._end_gesture())
        self.slider = None
        self._held = False  # a nudge key is down on the slider: its change events do not end the step
        self._active = False  # a gesture is under way: the slider's bounds stay put until it ends
        info = self.info
        self.wide = info["type"] == "int" and info.get("max") is not None and info["max"] - info["min"] > WIDE_RANGE
        if info["widget"] == "slider":
            step = info.get("step") or (1 if info["type"] == "int" else 0.01)
            self.slider = h(
                "input",
                {
                    "type": "range",
                    "min": _fmt(info["min"]),
                    "max": _fmt(info["max"]),
                    "step": _fmt(step),
                    "value": _fmt(value),
                    "testid": f"param-{name}-slider",
                    "aria-label": name.replace("_", " "),
                },
            )
            self._rebound(value)
            self.listeners.on(self.slider, "input", lambda e: self._slide())
            # Letting go of the slider ends its undo step (a held key ends it on keyup).
            self.listeners.on(self.slider, "change", lambda e: None if self._held else self._end_gesture())
            self.listeners.on(self.slider, "keydown", self._slider_key)
            self.listeners.on(self.slider, "keyup", self._keyup)
            self.listeners.on(self.slider, "blur", lambda e: self._end_gesture())
            box.append(self.slider)
        box.append(self.entry)
        return box

    def _rebound(self, value: Any) -> None:
        if self.slider is None or not self.wide:
            return
        try:
            current = float(value)
        except (TypeError, ValueError):
            return
        top = slider_max(current, self.info["min"], self.info["max"])
        self.slider.max = _fmt(int(top))
        self.slider.value = _fmt(value)
        self.slider.title = f"{_fmt(self.info['min'])}–{_fmt(int(top))} (type any value up to {_fmt(self.info['max'])})"

    def _end_gesture(self) -> None:
        """Close the undo step of a drag or a held key, and re-fit the slider's bounds to the value."""
        self._held = self._active = False
        try:
            value = self.param.parse_text(self.entry.value)
        except ParamError:
            return
        self.commit(value, None)
        self._rebound(value)

    def _slider_key(self, event: Any) -> None:
        if event.key in NUDGE_KEYS:
            self._held = self._active = True

    def _keyup(self, event: Any) -> None:
        if event.key in NUDGE_KEYS:
            self._end_gesture()

    def _slide(self) -> None:
        self._active = True
        text = self.slider.value
        self.entry.value = text
        try:
            value = self.param.parse_text(text)
        except ParamError:
            value = self.param.coerce(float(text)) if self.info["type"] == "float" else round(float(text))
        self.apply(value, sliding=True)

    def _keydown(self, event: Any) -> None:
        # Arrow keys nudge by one step, as in a number box (shift: ten steps).
        if event.key not in ("ArrowUp", "ArrowDown"):
            if event.key == "Enter":
                self.apply_text(self.entry.value)
            return
        event.preventDefault()
        try:
            current = float(self.entry.value)
        except ValueError:
            return
        step = (self.info.get("step") or 1) * (10 if event.shiftKey else 1)
        value = current + (step if event.key == "ArrowUp" else -step)
        if self.info.get("min") is not None:
            value = max(self.info["min"], value)
        if self.info.get("max") is not None:
            value = min(self.info["max"], value)
        value = round(value) if self.info["type"] == "int" else round(value, 6)
        self.entry.value = _fmt(value)
        if self.slider is not None:
            self.slider.value = _fmt(value)
        self.apply(value, sliding=True)  # a held key repeats: one step, closed on keyup

    def set_value(self, value: Any) -> None:
        self.entry.value = _fmt(value)
        if self.slider is not None:
            self.slider.value = _fmt(value)
            if not self._active:
                self._rebound(value)
        self.show_error(None)


class SelectField(Field):
    def build(self, value: Any) -> Any:
        name = self.param.name
        self.select = h("select", {"id": f"param-{name}", "testid": f"param-{name}"})
        for choice in self.info.get("choices", []):
            self.select.append(h("option", {"value": choice, "text": choice, "selected": choice == value}))
        self.listeners.on(self.select, "change", lambda e: self.apply(self.select.value))
        return self.select

    def set_value(self, value: Any) -> None:
        self.select.value = value
        self.show_error(None)


class CheckboxField(Field):
    def build(self, value: Any) -> Any:
        name = self.param.name
        self.box = h(
            "input", {"id": f"param-{name}", "type": "checkbox", "testid": f"param-{name}", "checked": bool(value)}
        )
        self.listeners.on(self.box, "change", lambda e: self.apply(bool(self.box.checked)))
        return h("div", {"cls": "field-row"}, self.box)

    def set_value(self, value: Any) -> None:
        self.box.checked = bool(value)


class ColorField(Field):
    """A color picker for the hue, an alpha slider and a hex entry that shows and takes #rrggbb(aa)."""

    def build(self, value: Any) -> Any:
        name = self.param.name
        self.picker = h("input", {"type": "color", "aria-label": f"{name} color", "testid": f"param-{name}-picker"})
        self.alpha = h(
            "input",
            {
                "type": "range",
                "min": "0",
                "max": "255",
                "step": "1",
                "cls": "alpha",
                "aria-label": f"{name} opacity",
                "title": "Opacity",
                "testid": f"param-{name}-alpha",
            },
        )
        self.hex = h(
            "input",
            {
                "id": f"param-{name}",
                "type": "text",
                "cls": "hex",
                "testid": f"param-{name}",
                "spellcheck": "false",
                "autocomplete": "off",
                "placeholder": "none" if self.info.get("optional") else "#rrggbb",
            },
        )
        self.swatch = h("span", {"cls": "swatch"})
        self.listeners.on(self.picker, "input", lambda e: self._from_parts(sliding=True))
        self.listeners.on(self.alpha, "input", lambda e: self._from_parts(sliding=True))
        # Letting go of the picker or the opacity slider (or its key) ends that one undo step.
        self.listeners.on(self.picker, "change", lambda e: self._from_parts(sliding=False))
        self.listeners.on(self.alpha, "change", lambda e: self._from_parts(sliding=False))
        self.listeners.on(self.hex, "change", lambda e: self.apply_text(self.hex.value))
        self.listeners.on(self.hex, "keydown", lambda e: self.apply_text(self.hex.value) if e.key == "Enter" else None)
        self.set_value(value)
        return h("div", {"cls": "field-row color-row"}, self.swatch, self.picker, self.alpha, self.hex)

    def _from_parts(self, *, sliding: bool) -> None:
        alpha = int(self.alpha.value)
        value = self.picker.value.lower() + ("" if alpha == 255 else f"{alpha:02x}")
        self.hex.value = value
        self.swatch.style.background = value
        self.apply(value, sliding=sliding)

    def set_value(self, value: Any) -> None:
        text = value or ""
        self.hex.value = text
        self.picker.value = text[:7] if text else "#000000"
        self.alpha.value = str(int(text[7:9], 16)) if len(text) == 9 else "255"
        self.swatch.style.background = text or "transparent"
        self.swatch.classList.toggle("none", not text)
        self.show_error(None)


class TextField(Field):
    """One line (with suggestions from the param, as a datalist) or a multi-line text area.
    Typing applies as you go; one focus of the field is one undo step."""

    def build(self, value: Any) -> Any:
        name = self.param.name
        widget = self.info["widget"]
        if widget == "textarea":
            self.input = h(
                "textarea", {"id": f"param-{name}", "testid": f"param-{name}", "rows": "3", "spellcheck": "false"}
            )
            self.input.value = value or ""
            return self.input
        attrs = {
            "id": f"param-{name}",
            "type": "text",
            "testid": f"param-{name}",
            "value": value or "",
            "autocomplete": "off",
        }
        suggestions = self.info.get("suggestions") or []
        listing = None
        if suggestions:
            attrs["list"] = f"suggest-{name}"
            listing = h("datalist", {"id": f"suggest-{name}"}, *[h("option", {"value": s}) for s in suggestions])
        self.input = h("input", attrs)
        return h("div", {"cls": "field-row"}, self.input, listing)

    def hook(self) -> None:
        self.listeners.on(self.input, "input", lambda e: self.apply(self.input.value, sliding=True))
        self.listeners.on(self.input, "change", lambda e: self.apply(self.input.value))

    def set_value(self, value: Any) -> None:
        self.input.value = value or ""
        self.show_error(None)


WIDGETS = {
    "slider": NumberField,
    "number": NumberField,
    "select": SelectField,
    "checkbox": CheckboxField,
    "color": ColorField,
    "textarea": TextField,
    "text": TextField,
    "combo": TextField,
}


def make_field(param: Param, value: Any, commit: Commit, listeners: Listeners, gesture_key: Any) -> Field:
    cls = WIDGETS.get(param.to_json()["widget"], TextField)
    field = cls(param, value, commit, listeners, gesture_key)
    if isinstance(field, TextField):
        field.hook()
    return field
