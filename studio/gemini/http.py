"""The HTTP layer the Gemini client talks through: request, response and the transport protocol."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

# Where every request goes (the engine's worker refuses any other address: the key goes nowhere else).
DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta/"
# Header names whose values are secrets: they never appear in a repr, a log line or a message.
SECRET_HEADERS = frozenset({"x-goog-api-key", "authorization"})


@dataclass(frozen=True)
class HttpRequest:
    """One HTTP exchange to make. `timeout` is in seconds, for the whole exchange."""

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    timeout: float = 120.0

    def __repr__(self) -> str:
        # The dataclass repr would print the key header; show that it is there, never its value.
        shown = {
            name: ("<secret>" if name.lower() in SECRET_HEADERS else value) for name, value in self.headers.items()
        }
        size = "None" if self.body is None else f"<{len(self.body)} bytes>"
        return (
            f"HttpRequest(method={self.method!r}, url={self.url!r}, headers={shown!r}, "
            f"body={size}, timeout={self.timeout!r})"
        )


@dataclass(frozen=True)
class HttpResponse:
    """What came back: any status (4xx/5xx included), lower-cased header names, the raw body.

    A transport may parse a JSON answer where its bytes are (the page's fetch parses it natively
    in JavaScript): then `data` is the parsed JSON, `body` may be empty, and `decoded` maps the
    index of each inlineData part of the first candidate to its bytes, already base64-decoded,
    so that Python never scans megabytes of JSON and base64 (parts missing there are decoded
    by the client as usual).
    """

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    data: Any = None
    decoded: dict[int, bytes] = field(default_factory=dict)

    def __repr__(self) -> str:
        # Bodies hold megabytes of base64; a repr that prints them would bury any log.
        parsed = ", parsed" if self.data is not None else ""
        return f"HttpResponse(status={self.status!r}, body=<{len(self.body)} bytes>{parsed})"


@runtime_checkable
class Transport(Protocol):
    """Sends one request and returns the response, whatever its status.

    An HTTP error status is not an exception here: return it as an HttpResponse (the client reads
    the API's error body). Raise only for exchanges that produced no response:

    - `studio.gemini.errors.NetworkError`: offline, DNS failure, connection refused or reset, a
      blocked request (in the browser, fetch's TypeError, which also covers CORS refusals);
    - `studio.gemini.errors.RequestTimeout`: no complete response within `request.timeout`;
    - `studio.core.errors.Cancelled`: the request was aborted because the user cancelled.

    When the task awaiting `send` is cancelled (asyncio.CancelledError), abort the request in
    flight (the browser transport calls AbortController.abort()) and let the cancellation
    propagate: this is how the client's `check_cancelled` stops a request mid-way.

    Follow no redirects (they could carry the key header to another host) and add no headers of
    your own (every extra header risks the browser's CORS preflight). Never put a header value
    into an exception message.

    A plain `async def send(request) -> HttpResponse` function is accepted as well.
    """

    async def send(self, request: HttpRequest) -> HttpResponse: ...
