"""Small PNG thumbnails of AI step images for the conversation transcript, made natively."""

from __future__ import annotations

import base64
from typing import Any

import js  # browser-only
from pyodide.ffi import JsException, to_js

from ...app import ai_conversation
from ...backend.image_header import checked_header
from ...core.errors import ImageError
from ...core.fit import fit_within
from ..ffi import js_object
from .dom import report, spawn

THUMB_SIDE = 72  # px, the longer side of a step's thumbnail
THUMBS_KEPT = 48


class Thumbnails:
    """Small PNG blob URLs of step images, made natively (createImageBitmap with a resize)."""

    def __init__(self) -> None:
        self._urls: dict[str, str] = {}  # base64 text -> blob URL (the str's hash is cached by Python)

    def seed(self, b64: str | None, url: str | None) -> None:
        """Use a thumbnail made elsewhere (the run controller's, of the node's output) for this image."""
        if b64 and url and b64 not in self._urls:
            self._urls[b64] = url

    def show(self, img: Any, step: ai_conversation.Step) -> None:
        if step.image_b64:
            self.show_image(img, step.image_b64)

    def show_image(self, img: Any, b64: str) -> None:
        """A thumbnail of the picture whose base64 is `b64` (a step's result or one of its drafts)."""
        url = self._urls.get(b64)
        if url is not None:
            img.src = url
        else:
            spawn(self._make(img, b64), "AI step thumbnail")

    async def _make(self, img: Any, b64: str) -> None:
        try:
            data = base64.b64decode(b64)
            header = checked_header(data)
            width, height = fit_within(header.width, header.height, THUMB_SIDE) or (header.width, header.height)
            options = {"resizeWidth": width, "resizeHeight": height, "resizeQuality": "medium"}
            blob = js.Blob.new(js.Array.of(to_js(data)), js_object({"type": header.mime_type}))
            bitmap = await js.createImageBitmap(blob, js_object(options))
            canvas = js.OffscreenCanvas.new(bitmap.width, bitmap.height)
            canvas.getContext("2d").drawImage(bitmap, 0, 0)
            bitmap.close()
            small = await canvas.convertToBlob(js_object({"type": "image/png"}))
        except (ImageError, JsException, ValueError) as exc:
            img.alt = "(no preview)"
            report("AI step thumbnail", exc)
            return
        url = js.URL.createObjectURL(small)
        self._urls[b64] = url
        while len(self._urls) > THUMBS_KEPT:
            js.URL.revokeObjectURL(self._urls.pop(next(iter(self._urls))))
        img.src = url
