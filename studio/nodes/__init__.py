"""The node types of Pyxis Studio, gathered into a catalog."""

from __future__ import annotations

from ..core.catalog import Catalog
from . import ai, color, compose, detail, drawing, effects, geometry, masking, notes, output, sources, tone

# The order is the palette's within a category: the first nodes the Studio had, then issue 12's.
BASIC_NODES = (
    sources.image_source,
    sources.solid,
    sources.gradient,
    geometry.resize,
    geometry.crop,
    geometry.rotate,
    geometry.flip,
    detail.blur,
    detail.sharpen,
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

# Issue 12's deterministic nodes, and the note.
MORE_NODES = (
    tone.threshold,
    tone.normalize,
    tone.levels,
    tone.posterize,
    effects.pixelate,
    effects.noise,
    effects.vignette,
    effects.edges,
    effects.trim,
    tone.opacity,
    tone.channel,
    masking.mask,
    masking.chroma_key,
    masking.grid,
    drawing.shapes,
    drawing.qr,
    notes.note,
)


def default_catalog() -> Catalog:
    """A fresh catalog of every node type (checked as each registers)."""
    return Catalog(BASIC_NODES + MORE_NODES)
