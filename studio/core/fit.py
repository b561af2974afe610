"""A picture's size fitted inside a square: the one rule thumbnails, run history and Gemini inputs share."""

from __future__ import annotations

THUMB_SIDE = 160  # px, the longer side of a node's thumbnail: encoded this small, they stay cheap


def fit_within(width: int, height: int, side: int) -> tuple[int, int] | None:
    """width x height scaled down, keeping its shape (at least 1 px a side), so that its longer side is
    `side`; None when it fits already (never enlarged)."""
    longer = max(width, height)
    if longer <= side:
        return None
    scale = side / longer
    return max(1, round(width * scale)), max(1, round(height * scale))
