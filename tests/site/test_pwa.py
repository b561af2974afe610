"""The installable, offline site: manifest, icons, and the service worker's precache of every file by content hash."""

from __future__ import annotations

import hashlib
import json
import re
import threading
import urllib.request

import pytest
from PIL import Image, ImageChops

from studio.site import icons, service_worker
from studio.site.build import MANIFEST, build_site, dev_files
from studio.site.runtime import PINS, REPO_ROOT, VENDOR, WORKBOX_SCRIPTS
from studio.site.server import make_server


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("pwa") / "site")


def _precache(site) -> dict[str, str]:
    entries = service_worker.manifest_of((site / service_worker.SCRIPT).read_text(encoding="utf-8"))
    return {e["url"]: e["revision"] for e in entries}


def test_the_worker_precaches_every_file_of_the_site_by_content_hash(built):
    precache = _precache(built)
    files = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
    for needed in (
        "index.html",
        "pyscript.toml",
        "studio.zip",
        "studio/browser/main.py",
        MANIFEST,
        "static/vendor/pyodide/pyodide.asm.wasm",
        "static/vendor/pyodide/python_stdlib.zip",
        "static/vendor/pyodide/pyodide-lock.json",
        "static/vendor/pyscript/core.js",
        "static/studio.css",
        "static/examples/composite.json",
        "static/icons/icon-512.png",
        "docs/gemini-api-key.html",
    ):
        assert needed in precache, needed
    for url, rev in precache.items():
        assert rev == hashlib.sha256((built / url).read_bytes()).hexdigest()[:32], url
    # Everything else is the worker itself, what it imports, licences and build markers.
    left_out = files - set(precache)
    assert "sw.js" in left_out and ".nojekyll" in left_out
    assert all(service_worker.precached(p) is False for p in left_out)
    assert not [p for p in precache if p.startswith(f"{VENDOR.as_posix()}/workbox-")]


def test_a_changed_file_changes_only_its_own_revision(built, tmp_path):
    before = _precache(built)
    (built / "static/examples/poster.json").write_text('{"changed": true}\n', encoding="utf-8")
    service_worker.write(built)
    after = _precache(built)
    assert {u for u in after if after[u] != before[u]} == {"static/examples/poster.json"}
    build_site(built)  # the same sources give the same list again
    assert _precache(built) == before


def test_the_worker_loads_the_pinned_workbox_and_leaves_other_origins_alone(built):
    script = (built / "sw.js").read_text(encoding="utf-8")
    imports = re.search(r"importScripts\((.*?)\);", script).group(1)
    assert [json.loads(s) for s in imports.split(", ")] == [f"./static/vendor/{s}" for s in WORKBOX_SCRIPTS]
    for path in WORKBOX_SCRIPTS:
        assert (built / "static/vendor" / path).is_file()
    workbox = {p.name for p in PINS if p.name.startswith("workbox-")}
    assert workbox == {"workbox-core", "workbox-routing", "workbox-strategies", "workbox-precaching"}
    # The guard comes before Workbox's router, and static routes send other origins to the network.
    assert script.index("stopImmediatePropagation") < script.index("importScripts(")
    assert 'source: "network"' in script
    assert "skipWaiting()" in script and "SKIP_WAITING" in script  # waits for the page to say Reload


def test_manifest_is_installable_from_any_subpath():
    manifest = json.loads((REPO_ROOT / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["start_url"] == "./" and manifest["scope"] == "./" and manifest["display"] == "standalone"
    assert manifest["name"] == "Pyxis Studio" and manifest["short_name"]
    assert manifest["theme_color"] and manifest["background_color"]
    seen = set()
    for icon in manifest["icons"]:
        assert not icon["src"].startswith("/"), "an absolute icon path breaks under /<repo>/"
        with Image.open(REPO_ROOT / icon["src"]) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"] and image.format == "PNG"
        seen.add((icon["sizes"], icon["purpose"]))
    assert {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")} <= seen


@pytest.mark.parametrize("name", sorted(icons.ICONS))
def test_committed_icons_are_the_drawing(name):
    size, maskable = icons.ICONS[name]
    with Image.open(REPO_ROOT / icons.ICON_DIR / name) as committed:
        drawn = icons.draw(size, maskable)
        assert committed.size == (size, size)
        diff = ImageChops.difference(committed.convert("RGBA"), drawn)
        assert max(hi for _, hi in diff.getextrema()) <= 2, "redraw with `python -m studio.site.icons`"
        # Maskable: the ground fills the square (the platform cuts its own shape).
        assert (committed.convert("RGBA").getpixel((0, 0))[3] == 255) is maskable


def test_serve_writes_a_worker_for_the_files_it_serves():
    httpd = make_server(REPO_ROOT, port=0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        with urllib.request.urlopen(base + "/sw.js", timeout=30) as resp:
            assert resp.headers.get_content_type() == "text/javascript"
            script = resp.read().decode("utf-8")
        with urllib.request.urlopen(base + "/" + MANIFEST, timeout=10) as resp:
            assert resp.headers.get_content_type() == "application/manifest+json"
    finally:
        httpd.shutdown()
        httpd.server_close()
    precache = {e["url"]: e["revision"] for e in service_worker.manifest_of(script)}
    expected = {path: service_worker.revision(data) for path, data in dev_files() if service_worker.precached(path)}
    assert precache == expected
    # The development page loads the package module by module: each one is in the list.
    assert "studio/core/graph.py" in precache and "docs/gemini-api-key.html" in precache
