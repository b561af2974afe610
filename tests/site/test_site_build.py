"""`studio build` writes a complete, self-contained site and refuses to write where it could destroy work."""

from __future__ import annotations

import pytest

from studio.site import pyscript_toml
from studio.site.build import BuildError, build_site
from studio.site.runtime import REPO_ROOT


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("build") / "site")


def test_build_contains_page_config_runtime_and_every_module(built):
    for name in ("index.html", "pyscript.toml", ".nojekyll", "static/boot.js", "static/studio.css",
                 "static/vendor/pyodide/pyodide.mjs", "static/vendor/pyodide/pyodide.asm.wasm",
                 "static/vendor/pyodide/python_stdlib.zip", "static/vendor/pyscript/core.js",
                 "static/vendor/pyscript/core.css"):
        assert (built / name).is_file(), name
    for module in pyscript_toml.package_modules():
        assert (built / module).is_file(), module
    assert (built / "pyscript.toml").read_text() == pyscript_toml.render()
    assert not list(built.rglob("__pycache__"))
    assert not list(built.rglob("*.map")) and not list(built.rglob("*.d.ts"))


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
