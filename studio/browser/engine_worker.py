"""Inside the engine's Web Worker (static/engine-worker.js): the canvas backend behind an EngineServer."""

from __future__ import annotations

from typing import Any

import js  # browser-only: this module lives in studio.browser
from pyodide.ffi import to_js

from ..engine.server import EngineServer
from .canvas_backend import CanvasBackend
from .canvas_surface import CanvasImage
from .ffi import is_missing, js_bytes


class WorkerCanvasBackend(CanvasBackend):
    async def drawable(self, image: CanvasImage) -> Any:
        """A copy the page can draw, as an ImageBitmap (transferred to the page, not copied again)."""
        return await js.createImageBitmap(image.canvas)


# The canvas backend's operations that await the browser (decoding, encoding, bitmaps); every other
# one is answered synchronously, without a trip through the event loop's timers.
WAITS = frozenset({"decode", "encode", "thumbnail_png", "drawable"})
_server = EngineServer(WorkerCanvasBackend(), lambda obj: isinstance(obj, CanvasImage), WAITS)


def answer_now(data: Any, attached: Any) -> Any:
    """One call's bytes (a Uint8Array) and attached object, to [reply bytes, attached object or null];
    null when the operation waits: then answer()."""
    done = _server.answer_now(data.to_bytes(), None if is_missing(attached) else attached)
    return None if done is None else _to_page(*done)


async def answer(data: Any, attached: Any) -> Any:
    return _to_page(*await _server.answer(data.to_bytes(), None if is_missing(attached) else attached))


def _to_page(reply: bytes, out: Any) -> Any:
    return to_js([js_bytes(reply), out])
