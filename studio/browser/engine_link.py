"""The page's side of the image engine: the Web Worker it starts (static/engine-worker.js), the calls
it sends there, and the page's own canvas backend when no worker can start.

The pictures of a run live in the worker; the page holds RemoteImage handles and asks for an
ImageBitmap only to draw one (the preview, compare). A heavy canvas call then holds the worker's
thread, never the page's: the canvas stays draggable and Cancel is heard during a run.
"""

from __future__ import annotations

import asyncio
import io
import os
import weakref
import zipfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import js  # browser-only
from pyodide.ffi import create_proxy, to_js

from ..app.tasks import spawn
from ..backend.image_header import checked_header
from ..core.errors import ImageError
from ..core.fit import THUMB_SIDE
from ..engine import wire
from ..engine.remote import RemoteBackend
from ..engine.runs import NoEngine
from ..site.wheels import WHEELS
from . import predecode
from .canvas_backend import CanvasBackend
from .ffi import is_missing, js_bytes, js_object


def warmed(rounds: int) -> None:
    """<html data-warm-up>: the idle warm-up's rounds that ran whole, where runs run (core/warm_up.py)."""
    js.document.documentElement.dataset.warmUp = str(rounds)


WORKER_URL = "./static/engine-worker.js"
ARCHIVE = "studio.zip"  # the built site's package (studio/browser/main.py); a dev server's comes file by file
# The pinned wheels (segno for source.qr's body): a dev server's worker fetches them from static/vendor/wheels/.
WHEEL_FILES = [pin.filename for pin in WHEELS]
STARTING, READY, IN_PAGE, STOPPED = "starting", "ready", "in-page", "stopped"


def package_archive() -> bytes:
    """The studio package for the worker, from this page's own file system (nothing fetched twice)."""
    if os.path.isfile(ARCHIVE):
        return Path(ARCHIVE).read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as zf:
        for path in sorted(Path("studio").rglob("*.py")):
            zf.write(path, path.as_posix())
    return buffer.getvalue()


