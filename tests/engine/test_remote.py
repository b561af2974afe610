"""The image engine behind messages, under CPython: RemoteBackend calls reach an EngineServer on real
Pillow through the same bytes the page's worker gets, and every example runs to the same pixels."""

from __future__ import annotations

import asyncio
import gc
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from studio.backend.pillow_backend import PillowBackend
from studio.core.errors import ImageError
from studio.core.executor import Executor
from studio.core.workflow import load_workflow
from studio.engine import wire
from studio.engine.remote import RemoteBackend, RemoteImage
from studio.engine.server import OPS, EngineServer
from studio.nodes import default_catalog
from tests.engine.same_pictures import compare_outputs

ROOT = Path(__file__).parents[2]
EXAMPLES = [p for p in sorted((ROOT / "static" / "examples").glob("*.json")) if p.name != "index.json"]
CATALOG = default_catalog()
RED = (255, 0, 0, 255)


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.radial_gradient("L").convert("RGB").resize((64, 48)).save(buffer, "PNG")
    return buffer.getvalue()


PHOTO = _photo()


class Link:
    """The message boundary in one process: bytes in, bytes out, counted."""

    def __init__(self) -> None:
        self.server = EngineServer(PillowBackend(), lambda obj: isinstance(obj, Image.Image))
        self.calls = 0

    async def send(self, data: bytes, attached: object) -> tuple[bytes, object]:
        assert isinstance(data, bytes)
        self.calls += 1
        return await self.server.answer(data, attached)


def remote() -> tuple[RemoteBackend, Link]:
    link = Link()
    return RemoteBackend(link.send), link


def run(coro):
    return asyncio.run(coro)


def test_a_picture_made_in_the_engine_comes_back_as_a_handle_with_its_size():
    backend, link = remote()
    image = run(backend.solid(12, 8, RED))
    assert isinstance(image, RemoteImage)
    assert backend.size(image) == (12, 8) and backend.nbytes(image) == 12 * 8 * 4
    assert len(link.server) == 1  # the pixels stayed in the engine
    assert run(backend.pixels(image)) == bytes(RED) * 96


def test_operations_chain_on_handles_and_match_pillow_called_directly():
    backend, _ = remote()
    pillow = PillowBackend()

    async def chain(b):
        image = await b.gradient(40, 30, RED, (0, 0, 255, 255), 45.0)
        image = await b.blur(image, 2.0)
        image = await b.rotate(image, 30.0, True, (0, 0, 0, 0))
        return await b.encode(image, "png", 90)

    assert run(chain(backend)) == run(chain(pillow))


def test_a_failure_in_the_engine_is_raised_at_the_caller_with_its_message():
    backend, _ = remote()
    with pytest.raises(ImageError) as caught:
        run(backend.decode(b"not a picture at all"))
    assert str(caught.value) == _direct_error(PillowBackend().decode(b"not a picture at all"))


def _direct_error(coro) -> str:
    try:
        run(coro)
    except ImageError as exc:
        return str(exc)
    raise AssertionError("Pillow accepted it")


def test_an_exception_that_cannot_cross_arrives_as_its_text():
    class Odd(Exception):
        def __init__(self, a, b):
            super().__init__(f"{a}/{b}")

    crossed = wire.portable_error(Odd(1, 2))
    assert isinstance(crossed, RuntimeError) and str(crossed) == "Odd: 1/2"
    assert wire.portable_error(ImageError("kept")).args == ("kept",)


def test_pictures_dropped_by_the_caller_are_freed_in_the_engine_on_the_next_call():
    backend, link = remote()
    kept = run(backend.solid(4, 4, RED))
    dropped = run(backend.solid(4, 4, RED))
    assert len(link.server) == 2
    del dropped
    gc.collect()
    run(backend.solid(2, 2, RED))  # the new one is returned and dropped at once, freed by the next call
    run(backend.histogram(kept))
    assert len(link.server) == 1
    assert run(backend.pixels(kept)) == bytes(RED) * 16  # the kept one is still there


