"""`python -m studio run` and `nodes`: real files out, exit codes 0/1/2, messages without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "static" / "examples"


def studio(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "studio", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "photo.jpg"
    Image.radial_gradient("L").resize((1600, 1000)).convert("RGB").save(path, quality=90)
    return path


def write(tmp_path, data, name="wf.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


def test_poster_example_writes_a_png(tmp_path):
    result = studio("run", EXAMPLES / "poster.json", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    with Image.open(tmp_path / "out" / "poster.png") as image:
        assert image.format == "PNG" and image.size == (800, 1000) and image.mode == "RGBA"
        assert image.getpixel((0, 0))[3] == 0  # rounded corner is transparent
        assert image.getpixel((400, 500))[3] == 255
    assert "[5/5] done" in result.stderr and "poster (output.export)" in result.stderr


def test_composite_example_writes_a_webp(tmp_path):
    result = studio("run", EXAMPLES / "composite.json", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    with Image.open(tmp_path / "composite.webp") as image:
        assert image.format == "WEBP" and image.size == (948, 648)


def test_photo_cleanup_takes_an_input_and_writes_a_jpeg(tmp_path, photo):
    result = studio("run", EXAMPLES / "photo-cleanup.json", "--out", tmp_path, "--input", f"photo={photo}")
    assert result.returncode == 0, result.stderr
    with Image.open(tmp_path / "photo-jpeg.jpg") as image:
        assert image.format == "JPEG" and image.size == (1024, 768)


def test_set_overrides_a_param(tmp_path):
    result = studio(
        "run", EXAMPLES / "poster.json", "--out", tmp_path, "--set", "poster.format=jpeg", "--set", "bg.width=400"
    )
    assert result.returncode == 0, result.stderr
    with Image.open(tmp_path / "poster.jpg") as image:
        assert image.format == "JPEG" and image.size == (400, 1000)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--set", "bg.width=huge"], "--set 'bg.width=huge': node 'bg' param 'width' expected a whole number"),
        (["--set", "bg.width=0"], "must be at least 1"),
        (["--set", "ghost.width=3"], "no node with id 'ghost'"),
        (["--set", "bg.colour=#fff"], "has no param 'colour'"),
        (["--set", "nonsense"], "expected NODE.PARAM=VALUE"),
        (["--input", "bg=/nonexistent.png"], "is a source.gradient, not a source.image"),
        (["--input", "missing=/x.png"], "no node with id 'missing'"),
    ],
)
def test_bad_usage_exits_2_with_one_clear_message(tmp_path, args, message):
    result = studio("run", EXAMPLES / "poster.json", "--out", tmp_path, *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_workflow_exits_2_naming_node_and_field(tmp_path):
    data = json.loads((EXAMPLES / "poster.json").read_text())
    data["nodes"][1]["params"]["size"] = -5
    result = studio("run", write(tmp_path, data), "--out", tmp_path)
    assert result.returncode == 2
    assert "node 'title' param 'size'" in result.stderr and "at least 4" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "content", ["{not json", "", "\x00\x01", '{"format": "pyxis.workflow", "version": 7, "nodes": []}']
)
def test_garbage_files_exit_2(tmp_path, content):
    result = studio("run", write(tmp_path, content), "--out", tmp_path)
    assert result.returncode == 2 and result.stderr.startswith("error: ") and "Traceback" not in result.stderr


def test_missing_file_exits_2(tmp_path):
    result = studio("run", tmp_path / "nope.json", "--out", tmp_path)
    assert result.returncode == 2 and "cannot read" in result.stderr


def test_source_image_without_input_exits_2(tmp_path):
    result = studio("run", EXAMPLES / "photo-cleanup.json", "--out", tmp_path)
    assert result.returncode == 2 and "--input photo=PATH" in result.stderr


def test_corrupt_input_fails_its_node_with_exit_1(tmp_path):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 this is not really a jpeg" * 10)
    result = studio("run", EXAMPLES / "photo-cleanup.json", "--out", tmp_path / "out", "--input", f"photo={bad}")
    assert result.returncode == 1
    assert "node 'photo' failed" in result.stderr
    assert "skipped" in result.stderr
    assert not (tmp_path / "out").exists()


def test_unrelated_branch_still_exports_when_another_fails(tmp_path):
    data = {
        "format": "pyxis.workflow",
        "version": 1,
        "nodes": [
            {"id": "ok", "type": "source.solid", "params": {"width": 10, "height": 10}},
            {"id": "ok-out", "type": "output.export"},
            {"id": "big", "type": "source.solid", "params": {"width": 16000, "height": 16000}},
            {"id": "big-out", "type": "output.export"},
        ],
        "edges": [{"from": "ok.image", "to": "ok-out.image"}, {"from": "big.image", "to": "big-out.image"}],
    }
    result = studio("run", write(tmp_path, data), "--out", tmp_path / "out")
    assert result.returncode == 1
    assert "node 'big' failed" in result.stderr and "the limit is 67.1 MP" in result.stderr
    assert (tmp_path / "out" / "ok-out.png").exists()
    assert not (tmp_path / "out" / "big-out.png").exists()


def test_nodes_lists_the_catalog():
    result = studio("nodes")
    assert result.returncode == 0
    assert "transform.resize" in result.stdout and "fit: choice" in result.stdout
    data = json.loads(studio("nodes", "--json").stdout)
    assert {n["id"] for n in data["nodes"]} >= {"source.gradient", "output.export"}


def test_no_command_and_unknown_command_exit_2():
    assert studio().returncode == 2
    result = studio("paint")
    assert result.returncode == 2 and "invalid choice" in result.stderr
