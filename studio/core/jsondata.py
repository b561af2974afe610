"""Checks of free-form JSON kept in a node's `data`: depth, JSON types, finite numbers, valid text."""

from __future__ import annotations

import math
import re
from typing import Any

from .limits import MAX_DATA_DEPTH

# A lone UTF-16 surrogate: JSON's "\ud800" escape allows one, but no UTF-8 encoder does.
_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(text: str) -> int | None:
    """The index of the first unpaired surrogate code point in `text`, or None."""
    match = _SURROGATE.search(text)
    return match.start() if match else None


def json_value_problem(value: Any, path: str = "data", max_depth: int = MAX_DATA_DEPTH) -> str | None:
    """A message naming the first place where `value` is not plain JSON data within `max_depth`
    levels of nesting, or None. Walks without recursion (the value may be deep)."""
    stack: list[tuple[Any, str, int]] = [(value, path, 1)]
    while stack:
        item, where, depth = stack.pop()
        if isinstance(item, dict | list) and depth > max_depth:
            return f"{where}: nested more than {max_depth} levels deep"
        if isinstance(item, dict):
            for key, child in item.items():
                if not isinstance(key, str):
                    return f"{where}: keys must be text"
                stack.append((child, f"{where}.{_key(key)}", depth + 1))
        elif isinstance(item, list):
            stack.extend((child, f"{where}[{i}]", depth + 1) for i, child in enumerate(item))
        elif isinstance(item, str):
            at = lone_surrogate(item)
            if at is not None:
                return f"{where}: the text has an unpaired surrogate (U+{ord(item[at]):04X}) at character {at}"
        elif isinstance(item, float):
            if not math.isfinite(item):
                return f"{where}: expected a finite number"
        elif not (item is None or isinstance(item, bool | int)):
            return f"{where}: {type(item).__name__} is not JSON data"
    return None


def _key(key: str) -> str:
    return key if len(key) <= 40 and key.isidentifier() else repr(key[:40] + ("…" if len(key) > 40 else ""))
