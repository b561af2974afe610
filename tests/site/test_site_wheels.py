"""The page's pinned pure-Python wheels (segno): fetched with pip, refused unless the sha256 matches."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from studio.site import runtime
from studio.site.runtime import WHEELS, WHEELS_DIR, RuntimeFetchError, ensure_wheels


def test_the_vendored_wheel_matches_its_pin():
    ensure_wheels()
    for pin in WHEELS:
        data = (runtime.REPO_ROOT / WHEELS_DIR / pin.filename).read_bytes()
        assert hashlib.sha256(data).hexdigest() == pin.sha256


def test_a_wheel_with_another_hash_is_refused_and_not_installed(tmp_path, monkeypatch):
    calls = []

    def fake_pip(command, **kwargs):
        calls.append(command)
        dest = Path(command[command.index("--dest") + 1])
        (dest / WHEELS[0].filename).write_bytes(b"not the real wheel")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(runtime.subprocess, "run", fake_pip)
    target = tmp_path / WHEELS_DIR / WHEELS[0].filename
    target.parent.mkdir(parents=True)
    target.write_bytes(b"a stale file")  # a wrong file on disk is fetched again, not trusted
    with pytest.raises(RuntimeFetchError, match="sha256 mismatch"):
        ensure_wheels(tmp_path, log=lambda _: None)
    assert calls and "pip" in calls[0] and f"{WHEELS[0].name}=={WHEELS[0].version}" in calls[0]
    assert target.read_bytes() == b"a stale file"
