"""Quoting a user's value in a message: at most ~80 characters, whatever the value's size."""

from __future__ import annotations

import reprlib
from typing import Any

from .limits import QUOTE_CHARS


class _ShortRepr(reprlib.Repr):
    """reprlib with a safe int: repr() of a 5,000-digit int raises ValueError in CPython 3.11+."""

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 256:  # about 77 digits: say how big instead of printing it
            return f"a number of about {round(x.bit_length() * 0.30103):,} digits"
        return repr(x)


_REPR = _ShortRepr()
_REPR.maxlevel = 3
_REPR.maxstring = QUOTE_CHARS
_REPR.maxother = QUOTE_CHARS
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 6


def quote(value: Any, limit: int = QUOTE_CHARS) -> str:
    """repr() of `value` cut to about `limit` characters; long text says how long it was."""
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        return f"{value[:limit]!r}… ({len(value):,} characters)"
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        return _REPR.repr_int(value, 0)
    return clip(_REPR.repr(value), limit)


def clip(text: str, limit: int = QUOTE_CHARS) -> str:
    """Text cut to `limit` characters with an ellipsis (for messages built from other messages)."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"
