"""`studio run` writes the graph-only workflow into its PNGs, and runs the workflow a PNG carries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageChops

ROOT = Path(__file__).parents[2]
POSTER = ROOT / "static" / "examples" / "poster.json"


def studio(*args):
    return subprocess.run(
        [sys.executable, "-m", "studio", *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_an_exported_png_carries_the_workflow_and_reruns_to_the_same_pixels(tmp_path):
    first = studio("run", POSTER, "--out", tmp_path / "a")
    assert first.returncode == 0, first.stderr
    png = tmp_path / "a" / "poster.png"
    with Image.open(png) as image:
        embedded = json.loads(image.text["pyxis.workflow"])
    original = json.loads(POSTER.read_text())
    assert embedded["format"] == "pyxis.workflow" and embedded["name"] == original["name"]
    assert [n["id"] for n in embedded["nodes"]] == [n["id"] for n in original["nodes"]]

    second = studio("run", png, "--out", tmp_path / "b")
    assert second.returncode == 0, second.stderr
    with Image.open(png) as a, Image.open(tmp_path / "b" / "poster.png") as b:
        assert a.size == b.size and ImageChops.difference(a.convert("RGBA"), b.convert("RGBA")).getbbox() is None


def test_embedding_can_be_turned_off(tmp_path):
    result = studio("run", POSTER, "--out", tmp_path, "--set", "poster.embed_workflow=false")
    assert result.returncode == 0, result.stderr
    with Image.open(tmp_path / "poster.png") as image:
        assert "pyxis.workflow" not in image.text


def test_a_png_without_a_workflow_is_a_clear_usage_error(tmp_path):
    plain = tmp_path / "plain.png"
    Image.new("RGB", (4, 4)).save(plain)
    result = studio("run", plain, "--out", tmp_path / "out")
    assert result.returncode == 2
    assert "carries no Pyxis workflow" in result.stderr and "Traceback" not in result.stderr
