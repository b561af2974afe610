"""Decoding image files into canvases (createImageBitmap) and encoding canvases (convertToBlob)."""

from __future__ import annotations

from typing import Any

import js  # browser-only: this module lives in studio.browser
from pyodide.ffi import JsException, to_js

from ..backend.image_header import checked_header
from ..backend.plain_png import HEAD, is_plain_png
from ..backend.protocol import ENCODE_FORMATS
from ..core.errors import ImageError
from . import predecode
from .canvas_surface import CanvasImage, js_object, new_surface

MIME_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}

# Straight pixels as stored in the file: EXIF orientation applied, no color management
# (Pillow applies no ICC profile either) and no premultiplication before we draw.
_BITMAP_OPTIONS = {"imageOrientation": "from-image", "premultiplyAlpha": "none", "colorSpaceConversion": "none"}
# A plain PNG (opaque, no colour information: backend/plain_png.py) gives the same pixels with the
# browser's defaults, decoded about a fifth faster.
_PLAIN_OPTIONS = {"imageOrientation": "from-image"}


async def decode(data: bytes) -> CanvasImage:
    """File bytes to a canvas. The size is read from the header first, so that a
    decompression bomb is refused before the browser spends memory on it."""
    data = bytes(data)
    header = checked_header(data)
    bitmap = await predecode.bitmap_of(data)  # a Gemini answer's picture, decoding since it arrived
    if bitmap is not None:
        return CanvasImage(bitmap, int(bitmap.width), int(bitmap.height))
    blob = js.Blob.new(js.Array.of(to_js(data)), js_object({"type": header.mime_type}))
    return await decode_blob(blob, header.format, plain=header.format == "png" and is_plain_png(data[:HEAD]))


_begin: Any = None


def begin_decoding(blob: Any, *, plain: bool = False) -> Any:
    """The browser's decoding of a PNG Blob (its header checked already), begun now, before this
    task ends: a Promise of its ImageBitmap, or of null when the browser cannot decode it."""
    global _begin
    if _begin is None:
        _begin = js.Function.new("blob", "options", "return createImageBitmap(blob, options).catch(() => null);")
    return _begin(blob, js_object(_PLAIN_OPTIONS if plain else _BITMAP_OPTIONS))


async def decode_blob(blob: Any, format: str, *, plain: bool = False) -> CanvasImage:
    """A file's Blob (its header checked already) to a canvas handle; `plain`: a plain PNG."""
    try:
        bitmap = await js.createImageBitmap(blob, js_object(_PLAIN_OPTIONS if plain else _BITMAP_OPTIONS))
    except JsException:
        # The browser says only "The source image could not be decoded": name the format.
        raise ImageError(
            f"the image file is damaged (the browser could not decode this {format.upper()} file)"
        ) from None
    # The bitmap is the handle's pixels as they are: every operation only draws from it
    # (drawImage and patterns take an ImageBitmap as they take a canvas); encode copies it into
    # a canvas when it needs one. No full-size copy at decode.
    return CanvasImage(bitmap, int(bitmap.width), int(bitmap.height))


# The browser's quick shrink (medium quality: high-quality resampling of a 4K picture took most of
# the time) and its PNG, in one JavaScript step: Python waits once, not once per promise.
_SHRUNK_PNG = """
return async function shrunkPng(source, width, height) {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingQuality = 'medium';
  ctx.drawImage(source, 0, 0, width, height);
  const blob = await canvas.convertToBlob({type: 'image/png'});
  return new Uint8Array(await blob.arrayBuffer());
};
"""
_shrunk_png: Any = None


async def shrunk_png(image: CanvasImage, width: int, height: int) -> bytes:
    """The picture drawn at width x height (a thumbnail), as PNG bytes."""
    global _shrunk_png
    if _shrunk_png is None:
        _shrunk_png = js.Function.new(_SHRUNK_PNG)()
    try:
        return (await _shrunk_png(image.canvas, width, height)).to_bytes()  # type: ignore[no-any-return]
    except JsException as exc:
        raise ImageError(f"could not make a thumbnail ({_js_message(exc)})") from None


async def encode(image: CanvasImage, format: str, quality: int) -> bytes:
    """PNG, JPEG (flattened onto white, as Pillow does) or WebP bytes."""
    name = format.lower() if isinstance(format, str) else format
    if name not in ENCODE_FORMATS:
        raise ImageError(f"cannot save as {format!r}: the formats are png, jpeg and webp")
    quality = min(100, max(1, int(round(quality))))
    canvas = image.canvas
    if name != "jpeg" and not hasattr(canvas, "convertToBlob"):
        # A decoded file's handle is an ImageBitmap: copy it onto a canvas to encode it.
        canvas, ctx = new_surface(image.width, image.height)
        ctx.drawImage(image.canvas, 0, 0)
    if name == "jpeg":
        canvas, ctx = new_surface(image.width, image.height)
        ctx.fillStyle = "#ffffff"
        ctx.fillRect(0, 0, image.width, image.height)
        ctx.drawImage(image.canvas, 0, 0)
    options = {"type": MIME_TYPES[name]}
    if name != "png":
        options["quality"] = quality / 100
    try:
        blob = await canvas.convertToBlob(js_object(options))
        buffer = await blob.arrayBuffer()
    except JsException as exc:
        raise ImageError(f"could not save the image as {name.upper()} ({_js_message(exc)})") from None
    if blob.type != MIME_TYPES[name]:
        # Browsers fall back to PNG for a type they cannot write.
        raise ImageError(f"this browser cannot save {name.upper()} files")
    return js.Uint8Array.new(buffer).to_bytes()


def _js_message(exc: JsException) -> str:
    text = str(exc).strip()
    return text.splitlines()[-1] if text else type(exc).__name__
