"""Inside the engine's Web Worker (static/engine-worker.js): the canvas backend behind an EngineServer."""

from __future__ import annotations

from typing import Any

import js  # browser-only: this module lives in studio.browser
from pyodide.ffi import to_js

from ..engine.server import EngineServer
from .canvas_backend import CanvasBackend
from .canvas_surface import CanvasImage
from .ffi import is_missing


class WorkerCanvasBackend(CanvasBackend):
    async def drawable(self, image: CanvasImage) -> Any:
        """A copy the page can draw, as an ImageBitmap (transferred to the page, not copied again)."""
        return await js.createImageBitmap(image.canvas)


_server = EngineServer(WorkerCanvasBackend(), lambda obj: isinstance(obj, CanvasImage))


async def answer(data: Any, attached: Any) -> Any:
    """One call's bytes (a Uint8Array) and attached object, to [reply bytes, attached object or null]."""
    reply, out = await _server.answer(data.to_bytes(), None if is_missing(attached) else attached)
    buffer = js.Uint8Array.new(len(reply))
    buffer.assign(reply)
    return to_js([buffer, out])
