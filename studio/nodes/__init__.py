"""The node types of Pyxis Studio, gathered into a catalog."""

from __future__ import annotations

from ..core.catalog import Catalog
from . import ai, color, compose, drawing, effects, geometry, masking, notes, output, sources, tone

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

# Issue 12: the second wave of deterministic nodes, and the note.
SECOND_WAVE = (
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
    return Catalog(FIRST_WAVE + SECOND_WAVE)
