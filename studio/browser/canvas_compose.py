"""Painting and compositing on canvases: solid, gradient, round corners, overlay, text."""

from __future__ import annotations

from ..backend.protocol import BLEND_MODES, TEXT_POSITIONS
from ..core.colors import RGBA
from ..core.errors import NodeInputError
from .canvas_surface import CanvasImage, copy_of, cos_sin, css_color, finish, new_surface

# The W3C blend modes by their canvas names (normal is plain source-over).
_COMPOSITE_OPERATIONS = {
    "normal": "source-over",
    "multiply": "multiply",
    "screen": "screen",
    "overlay": "overlay",
    "darken": "darken",
    "lighten": "lighten",
}

# The font the captions use: the browser's sans-serif (engines differ in glyphs).
FONT_FAMILY = "sans-serif"


def solid(width: int, height: int, color: RGBA) -> CanvasImage:
    canvas, ctx = new_surface(width, height)
    if color[3]:
        ctx.fillStyle = css_color(color)
        ctx.fillRect(0, 0, width, height)
    return finish(canvas)


def gradient(width: int, height: int, start: RGBA, end: RGBA, degrees: float) -> CanvasImage:
    """A linear gradient whose two corner pixels farthest along (cos a, sin a) are exactly
    `start` and `end`: the gradient line runs through the centre and spans
    |(w - 1) cos a| + |(h - 1) sin a|, measured between pixel centres (as the Pillow
    backend defines it). The canvas interpolates straight (unpremultiplied) colors."""
    c, s = cos_sin(degrees)
    span = abs((width - 1) * c) + abs((height - 1) * s)
    canvas, ctx = new_surface(width, height)
    if span == 0:
        middle = tuple(int(p + (q - p) * 0.5 + 0.5) for p, q in zip(start, end, strict=False))
        ctx.fillStyle = css_color(middle)  # type: ignore[arg-type]
    else:
        cx, cy = width / 2, height / 2  # the centre, in canvas coordinates (pixel centres at +0.5)
        half = span / 2
        paint = ctx.createLinearGradient(cx - c * half, cy - s * half, cx + c * half, cy + s * half)
        paint.addColorStop(0, css_color(start))
        paint.addColorStop(1, css_color(end))
        ctx.fillStyle = paint
    ctx.fillRect(0, 0, width, height)
    return finish(canvas)


def round_corners(image: CanvasImage, radius: int) -> CanvasImage:
    """Keep the image inside an anti-aliased rounded rectangle; the corners turn clear."""
    w, h = image.size
    radius = min(radius, w // 2, h // 2)
    canvas, ctx = copy_of(image)
    if radius <= 0:
        return finish(canvas)
    ctx.globalCompositeOperation = "destination-in"
    ctx.beginPath()
    ctx.roundRect(0, 0, w, h, radius)
    ctx.fillStyle = "#000000"
    ctx.fill()
    return finish(canvas)


def overlay(base: CanvasImage, top: CanvasImage, x: int, y: int, opacity: float, blend: str) -> CanvasImage:
    """`top` drawn onto `base` at (x, y) with opacity and a W3C blend mode (the canvas
    implements the Compositing and Blending spec's formulas itself)."""
    if blend not in BLEND_MODES:
        raise NodeInputError(f"unknown blend mode {blend!r}; the modes are {', '.join(BLEND_MODES)}")
    canvas, ctx = copy_of(base)
    if opacity <= 0:
        return finish(canvas)
    ctx.imageSmoothingEnabled = False
    ctx.globalAlpha = min(1.0, opacity)
    ctx.globalCompositeOperation = _COMPOSITE_OPERATIONS[blend]
    ctx.drawImage(top.canvas, x, y)
    return finish(canvas)


def font(size: int) -> str:
    return f"{size}px {FONT_FAMILY}"


def font_metrics(ctx, size: int) -> tuple[int, int]:
    """(ascent, descent) of the context's font in whole pixels, as Pillow's getmetrics()."""
    metrics = ctx.measureText("")
    ascent = getattr(metrics, "fontBoundingBoxAscent", None)
    descent = getattr(metrics, "fontBoundingBoxDescent", None)
    if ascent is None or descent is None:  # browsers before 2023 lack the font box
        return round(size * 0.93), round(size * 0.24)  # DejaVu Sans / Arial proportions
    return round(float(ascent)), round(float(descent))


def text(
    image: CanvasImage,
    text: str,
    size: int,
    color: RGBA,
    position: str,
    background: RGBA | None,
) -> CanvasImage:
    """Lines split on newlines, each centred horizontally, laid out as the Pillow backend
    does: lines one font height (ascent + descent) apart, the block size//2 from the top or
    bottom edge (or centred), an optional band spanning the full width from size//4 above
    the block to size//4 below it, drawn first."""
    if position not in TEXT_POSITIONS:
        raise NodeInputError(f"text position must be top, center or bottom, not {position!r}")
    canvas, ctx = copy_of(image)
    if not text:
        return finish(canvas)
    lines = text.split("\n")
    ctx.font = font(size)
    ascent, descent = font_metrics(ctx, size)
    step = ascent + descent
    height = len(lines) * step
    margin = size // 2
    if position == "top":
        top = margin
    elif position == "bottom":
        top = image.height - margin - height
    else:
        top = (image.height - height) // 2
    if background is not None:
        padding = size // 4
        upper = max(0, top - padding)
        lower = min(image.height, top + height + padding)
        if upper < lower:
            ctx.fillStyle = css_color(background)
            ctx.fillRect(0, upper, image.width, lower - upper)
    ctx.fillStyle = css_color(color)
    ctx.textAlign = "center"
    ctx.textBaseline = "alphabetic"
    for index, line in enumerate(lines):
        # The ascent's top at top + index * step, as Pillow's anchor "ma" puts it.
        ctx.fillText(line, image.width / 2, top + index * step + ascent)
    return finish(canvas)
