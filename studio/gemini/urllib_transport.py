"""The CPython transport: urllib.request in a worker thread (used by `studio run` and tests)."""

from __future__ import annotations

import asyncio
import http.client
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any

from .errors import NetworkError, RequestTimeout
from .http import HttpRequest, HttpResponse

if TYPE_CHECKING:  # ssl is an optional module under Pyodide: this file must still import there
    import ssl


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Turn every redirect into the 3xx response it is: following one would send the
    x-goog-api-key header (and the user's images) to wherever the redirect points."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


class UrllibTransport:
    """Sends HttpRequests with the standard library; blocking I/O runs in a thread.

    Honours the usual proxy environment variables. `context` replaces the default TLS context
    (certificate checks stay on by default).
    """

    def __init__(self, *, context: ssl.SSLContext | None = None) -> None:
        handlers: list[Any] = [_NoRedirects()]
        if context is not None:
            handlers.append(urllib.request.HTTPSHandler(context=context))
        self._opener = urllib.request.build_opener(*handlers)

    async def send(self, request: HttpRequest) -> HttpResponse:
        # The socket timeout bounds each connect/read; wait_for bounds the whole exchange. A
        # thread left behind by a timeout or a cancel ends by itself at the socket timeout.
        try:
            return await asyncio.wait_for(asyncio.to_thread(self._send_blocking, request), request.timeout)
        except TimeoutError:
            raise RequestTimeout(_timeout_message(request.timeout)) from None

    def _send_blocking(self, request: HttpRequest) -> HttpResponse:
        prepared = urllib.request.Request(
            request.url, data=request.body, headers=dict(request.headers), method=request.method
        )
        try:
            with self._opener.open(prepared, timeout=request.timeout) as response:
                return HttpResponse(response.status, _headers(response.headers), response.read())
        except urllib.error.HTTPError as error:
            # An HTTP error status is an answer, not a failure of the transport.
            try:
                body = error.read()
            finally:
                error.close()
            return HttpResponse(error.code, _headers(error.headers), body)
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):  # socket.timeout is TimeoutError since 3.10
                raise RequestTimeout(_timeout_message(request.timeout)) from None
            raise NetworkError(f"{NetworkError.default_message} ({error.reason})") from None
        except TimeoutError:
            raise RequestTimeout(_timeout_message(request.timeout)) from None
        except (OSError, http.client.HTTPException) as error:
            # Resets, aborts and truncated bodies while reading surface outside URLError.
            raise NetworkError(f"{NetworkError.default_message} ({type(error).__name__}: {error})") from None


def _headers(headers: Any) -> dict[str, str]:
    return {name.lower(): value for name, value in (headers.items() if headers is not None else ())}


def _timeout_message(seconds: float) -> str:
    return (
        f"Gemini did not answer within {seconds:g} s. Run again; a smaller image size or fewer input images is faster."
    )
