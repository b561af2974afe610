"""Parsing and formatting of `#rrggbb` / `#rrggbbaa` colors."""

from __future__ import annotations

import re

from .quoting import quote

RGBA = tuple[int, int, int, int]

# Matched whole (fullmatch): with `$`, "#ff0000\n" passed and the node then failed.
_HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})")


def is_color(text: object) -> bool:
    return isinstance(text, str) and _HEX.fullmatch(text) is not None


def parse_color(text: str) -> RGBA:
    """`#rrggbb` or `#rrggbbaa` to an (r, g, b, a) tuple of 0..255; raises ValueError otherwise."""
    if not is_color(text):
        raise ValueError(f"expected a color like #rrggbb or #rrggbbaa, got {quote(text)}")
    digits = text[1:]
    if len(digits) == 6:
        digits += "ff"
    r, g, b, a = (int(digits[i : i + 2], 16) for i in range(0, 8, 2))
    return (r, g, b, a)
