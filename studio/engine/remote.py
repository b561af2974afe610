"""The caller's side: an ImageBackend whose pictures live in the engine (studio.engine.server),
reached through `send`, e.g. a Web Worker's messages. Sizes are known here; pixels are not."""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from ..core.errors import ImageError
from . import wire
from .server import OPS

# send(call bytes, attached object or None) -> (reply bytes, attached object or None)
Send = Callable[[bytes, Any], Awaitable[tuple[bytes, Any]]]


@dataclass(frozen=True, eq=False)
class RemoteImage:
    """A handle on a picture the engine holds; dropping the last reference frees it there."""

    handle: int
    width: int
    height: int
    generation: int = 0  # which life of the engine holds it (RemoteBackend.generation)

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)


class RemoteBackend:
    """Every ImageBackend operation (and the engine's extra ones) as a call through `send`."""

    name = "engine"

    def __init__(self, send: Send) -> None:
        self._send = send
        self._next = 1
        self._freed: list[int] = []
        # Bumped when the engine stops (its pictures die with it): a picture of an earlier life is
        # not held any more, and a reply read after the stop is not taken.
        self.generation = 0

    def engine_stopped(self) -> None:
        self.generation += 1

    def holds(self, value: Any) -> bool:
        """Is this picture (or every picture of this list) still in the engine? False for one made
        before the engine stopped; True for anything that is not the engine's picture."""
        if isinstance(value, (list, tuple)):
            return all(self.holds(item) for item in value)
        return not isinstance(value, RemoteImage) or value.generation == self.generation

    def size(self, image: RemoteImage) -> tuple[int, int]:
        return image.size

    def nbytes(self, image: RemoteImage) -> int:
        return image.width * image.height * 4

    def __getattr__(self, op: str) -> Any:
        if op not in OPS:
            raise AttributeError(op)

        async def call(*args: Any) -> Any:
            return await self.call(op, *args)

        return call

    async def call(self, op: str, *args: Any, attached: Any = None) -> Any:
        call_id, self._next = self._next, self._next + 1
        freed, self._freed = tuple(self._freed), []
        data = wire.dumps(wire.Call(call_id, op, args, freed), _handle_of)
        generation = self.generation
        reply_data, reply_attached = await self._send(data, attached)
        if self.generation != generation:
            # Answered, but the engine stopped before this caller read the reply (one turn of the
            # event loop): its pictures are gone, and a result made of them must not be kept.
            raise ImageError("the image engine stopped while this call waited: run again to make this picture")
        reply = wire.loads(reply_data, self._picture)
        if reply.error is not None:
            raise reply.error
        return reply_attached if reply_attached is not None else reply.value

    def dumps(self, message: Any) -> bytes:
        """Any message for the engine (a run's call, an answer), its pictures as their handles."""
        return wire.dumps(message, _handle_of)

    def loads(self, data: bytes) -> Any:
        """A message from the engine; its pictures become RemoteImages of this life of the engine."""
        return wire.loads(data, self._picture)

    def _picture(self, handle: int, width: int, height: int) -> RemoteImage:
        image = RemoteImage(handle, width, height, self.generation)
        weakref.finalize(image, self._freed.append, handle)
        return image


def _handle_of(obj: Any) -> tuple[int, int, int] | None:
    return (obj.handle, obj.width, obj.height) if isinstance(obj, RemoteImage) else None
