"""Canvas image handles and the helpers every canvas operation shares (contexts, colors)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import js  # browser-only: this module lives in studio.browser
from pyodide.ffi import JsException

from ..core.colors import RGBA
from ..core.errors import ImageError
from .ffi import is_missing, js_object  # noqa: F401  (re-exported to the canvas modules)

# Nothing here reads pixels back with getImageData, so the canvases may stay on the browser's
# fast (GPU, where there is one) drawing path.
_CONTEXT_OPTIONS = {"alpha": True, "willReadFrequently": False}

# Multiples of 90 degrees within this are treated as exact (floats from a slider).
RIGHT_ANGLE_TOLERANCE = 1e-9


@dataclass(frozen=True, eq=False)
class CanvasImage:
    """An opaque handle: an OffscreenCanvas that nothing draws on after it is returned, or the
    ImageBitmap a file decoded to. Either is only ever drawn from (a drawImage source)."""

    canvas: Any
    width: int
    height: int

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)


def new_surface(width: int, height: int) -> tuple[Any, Any]:
    """A fresh transparent OffscreenCanvas and its 2D context."""
    try:
        canvas = js.OffscreenCanvas.new(width, height)
    except JsException:
        raise ImageError(f"the browser could not make a {width} x {height} canvas (not enough memory?)") from None
    return canvas, context(canvas)


def context(canvas: Any) -> Any:
    try:
        ctx = canvas.getContext("2d", js_object(_CONTEXT_OPTIONS))
    except JsException:
        ctx = None
    if is_missing(ctx):
        raise ImageError(f"the browser could not make a {canvas.width} x {canvas.height} canvas (not enough memory?)")
    return ctx


def finish(canvas: Any) -> CanvasImage:
    return CanvasImage(canvas, int(canvas.width), int(canvas.height))


def css_color(color: RGBA) -> str:
    """An rgba() string that the canvas turns back into exactly these 8-bit values."""
    r, g, b, a = color
    return f"rgba({r}, {g}, {b}, {a / 255!r})"


def css_rgb(color: RGBA) -> str:
    r, g, b, _ = color
    return f"rgb({r}, {g}, {b})"


def copy_of(image: CanvasImage) -> tuple[Any, Any]:
    """A new surface holding the image's pixels unchanged (drawn 1:1, no smoothing)."""
    canvas, ctx = new_surface(image.width, image.height)
    ctx.imageSmoothingEnabled = False
    ctx.drawImage(image.canvas, 0, 0)
    ctx.imageSmoothingEnabled = True
    return canvas, ctx


def cos_sin(degrees: float) -> tuple[float, float]:
    """cos and sin of an angle in degrees, exactly 0 or +-1 at multiples of 90."""
    quarter = round(degrees / 90)
    if abs(degrees - quarter * 90) < RIGHT_ANGLE_TOLERANCE:
        return ((1.0, 0.0), (0.0, 1.0), (-1.0, 0.0), (0.0, -1.0))[quarter % 4]
    radians = math.radians(degrees)
    return math.cos(radians), math.sin(radians)
