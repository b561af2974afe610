"""`studio build` writes a complete, self-contained site and refuses to write where it could destroy work."""

from __future__ import annotations

import gzip
import tomllib
import zipfile

import pytest

from studio.site import node_script, pyscript_toml, snapshot
from studio.site.build import BuildError, build_site
from studio.site.runtime import REPO_ROOT, WHEELS


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("build") / "site")


def test_build_contains_page_config_runtime_and_every_module(built):
    for name in (
        "index.html",
        "pyscript.toml",
        ".nojekyll",
        "static/boot.js",
        "static/studio.css",
        "static/vendor/pyodide/pyodide.mjs",
        "static/vendor/pyodide/pyodide.asm.wasm",
        "static/vendor/pyodide/python_stdlib.zip",
        "static/vendor/pyscript/core.js",
        "static/vendor/pyscript/core.css",
    ):
        assert (built / name).is_file(), name
    assert (built / "pyscript.toml").read_text() == pyscript_toml.render(archive=True)
    assert (built / "studio/browser/main.py").is_file()  # index.html's <script type="py" src>
    assert not list(built.rglob("__pycache__"))
    assert not list(built.rglob("*.map")) and not list(built.rglob("*.d.ts"))


def test_built_config_loads_the_package_from_one_archive(built):
    config = tomllib.loads((built / "pyscript.toml").read_text())
    assert config["interpreter"] == "./static/pyodide-boot.mjs"  # the vendored runtime, started from its snapshot
    # PyScript copies the archive into Pyodide's working directory; main.py imports from it in place.
    # The pinned wheels ("./*") are unpacked there instead (issue 12: segno, mistune).
    wheels = {f"./static/vendor/wheels/{w.filename}": "./*" for w in WHEELS}
    assert config["files"] == {"./studio.zip": "./studio.zip"} | wheels
    assert all((built / path).is_file() for path in wheels)
    assert 'sys.path.insert(0, os.path.abspath("studio.zip"))' in (built / "studio/browser/main.py").read_text()


def test_archive_holds_every_module_unchanged_with_its_bytecode(built):
    # A module missing from the archive would fail only in the browser.
    modules = pyscript_toml.package_modules()
    wheels = pyscript_toml.wheel_modules()
    assert "segno/__init__.py" in wheels and "mistune/__init__.py" in wheels
    with zipfile.ZipFile(built / "studio.zip") as zf:
        assert zf.testzip() is None
        names = zf.namelist()
        assert [n for n in names if n.endswith(".py")] == modules + list(wheels)
        for module in modules:
            assert zf.read(module) == (REPO_ROOT / module).read_bytes(), module
        for module, source in wheels.items():
            assert zf.read(module) == source, module
        # Pyodide's CPython 3.14 compiled every module but main.py (top-level await, run by PyScript).
        pycs = [n for n in names if n.endswith(".pyc")]
        assert pycs == [m + "c" for m in modules + list(wheels) if m != "studio/browser/main.py"]
        header = zf.read("studio/core/graph.pyc")[:8]
    assert not any("__pycache__" in name for name in names)
    magic, flags = header[:4], int.from_bytes(header[4:8], "little")
    assert magic == bytes.fromhex("2b0e0d0a")  # CPython 3.14's magic number: Pyodide 314's interpreter
    assert flags == 0b01  # PEP 552 hash-based, unchecked: imported without reading the source again


def test_build_holds_the_memory_snapshot_python_starts_from(built):
    # Made by Pyodide's own CPython under Node (studio/site/snapshot.py): gzipped, named as the page's
    # interpreter module fetches it, and the same bytes on a rebuild (the cache, and gzip's fixed mtime).
    data = (built / snapshot.SNAPSHOT).read_bytes()
    raw = gzip.decompress(data)
    assert len(raw) > 10_000_000 and len(data) < len(raw) // 3
    boot = (built / "static/pyodide-boot.mjs").read_text()
    assert '"./python.snapshot.gz"' in boot and snapshot.SNAPSHOT == "static/python.snapshot.gz"
    assert snapshot.snapshot_gz() == data
    # It goes on the web with the site: no path of the machine that built it is in its memory.
    assert str(REPO_ROOT).encode() not in raw and b"snapshot_make" not in raw


def test_without_node_the_build_has_no_snapshot_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "CACHE", tmp_path / "cache")  # nothing cached
    monkeypatch.setattr(node_script.shutil, "which", lambda name: None)
    said = []
    assert snapshot.snapshot_gz(log=said.append) is None
    assert said == ["note: node not found, so the page starts Python without a snapshot (slower boot)"]


def test_archive_is_deterministic(built):
    # Same sources, same bytes: sorted entries, fixed timestamps and modes.
    assert pyscript_toml.build_archive() == (built / "studio.zip").read_bytes()  # pycs from the cache
    with zipfile.ZipFile(built / "studio.zip") as zf:
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_rebuild_replaces_a_previous_build(built):
    (built / "stale.txt").write_text("old")
    build_site(built)
    assert not (built / "stale.txt").exists()
    assert (built / "index.html").is_file()


@pytest.mark.parametrize("where", [REPO_ROOT, REPO_ROOT.parent, REPO_ROOT / "studio" / "out", REPO_ROOT / "static"])
def test_refuses_to_build_over_the_sources(where):
    with pytest.raises(BuildError, match="refusing"):
        build_site(where)


def test_refuses_a_foreign_non_empty_folder(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(BuildError, match="not a previous build"):
        build_site(tmp_path)
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_built_page_preloads_the_archive_the_snapshot_and_the_wasm(built):
    page = (built / "index.html").read_text(encoding="utf-8")
    # Only the preload lines differ from the repository's page (which `studio serve` serves as it is);
    # each file they name is in the build (the browser test counts one request each).
    source = (REPO_ROOT / "index.html").read_text(encoding="utf-8").splitlines()
    files = ["studio.zip", "static/python.snapshot.gz", "static/vendor/pyodide/pyodide.asm.wasm"]
    assert [line for line in page.splitlines() if line not in source] == [
        f'  <link rel="preload" href="./{name}" as="fetch" crossorigin="anonymous">' for name in files
    ]
    assert all((built / name).is_file() for name in files)


def test_a_build_without_a_snapshot_does_not_preload_one():
    # Without Node there is no snapshot: its preload would be a request for a missing file.
    from studio.site.build import _built_page

    source = (REPO_ROOT / "index.html").read_text(encoding="utf-8")
    page = _built_page(source, with_snapshot=False)
    assert "python.snapshot.gz" not in page
    assert '<link rel="preload" href="./studio.zip"' in page and "pyodide.asm.wasm" in page
