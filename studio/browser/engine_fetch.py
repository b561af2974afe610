"""The Gemini client's transport on the page when the engine's worker is up: the worker makes the HTTP
exchange (studio/browser/worker_fetch.py), so a large answer is read, parsed and its picture decoded
off the page's thread, and the picture is already where the next node needs it.

The key travels in the request's headers, for that one request: the worker keeps no copy (the key
store stays on the page). Without a worker (it could not start, or ?engine=page) the page fetches
itself (FetchTransport).
"""

from __future__ import annotations

import asyncio
from typing import Any

import js  # browser-only: this module lives in studio.browser

from ..core.errors import ImageError
from ..gemini.errors import AnswerLost, NetworkError
from ..gemini.http import HttpRequest, HttpResponse
from .engine_link import IN_PAGE, EngineLink, EngineUnavailable
from .fetch_transport import FAILURES, Exchanged, FetchTransport, parse_in_python, response_of
from .ffi import is_missing, js_bytes


def transport_for(backend: Any) -> Any:
    """The Gemini transport for the Studio's backend: through its engine worker, or the page's fetch."""
    link = getattr(backend, "link", None)
    return EngineTransport(link) if isinstance(link, EngineLink) else FetchTransport()


class EngineTransport:
    """studio.gemini.http.Transport through the engine's worker; the page's fetch when there is none."""

    def __init__(self, link: EngineLink, page: FetchTransport | None = None) -> None:
        self._link = link
        self._page = page if page is not None else FetchTransport()

    def __repr__(self) -> str:
        return "EngineTransport()"

    async def send(self, request: HttpRequest) -> HttpResponse:
        await self._link.started()  # a request made while the worker boots waits for it (~1 s)
        if self._link.state == IN_PAGE or _on_page():
            return await self._page.send(request)
        asked = {
            "method": request.method,
            "url": request.url,
            "headers": dict(request.headers),
            "timeout": request.timeout,
            "native": not parse_in_python(),
        }
        body = None if request.body is None else js_bytes(request.body)  # its buffer is transferred
        fetch_id, answer = self._link.open_fetch(asked, body)
        try:
            message = await answer
        except asyncio.CancelledError:
            self._link.abort_fetch(fetch_id)
            raise
        except EngineUnavailable:
            return await self._page.send(request)  # it could not start after all: nothing was sent
        except ImageError:
            # The worker stopped with the request in flight: Google may have answered (and billed)
            # it. Never sent again on its own (AnswerLost is not retried): the user runs again.
            raise AnswerLost() from None
        return response_of(_exchanged(message))


def _exchanged(message: Any) -> Exchanged:
    failure = getattr(message, "failure", None)
    if not is_missing(failure):
        raise FAILURES.get(str(failure), NetworkError)(str(message.message))  # as the worker's fetch raised it
    headers = {str(name): str(value) for name, value in message.headers}
    parsed = getattr(message, "parsed", None)
    return Exchanged(int(message.status), headers, message.buffer, None if is_missing(parsed) else parsed)


def _on_page() -> bool:
    """benchmarks/ai_browser.py --compare-fetch sets this page global to time the page's own fetch
    against the worker's, interleaved in one page (off unless a benchmark sets it)."""
    return bool(getattr(js.globalThis, "__pyxisFetchOnPage", False))