class EngineLink:
    """One worker at a time: calls wait for it to start; if it stops, waiting calls fail with a clear
    ImageError and the next call starts a new one (listeners hear STOPPED, then READY)."""

    def __init__(self, archive: Callable[[], bytes] = package_archive) -> None:
        self._archive = archive
        self.state = STARTING
        self.on_state: list[Callable[[str, str], None]] = []  # (state, why)
        self._worker: Any = None
        self._ready: asyncio.Future[None] | None = None
        self._pending: dict[int, asyncio.Future[Any]] = {}  # calls' replies, fetches' answers
        # A run's listeners, by its number: each event's bytes, and the bodies the worker asks back.
        self._runs: dict[int, tuple[Callable[[bytes], None], Callable[[bytes], Awaitable[bytes]]]] = {}
        self._next = 1
        self._proxies = (create_proxy(self._message), create_proxy(self._error))

    def start(self) -> None:
        self._ready = asyncio.get_event_loop().create_future()
        self._set(STARTING, "")
        try:
            worker = js.Worker.new(WORKER_URL, js_object({"type": "module"}))
            worker.onmessage, worker.onerror = self._proxies
            archive = js_bytes(self._archive())
            wasm = getattr(js.window, "pyxisWasm", None)  # the runtime the page compiled (static/boot.js)
            start = {
                "kind": "start",
                "archive": archive,
                "wasm": None if is_missing(wasm) else wasm,
                # The built site's studio.zip holds the wheels' modules already (compiled).
                "wheels": [] if os.path.isfile(ARCHIVE) else WHEEL_FILES,
            }
            worker.postMessage(js_object(start), to_js([archive.buffer]))
        except Exception as exc:  # no module workers here: the page's own canvas does the work
            self._fail(str(exc))
            return
        self._worker = worker

    async def started(self) -> None:
        """Returns once the worker is ready or could not start (then calls go to the page's canvas)."""
        if self._ready is not None and self.state == STARTING:
            try:
                await asyncio.shield(self._ready)
            except EngineUnavailable:
                pass

    async def send(self, data: bytes, attached: Any) -> tuple[bytes, Any]:
        await self._up()
        call_id, self._next = self._next, self._next + 1
        array = js_bytes(data)
        transfer = [array.buffer] if attached is None else [array.buffer, attached]
        message = {"kind": "call", "id": call_id, "data": array, "attached": attached}
        reply: tuple[bytes, Any] = await self._post(call_id, message, transfer)
        return reply

    async def _up(self) -> None:
        """Returns once a worker is ready (one that stopped is started again)."""
        if self.state == STOPPED:
            self.start()
        assert self._ready is not None, "start() first"
        await self._ready

    def _post(self, message_id: int, message: dict[str, Any], transfer: list[Any]) -> asyncio.Future[Any]:
        """Posts the message; the future ends with its reply, or with the worker's stop (_stop)."""
        waiting: asyncio.Future[Any] = asyncio.get_event_loop().create_future()
        self._pending[message_id] = waiting
        self._worker.postMessage(js_object(message), to_js(transfer))
        return waiting

    def open_run(
        self, data: bytes, on_event: Callable[[bytes], None], on_ask: Callable[[bytes], Awaitable[bytes]]
    ) -> tuple[int, Awaitable[bytes]]:
        """A whole run for the worker (studio/engine/run_client.py): its number, and its end's bytes."""
        run_id, self._next = self._next, self._next + 1
        return run_id, self._run(run_id, data, on_event, on_ask)

    async def _run(
        self,
        run_id: int,
        data: bytes,
        on_event: Callable[[bytes], None],
        on_ask: Callable[[bytes], Awaitable[bytes]],
    ) -> bytes:
        await self._up()
        self._runs[run_id] = (on_event, on_ask)
        array = js_bytes(data)
        waiting = self._post(run_id, {"kind": "run", "id": run_id, "data": array}, [array.buffer])
        try:
            return (await waiting)[0]
        finally:
            self._runs.pop(run_id, None)

    def open_fetch(self, request: dict[str, Any], body: Any) -> tuple[int, Awaitable[Any]]:
        """A Gemini exchange for the worker to make (worker_fetch.py): its number, and its "fetched"
        message. `body` is a Uint8Array or None; its buffer is transferred."""
        fetch_id, self._next = self._next, self._next + 1
        return fetch_id, self._fetch(fetch_id, request, body)

    async def _fetch(self, fetch_id: int, request: dict[str, Any], body: Any) -> Any:
        await self._up()
        message = {"kind": "fetch", "id": fetch_id, "request": request, "body": body}
        return await self._post(fetch_id, message, [] if body is None else [body.buffer])

    def abort_fetch(self, fetch_id: int) -> None:
        if self._worker is not None and self._pending.pop(fetch_id, None) is not None:
            self._worker.postMessage(js_object({"kind": "fetch-abort", "id": fetch_id}))

    def warm_up(self) -> None:
        """The page is idle after its start: the worker runs the warm-up (core/warm_up.py)."""
        if self._worker is not None and self.state == READY:
            self._worker.postMessage(js_object({"kind": "warm"}))

    def cancel_run(self, run_id: int) -> None:
        if self._worker is not None and run_id in self._runs:
            self._worker.postMessage(js_object({"kind": "cancel", "id": run_id}))

    async def _answer(self, ask_id: int, run_id: int, data: bytes) -> None:
        listeners = self._runs.get(run_id)
        if listeners is None:
            return  # the run's wait ended (a stop): nobody answers; the worker is gone or ending it
        reply = js_bytes(await listeners[1](data))
        if self._worker is not None:
            self._worker.postMessage(js_object({"kind": "answer", "id": ask_id, "data": reply}), to_js([reply.buffer]))

    def _message(self, event: Any) -> None:
        message = event.data
        kind = str(message.kind)
        if kind == "ready":
            predecode.decode_in_engine(self._worker)  # a Gemini answer's pictures go there now
            self._set(READY, "")
            if self._ready is not None and not self._ready.done():
                self._ready.set_result(None)
        elif kind == "failed":
            self._fail(str(message.message))
        elif kind == "warmed":
            warmed(int(message.rounds))
        elif kind == "event":
            listeners = self._runs.get(int(message.id))
            if listeners is not None:
                listeners[0](message.data.to_bytes())
        elif kind == "ask":
            spawn(self._answer(int(message.id), int(message.run), message.data.to_bytes()), "engine ask")
        elif kind == "fetched":
            waiting = self._pending.pop(int(message.id), None)
            if waiting is not None and not waiting.done():
                waiting.set_result(message)
        elif kind == "reply":
            waiting = self._pending.pop(int(message.id), None)
            if waiting is None or waiting.done():
                return
            error = getattr(message, "error", None)
            if not is_missing(error):
                waiting.set_exception(ImageError(f"the image engine failed: {error}"))
            else:
                attached = getattr(message, "attached", None)
                waiting.set_result((message.data.to_bytes(), None if is_missing(attached) else attached))

    def _error(self, event: Any) -> None:
        event.preventDefault()
        why = str(getattr(event, "message", "") or "")
        if self.state == STARTING:
            self._fail(why or "its script could not be loaded")  # a module that fails to load says nothing
            return
        why = why or "no reason given"
        self._stop(why)

    def _fail(self, why: str) -> None:
        """It never started (`why`: what the browser said): the page works alone from now on (calls
        that waited go there too)."""
        self._terminate()
        self._set(IN_PAGE, why)
        if self._ready is not None and not self._ready.done():
            self._ready.set_exception(EngineUnavailable(why))
            self._ready.add_done_callback(lambda f: f.exception())  # heard by the calls, if any waited

    def _stop(self, why: str) -> None:
        self._terminate()
        self._set(STOPPED, why)
        pending, self._pending = self._pending, {}
        for waiting in pending.values():
            if not waiting.done():
                waiting.set_exception(ImageError(f"the image engine stopped ({why}): run again to make this picture"))

    def _terminate(self) -> None:
        predecode.decode_in_engine(None)
        if self._worker is not None:
            self._worker.terminate()
            self._worker = None

    def _set(self, state: str, why: str) -> None:
        self.state = state
        for callback in list(self.on_state):
            callback(state, why)


