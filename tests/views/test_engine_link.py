"""The page's side of the image engine under CPython: EngineLink and PageEngine against a fake Worker
that runs a real EngineServer on Pillow, so starting, failing, stopping and restarting are tested
without Chromium (tests/browser/test_engine_worker.py has the real worker)."""

from __future__ import annotations

import asyncio
import sys
import types

import pytest

from studio.backend.pillow_backend import PillowBackend
from studio.core.errors import ImageError
from studio.engine.early import EarlyPictures
from studio.engine.server import EngineServer

RED = (255, 0, 0, 255)


class U8:
    """Uint8Array, as much of it as the link uses."""

    def __init__(self, size: int) -> None:
        self._data = bytearray(size)
        self.buffer = self

    @classmethod
    def new(cls, size: int) -> U8:
        return cls(size)

    def assign(self, data: bytes) -> None:
        self._data[:] = data

    def to_bytes(self) -> bytes:
        return bytes(self._data)


class FakeWorker:
    """A module worker: 'start' answers ready (or failed), 'call' answers from an EngineServer on Pillow."""

    made: list[FakeWorker] = []
    refuse_start = False

    def __init__(self, url: str, options: dict) -> None:
        assert url == "./static/engine-worker.js" and options == {"type": "module"}
        self.onmessage = self.onerror = None
        self.terminated = False
        self.hold = False  # calls wait (a long canvas operation) until release()
        self.crash_after_reply = ""  # crash right after posting the next reply (why), if set
        self.held: list[dict] = []
        self.calls = 0
        self.server = EngineServer(PillowBackend(), lambda obj: hasattr(obj, "getpixel"))
        FakeWorker.made.append(self)

    @classmethod
    def new(cls, url: str, options: dict) -> FakeWorker:
        return cls(url, options)

    def postMessage(self, message: dict, transfer: list) -> None:
        assert not self.terminated
        asyncio.get_event_loop().call_soon(lambda: asyncio.ensure_future(self._answer(message)))

    async def _answer(self, message: dict) -> None:
        if message["kind"] == "start":
            assert message["archive"].to_bytes()[:2] == b"PK"  # the package, as a zip
            kind = "failed" if FakeWorker.refuse_start else "ready"
            self._post(types.SimpleNamespace(kind=kind, message="no WebAssembly here"))
            return
        if self.hold:
            self.held.append(message)
            return
        self.calls += 1
        data, _ = await self.server.answer(message["data"].to_bytes(), None)
        reply = U8(len(data))
        reply.assign(data)
        self._post(types.SimpleNamespace(kind="reply", id=message["id"], data=reply, attached=None))

    def _post(self, message: object) -> None:
        if not self.terminated:
            self.onmessage(types.SimpleNamespace(data=message))
            if self.crash_after_reply and getattr(message, "kind", "") == "reply":
                self.crash(self.crash_after_reply)  # the page hears both in one turn of its loop

    def crash(self, why: str) -> None:
        self.onerror(types.SimpleNamespace(message=why, preventDefault=lambda: None))

    def terminate(self) -> None:
        self.terminated = True


@pytest.fixture
def engine(page, monkeypatch):
    FakeWorker.made.clear()
    FakeWorker.refuse_start = False
    js = sys.modules["js"]
    monkeypatch.setattr(js, "Worker", FakeWorker, raising=False)
    monkeypatch.setattr(js, "Uint8Array", U8, raising=False)
    from studio.browser import engine_link

    def make():
        link = engine_link.EngineLink(archive=lambda: b"PK\x03\x04 the package")
        heard: list[tuple[str, str]] = []
        link.on_state.append(lambda state, why: heard.append((state, why)))
        return engine_link.PageEngine(link, local=PillowBackend()), link, heard

    return make


def test_a_call_made_before_the_worker_is_ready_waits_for_it_and_is_answered_there(engine):
    async def scenario():
        backend, link, heard = engine()
        link.start()
        image = await backend.solid(3, 2, RED)  # asked at once: the worker has not said ready yet
        assert type(image).__name__ == "RemoteImage" and image.size == (3, 2)
        assert await backend.pixels(image) == bytes(RED) * 6
        assert [state for state, _ in heard] == ["starting", "ready"] and link.state == "ready"
        assert len(FakeWorker.made[0].server) == 1  # the pixels are in the worker

    asyncio.run(scenario())


