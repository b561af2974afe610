"""The development server: right MIME types, no caching, and nothing hidden (.git, .venv) is served."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request

import pytest

from studio.site.server import make_server


@pytest.fixture
def server_url(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><title>t</title>")
    (tmp_path / "a.wasm").write_bytes(b"\0asm\1\0\0\0")
    (tmp_path / "m.mjs").write_text("export {}")
    (tmp_path / "pyscript.toml").write_text("x = 1")
    (tmp_path / "mod.py").write_text("x = 1")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main")
    (tmp_path / ".env").write_text("GEMINI_API_KEY=secret")
    httpd = make_server(tmp_path, port=0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.headers
    except urllib.error.HTTPError as err:
        return err.code, err.headers


@pytest.mark.parametrize(
    "path, mime",
    [
        ("/a.wasm", "application/wasm"),
        ("/m.mjs", "text/javascript"),
        ("/pyscript.toml", "text/plain"),
        ("/mod.py", "text/plain"),
        ("/", "text/html"),
    ],
)
def test_serves_with_the_right_type_and_no_cache(server_url, path, mime):
    status, headers = get(server_url + path)
    assert status == 200
    assert headers.get_content_type() == mime
    assert headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("path", ["/.git/HEAD", "/.git/", "/.env", "/%2egit/HEAD", "/x/../.git/HEAD"])
def test_refuses_dotfiles(server_url, path):
    status, _ = get(server_url + path)
    assert status in (403, 404)


def test_default_port_falls_back_when_taken(tmp_path):
    first = make_server(tmp_path, port=None)
    second = make_server(tmp_path, port=None)
    try:
        assert first.server_address[1] != second.server_address[1]
    finally:
        first.server_close()
        second.server_close()


@pytest.mark.parametrize("name", ["m.mjs", "pyscript.toml", "mod.py", "index.html", "s.css", "d.json", "n.md"])
def test_every_text_type_names_its_charset(server_url, tmp_path, name):
    # Without a charset a browser guesses the encoding: "—" in a document turned into "â€”".
    (tmp_path / name).write_text("x", encoding="utf-8") if not (tmp_path / name).exists() else None
    status, headers = get(f"{server_url}/{name}")
    assert status == 200
    assert headers.get_content_charset() == "utf-8", headers["Content-Type"]


def test_serves_the_memory_snapshot_a_build_would_have():
    # The repository has no static/python.snapshot.gz: the server makes it as `studio build` does (cached).
    from studio.site import snapshot
    from studio.site.runtime import REPO_ROOT

    httpd = make_server(REPO_ROOT, port=0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/{snapshot.SNAPSHOT}"
        with urllib.request.urlopen(url, timeout=120) as resp:
            assert resp.status == 200 and resp.headers["Content-Type"] == "application/gzip"
            assert "Content-Encoding" not in resp.headers  # the page un-gzips it itself
            assert resp.read() == snapshot.snapshot_gz()
    finally:
        httpd.shutdown()
        httpd.server_close()
