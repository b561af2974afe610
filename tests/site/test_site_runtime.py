"""The runtime fetch's safety: sha512 integrity is enforced and unpacking refuses path traversal."""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile

import pytest

from studio.site import runtime
from studio.site.runtime import RuntimeFetchError, unpack, verify_integrity


def make_tarball(path, files: dict[str, bytes], *, symlink: str | None = None):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if symlink:
            info = tarfile.TarInfo(symlink)
            info.type = tarfile.SYMTYPE
            info.linkname = "/etc/passwd"
            tar.addfile(info)
    return path


def integrity_of(path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def test_matching_integrity_is_accepted(tmp_path):
    tgz = make_tarball(tmp_path / "pkg.tgz", {"package/a.js": b"ok"})
    verify_integrity(tgz, integrity_of(tgz))
    assert tgz.exists()


def test_tampered_tarball_is_refused_and_deleted(tmp_path):
    tgz = make_tarball(tmp_path / "pkg.tgz", {"package/a.js": b"ok"})
    pinned = integrity_of(tgz)
    make_tarball(tgz, {"package/a.js": b"evil"})  # same name, other bytes
    with pytest.raises(RuntimeFetchError, match="integrity mismatch"):
        verify_integrity(tgz, pinned)
    assert not tgz.exists()


def test_non_sha512_integrity_is_refused(tmp_path):
    tgz = make_tarball(tmp_path / "pkg.tgz", {"package/a.js": b"ok"})
    with pytest.raises(RuntimeFetchError, match="unsupported"):
        verify_integrity(tgz, "sha1-abc")


def test_unpack_maps_selected_members(tmp_path):
    tgz = make_tarball(
        tmp_path / "pkg.tgz",
        {
            "package/dist/core.js": b"js",
            "package/dist/sub/x.js": b"x",
            "package/LICENSE": b"L",
            "package/src/skip.js": b"no",
        },
    )
    count = unpack(tgz, tmp_path / "out", (("package/dist/", ""), ("package/LICENSE", "LICENSE")))
    assert count == 3
    assert (tmp_path / "out/core.js").read_bytes() == b"js"
    assert (tmp_path / "out/sub/x.js").exists() and (tmp_path / "out/LICENSE").exists()
    assert not (tmp_path / "out/src").exists()


@pytest.mark.parametrize("name", ["package/../../evil.js", "/abs/evil.js", "package/dist/../../../evil.js"])
def test_unpack_refuses_path_traversal(tmp_path, name):
    tgz = make_tarball(tmp_path / "pkg.tgz", {name: b"evil"})
    with pytest.raises(RuntimeFetchError, match="unsafe path"):
        unpack(tgz, tmp_path / "out", (("package/", ""),))
    assert not list(tmp_path.rglob("evil.js"))


def test_unpack_refuses_links(tmp_path):
    tgz = make_tarball(tmp_path / "pkg.tgz", {"package/a.js": b"ok"}, symlink="package/link.js")
    with pytest.raises(RuntimeFetchError, match="non-regular"):
        unpack(tgz, tmp_path / "out", (("package/", ""),))


def test_stamp_decides_whether_the_runtime_is_current(tmp_path):
    assert not runtime.is_current(tmp_path)
    vendor = tmp_path / runtime.VENDOR
    for pin in runtime.PINS:
        (vendor / pin.dest).mkdir(parents=True)
        (vendor / pin.dest / pin.marker).write_text("x")
    (vendor / runtime.STAMP).write_text(runtime.stamp_text())
    assert runtime.is_current(tmp_path)
    (vendor / runtime.STAMP).write_text(runtime.stamp_text().replace("314.0.7", "0.0.1"))
    assert not runtime.is_current(tmp_path)  # other pins: fetch again


def test_ensure_runtime_is_a_no_op_when_current():
    runtime.ensure_runtime(log=lambda _: None)  # tests/run fetched it already; this is for a bare pytest
    logged = []
    vendor = runtime.ensure_runtime(log=logged.append)  # current: must not touch npm
    assert logged == []
    assert (vendor / "pyodide" / "pyodide.asm.wasm").is_file()
    assert (vendor / "pyscript" / "core.js").is_file()


def test_missing_npm_names_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(runtime.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeFetchError, match="npm"):
        runtime.npm_pack("pyodide@314.0.7", tmp_path)
