"""pyscript.toml lists every module of the studio package: a missing one would fail only in the browser."""

from __future__ import annotations

import tomllib

import pytest

from studio.site import pyscript_toml
from studio.site.runtime import REPO_ROOT, WHEELS


def test_pyscript_toml_is_up_to_date():
    diff = pyscript_toml.check()
    if diff:
        pytest.fail(
            "pyscript.toml is out of date with the studio package: run `python -m studio.site.pyscript_toml`\n"
            + "\n".join(diff[:40]),
            pytrace=False,
        )


def test_config_uses_the_local_interpreter_and_maps_every_module():
    config = tomllib.loads(pyscript_toml.render())
    # Without a local interpreter PyScript would fetch Pyodide from a CDN.
    assert config["interpreter"] == "./static/pyodide-boot.mjs"  # the vendored runtime, started from its snapshot
    modules = pyscript_toml.package_modules()
    assert "studio/__init__.py" in modules and "studio/browser/main.py" in modules
    wheels = {f"./static/vendor/wheels/{w.filename}": "./*" for w in WHEELS}
    assert config["files"] == {f"./{m}": f"./{m}" for m in modules} | wheels
    assert all((REPO_ROOT / m).is_file() and "__pycache__" not in m for m in modules)


def test_check_reports_a_new_module(tmp_path):
    (tmp_path / "studio").mkdir()
    (tmp_path / "studio/__init__.py").write_text("")
    pyscript_toml.write(tmp_path)
    assert pyscript_toml.check(tmp_path) == []
    (tmp_path / "studio/extra.py").write_text("")
    assert any("studio/extra.py" in line for line in pyscript_toml.check(tmp_path))


def test_archive_config_names_only_the_archive():
    # The built site's variant: one archive instead of one line per module (the repository keeps the list).
    config = tomllib.loads(pyscript_toml.render(archive=True))
    assert config["interpreter"] == "./static/pyodide-boot.mjs"  # the vendored runtime, started from its snapshot
    wheels = {f"./static/vendor/wheels/{w.filename}": "./*" for w in WHEELS}
    assert config["files"] == {f"./{pyscript_toml.ARCHIVE}": f"./{pyscript_toml.ARCHIVE}"} | wheels
