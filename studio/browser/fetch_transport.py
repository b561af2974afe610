"""The Gemini client's HTTP transport in the page: the browser's fetch, with abort for cancel and timeout.

Implements studio.gemini.http.Transport: every HTTP status comes back as an HttpResponse;
fetch's own failure (offline, DNS, CORS refusal, a redirect) raises NetworkError; no complete
answer within `request.timeout` raises RequestTimeout; when the awaiting task is cancelled
(the user pressed Cancel, the client's check_cancelled fired), the request is aborted with
AbortController.abort() and the cancellation propagates.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import js  # browser-only: this module lives in studio.browser
from pyodide.ffi import JsException, create_proxy

from ..backend.protocol import MAX_PIXELS, MAX_SIDE
from ..core.errors import Cancelled, StudioError
from ..gemini.errors import NetworkError, RequestTimeout
from ..gemini.http import HttpRequest, HttpResponse
from . import predecode
from .ffi import is_missing, js_object

# Parses a JSON answer where its bytes are, natively: each large inlineData part of the first
# candidate decoded with Uint8Array.fromBase64 (Chromium 140+, Firefox 133+, Safari 18.2+) and cut
# out of the tree: its base64 text reaches Python as a slice of the body's bytes (a copy), never as
# a JavaScript string (Pyodide converts those code unit by code unit: ~1 s for 20 MB) nor through
# Python's JSON parser or base64 decoder. Returns null when the body is not JSON (Python then reads
# the bytes and explains); a part whose text is escaped in the JSON, or that fromBase64 refuses
# (URL-safe), stays in the tree and is decoded by Python as before.
# The picture's decoding starts before JSON.parse, from the "data" text after each "inlineData" key
# (the parse and the search for the part's text then run while it decodes). That text is only a
# guess until the parse: it is used for the part whose text it is, exactly, and dropped otherwise.
PARSE_NATIVELY = r"""
return function parseGeminiAnswer(buffer, maxSide, maxPixels, decodeInEngine) {
  const bytes = new Uint8Array(buffer);
  let text, data;
  try { text = new TextDecoder('utf-8', {fatal: true}).decode(bytes); } catch (e) { return null; }
  const early = [];  // [text offset, base64 text, decoded bytes or null, its decoding]
  const LARGE = 4096;  // base64 characters: smaller images are left in the tree for Python
  const KEY = '"inlineData"', OPEN = /^\s*:\s*\{\s*(?:"mimeType"\s*:\s*"[^"\\]*"\s*,\s*)?"data"\s*:\s*"/;
  for (let key = text.indexOf(KEY); key >= 0; key = text.indexOf(KEY, key + KEY.length)) {
    const open = OPEN.exec(text.slice(key + KEY.length, key + KEY.length + 200));
    if (!open) continue;
    const at = key + KEY.length + open[0].length, close = text.indexOf('"', at);
    if (close - at < LARGE) continue;
    const b64 = text.slice(at, close), decoded = fromBase64(b64);
    early.push([at, b64, decoded, decoded && startDecoding(decoded, maxSide, maxPixels, decodeInEngine)]);
    key = close;
  }
  try { data = JSON.parse(text); } catch (e) { early.forEach(drop); return null; }
  const cut = [];  // [part index, byte start, byte end, decoded bytes or null, its decoding or null]
  const candidates = data && data.candidates;
  const parts = Array.isArray(candidates) && candidates[0] && candidates[0].content && candidates[0].content.parts;
  const ascii = bytes.length === text.length;
  let from = 0;
  if (Array.isArray(parts)) parts.forEach((part, index) => {
    const inline = part && part.inlineData;
    const b64 = inline && inline.data;
    if (typeof b64 !== 'string' || b64.length < LARGE) return;
    const guess = early.findIndex(([at, guessed]) => at >= from && guessed === b64);
    const at = guess >= 0 ? early[guess][0] : text.indexOf(b64, from);
    if (at < 1 || text[at - 1] !== '"' || text[at + b64.length] !== '"') return;
    const [decoded, decoding] = guess >= 0 ? early.splice(guess, 1)[0].slice(2) : [fromBase64(b64), undefined];
    const start = ascii ? at : new TextEncoder().encode(text.slice(0, at)).length;
    const end = ascii ? start + b64.length : start + new TextEncoder().encode(b64).length;
    cut.push([index, start, end, decoded, decoding !== undefined ? decoding : decoded && startDecoding(decoded, maxSide, maxPixels, decodeInEngine)]);
    from = at + b64.length;
    inline.data = '';
  });
  early.forEach(drop);  // guessed wrong (not the first candidate's picture): no one will take these
  return {data, cut, bytes};

  function drop([, , , decoding]) {
    if (typeof decoding === 'number') decodeInEngine.drop(decoding);
    else if (decoding) decoding.then(bitmap => bitmap && bitmap.close());
  }
};
function fromBase64(b64) {
  if (typeof Uint8Array.fromBase64 !== 'function') return null;
  try { return Uint8Array.fromBase64(b64); } catch (e) { return null; }
}
// A PNG within the size limits (read from its IHDR, as Python's header check does) goes to a decoder
// at once: the engine's worker's own, where this parse runs and the picture is needed (it answers with
// a number), or the browser's (a Promise of an ImageBitmap) on a page without a worker; anything else
// is decoded later, checked first.
function startDecoding(png, maxSide, maxPixels, decodeInEngine) {
  const signature = [137, 80, 78, 71, 13, 10, 26, 10];
  if (png.length < 24 || signature.some((b, i) => png[i] !== b)) return null;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const width = view.getUint32(16), height = view.getUint32(20);
  if (!width || !height || width > maxSide || height > maxSide || width * height > maxPixels) return null;
  const blob = new Blob([png], {type: 'image/png'});
  if (decodeInEngine) return decodeInEngine(blob, png);
  const options = {imageOrientation: 'from-image', premultiplyAlpha: 'none', colorSpaceConversion: 'none'};
  return createImageBitmap(blob, options).catch(() => null);
}
"""
_parser: Any = None
# Below this the crossing into JavaScript and back costs more than Python's own parsing saves
# (benchmarks/ai_parse.py: a 1K answer, 1.3 MB, parses faster in Python; a 4K one, 20 MB, not).
NATIVE_MIN_BYTES = 4 * 1024 * 1024


# The ways an exchange fails without an answer, by the name the engine's worker gives the page for
# each (worker_fetch.py names it, engine_fetch.py raises it again).
FAILURES: dict[str, type[StudioError]] = {"timeout": RequestTimeout, "network": NetworkError, "cancelled": Cancelled}


@dataclass
class Exchanged:
    """What fetch brought back, still in JavaScript: it may be posted from the worker to the page
    as it is (the buffers transferred, not copied); `response_of` makes it an HttpResponse."""

    status: int
    headers: dict[str, str]
    buffer: Any  # the body's ArrayBuffer
    parsed: Any = None  # PARSE_NATIVELY's {data, cut, bytes}, or None when Python reads the body


async def exchange(
    method: str,
    url: str,
    headers: dict[str, str],
    body: Any,
    timeout: float,
    *,
    controller: Any = None,
    native: bool = True,
    native_min: int = NATIVE_MIN_BYTES,
    decoder: Any = None,
    fetch: Any = None,
) -> Exchanged:
    """One fetch with exactly these headers, no cookies, no redirects (see FetchTransport), wherever
    this Python runs: the page, or the engine's worker. `body` is bytes or a Uint8Array; `controller`
    an AbortController whose abort() cancels it (a new one when None); `native`: a JSON answer of
    `native_min` bytes or more may be parsed in JavaScript; `decoder`: where that parse hands the answer's pictures (None: the
    browser's decoder of this thread). Raises NetworkError, RequestTimeout or Cancelled."""
    controller = controller if controller is not None else js.AbortController.new()
    timed_out = False

    def on_timeout() -> None:
        nonlocal timed_out
        timed_out = True
        controller.abort()

    timer_proxy = create_proxy(on_timeout)
    timer = js.setTimeout(timer_proxy, max(1, int(timeout * 1000)))
    body_proxy = body_buffer = None
    try:
        options: dict[str, Any] = {
            "method": method,
            "headers": js_object(dict(headers)),
            "signal": controller.signal,
            "credentials": "omit",
            "redirect": "error",
            "mode": "cors",
        }
        if isinstance(body, bytes):
            # A view on Python's own memory: fetch copies the bytes once when it takes the
            # body (synchronously, inside the fetch() call), so no extra copy is made here.
            body_proxy = create_proxy(body)
            body_buffer = body_proxy.getBuffer("u8")
            options["body"] = body_buffer.data
        elif body is not None:
            options["body"] = body  # a Uint8Array the page posted to the worker
        try:
            pending = (fetch if fetch is not None else js.fetch)(url, js_object(options))
        finally:
            if body_buffer is not None:
                body_buffer.release()
                body_proxy.destroy()
        response = await pending
        buffer = await response.arrayBuffer()
        found = {str(name).lower(): str(value) for name, value in response.headers.entries()}
        status = int(response.status)
        big = int(buffer.byteLength) >= native_min
        if status == 200 and big and native and "json" in found.get("content-type", "json"):
            # Parsed and its images decoded in JavaScript: Python never walks 20 MB of base64.
            parsed = _native_parser()(buffer, MAX_SIDE, MAX_PIXELS, decoder)
            if not is_missing(parsed):
                return Exchanged(status, found, buffer, parsed)
        return Exchanged(status, found, buffer)
    except JsException as exc:
        if timed_out:
            raise RequestTimeout() from None
        name = str(getattr(exc, "name", "") or type(exc).__name__)
        if name == "AbortError":
            # Aborted by someone else (the page is going away, the user cancelled): the run is over.
            raise Cancelled() from None
        # fetch's TypeError says only "Failed to fetch" (offline, DNS, CORS, redirect);
        # the message never contains a header value.
        raise NetworkError(f"{NetworkError.default_message} ({name}: {_first_line(exc)})") from None
    finally:
        js.clearTimeout(timer)
        timer_proxy.destroy()


def _native_parser() -> Any:
    global _parser
    if _parser is None:
        _parser = js.Function.new(PARSE_NATIVELY)()
    return _parser


def response_of(exchanged: Exchanged) -> HttpResponse:
    """The HttpResponse of what fetch brought back (on the page: Python takes the bytes here)."""
    if exchanged.parsed is None:
        # Errors and unreadable answers: the bytes, copied into Python once (to_bytes).
        return HttpResponse(exchanged.status, exchanged.headers, js.Uint8Array.new(exchanged.buffer).to_bytes())
    parsed = exchanged.parsed
    data = _plain(parsed.data.to_py())  # small now: the big base64 texts were cut out
    cut = [(int(e[0]), int(e[1]), int(e[2]), e[3], e[4]) for e in parsed.cut]
    decoded: dict[int, bytes] = {}
    if cut:
        body = parsed.bytes.to_bytes()  # one copy of the body, then slices of it
        parts = data["candidates"][0]["content"]["parts"]
        for index, start, end, ready, decoding in cut:
            parts[index]["inlineData"]["data"] = body[start:end].decode("utf-8")  # ASCII: a copy
            if not is_missing(ready):
                decoded[index] = ready.to_bytes()
                if not is_missing(decoding):
                    predecode.remember(decoded[index], decoding)
    return HttpResponse(exchanged.status, exchanged.headers, b"", data=data, decoded=decoded)


def _plain(value: Any) -> Any:
    """JSON null as None (Pyodide may give jsnull): the tree goes into node data and the autosave.
    Walks the few objects and lists of an answer, not the text inside its strings."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return None if is_missing(value) else value


class FetchTransport:
    """fetch() with exactly the caller's headers, no cookies, no redirects.

    - `credentials: "omit"`: no cookies or HTTP auth of the user's Google session ride along.
    - `redirect: "error"`: a redirect could carry the key header to another host; fetch refuses it
      (it then rejects like a network failure).
    - The referrer policy is left at the browser default (strict-origin-when-cross-origin: the
      page's origin, never its path or hash). On purpose: docs/gemini-api-key.md recommends
      restricting the key to "Websites (HTTP referrers)", and Google checks such a key against
      the Referer header. With "no-referrer" every restricted key would be refused with 403.
    - No `cache` option and no header of our own: anything beyond Content-Type and
      x-goog-api-key risks a CORS preflight the API does not answer.

    This one fetches from the page: where no engine worker runs (engine_fetch.EngineTransport
    sends the same exchange to the worker when there is one).
    """

    def __init__(self, fetch: Any = None) -> None:
        # Injectable for tests of the transport itself; the page's fetch by default.
        self._fetch = fetch

    def __repr__(self) -> str:
        return "FetchTransport()"

    async def send(self, request: HttpRequest) -> HttpResponse:
        controller = js.AbortController.new()
        try:
            exchanged = await exchange(
                request.method,
                request.url,
                request.headers,
                request.body,
                request.timeout,
                controller=controller,
                native=not parse_in_python(),
                fetch=self._fetch,
            )
        except asyncio.CancelledError:
            controller.abort()
            raise
        return response_of(exchanged)


def parse_in_python() -> bool:
    """benchmarks/ai_browser.py --compare sets this page global to time the Python path against the
    native one, interleaved in one page (off unless a benchmark sets it)."""
    return bool(getattr(js.globalThis, "__pyxisParseInPython", False))


def _first_line(exc: Exception) -> str:
    text = str(getattr(exc, "message", "") or exc).strip()
    return (text.splitlines()[0] if text else "no details")[:200]
