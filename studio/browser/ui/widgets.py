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


class NumberField(Field):
    """Exact entry as text (so a bad entry is refused with the param's reason), plus a slider
    when the param has a range."""

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
        self.slider = None
        if self.info["widget"] == "slider":
            step = self.info.get("step") or (1 if self.info["type"] == "int" else 0.01)
            self.slider = h(
                "input",
                {
                    "type": "range",
                    "min": _fmt(self.info["min"]),
                    "max": _fmt(self.info["max"]),
                    "step": _fmt(step),
                    "value": _fmt(value),
                    "testid": f"param-{name}-slider",
                    "aria-label": name,
                },
            )
            self.listeners.on(self.slider, "input", lambda e: self._slide())
            # Letting go of the slider ends its undo step.
            self.listeners.on(
                self.slider, "change", lambda e: self.commit(self.param.parse_text(self.entry.value), None)
            )
            box.append(self.slider)
        box.append(self.entry)
        return box

    def _slide(self) -> None:
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
        self.apply(value)

    def set_value(self, value: Any) -> None:
        self.entry.value = _fmt(value)
        if self.slider is not None:
            self.slider.value = _fmt(value)
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