@pytest.mark.parametrize("how", ["the worker says it failed", "Worker.new throws"])
def test_when_the_worker_cannot_start_the_page_makes_the_pictures_and_says_why(engine, monkeypatch, how):
    if how == "Worker.new throws":
        monkeypatch.setattr(
            FakeWorker,
            "new",
            classmethod(lambda cls, url, options: (_ for _ in ()).throw(RuntimeError("no module workers"))),
        )
    else:
        FakeWorker.refuse_start = True

    async def scenario():
        backend, link, heard = engine()
        link.start()
        image = await backend.solid(3, 2, RED)
        assert not hasattr(image, "handle")  # a picture of the page's own backend
        assert await backend.pixels(image) == bytes(RED) * 6
        assert link.state == "in-page" and backend.in_page
        assert heard[-1][0] == "in-page" and (
            "no WebAssembly here" in heard[-1][1] or "no module workers" in heard[-1][1]
        )
        await link.started()  # returns, does not raise

    asyncio.run(scenario())


def test_a_worker_that_stops_fails_its_waiting_call_clearly_and_the_next_call_starts_a_new_one(engine):
    async def scenario():
        backend, link, heard = engine()
        link.start()
        kept = await backend.solid(2, 2, RED)
        first = FakeWorker.made[0]
        first.hold = True
        waiting = asyncio.ensure_future(backend.blur(kept, 1.0))
        await asyncio.sleep(0.01)
        first.crash("out of memory")
        with pytest.raises(ImageError, match=r"the image engine stopped \(out of memory\): run again"):
            await waiting
        assert link.state == "stopped" and first.terminated
        assert ("stopped", "out of memory") in heard
        fresh = await backend.solid(4, 4, RED)  # the next call starts a new worker
        assert len(FakeWorker.made) == 2 and link.state == "ready"
        assert await backend.pixels(fresh) == bytes(RED) * 16
        with pytest.raises(ImageError, match="no longer in the image engine"):
            await backend.pixels(kept)  # a picture of the old worker is gone, and says so

    asyncio.run(scenario())


def test_a_reply_read_after_the_worker_stopped_is_not_taken_and_its_pictures_are_not_held(engine):
    # The race CI found: the worker answered, then died before the page's caller read the answer;
    # the picture in it was in the dead worker, yet a node took it and the cache kept it.
    async def scenario():
        backend, link, heard = engine()
        link.start()
        kept = await backend.solid(2, 2, RED)
        assert backend.holds(kept) and backend.holds([kept]) and backend.holds("text")
        FakeWorker.made[0].crash_after_reply = "simulated crash"
        with pytest.raises(ImageError, match="stopped while this call waited: run again"):
            await backend.blur(kept, 1.0)
        assert link.state == "stopped" and not backend.holds(kept) and not backend.holds([kept])
        fresh = await backend.solid(2, 2, RED)  # a new worker: its pictures are held
        assert len(FakeWorker.made) == 2 and backend.holds(fresh)

    asyncio.run(scenario())


class EarlyPillow(PillowBackend):
    """The worker's backend as far as early pictures go: begun by number, adopted with their thumbnail."""

    def __init__(self) -> None:
        super().__init__()
        self.early = EarlyPictures()

    async def adopt_early(self, number: int):
        return await self.early.adopt(number)


def test_a_gemini_answers_picture_begun_in_the_engine_is_adopted_with_its_thumbnail(engine):
    # The answer parser sent the picture to the worker as it arrived (predecode holds its number):
    # the node's decode takes it over, and the thumbnail made with it needs no call of its own.
    from studio.browser import predecode
    from studio.core.fit import THUMB_SIDE

    async def scenario():
        backend, link, heard = engine()
        link.start()
        await backend.ready()
        worker = FakeWorker.made[0]
        worker.server.backend = EarlyPillow()
        png = await PillowBackend().encode(await PillowBackend().solid(300, 200, RED), "png", 90)

        async def decoded():
            return await worker.server.backend.decode(png), b"the thumbnail's PNG"

        worker.server.backend.early.begin(7, decoded())
        predecode.remember(png, 7)
        calls = worker.calls
        image = await backend.decode(png)
        assert type(image).__name__ == "RemoteImage" and image.size == (300, 200)
        assert await backend.thumbnail_png(image, THUMB_SIDE) == b"the thumbnail's PNG"
        assert worker.calls == calls + 1  # adopt_early alone
        assert await backend.pixels(await backend.crop(image, 0, 0, 1, 1)) == bytes(RED)

        again = bytes(bytearray(png))  # another answer's bytes, numbered by a worker that has since stopped
        predecode.remember(again, 8)
        calls = worker.calls
        image = await backend.decode(again)  # nothing begun under 8 here: decoded from the bytes
        assert image.size == (300, 200) and worker.calls == calls + 2  # adopt_early, then decode

    asyncio.run(scenario())
