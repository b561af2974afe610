"""Inside the engine's Web Worker (static/engine-worker.js): the canvas backend behind an EngineServer,
the executor running whole runs on it (engine/run_server.py), and the Gemini requests (worker_fetch.py)."""

from __future__ import annotations

import asyncio
from typing import Any

import js  # browser-only: this module lives in studio.browser
from pyodide.ffi import to_js

from ..backend.plain_png import HEAD, is_plain_png
from ..core.fit import THUMB_SIDE
from ..core.warm_up import WarmUp
from ..engine.early import EarlyPictures
from ..engine.run_server import RunServer
from ..engine.server import EngineServer
from ..nodes import default_catalog
from . import canvas_io, worker_fetch
from .canvas_backend import CanvasBackend
from .canvas_surface import CanvasImage
from .ffi import is_missing, js_bytes, js_object
from .worker_fetch import abort as abort_fetch  # noqa: F401  (static/engine-worker.js takes these from here)
from .worker_fetch import fetch_for_page  # noqa: F401


class WorkerCanvasBackend(CanvasBackend):
    def __init__(self) -> None:
        super().__init__()
        # The pictures of Gemini answers this worker fetched, by number, as soon as each answer
        # arrived: each one decoding, then its node thumbnail made, before the node asks (adopt_early).
        self._early = EarlyPictures(release=lambda made: made[0].canvas.close())

    async def drawable(self, image: CanvasImage) -> Any:
        """A copy the page can draw, as an ImageBitmap (transferred to the page, not copied again)."""
        return await js.createImageBitmap(image.canvas)

    def start_early(self, number: int, blob: Any, png: Any) -> None:
        """Decode this PNG Blob (its header checked by the answer's parser; `png` its bytes) and make
        its thumbnail. The browser's decoding begins now, inside the parser's task: a Python task
        would begin it only once the parse of the rest of the answer had ended."""
        plain = is_plain_png(png.subarray(0, HEAD).to_bytes())
        self._early.begin(number, self._decode_early(canvas_io.begin_decoding(blob, plain=plain)))

    def drop_early(self, number: int) -> None:
        self._early.drop(number)

    async def _decode_early(self, decoding: Any) -> tuple[CanvasImage, bytes] | None:
        bitmap = await decoding
        if is_missing(bitmap):
            return None  # the page decodes the bytes as any file, and says what is wrong with them
        image = CanvasImage(bitmap, int(bitmap.width), int(bitmap.height))
        return image, await self.thumbnail_png(image, THUMB_SIDE)

    async def adopt_early(self, number: int) -> tuple[CanvasImage, bytes] | None:
        """The picture begun under this number and its thumbnail's PNG; None when there is none
        (dropped, or decoded by an engine that has since stopped) or the browser could not decode it."""
        made: tuple[CanvasImage, bytes] | None = await self._early.adopt(number)
        return made


class _Asks:
    """The bodies this worker asks the page to run (runs.BodyAsk), by number, until answered."""

    def __init__(self) -> None:
        self._next = 1
        self._waiting: dict[int, asyncio.Future[bytes]] = {}

    async def ask(self, run_id: int, data: bytes) -> bytes:
        ask_id, self._next = self._next, self._next + 1
        waiting = self._waiting[ask_id] = asyncio.get_running_loop().create_future()
        array = js_bytes(data)
        js.postMessage(js_object({"kind": "ask", "id": ask_id, "run": run_id, "data": array}), to_js([array.buffer]))
        try:
            return await waiting
        finally:
            self._waiting.pop(ask_id, None)

    def answer(self, ask_id: int, data: bytes) -> None:
        waiting = self._waiting.get(ask_id)
        if waiting is not None and not waiting.done():
            waiting.set_result(data)


# The canvas backend's operations that await the browser (decoding, encoding, bitmaps); every other
# one is answered synchronously, without a trip through the event loop's timers.
WAITS = frozenset({"decode", "encode", "thumbnail_png", "drawable", "adopt_early"})
_backend = WorkerCanvasBackend()
_server = EngineServer(_backend, lambda obj: isinstance(obj, CanvasImage), WAITS)


_runs = RunServer(_server, default_catalog())
worker_fetch.decoder_for(_backend.start_early, _backend.drop_early)  # a Gemini answer's pictures begin here
_asks = _Asks()
_warming: list[WarmUp] = []  # the warm-up going on, if one is


async def warm_up() -> int:
    """The page is idle after its start: run the warm-up here, where runs run (core/warm_up.py)."""
    warming = WarmUp(default_catalog(), _backend)
    _warming.append(warming)
    try:
        return await warming.run()
    finally:
        _warming.remove(warming)


async def run(run_id: Any, data: Any) -> Any:
    """A whole run (runs.RunCall bytes): its events posted as they happen, its RunDone bytes returned."""
    number = int(run_id)
    for warming in _warming:
        warming.stop()  # a real run goes first, and compiles what it takes itself

    def post(event: bytes) -> None:
        array = js_bytes(event)
        js.postMessage(js_object({"kind": "event", "id": number, "data": array}), to_js([array.buffer]))

    return js_bytes(await _runs.run(number, data.to_bytes(), post, lambda asked: _asks.ask(number, asked)))


def cancel_run(run_id: Any) -> None:
    _runs.cancel(int(run_id))


def answer_ask(ask_id: Any, data: Any) -> None:
    _asks.answer(int(ask_id), data.to_bytes())


def drop_early(number: Any) -> None:
    _backend.drop_early(int(number))


def answer_now(data: Any, attached: Any) -> Any:
    """One call's bytes (a Uint8Array) and attached object, to [reply bytes, attached object or null];
    null when the operation waits: then answer()."""
    done = _server.answer_now(data.to_bytes(), None if is_missing(attached) else attached)
    return None if done is None else _to_page(*done)


async def answer(data: Any, attached: Any) -> Any:
    return _to_page(*await _server.answer(data.to_bytes(), None if is_missing(attached) else attached))


def _to_page(reply: bytes, out: Any) -> Any:
    return to_js([js_bytes(reply), out])
