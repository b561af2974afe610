"""Small helpers the workflow loader and saver share: how a value is named, how a number is written."""

from __future__ import annotations

from typing import Any


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