def test_the_same_picture_given_out_twice_lives_until_both_handles_are_dropped():
    class Same(PillowBackend):
        async def grayscale(self, image):  # a no-op that returns its input
            return image

    link = Link()
    link.server.backend = Same()
    backend = RemoteBackend(link.send)
    first = run(backend.solid(3, 3, RED))
    second = run(backend.grayscale(first))
    assert second.handle == first.handle
    del first
    gc.collect()
    run(backend.histogram(second))
    assert run(backend.pixels(second)) == bytes(RED) * 9


def test_a_handle_the_engine_no_longer_holds_is_a_clear_image_error():
    backend, _ = remote()
    image = run(backend.solid(3, 3, RED))
    restarted, _ = remote()  # a new engine knows no handles
    with pytest.raises(ImageError, match="no longer in the image engine"):
        run(restarted.blur(image, 1.0))


def test_a_picture_freed_late_from_an_engine_that_restarted_never_frees_a_new_one():
    backend, link = remote()
    old = run(backend.solid(3, 3, RED))
    link.server = Link().server  # the worker restarted: a new engine, no handles
    new = run(backend.solid(4, 4, RED))
    assert new.handle != old.handle
    del old
    gc.collect()
    run(backend.histogram(new))  # carries the old handle's free to the new engine
    assert run(backend.pixels(new)) == bytes(RED) * 16


def test_only_the_engines_operations_exist():
    backend, link = remote()
    assert {"decode", "encode", "blur", "fill_shapes", "thumbnail_png", "drawable"} <= OPS
    assert "size" not in OPS and "nbytes" not in OPS  # answered locally, from the handle
    with pytest.raises(AttributeError):
        backend.delete_everything  # noqa: B018
    assert link.calls == 0
    with pytest.raises(ImageError, match="no operation"):
        run(backend.call("__init__"))


def test_an_attached_object_travels_beside_the_bytes():
    class Adopting(PillowBackend):
        async def adopt(self, thing):
            return await self.solid(thing["w"], thing["h"], RED)

        async def drawable(self, image):
            return {"bitmap of": self.size(image)}

    link = Link()
    link.server.backend = Adopting()
    backend = RemoteBackend(link.send)
    image = run(backend.call("adopt", wire.ATTACHED, attached={"w": 5, "h": 2}))
    assert image.size == (5, 2)
    assert run(backend.drawable(image)) == {"bitmap of": (5, 2)}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_runs_through_the_engine_to_the_same_pixels(path):
    text = path.read_text(encoding="utf-8")
    backend, link = remote()
    pillow = PillowBackend()
    graph = load_workflow(text, CATALOG)
    inputs = {n.id: PHOTO for n in graph.nodes.values() if n.type == "source.image"}  # a picture for each
    through = run(Executor(CATALOG, backend).run(graph, inputs=inputs, offline=True))
    direct = run(Executor(CATALOG, pillow).run(load_workflow(text, CATALOG), inputs=inputs, offline=True))
    assert {k: r.status for k, r in through.nodes.items()} == {k: r.status for k, r in direct.nodes.items()}
    compared = compare_outputs(through, direct, backend)
    assert compared or not json.loads(text)["nodes"]
    assert link.calls > 0


def test_an_operation_that_never_waits_is_answered_at_once_and_one_that_waits_is_left_to_the_loop():
    class Waiting(PillowBackend):
        async def grayscale(self, image):  # declared as never waiting, but waits
            await asyncio.sleep(0)
            return image

    server = EngineServer(Waiting(), lambda obj: isinstance(obj, Image.Image), waits=frozenset({"encode"}))
    backend = RemoteBackend(server.answer)
    image = run(backend.solid(2, 2, RED))

    def call(op, *args):
        return wire.dumps(
            wire.Call(7, op, args), lambda obj: (obj.handle, *obj.size) if isinstance(obj, RemoteImage) else None
        )

    now = server.answer_now(call("invert", image))
    assert now is not None and wire.loads(now[0], lambda *pid: pid).value[1:] == (2, 2)  # a new handle, 2 x 2
    assert server.answer_now(call("encode", image, "png", 90)) is None  # answer() it, on the loop
    refused = wire.loads(server.answer_now(call("grayscale", image))[0], lambda *pid: pid)
    assert isinstance(refused.error, RuntimeError) and "waited" in str(refused.error)
