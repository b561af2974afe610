"""Small helpers the workflow loader and saver share: how a value is named, how a number is written."""

from __future__ import annotations

import re
from typing import Any

from .jsondata import lone_surrogate
from .limits import MAX_TITLE_LENGTH
from .quoting import quote

COLOR = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")


def title_problem(value: Any) -> str | None:
    """Why `value` is not a title (of a frame, or a node's own), or None."""
    if not isinstance(value, str) or len(value) > MAX_TITLE_LENGTH or lone_surrogate(value) is not None:
        return f"expected text of at most {MAX_TITLE_LENGTH} characters, got {quote(value)}"
    return None


def color_problem(value: Any) -> str | None:
    """Why `value` is not a colour like #rrggbb or #rrggbbaa, or None."""
    if not isinstance(value, str) or COLOR.fullmatch(value) is None:
        return f"expected a colour like #rrggbb or #rrggbbaa, got {quote(value)}"
    return None


def tidy_number(value: float) -> float | int:
    # Rounded first: 5e-324 was written as 0.0, then as 0 on the next save (a save must be stable).
    rounded = round(float(value), 2)
    return int(rounded) if rounded.is_integer() else rounded


def field_name(key: Any) -> str:
    """A field name for a path or message: an unknown 10 MB key is not echoed whole."""
    text = str(key)
    return text if len(text) <= 40 else text[:40] + "…"


def kind(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)
