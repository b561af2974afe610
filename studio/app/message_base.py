"""The base of every command and event: frozen records declared by their annotations alone.

`dataclasses.dataclass` writes and compiles each class's methods when it is created: for the
Studio's forty-odd messages that cost ~20 ms under CPython and ~0.1 s of the page's start in
Pyodide. These records share one set of methods instead; `dataclass_transform` tells the type
checker they behave as frozen dataclasses (keyword or positional fields, defaults, equality)."""

from __future__ import annotations

from typing import Any, ClassVar, dataclass_transform

_MISSING = object()


@dataclass_transform(frozen_default=True, eq_default=True)
class Message:
    _fields: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = [name for name in cls.__dict__.get("__annotations__", {}) if name != "_fields"]
        cls._fields = (*cls._fields, *(name for name in own if name not in cls._fields))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields = self._fields
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__} takes {len(fields)} fields, {len(args)} were given")
        values = dict(zip(fields, args, strict=False))
        for name, value in kwargs.items():
            if name not in fields or name in values:
                raise TypeError(f"{type(self).__name__}: unexpected or repeated field {name!r}")
            values[name] = value
        for name in fields:
            value = values.get(name, getattr(type(self), name, _MISSING))
            if value is _MISSING:
                raise TypeError(f"{type(self).__name__} needs {name!r}")
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._values() == self._values()

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({shown})"
