"""Inside the engine's worker: the Gemini requests the page hands over (engine_fetch.EngineTransport).

Each is made here with fetch and an AbortController; a large answer is parsed here and its picture
decoded here, with its node thumbnail, so the page's thread never holds 20 MB of text and the
picture is already where the next node needs it. What comes back is posted to the page as it is,
its buffers transferred. The key arrives in the request's headers and leaves with it: nothing here
keeps a request, its headers or its body once it is answered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import js  # browser-only: this module lives in studio.browser
from pyodide.ffi import create_proxy, to_js

from ..gemini.http import DEFAULT_BASE_URL
from .fetch_transport import FAILURES, exchange
from .ffi import is_missing, js_object

# Here an answer of this size or more is parsed in JavaScript, its picture decoded where it landed:
# the parse costs the page nothing, and the picture need not cross to the page and back to be decoded
# (on the page, below 4 MB, fetch_transport.NATIVE_MIN_BYTES, Python's own parse was quicker).
IN_WORKER_MIN_BYTES = 64 * 1024
_controllers: dict[int, Any] = {}  # the AbortController of each request in flight, by its number
_decoder: Any = None  # made at the first request (decoder_for says from what)
_decoder_parts: tuple[Callable[[int, Any, Any], None], Callable[[int], None]] | None = None

# The answer parser's decoder here (see fetch_transport.startDecoding): each picture begins decoding
# under a number of this worker's, which the page's decode of the same bytes adopts (adopt_early).
_DECODER = """
let next = 1;
function decodeInEngine(blob, png) { const number = next++; start(number, blob, png); return number; }
decodeInEngine.drop = drop;
return decodeInEngine;
"""


def decoder_for(start: Callable[[int, Any, Any], None], drop: Callable[[int], None]) -> None:
    """Answers' pictures begin decoding through `start(number, blob, png bytes)`; `drop(number)` forgets one."""
    global _decoder_parts
    _decoder_parts = (start, drop)


def _the_decoder() -> Any:
    global _decoder
    if _decoder is None and _decoder_parts is not None:
        start, drop = _decoder_parts
        _decoder = js.Function.new("start", "drop", _DECODER)(
            create_proxy(lambda number, blob, png: start(int(number), blob, png)),
            create_proxy(lambda number: drop(int(number))),
        )
    return _decoder


async def fetch_for_page(message: Any) -> None:
    """Make the request in `message` ({id, request: {method, url, headers, timeout, native}, body})
    and post the page its "fetched" answer."""
    fetch_id = int(message.id)
    request = message.request
    url = str(request.url)
    reply: dict[str, Any] = {"kind": "fetched", "id": fetch_id}
    transfer: list[Any] = []
    if not url.startswith(DEFAULT_BASE_URL):
        # The key is for Google's API alone: whatever asks, this worker sends it nowhere else.
        reply |= {"failure": "network", "message": "The Studio sends Gemini requests to the Gemini API only."}
        js.postMessage(js_object(reply))
        return
    controller = _controllers[fetch_id] = js.AbortController.new()
    try:
        exchanged = await exchange(
            str(request.method),
            url,
            request.headers.to_py(),
            None if is_missing(message.body) else message.body,
            float(request.timeout),
            controller=controller,
            native=bool(request.native),
            native_min=IN_WORKER_MIN_BYTES,
            decoder=_the_decoder(),
        )
    except tuple(FAILURES.values()) as exc:
        failure = next(name for name, kind in FAILURES.items() if isinstance(exc, kind))
        reply |= {"failure": failure, "message": str(exc)}
    else:
        headers = [[name, value] for name, value in exchanged.headers.items()]
        reply |= {"status": exchanged.status, "headers": headers, "buffer": exchanged.buffer}
        transfer.append(exchanged.buffer)
        if exchanged.parsed is not None:
            reply["parsed"] = exchanged.parsed
            # Each decoded picture's bytes have a buffer of their own (the body's is sent already).
            transfer += [cut[3].buffer for cut in exchanged.parsed.cut if not is_missing(cut[3])]
    finally:
        _controllers.pop(fetch_id, None)
    js.postMessage(js_object(reply), to_js(transfer))


def abort(fetch_id: Any) -> None:
    """The page's request was cancelled: abort its fetch (its answer, if any, is not awaited)."""
    controller = _controllers.pop(int(fetch_id), None)
    if controller is not None:
        controller.abort()
