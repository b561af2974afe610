"""Pictures whose decoding started where their bytes arrived: a Gemini answer's image is handed
to the browser's decoder (off the main thread) while Python still reads the rest of the answer.

The transport remembers the decoding under the very bytes object it hands on; the canvas
backend's `decode` of those bytes then awaits it instead of decoding again. A decoding nobody
takes (a step not shown) is dropped after a few, its bitmap closed.
"""

from __future__ import annotations

from typing import Any

from .ffi import is_missing

KEPT = 2  # answers in flight at once: a follow-up chain decodes one image per step
_started: dict[int, tuple[bytes, Any]] = {}  # id(bytes) -> (the bytes, a Promise of ImageBitmap or null)


def remember(data: bytes, decoding: Any) -> None:
    """`decoding` (a JavaScript Promise of an ImageBitmap, or of null if the browser failed) is `data`'s."""
    _started[id(data)] = (data, decoding)
    while len(_started) > KEPT:
        _, dropped = _started.pop(next(iter(_started)))
        _close_when_decoded(dropped)


def take(data: bytes) -> Any | None:
    """The decoding started for exactly this bytes object (identity, not equality), once."""
    entry = _started.get(id(data))
    if entry is None or entry[0] is not data:
        return None
    del _started[id(data)]
    return entry[1]


async def bitmap_of(data: bytes) -> Any | None:
    """The ImageBitmap the early decoding of exactly these bytes gave, once; None if none was started
    or the browser could not decode them (then decode them as any file)."""
    started = take(data)
    if started is None:
        return None
    bitmap = await started
    return None if is_missing(bitmap) else bitmap


def _close_when_decoded(decoding: Any) -> None:
    global _closer
    if _closer is None:  # in JavaScript: no Python callback left waiting on the promise
        import js  # browser-only: this module lives in studio.browser

        _closer = js.Function.new("p", "p.then(bitmap => bitmap && bitmap.close())")
    _closer(decoding)


_closer: Any = None
