"""Pictures whose decoding started where their bytes arrived: a Gemini answer's image is handed
to a decoder (the engine's worker, or the page's browser decoder before the worker is up) while
Python still reads the rest of the answer.

The transport remembers the decoding under the very bytes object it hands on; the backend's `decode`
of those bytes then takes it instead of decoding again. A decoding nobody takes (a step not shown)
is dropped after a few: a page bitmap is closed, and the worker bounds its own.
"""

from __future__ import annotations

from typing import Any

from .ffi import is_missing

KEPT = 2  # answers in flight at once: a follow-up chain decodes one image per step
# id(bytes) -> (the bytes, a Promise of ImageBitmap or null, or the number the engine decodes it under)
_started: dict[int, tuple[bytes, Any]] = {}
# The engine's worker while it is up, and the decoder that posts pictures to it (made when needed).
_worker: Any = None
_in_engine: Any = None

# Posts a PNG Blob to the worker and names it by a number no other picture of this page ever had
# (the count outlives each worker: a number handed out before a restart never names a new worker's
# picture); `drop` lets the worker forget one nobody will take.
_POST_EARLY = """
let next = 1;
return function (worker) {
  function decodeInEngine(blob) {
    const number = next++;
    worker.postMessage({kind: 'early', number, blob});
    return number;
  }
  decodeInEngine.drop = number => worker.postMessage({kind: 'early-drop', number});
  return decodeInEngine;
};
"""
_post_early: Any = None


def decode_in_engine(worker: Any) -> None:
    """From now on, answers' pictures go to this engine worker (None: the page decodes them itself)."""
    global _worker, _in_engine
    _worker, _in_engine = worker, None


def engine_decoder() -> Any:
    """What the answer parser hands each picture to: the engine's decoder, or None (the page's own)."""
    global _in_engine, _post_early
    import js  # browser-only: this module lives in studio.browser

    # benchmarks/ai_browser.py --compare-decode sets this page global to time the page's decoder
    # against the engine's, interleaved in one page (off unless a benchmark sets it).
    if _worker is None or getattr(js.globalThis, "__pyxisDecodeOnPage", False):
        return None
    if _in_engine is None:
        if _post_early is None:
            _post_early = js.Function.new(_POST_EARLY)()
        _in_engine = _post_early(_worker)
    return _in_engine


def remember(data: bytes, decoding: Any) -> None:
    """`decoding` (a JavaScript Promise of an ImageBitmap or of null if the browser failed, or the
    number the engine decodes it under) is `data`'s."""
    _started[id(data)] = (data, decoding)
    while len(_started) > KEPT:
        _, dropped = _started.pop(next(iter(_started)))
        if in_engine(dropped) is None:
            _close_when_decoded(dropped)
        elif _in_engine is not None:  # (a worker that stopped took its pictures with it)
            _in_engine.drop(dropped)


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
