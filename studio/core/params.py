"""Params that describe themselves: type, default, range, choices, help and the widget to show."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .colors import is_color
from .jsondata import lone_surrogate
from .quoting import quote


class ParamError(ValueError):
    """A param value is of the wrong type, out of range or not among the choices."""


@dataclass(frozen=True)
class Param:
    """Base of all params. `coerce` checks a JSON value; `parse_text` reads a command-line value."""

    name: str
    default: Any = None
    help: str = ""
    kind: ClassVar[str] = "any"
    widget: ClassVar[str] = "text"

    def coerce(self, value: Any) -> Any:
        raise NotImplementedError

    def parse_text(self, text: str) -> Any:
        return self.coerce(text)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.kind,
            "default": self.default,
            "widget": self.widget,
            "help": self.help,
        }
        out.update(self._extra_json())
        return out

    def _extra_json(self) -> dict[str, Any]:
        return {}


@dataclass(frozen=True)
class _NumberParam(Param):
    min: float | None = None
    max: float | None = None
    step: float | None = None
    slider: bool = True

    def _check_range(self, value: float) -> None:
        if self.min is not None and value < self.min:
            raise ParamError(f"must be at least {self.min}, got {quote(value)}")
        if self.max is not None and value > self.max:
            raise ParamError(f"must be at most {self.max}, got {quote(value)}")

    def _extra_json(self) -> dict[str, Any]:
        return {
            "min": self.min,
            "max": self.max,
            "step": self.step,
            "widget": "slider" if self.slider and self.min is not None and self.max is not None else "number",
        }


@dataclass(frozen=True)
class IntParam(_NumberParam):
    kind: ClassVar[str] = "int"
    widget: ClassVar[str] = "number"

    def coerce(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParamError(f"expected a whole number, got {_describe(value)}")
        if isinstance(value, float):
            if not value.is_integer():
                raise ParamError(f"expected a whole number, got {value}")
            value = int(value)
        self._check_range(value)
        return int(value)

    def parse_text(self, text: str) -> int:
        try:
            return self.coerce(int(text.strip()))
        except ValueError as exc:
            if isinstance(exc, ParamError):
                raise
            raise ParamError(f"expected a whole number, got {quote(text)}") from None


@dataclass(frozen=True)
class FloatParam(_NumberParam):
    kind: ClassVar[str] = "float"
    widget: ClassVar[str] = "number"

    def coerce(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParamError(f"expected a number, got {_describe(value)}")
        try:
            value = float(value)
        except OverflowError:  # an integer of more than 309 digits
            raise ParamError(f"expected a finite number, got {quote(value)}") from None
        if not math.isfinite(value):
            raise ParamError(f"expected a finite number, got {value}")
        self._check_range(value)
        return float(value)

    def parse_text(self, text: str) -> float:
        try:
            number = float(text.strip())
        except ValueError:
            raise ParamError(f"expected a number, got {quote(text)}") from None
        return self.coerce(number)


@dataclass(frozen=True)
class BoolParam(Param):
    kind: ClassVar[str] = "bool"
    widget: ClassVar[str] = "checkbox"

    def coerce(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise ParamError(f"expected true or false, got {_describe(value)}")
        return value

    def parse_text(self, text: str) -> bool:
        lowered = text.strip().lower()
        if lowered in ("true", "1", "yes", "on"):
            return True
        if lowered in ("false", "0", "no", "off"):
            return False
        raise ParamError(f"expected true or false, got {quote(text)}")


@dataclass(frozen=True)
class ChoiceParam(Param):
    """One of `choices`. With `depends_on`, the choices offered depend on another param's value:
    `choices_for` maps that value to its choices (e.g. the aspect ratios each AI model takes);
    a value not in the map offers all `choices`. Loading accepts any of `choices` (a workflow may
    name a choice its model does not take: `mismatch` says so, the inspector shows it)."""

    choices: tuple[str, ...] = ()
    depends_on: str = ""
    choices_for: tuple[tuple[str, tuple[str, ...]], ...] = ()
    kind: ClassVar[str] = "choice"
    widget: ClassVar[str] = "select"

    def coerce(self, value: Any) -> str:
        if value not in self.choices:
            allowed = ", ".join(self.choices)
            raise ParamError(f"must be one of {allowed}; got {_describe(value)}")
        return str(value)

    def allowed(self, params: dict[str, Any]) -> tuple[str, ...]:
        """The choices offered given the node's other params."""
        if not self.depends_on:
            return self.choices
        key = params.get(self.depends_on)
        key = key.strip().removeprefix("models/") if isinstance(key, str) else key
        return next((choices for value, choices in self.choices_for if value == key), self.choices)

    def narrowed(self, params: dict[str, Any]) -> ChoiceParam:
        """This param with only the offered choices (plus the current value, so a widget can
        show it as it is): what the inspector builds its widget from."""
        if not self.depends_on:
            return self
        offered = self.allowed(params)
        current = params.get(self.name, self.default)
        if current in self.choices and current not in offered:
            offered = (*offered, current)
        return ChoiceParam(self.name, self.default, self.help, choices=offered)

    def mismatch(self, params: dict[str, Any]) -> str | None:
        """Why the current value is not offered (naming the other param's value), or None."""
        current = params.get(self.name, self.default)
        offered = self.allowed(params)
        if not self.depends_on or current in offered:
            return None
        return f"{params.get(self.depends_on)} does not take {current}; pick one of {', '.join(offered)}"

    def _extra_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"choices": list(self.choices)}
        if self.depends_on:
            out["depends_on"] = self.depends_on
            out["choices_for"] = {value: list(choices) for value, choices in self.choices_for}
        return out


@dataclass(frozen=True)
class ColorParam(Param):
    """A `#rrggbb(aa)` color; with `optional`, null means "none" (e.g. no background band)."""

    optional: bool = False
    kind: ClassVar[str] = "color"
    widget: ClassVar[str] = "color"

    def coerce(self, value: Any) -> str | None:
        if value is None and self.optional:
            return None
        if not is_color(value):
            raise ParamError(f"expected a color like #rrggbb or #rrggbbaa, got {_describe(value)}")
        return str(value).lower()

    def parse_text(self, text: str) -> str | None:
        if self.optional and text.strip().lower() in ("", "none", "null"):
            return None
        return self.coerce(text.strip())

    def _extra_json(self) -> dict[str, Any]:
        return {"optional": self.optional}


@dataclass(frozen=True)
class TextParam(Param):
    """Free text. `suggestions` are offered by the UI but any value is accepted (e.g. model ids)."""

    multiline: bool = False
    max_length: int = 10_000
    suggestions: tuple[str, ...] = field(default=())
    kind: ClassVar[str] = "text"
    widget: ClassVar[str] = "text"

    def coerce(self, value: Any) -> str:
        if not isinstance(value, str):
            raise ParamError(f"expected text, got {_describe(value)}")
        if len(value) > self.max_length:
            raise ParamError(f"must be at most {self.max_length} characters, got {len(value)}")
        at = lone_surrogate(value)
        if at is not None:  # JSON's "\ud800" allows one; no file, clipboard or API can take it
            raise ParamError(f"has an unpaired surrogate (U+{ord(value[at]):04X}) at character {at}: not valid text")
        return value

    def _extra_json(self) -> dict[str, Any]:
        widget = "textarea" if self.multiline else ("combo" if self.suggestions else "text")
        return {"widget": widget, "max_length": self.max_length, "suggestions": list(self.suggestions)}


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return quote(value)
    return type(value).__name__.replace("dict", "an object").replace("list", "a list")
