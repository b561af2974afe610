"""Broken, huge and unusual pictures through `studio run --input`: a clear per-node failure or
the right pixels, never a traceback (issue 13's 38 kinds, made here as files)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from .pictures import corpus
from .runner import run_in_process
from .tally import record

ROOT = Path(__file__).parents[2]
CASES = {name: (data, expect) for name, data, expect in corpus()}
WORKFLOW = {
    "format": "pyxis.workflow",
    "version": 1,
    "nodes": [
        {"id": "photo", "type": "source.image"},
        {"id": "out", "type": "output.export", "params": {"format": "png"}},
    ],
    "edges": [{"from": "photo.image", "to": "out.image"}],
}


def files(tmp_path: Path, name: str) -> tuple[Path, Path]:
    picture = tmp_path / name
    picture.write_bytes(CASES[name][0])
    path = tmp_path / "wf.json"
    path.write_text(json.dumps(WORKFLOW))
    return path, picture


@pytest.mark.parametrize("name", sorted(CASES))
def test_picture_through_studio_run(name, tmp_path):
    path, picture = files(tmp_path, name)
    outcome = run_in_process([str(path), "--out", str(tmp_path / "out"), "--input", f"photo={picture}"])
    wrong = outcome.problems() + ([f"took {outcome.seconds:.1f} s"] if outcome.seconds > 15 else [])
    verdict, detail = CASES[name][1]
    record("pictures (studio run --input)", "crashed" if wrong else ("ran" if outcome.code == 0 else "refused"), name)
    assert not wrong, f"{wrong}: {outcome.stderr[:500]}"
    if verdict == "refused":
        assert outcome.code == 1, outcome.stderr
        assert "error: node 'photo' failed" in outcome.stderr
        for word in detail:
            assert word in outcome.stderr, outcome.stderr
        assert not (tmp_path / "out").exists()
    else:
        assert outcome.code == 0, outcome.stderr
        with Image.open(tmp_path / "out" / "out.png") as image:
            detail(image)


@pytest.mark.parametrize("name", ["bomb.png", "exif-rotated.jpg"])
def test_picture_through_a_real_process(name, tmp_path):
    path, picture = files(tmp_path, name)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "studio",
            "run",
            str(path),
            "--out",
            str(tmp_path / "out"),
            "--input",
            f"photo={picture}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    ok = done.returncode in (0, 1) and "Traceback" not in done.stderr
    record("pictures (subprocess)", "crashed" if not ok else ("ran" if done.returncode == 0 else "refused"), name)
    assert ok, done.stderr
    assert done.returncode == (1 if name == "bomb.png" else 0), done.stderr
