"""The engine's side: holds the pictures its backend made, by handle, and answers calls on them."""

from __future__ import annotations

import inspect
import random
from collections.abc import Callable
from typing import Any

from ..backend.protocol import ImageBackend
from ..core.errors import ImageError
from . import wire

# Every operation of the protocol, plus what only the canvas backend has: a thumbnail's PNG, a
# bitmap decoded elsewhere taken in, a picture the engine began decoding before it was asked (a
# Gemini answer's, with its thumbnail), and a bitmap of a picture to draw on the page.
OPS = frozenset(
    {name for name, member in vars(ImageBackend).items() if inspect.iscoroutinefunction(member)}
    | {"thumbnail_png", "adopt", "adopt_early", "drawable"}
)
ATTACHING = frozenset({"drawable"})  # their result travels beside the reply (transferred), not in it


class EngineServer:
    """Answers wire.Call bytes with wire.Reply bytes. A handle stays valid until every reply that
    gave it out has been freed by the caller (the same picture can be returned twice)."""

    def __init__(self, backend: Any, is_image: Callable[[Any], bool], waits: frozenset[str] = frozenset()) -> None:
        self.backend = backend
        self._is_image = is_image
        self._waits = waits  # operations that await something (decoding, encoding): answer() only
        self._images: dict[int, Any] = {}
        self._handles: dict[int, int] = {}  # id(picture) -> handle
        self._given: dict[int, int] = {}  # handle -> replies that gave it out and are not freed yet
        # Handles start at a random point: a restarted engine never reuses a number an old picture,
        # freed late by the caller, would name.
        self._next = random.getrandbits(40) << 20

    def __len__(self) -> int:
        return len(self._images)

    def answer_now(self, data: bytes, attached: Any = None) -> tuple[bytes, Any] | None:
        """The reply at once, without the event loop, for an operation that never waits (most canvas
        ones: a round trip through the loop's timers cost several ms a call); None for the others."""
        call = self._call_or_reply(data)
        if isinstance(call, wire.Call) and call.op in self._waits:
            return None
        steps = self._reply(call, attached)
        try:
            steps.send(None)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]
        steps.close()
        return wire.dumps(wire.Reply(call.id if isinstance(call, wire.Call) else -1, error=RuntimeError(
            "an engine operation waited where it was not expected to")), self._handle_of), None  # fmt: skip

    async def answer(self, data: bytes, attached: Any = None) -> tuple[bytes, Any]:
        return await self._reply(self._call_or_reply(data), attached)

    def _call_or_reply(self, data: bytes) -> wire.Call | wire.Reply:
        """The call, or the reply refusing it when it cannot be read (a picture no longer here)."""
        try:
            call = wire.loads(data, self._picture)
        except Exception as exc:
            return wire.Reply(-1, error=wire.portable_error(exc))
        return call  # type: ignore[no-any-return]

    async def _reply(self, call: wire.Call | wire.Reply, attached: Any) -> tuple[bytes, Any]:
        out: Any = None
        if isinstance(call, wire.Reply):
            return wire.dumps(call, self._handle_of), None
        try:
            for handle in call.freed:
                self._free(handle)
            if call.op not in OPS:
                raise ImageError(f"the engine has no operation {call.op!r}")
            args = tuple(attached if isinstance(arg, wire.Attached) else arg for arg in call.args)
            value = await getattr(self.backend, call.op)(*args)
            if call.op in ATTACHING:
                out, value = value, None
            reply = wire.Reply(call.id, value)
        except Exception as exc:  # every failure goes back to the caller, who raises it in the node
            reply = wire.Reply(call.id, error=wire.portable_error(exc))
        return wire.dumps(reply, self._handle_of), out

    def dumps(self, message: Any) -> bytes:
        """Any message for the caller (a run's event), each picture given out as a handle."""
        return wire.dumps(message, self._handle_of)

    def loads(self, data: bytes) -> Any:
        """A message from the caller; its handles become the pictures this engine holds."""
        return wire.loads(data, self._picture)

    def _picture(self, handle: int, width: int, height: int) -> Any:
        try:
            return self._images[handle]
        except KeyError:
            raise ImageError("this picture is no longer in the image engine (it restarted): run again") from None

    def _handle_of(self, obj: Any) -> tuple[int, int, int] | None:
        if not self._is_image(obj):
            return None
        handle = self._handles.get(id(obj))
        if handle is None:
            handle, self._next = self._next, self._next + 1
            self._images[handle], self._handles[id(obj)] = obj, handle
        self._given[handle] = self._given.get(handle, 0) + 1
        width, height = self.backend.size(obj)
        return handle, width, height

    def _free(self, handle: int) -> None:
        left = self._given.get(handle, 0) - 1
        if left > 0:
            self._given[handle] = left
            return
        self._given.pop(handle, None)
        image = self._images.pop(handle, None)
        if image is not None:
            self._handles.pop(id(image), None)
