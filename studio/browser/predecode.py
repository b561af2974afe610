"""Pictures whose decoding started where their bytes arrived: a Gemini answer's image is handed
to a decoder (the engine's worker, which fetched it, or the page's browser decoder when there is no
worker) while Python still reads the rest of the answer.

The transport remembers the decoding under the very bytes object it hands on; the backend's `decode`
of those bytes then takes it instead of decoding again. A decoding nobody takes (a step not shown)
is dropped after a few: a page bitmap is closed, and the worker is told to forget its own.
"""

from __future__ import annotations

from typing import Any

from .ffi import is_missing, js_object

KEPT = 2  # answers in flight at once: a follow-up chain decodes one image per step
# id(bytes) -> (the bytes, a Promise of ImageBitmap or null, or the number the engine decodes it under)
_started: dict[int, tuple[bytes, Any]] = {}
# The engine's worker while it is up: where a number names a picture.
_worker: Any = None


def decode_in_engine(worker: Any) -> None:
    """This engine worker is up (None: it stopped, and the pictures it held went with it: a number it
    handed out must never name a new worker's picture)."""
    global _worker
    _worker = worker
    if worker is None:
        for key in [key for key, (_, started) in _started.items() if in_engine(started) is not None]:
            del _started[key]


def remember(data: bytes, decoding: Any) -> None:
    """`decoding` (a JavaScript Promise of an ImageBitmap or of null if the browser failed, or the
    number the engine decodes it under) is `data`'s."""
    _started[id(data)] = (data, decoding)
    while len(_started) > KEPT:
        _, dropped = _started.pop(next(iter(_started)))
        if in_engine(dropped) is None:
            _close_when_decoded(dropped)
        elif _worker is not None:
            _worker.postMessage(js_object({"kind": "early-drop", "number": dropped}))


def take(data: bytes) -> Any | None:
    """The decoding started for exactly this bytes object (identity, not equality), once."""
    entry = _started.get(id(data))
    if entry is None or entry[0] is not data:
        return None
    del _started[id(data)]
    return entry[1]


def in_engine(started: Any) -> int | None:
    """The engine's number for a decoding `take` gave, or None when the page decoded it."""
    return int(started) if isinstance(started, (int, float)) else None


async def bitmap_of(data: bytes) -> Any | None:
    """The ImageBitmap the page's early decoding of exactly these bytes gave, once; None if none was
    started here or the browser could not decode them (then decode them as any file)."""
    started = take(data)
    if started is None or in_engine(started) is not None:
        return None
    return await page_bitmap(started)


async def page_bitmap(started: Any) -> Any | None:
    """What a page decoding (not the engine's) that `take` gave came to: its ImageBitmap, or None
    when the browser could not decode the bytes (then decode them as any file)."""
    bitmap = await started
    return None if is_missing(bitmap) else bitmap


def _close_when_decoded(decoding: Any) -> None:
    global _closer
    if _closer is None:  # in JavaScript: no Python callback left waiting on the promise
        import js  # browser-only: this module lives in studio.browser

        _closer = js.Function.new("p", "p.then(bitmap => bitmap && bitmap.close())")
    _closer(decoding)


_closer: Any = None
