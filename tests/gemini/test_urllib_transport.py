"""The CPython transport against a real HTTP server on 127.0.0.1 (started and stopped here)."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from studio.gemini import (
    GeminiClient,
    HttpRequest,
    NetworkError,
    RateLimited,
    RequestTimeout,
    RetryPolicy,
    ServiceError,
)
from studio.gemini.urllib_transport import UrllibTransport

from . import wire
from .wire import JPEG, KEY, PNG, image_answer, inline, run

NO_RETRY = RetryPolicy(rate_limit_retries=0, transient_retries=0, timeout_retries=0)


class FakeGoogle(BaseHTTPRequestHandler):
    """Answers like the Gemini API by path; records what it received."""

    seen: list[dict] = []

    def log_message(self, *args):  # keep test output clean
        pass

    def _answer(self, status: int, body: bytes, content_type: str = "application/json; charset=UTF-8", **headers: str):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (the timeout test)
            pass

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        self.seen.append({"method": self.command, "path": self.path, "headers": headers, "body": body})
        if self.path.endswith("/models/gemini-nano-banana-2.1:generateContent"):
            self._answer(200, json.dumps(image_answer({"text": "done"}, inline(JPEG, "image/png"))).encode())
        elif self.path.endswith("/models/limited-image:generateContent"):
            self._answer(429, wire.RATE_LIMITED.encode())
        elif self.path.endswith("/models/moved-image:generateContent"):
            self._answer(302, b"", "text/html", Location="http://127.0.0.1:9/stolen")
        elif self.path.endswith("/models/slow-image:generateContent"):
            time.sleep(1.0)
            self._answer(200, b"{}")
        elif self.path.startswith("/v1beta/models?"):
            self._answer(
                200,
                json.dumps(
                    {
                        "models": [
                            {"name": "models/gemini-3-pro-image", "supportedGenerationMethods": ["generateContent"]}
                        ]
                    }
                ).encode(),
            )
        else:
            self._answer(404, wire.MODEL_NOT_FOUND.encode())

    do_GET = do_POST = _handle


@pytest.fixture
def server():
    FakeGoogle.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeGoogle)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1beta/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def client(base_url, **options):
    return GeminiClient(UrllibTransport(), lambda: KEY, base_url=base_url, retry=NO_RETRY, **options)


def test_200_end_to_end(server):
    result = run(client(server).generate(prompt="edit", images=[PNG]))
    assert (result.image, result.mime, result.text) == (JPEG, "image/jpeg", "done")
    (seen,) = FakeGoogle.seen
    assert seen["method"] == "POST"
    assert seen["path"] == "/v1beta/models/gemini-nano-banana-2.1:generateContent"
    assert seen["headers"]["x-goog-api-key"] == KEY
    assert seen["headers"]["content-type"] == "application/json"
    assert KEY not in seen["path"]
    assert json.loads(seen["body"])["contents"][0]["parts"][0] == {"text": "edit"}


def test_429_body_comes_back_as_a_response(server):
    request = HttpRequest(
        "POST",
        server + "models/limited-image:generateContent",
        {"Content-Type": "application/json", "x-goog-api-key": KEY},
        b"{}",
        10,
    )
    response = run(UrllibTransport().send(request))
    assert response.status == 429
    assert json.loads(response.body)["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert response.headers["content-type"].startswith("application/json")


def test_429_through_the_client(server):
    with pytest.raises(RateLimited) as caught:
        run(client(server).generate(prompt="p", model="limited-image"))
    assert caught.value.retry_delay == 47.0


def test_redirects_are_not_followed(server):
    with pytest.raises(ServiceError, match="HTTP 302"):
        run(client(server).generate(prompt="p", model="moved-image"))
    assert len(FakeGoogle.seen) == 1  # nothing went to the Location


def test_list_models_over_http(server):
    assert run(client(server).list_models()) == ["gemini-3-pro-image"]
    assert FakeGoogle.seen[0]["path"] == "/v1beta/models?pageSize=1000"
    assert FakeGoogle.seen[0]["method"] == "GET"


def test_timeout(server):
    with pytest.raises(RequestTimeout, match="within 0.3 s"):
        run(client(server, timeout=0.3).generate(prompt="p", model="slow-image"))


def test_connection_refused_is_a_network_error():
    with socket.socket() as probe:  # a port that was free a moment ago, now closed: nobody listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(NetworkError) as caught:
        run(client(f"http://127.0.0.1:{port}/v1beta/").generate(prompt="p"))
    assert "Check your internet connection" in str(caught.value)
    assert KEY not in repr(caught.value)
