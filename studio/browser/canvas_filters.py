"""Filters on canvases: CSS filter functions, Gaussian blur with extended edges, and the 3x3
sharpen kernel (WebGL2 where there is WebGL2, else an SVG feConvolveMatrix).

CSS shorthand filters work in sRGB (what the protocol asks for). The canvas stores
premultiplied pixels; the browser's color filters unpremultiply, apply the matrix and
premultiply again, so they act on RGB and keep alpha.
"""

from __future__ import annotations

import itertools
import math

import js  # browser-only: this module lives in studio.browser

from ..core.colors import RGBA
from ..core.errors import ImageError
from . import canvas_webgl
from .canvas_geometry import extend_edges
from .canvas_surface import CanvasImage, context, css_rgb, finish, is_missing, new_surface

# Beyond three standard deviations a Gaussian's weights are below 0.5 %: padding that far
# with edge pixels makes the edges behave as if the image went on forever.
_SIGMAS_OF_PADDING = 3

_SVG_NS = "http://www.w3.org/2000/svg"
_SVG_HOST_ID = "pyxis-canvas-filters"
_filter_ids = itertools.count(1)


def filtered(image: CanvasImage, css_filter: str) -> CanvasImage:
    """The image drawn once through a CSS `filter` string (e.g. "grayscale(1)")."""
    canvas, ctx = new_surface(image.width, image.height)
    ctx.filter = css_filter
    ctx.drawImage(image.canvas, 0, 0)
    return finish(canvas)


def adjust_filter(brightness: float, contrast: float, saturation: float, hue: float) -> str:
    """CSS `brightness(b) contrast(c) saturate(s) hue-rotate(h deg)`, leaving out the
    functions that would change nothing."""
    parts = []
    if brightness != 1:
        parts.append(f"brightness({_number(brightness)})")
    if contrast != 1:
        parts.append(f"contrast({_number(contrast)})")
    if saturation != 1:
        parts.append(f"saturate({_number(saturation)})")
    if hue % 360 != 0:
        parts.append(f"hue-rotate({_number(hue)}deg)")
    return " ".join(parts) or "none"


def blur(image: CanvasImage, radius: float) -> CanvasImage:
    """Gaussian blur (standard deviation `radius`) with the edge pixels extended outward.

    CSS blur() treats the outside as transparent, which would fade the edges; blurring a
    copy padded with repeated edge pixels and cutting the middle back out avoids that.
    """
    if radius <= 0:
        return filtered(image, "none")
    border = math.ceil(_SIGMAS_OF_PADDING * radius) + 1
    padded = extend_edges(image, border)
    canvas, ctx = new_surface(image.width, image.height)
    ctx.filter = f"blur({_number(radius)}px)"
    ctx.drawImage(padded, -border, -border)
    return finish(canvas)


def tint(image: CanvasImage, color: RGBA, amount: float) -> CanvasImage:
    """RGB mixed toward color's RGB by amount x alpha/255; alpha kept.

    source-atop gives co = cs x as x ab + cb x ab x (1 - as) with ab unchanged, which with
    as = the weight is exactly the straight mix cs x w + cb x (1 - w).
    """
    weight = min(1.0, max(0.0, amount * color[3] / 255))
    canvas, ctx = new_surface(image.width, image.height)
    ctx.drawImage(image.canvas, 0, 0)
    ctx.globalCompositeOperation = "source-atop"
    ctx.globalAlpha = weight
    ctx.fillStyle = css_rgb(color)
    ctx.fillRect(0, 0, image.width, image.height)
    return finish(canvas)


def sharpen(image: CanvasImage, amount: float) -> CanvasImage:
    """[[0,-a,0],[-a,1+4a,-a],[0,-a,0]] on straight RGB, edges duplicated, alpha kept.

    A WebGL2 shader (canvas_webgl) when the browser has WebGL2; otherwise the SVG path below.
    The 2D canvas has no convolution of its own, but a DOM canvas can be filtered through
    an SVG filter in the document: feConvolveMatrix with edgeMode="duplicate" (edges
    extended) and preserveAlpha="true" (which also makes it work on unpremultiplied
    colors), in sRGB rather than SVG's default linearRGB. OffscreenCanvas cannot resolve
    url() filters, hence the DOM canvas; the result is copied back to an OffscreenCanvas.
    """
    done = canvas_webgl.sharpen(image, amount)
    if done is not None:
        return done
    w, h = image.size
    a = amount
    kernel = (0, -a, 0, -a, 1 + 4 * a, -a, 0, -a, 0)
    filter_id = _convolve_filter(kernel, w, h)
    try:
        dom = js.document.createElement("canvas")
        dom.width, dom.height = w, h
        ctx = context(dom)
        ctx.filter = f"url(#{filter_id})"
        ctx.drawImage(image.canvas, 0, 0)
        canvas, out = new_surface(w, h)
        out.drawImage(dom, 0, 0)
        # Release the DOM canvas's pixels now rather than at the next garbage collection.
        dom.width = dom.height = 0
    finally:
        filter_node = js.document.getElementById(filter_id)
        if not is_missing(filter_node):
            filter_node.remove()
    return finish(canvas)


def _convolve_filter(kernel: tuple[float, ...], width: int, height: int) -> str:
    """Add a one-off <filter> holding the 3x3 kernel to the hidden SVG; returns its id."""
    doc = getattr(js, "document", None)
    if is_missing(doc):
        raise ImageError("sharpening needs the page's document (it is not available in a worker)")
    host = doc.getElementById(_SVG_HOST_ID)
    if is_missing(host):
        host = doc.createElementNS(_SVG_NS, "svg")
        host.id = _SVG_HOST_ID
        host.setAttribute("aria-hidden", "true")
        host.setAttribute("width", "0")
        host.setAttribute("height", "0")
        host.setAttribute("style", "position:absolute;width:0;height:0;overflow:hidden")
        doc.body.appendChild(host)
    filter_id = f"pyxis-convolve-{next(_filter_ids)}"
    node = doc.createElementNS(_SVG_NS, "filter")
    _attributes(
        node,
        {
            "id": filter_id,
            "filterUnits": "userSpaceOnUse",  # the region in canvas pixels: exactly the image
            "x": "0",
            "y": "0",
            "width": str(width),
            "height": str(height),
            "color-interpolation-filters": "sRGB",
        },
    )
    matrix = doc.createElementNS(_SVG_NS, "feConvolveMatrix")
    _attributes(
        matrix,
        {
            "order": "3",
            "kernelMatrix": " ".join(_number(v) for v in kernel),
            "divisor": "1",
            "bias": "0",
            "edgeMode": "duplicate",
            "preserveAlpha": "true",
        },
    )
    node.appendChild(matrix)
    host.appendChild(node)
    return filter_id


def _attributes(element, values: dict[str, str]) -> None:
    for name, value in values.items():
        element.setAttribute(name, value)


def _number(value: float) -> str:
    """A float as CSS/SVG number text, without exponent notation (which CSS rejects)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