class EngineUnavailable(NoEngine):
    """The worker could not start: calls run on the page's own canvas instead."""


class PageEngine(RemoteBackend):
    """The Studio's backend: calls go to the worker; without one, to the page's own canvas."""

    name = "canvas"

    def __init__(self, link: EngineLink, local: Any = None) -> None:
        super().__init__(self._send)
        self.link = link
        self.local = local if local is not None else CanvasBackend()  # the page's own canvas
        link.on_state.append(self._on_link_state)
        # The PNG of a picture's node thumbnail, made by the engine with the picture (adopt_early).
        self._thumbnails: weakref.WeakKeyDictionary[Any, bytes] = weakref.WeakKeyDictionary()

    def _on_link_state(self, state: str, why: str) -> None:
        if state == STOPPED:
            self.engine_stopped()  # its pictures died with it (RemoteBackend.holds)

    @property
    def in_page(self) -> bool:
        return self.link.state == IN_PAGE

    async def ready(self) -> None:
        """Session.run waits for this first, so no node's time counts the worker's start."""
        await self.link.started()

    @property
    def runs(self) -> EngineLink | None:
        """Where whole runs go (the worker's executor), None while the page makes the pictures itself."""
        return None if self.in_page else self.link

    async def _send(self, data: bytes, attached: Any) -> tuple[bytes, Any]:
        return await self.link.send(data, attached)

    async def call(self, op: str, *args: Any, attached: Any = None) -> Any:
        if not self.in_page:
            try:
                return await super().call(op, *args, attached=attached)
            except EngineUnavailable:
                pass  # it failed while this call waited: the page's canvas takes it
        local_args = tuple(attached if isinstance(a, wire.Attached) else a for a in args)
        return await getattr(self.local, op)(*local_args)

    async def decode(self, data: bytes) -> Any:
        if self.in_page:
            return await self.local.decode(data)  # it takes the early decode itself
        data = bytes(data)
        checked_header(data)  # a decompression bomb is refused here, before any decoding
        # A Gemini answer's picture: decoding since it arrived, in the worker or on the page.
        number = predecode.in_engine(started := predecode.take(data))
        if number is not None:
            early = await self.call("adopt_early", number)
            if early is not None:
                image, thumbnail = early
                self._thumbnails[image] = thumbnail
                return image
        elif started is not None and (bitmap := await predecode.page_bitmap(started)) is not None:
            return await self.call("adopt", wire.ATTACHED, attached=bitmap)
        return await self.call("decode", data)  # the browser could not: decoding again says why

    async def thumbnail_png(self, image: Any, side: int) -> bytes:
        made = self._thumbnails.get(image) if side == THUMB_SIDE else None
        return made if made is not None else await self.call("thumbnail_png", image, side)
