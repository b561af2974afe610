"""The local development server: serves the repository on 127.0.0.1 (edits show on reload), never its dotfiles."""

from __future__ import annotations

import errno
import io
import sys
import webbrowser
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import build, docs_html, pyscript_toml, service_worker, snapshot
from .runtime import REPO_ROOT, ensure_runtime

DEFAULT_PORT = 8765
HOST = "127.0.0.1"


class StudioRequestHandler(SimpleHTTPRequestHandler):
    """Static files with the types PyScript needs, no caching, and nothing hidden (.git, .venv, .env)."""

    protocol_version = "HTTP/1.1"  # keep-alive: the page makes ~80 requests at boot
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        # Set explicitly: the system's mime.types may lack or differ on these.
        # Every text type names its charset: without one a browser guesses (mojibake in docs).
        ".js": "text/javascript; charset=utf-8",
        ".mjs": "text/javascript; charset=utf-8",
        ".wasm": "application/wasm",
        ".json": "application/json; charset=utf-8",
        ".webmanifest": "application/manifest+json; charset=utf-8",
        ".toml": "text/plain; charset=utf-8",
        ".py": "text/plain; charset=utf-8",
        ".txt": "text/plain; charset=utf-8",
        ".md": "text/markdown; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".html": "text/html; charset=utf-8",
        ".svg": "image/svg+xml; charset=utf-8",
        ".zip": "application/zip",
    }

    def send_head(self):
        path = unquote(urlsplit(self.path).path)
        if any(part.startswith(".") for part in path.split("/") if part):
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        # Symlinks must not lead outside the served root.
        root = Path(self.directory).resolve()
        target = Path(self.translate_path(self.path)).resolve()
        if target != root and root not in target.parents:
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        if not target.exists():
            generated = self._generated(root, target)
            if generated is not None:
                return generated
        return super().send_head()

    def _generated(self, root: Path, target: Path):
        """What `studio build` writes but the repository only has as a source: sw.js, and docs/*.html from
        docs/*.md, made on each request so edits show on reload; Python's memory snapshot."""
        source = target.with_suffix(".md")
        if target == root / service_worker.SCRIPT:
            # Made per request from the files as they are: an edit shows as "a new version is ready".
            body = service_worker.render(service_worker.entries_of(build.dev_files(root))).encode("utf-8")
            kind = "text/javascript; charset=utf-8"
        elif target.suffix == ".html" and target.parent == root / docs_html.DOCS_DIR and source.is_file():
            body = docs_html.render_file(source).html.encode("utf-8")
            kind = "text/html; charset=utf-8"
        elif target == root / snapshot.SNAPSHOT and (made := snapshot.snapshot_gz(root)) is not None:
            body, kind = made, "application/gzip"  # made once (with Node) and cached, as the build does
        else:
            return None
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def list_directory(self, path):
        # No listings: they would show dotfiles, and the Studio never needs them.
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")  # revalidate, so edits show on a plain reload
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        pass  # quiet: failed requests are reported by log_request below

    def log_request(self, code="-", size="-") -> None:
        status = getattr(code, "value", code)
        if isinstance(status, int) and status >= 400:
            sys.stderr.write(f"{status} {self.command} {self.path}\n")


def make_server(root: Path = REPO_ROOT, port: int | None = None) -> ThreadingHTTPServer:
    """Bind the server (not started). port None/0: DEFAULT_PORT, or any free port if that is taken."""
    handler = partial(StudioRequestHandler, directory=str(Path(root).resolve()))
    if port:
        return ThreadingHTTPServer((HOST, port), handler)
    try:
        return ThreadingHTTPServer((HOST, DEFAULT_PORT), handler)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        return ThreadingHTTPServer((HOST, 0), handler)


def serve(root: Path = REPO_ROOT, port: int | None = None, open_browser: bool = True) -> int:
    """Serve the Studio until Ctrl+C; returns the process exit code."""
    root = Path(root)
    try:
        ensure_runtime(root)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if pyscript_toml.check(root):
        print(
            "warning: pyscript.toml is out of date with the studio package; run `python -m studio.site.pyscript_toml`",
            file=sys.stderr,
        )
    try:
        httpd = make_server(root, port)
    except OSError as exc:
        print(f"error: cannot listen on {HOST}:{port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    url = f"http://{HOST}:{httpd.server_address[1]}/"
    print(f"Pyxis Studio: {url}  (Ctrl+C to stop)", flush=True)
    if open_browser:
        webbrowser.open(url)
    with httpd:
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            print("\nStopped.")
    return 0


if __name__ == "__main__":
    sys.exit(serve(open_browser="--no-open" not in sys.argv[1:]))
