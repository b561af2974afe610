"""Helpers shared by node bodies: size limits, colors and the standard image ports."""

from __future__ import annotations

from typing import Any

from ..backend.protocol import MAX_PIXELS, MAX_SIDE
from ..core.catalog import IMAGE, PortSpec
from ..core.colors import RGBA, parse_color
from ..core.errors import NodeInputError

Outputs = dict[str, Any]  # what a node body returns: port name -> value

IMAGE_IN = (PortSpec("image", IMAGE, help="The image to work on."),)
IMAGE_OUT = (PortSpec("image", IMAGE, help="The result."),)


def rgba(color: str) -> RGBA:
    return parse_color(color)


def ensure_size(width: int, height: int) -> None:
    """Refuse results too large to hold, with the numbers, before any pixels are made."""
    if width < 1 or height < 1:
        raise NodeInputError(f"the result would be {width} x {height} pixels; both sides must be at least 1")
    if width > MAX_SIDE or height > MAX_SIDE:
        raise NodeInputError(f"the result would be {width} x {height} pixels; no side may exceed {MAX_SIDE}")
    if width * height > MAX_PIXELS:
        megapixels = width * height / 1e6
        raise NodeInputError(
            f"the result would be {width} x {height} pixels ({megapixels:.1f} MP);"
            f" the limit is {MAX_PIXELS / 1e6:.1f} MP"
        )


# Keyword arguments of an IntParam for a side in pixels (the inspector's slider and its bounds).
SIDE: dict[str, Any] = {"min": 1, "max": MAX_SIDE, "step": 1}
