"""What crosses between a caller and the engine: one call or one reply as bytes, pictures as handles.

Both ends run this same package, so a call is pickled: tuples stay tuples and a Fill stays a Fill,
with no second description of every argument type to keep in step. A picture never crosses; its
handle does (pickle's persistent ids). Only the page and its own worker exchange these bytes.
"""

from __future__ import annotations

import io
import pickle
from dataclasses import dataclass
from typing import Any

IMAGE_TAG = "pyxis.image"  # a persistent id: (IMAGE_TAG, handle, width, height)


class Attached:
    """Stands in a call's arguments for the one object that travels beside the bytes (an ImageBitmap)."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (Attached, ())


ATTACHED = Attached()


@dataclass(frozen=True)
class Call:
    id: int
    op: str
    args: tuple[Any, ...]
    freed: tuple[int, ...] = ()  # handles the caller no longer holds: the engine drops them first


@dataclass(frozen=True)
class Reply:
    id: int
    value: Any = None
    error: BaseException | None = None


def dumps(message: Any, handle_of: Any) -> bytes:
    """`handle_of(obj)` is (handle, width, height) for a picture, None for anything else."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.persistent_id = lambda obj: _tag(handle_of(obj))  # type: ignore[method-assign]
    pickler.dump(message)
    return buffer.getvalue()


def loads(data: bytes, picture_of: Any) -> Any:
    """`picture_of(handle, width, height)` turns a handle back into the caller's or the engine's picture."""
    unpickler = pickle.Unpickler(io.BytesIO(data))
    unpickler.persistent_load = lambda pid: picture_of(*pid[1:])  # type: ignore[method-assign]
    return unpickler.load()


def _tag(known: tuple[int, int, int] | None) -> tuple[str, int, int, int] | None:
    return None if known is None else (IMAGE_TAG, *known)


def portable_error(exc: BaseException) -> BaseException:
    """The exception as it can cross: itself when it pickles, else a RuntimeError with its text."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    exc.__traceback__ = None
    return exc
