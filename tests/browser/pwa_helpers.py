"""Helpers for the installable, offline Studio: the built site served under a subpath, and its service worker."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import Page

SUBPATH = "/pyxis-studio"  # a GitHub Pages project site: https://<user>.github.io/<repo>/
ACTIVE = """async () => {
  const reg = await navigator.serviceWorker.ready;
  const worker = reg.active;
  if (worker.state !== "activated") {
    await new Promise(done => worker.addEventListener("statechange", () => worker.state === "activated" && done()));
  }
  return worker.scriptURL;
}"""


class _SubpathHandler(SimpleHTTPRequestHandler):
    """A static host that has the site under SUBPATH only (like Pages): anything else is a 404."""

    protocol_version = "HTTP/1.1"
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".webmanifest": "application/manifest+json",
    }

    def send_head(self):
        if not self.path.startswith(SUBPATH + "/"):
            self.send_error(404)
            return None
        self.path = self.path[len(SUBPATH) :]
        return super().send_head()

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served_under_subpath(folder: Path) -> Iterator[str]:
    """Serve folder at http://127.0.0.1:<port>/pyxis-studio/ (a thread of this process); yields that URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_SubpathHandler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{SUBPATH}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def wait_worker_active(page: Page) -> str:
    """Wait until the page's service worker has precached everything and is active; its script URL."""
    return page.evaluate(ACTIVE)
