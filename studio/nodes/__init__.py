"""The node types of Pyxis Studio, gathered into a catalog."""

from __future__ import annotations

from ..core.catalog import Catalog
from . import ai, color, compose, geometry, output, sources

FIRST_WAVE = (
    sources.image_source,
    sources.solid,
    sources.gradient,
    geometry.resize,
    geometry.crop,
    geometry.rotate,
    geometry.flip,
    color.blur,
    color.sharpen,
    color.adjust,
    color.grayscale,
    color.invert,
    color.sepia,
    color.tint,
    geometry.pad,
    geometry.round_corners,
    compose.overlay,
    compose.text,
    output.export,
    ai.ai_edit,
    ai.ai_generate,
)


def default_catalog() -> Catalog:
    """A fresh catalog of every node type (checked as each registers)."""
    return Catalog(FIRST_WAVE)
