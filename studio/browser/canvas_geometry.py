"""Operations that move pixels on canvases: resize, crop, flip, rotate, pad, edge extension."""

from __future__ import annotations

from typing import Any

import js  # browser-only: this module lives in studio.browser

from ..core.colors import RGBA
from ..core.errors import NodeInputError
from .canvas_surface import CanvasImage, copy_of, cos_sin, css_color, finish, new_surface


def resize(image: CanvasImage, width: int, height: int) -> CanvasImage:
    """A stretch with the browser's high-quality resampling (mipmapped when shrinking)."""
    if (width, height) == image.size:
        return finish(copy_of(image)[0])
    canvas, ctx = new_surface(width, height)
    ctx.imageSmoothingEnabled = True
    ctx.imageSmoothingQuality = "high"
    ctx.drawImage(image.canvas, 0, 0, width, height)
    return finish(canvas)


def crop(image: CanvasImage, x: int, y: int, width: int, height: int) -> CanvasImage:
    canvas, ctx = new_surface(width, height)
    ctx.imageSmoothingEnabled = False
    ctx.drawImage(image.canvas, x, y, width, height, 0, 0, width, height)
    return finish(canvas)


def flip(image: CanvasImage, axis: str) -> CanvasImage:
    if axis not in ("horizontal", "vertical"):
        raise NodeInputError(f"flip axis must be 'horizontal' or 'vertical', not {axis!r}")
    canvas, ctx = new_surface(image.width, image.height)
    ctx.imageSmoothingEnabled = False
    if axis == "horizontal":
        ctx.setTransform(-1, 0, 0, 1, image.width, 0)
    else:
        ctx.setTransform(1, 0, 0, -1, 0, image.height)
    ctx.drawImage(image.canvas, 0, 0)
    return finish(canvas)


def pad(image: CanvasImage, top: int, right: int, bottom: int, left: int, color: RGBA) -> CanvasImage:
    """Borders of `color`; the image's own pixels are copied as they are, not composited."""
    canvas, ctx = new_surface(image.width + left + right, image.height + top + bottom)
    ctx.fillStyle = css_color(color)
    ctx.fillRect(0, 0, canvas.width, canvas.height)
    ctx.clearRect(left, top, image.width, image.height)
    ctx.imageSmoothingEnabled = False
    ctx.drawImage(image.canvas, left, top)
    return finish(canvas)


def rotated_size(width: int, height: int, degrees: float) -> tuple[int, int]:
    """round(|w cos| + |h sin|) x round(|w sin| + |h cos|), as the protocol defines it."""
    c, s = cos_sin(degrees)
    return (
        max(1, round(abs(width * c) + abs(height * s))),
        max(1, round(abs(width * s) + abs(height * c))),
    )


def rotate(image: CanvasImage, degrees: float, expand: bool, fill: RGBA) -> CanvasImage:
    """Clockwise about the centre (the canvas's y points down, so a positive canvas angle
    turns clockwise). Bilinear, anti-aliased edges; uncovered pixels get `fill`."""
    w, h = image.size
    out_w, out_h = rotated_size(w, h, degrees) if expand else (w, h)
    c, s = cos_sin(degrees)
    # Source (x, y) -> (c (x - w/2) - s (y - h/2) + W/2, s (x - w/2) + c (y - h/2) + H/2).
    e = out_w / 2 - c * w / 2 + s * h / 2
    f = out_h / 2 - s * w / 2 - c * h / 2
    quarter_turn = c in (0.0, 1.0, -1.0) and s in (0.0, 1.0, -1.0)
    on_grid = quarter_turn and float(e).is_integer() and float(f).is_integer()
    canvas, ctx = new_surface(out_w, out_h)
    if on_grid:
        # Every pixel lands on a pixel: a pure permutation, copied exactly.
        ctx.imageSmoothingEnabled = False
        ctx.setTransform(c, s, -s, c, e, f)
        ctx.drawImage(image.canvas, 0, 0)
        return finish(canvas)
    if fill[3]:
        # "Uncovered gets fill", not "fill shows through": the fill is cut out where the
        # turned rectangle covers it (partially along its anti-aliased edge) and the image
        # is added on top, so a pixel is coverage x image + (1 - coverage) x fill.
        ctx.fillStyle = css_color(fill)
        ctx.fillRect(0, 0, out_w, out_h)
        ctx.setTransform(c, s, -s, c, e, f)
        ctx.globalCompositeOperation = "destination-out"
        ctx.fillStyle = "#000000"
        ctx.fillRect(0, 0, w, h)
        ctx.globalCompositeOperation = "lighter"
    else:
        ctx.setTransform(c, s, -s, c, e, f)
    # The canvas's clip() is not anti-aliased, but filling a path is: the turned rectangle is
    # filled with a pattern of the image, whose edge pixels are repeated one pixel outward so
    # that bilinear sampling never mixes in transparent black at the edge.
    pattern = ctx.createPattern(extend_edges(image, 1), "no-repeat")
    pattern.setTransform(js.DOMMatrix.new().translate(-1, -1))
    ctx.fillStyle = pattern
    ctx.imageSmoothingEnabled = True
    ctx.imageSmoothingQuality = "low"  # bilinear, as the protocol says
    ctx.fillRect(0, 0, w, h)
    return finish(canvas)


def extend_edges(image: CanvasImage, border: int) -> Any:
    """A canvas `border` px larger on each side, the outermost pixels repeated outward."""
    w, h = image.size
    n = border
    canvas, ctx = new_surface(w + 2 * n, h + 2 * n)
    ctx.imageSmoothingEnabled = False
    src = image.canvas
    ctx.drawImage(src, n, n)
    # Edge rows and columns stretched outward (nearest: each strip is one pixel deep).
    ctx.drawImage(src, 0, 0, w, 1, n, 0, w, n)
    ctx.drawImage(src, 0, h - 1, w, 1, n, n + h, w, n)
    ctx.drawImage(src, 0, 0, 1, h, 0, n, n, h)
    ctx.drawImage(src, w - 1, 0, 1, h, n + w, n, n, h)
    # Corners: the corner pixel blown up.
    ctx.drawImage(src, 0, 0, 1, 1, 0, 0, n, n)
    ctx.drawImage(src, w - 1, 0, 1, 1, n + w, 0, n, n)
    ctx.drawImage(src, 0, h - 1, 1, 1, 0, n + h, n, n)
    ctx.drawImage(src, w - 1, h - 1, 1, 1, n + w, n + h, n, n)
    return canvas
