"""Issue 13 item 8: `studio run` on hostile files and paths exits 1 or 2 with a message, never a traceback."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from studio.cli.main import main

ROOT = Path(__file__).parents[2]


def run(*args) -> tuple[int, str]:
    """`studio run` in-process: (exit code, stderr)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["run", *map(str, args)])
    return code, err.getvalue()


def workflow(tmp_path: Path, nodes: list, edges: list = (), name: str = "wf.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"format": "pyxis.workflow", "version": 1, "nodes": nodes, "edges": list(edges)}))
    return path


def solid_to_export(export_id: str = "out", **export_params) -> tuple[list, list]:
    nodes = [
        {"id": "bg", "type": "source.solid", "params": {"width": 4, "height": 4}},
        {"id": export_id, "type": "output.export", "params": {"format": "png", **export_params}},
    ]
    return nodes, [{"from": "bg.image", "to": f"{export_id}.image"}]


def assert_clean(code: int, stderr: str, expected_code: int, *needles: str) -> None:
    assert code == expected_code, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert len(stderr) < 1024, stderr[:500]
    for needle in needles:
        assert needle in stderr, stderr


def test_an_int_of_400_digits_in_a_float_param_exits_2(tmp_path):
    text = workflow(tmp_path, [{"id": "g", "type": "source.gradient", "params": {}}]).read_text()
    path = tmp_path / "big.json"
    path.write_text(text.replace('"params": {}', '"params": {"angle": 1' + "0" * 400 + "}"))
    assert_clean(*run(path, "--out", tmp_path / "o"), 2, "node 'g' param 'angle'", "finite number")


def test_an_int_of_400_digits_in_a_position_exits_2(tmp_path):
    text = workflow(tmp_path, [{"id": "g", "type": "source.gradient", "position": [1, 2]}]).read_text()
    path = tmp_path / "big.json"
    path.write_text(text.replace("[1, 2]", "[1" + "0" * 400 + ", 2]"))
    assert_clean(*run(path, "--out", tmp_path / "o"), 2, "$.nodes[0].position")


def test_a_300_character_export_id_is_refused_at_load(tmp_path):
    path = workflow(tmp_path, *solid_to_export("e" * 300))
    assert_clean(*run(path, "--out", tmp_path / "o"), 2, "$.nodes[1].id", "1 to 64 letters")
    assert not (tmp_path / "o").exists()


def test_an_export_id_at_the_length_limit_is_written(tmp_path):
    path = workflow(tmp_path, *solid_to_export("e" * 64))
    assert_clean(*run(path, "--out", tmp_path / "o"), 0, "wrote")
    assert (tmp_path / "o" / ("e" * 64 + ".png")).is_file()


def test_out_at_an_existing_file_exits_2_before_running(tmp_path):
    path = workflow(tmp_path, *solid_to_export())
    target = tmp_path / "taken"
    target.write_text("mine")
    assert_clean(*run(path, "--out", target), 2, "is a file, not a folder")
    assert target.read_text() == "mine"


def test_out_under_a_file_exits_2(tmp_path):
    path = workflow(tmp_path, *solid_to_export())
    (tmp_path / "file").write_text("x")
    assert_clean(*run(path, "--out", tmp_path / "file" / "sub" / "dir"), 2, "cannot make the folder")


def test_out_with_a_name_too_long_exits_2(tmp_path):
    path = workflow(tmp_path, *solid_to_export())
    assert_clean(*run(path, "--out", tmp_path / ("d" * 300)), 2, "cannot make the folder")


def test_a_trailing_newline_id_never_becomes_a_file_name(tmp_path):
    path = workflow(tmp_path, *solid_to_export("poster\n"))
    assert_clean(*run(path, "--out", tmp_path / "o"), 2, "$.nodes[1].id")
    assert not (tmp_path / "o").exists()


def test_a_lone_surrogate_in_a_large_text_param_exits_2(tmp_path):
    # Over 64 KB the executor fingerprints the text; the surrogate raised UnicodeEncodeError there.
    nodes = [
        {"id": "photo", "type": "source.image", "params": {"image": "data:image/png;base64," + "A" * 70_000}},
        {"id": "out", "type": "output.export"},
    ]
    path = workflow(tmp_path, nodes, [{"from": "photo.image", "to": "out.image"}])
    path.write_text(path.read_text().replace("base64,A", "base64,\\ud800A", 1))
    assert_clean(*run(path, "--out", tmp_path / "o"), 2, "node 'photo' param 'image'", "unpaired surrogate")


def test_a_fifo_as_the_workflow_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "wf.fifo"
    os.mkfifo(fifo)
    started = time.perf_counter()
    assert_clean(*run(fifo, "--out", tmp_path / "o"), 2, "not a regular file")
    assert time.perf_counter() - started < 20  # wall time: blocking costs no CPU


def photo_workflow(tmp_path: Path) -> Path:
    nodes = [{"id": "photo", "type": "source.image"}, {"id": "out", "type": "output.export"}]
    return workflow(tmp_path, nodes, [{"from": "photo.image", "to": "out.image"}])


def test_input_from_dev_zero_is_refused_without_reading_it(tmp_path):
    started = time.perf_counter()
    code, err = run(photo_workflow(tmp_path), "--out", tmp_path / "o", "--input", "photo=/dev/zero")
    assert_clean(code, err, 2, "--input photo", "not a regular file")
    assert time.perf_counter() - started < 20  # wall time: blocking costs no CPU


def test_a_2_gb_input_is_refused_from_its_size(tmp_path):
    big = tmp_path / "huge.png"
    with open(big, "wb") as stream:
        stream.truncate(2 * 1024**3)  # sparse: 2 GB long, nothing written
    started = time.perf_counter()
    code, err = run(photo_workflow(tmp_path), "--out", tmp_path / "o", "--input", f"photo={big}")
    assert_clean(code, err, 2, "--input photo", "2,147,483,648 bytes; the limit is 128 MB")
    assert time.perf_counter() - started < 20  # wall time: blocking costs no CPU


def test_an_input_that_grows_past_the_cap_while_read_is_refused(tmp_path, monkeypatch):
    import studio.cli.reading as reading

    real_stat = os.stat

    class Small:
        def __init__(self, info):
            self.st_mode, self.st_size = info.st_mode, 10

    monkeypatch.setattr(reading.os, "stat", lambda path: Small(real_stat(path)))
    big = tmp_path / "grown.png"
    big.write_bytes(b"\0" * 5000)
    monkeypatch.setattr("studio.cli.run_command.MAX_INPUT_BYTES", 1000)
    code, err = run(photo_workflow(tmp_path), "--out", tmp_path / "o", "--input", f"photo={big}")
    assert_clean(code, err, 2, "is larger than 1,000 bytes")


def test_a_real_picture_input_still_runs(tmp_path):
    picture = tmp_path / "p.png"
    Image.new("RGB", (3, 2), (10, 20, 30)).save(picture)
    code, err = run(photo_workflow(tmp_path), "--out", tmp_path / "o", "--input", f"photo={picture}")
    assert_clean(code, err, 0, "wrote")
    with Image.open(tmp_path / "o" / "out.png") as image:
        assert image.size == (3, 2) and image.convert("RGB").getpixel((1, 1)) == (10, 20, 30)


def test_a_write_failure_names_the_node_and_exits_1(tmp_path, monkeypatch):
    path = workflow(tmp_path, *solid_to_export())

    def full_disk(self, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    assert_clean(*run(path, "--out", tmp_path / "o"), 1, "node 'out': cannot write", "No space left on device")


def test_set_with_a_huge_value_is_quoted_short(tmp_path):
    path = workflow(tmp_path, *solid_to_export())
    assert_clean(*run(path, "--out", tmp_path / "o", "--set", "bg.width=" + "9" * 100_000), 2, "characters)")


def test_the_real_command_has_no_traceback_for_a_deep_file(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"format":"pyxis.workflow","version":1,"nodes":[],"edges":' + "[" * 10_000 + "]" * 10_000 + "}")
    done = subprocess.run(
        [sys.executable, "-m", "studio", "run", str(path), "--out", str(tmp_path / "o")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert_clean(done.returncode, done.stderr, 2, "nested more than 64 levels deep")


@pytest.mark.parametrize("size", [(16384, 100), (100, 16384)])
def test_cover_checks_the_result_size_not_the_intermediate(tmp_path, size):
    nodes = [
        {"id": "bg", "type": "source.solid", "params": {"width": 1, "height": 1, "color": "#336699"}},
        {"id": "fit", "type": "transform.resize", "params": {"width": size[0], "height": size[1], "fit": "cover"}},
        {"id": "out", "type": "output.export", "params": {"format": "png"}},
    ]
    edges = [{"from": "bg.image", "to": "fit.image"}, {"from": "fit.image", "to": "out.image"}]
    assert_clean(*run(workflow(tmp_path, nodes, edges), "--out", tmp_path / "o"), 0)
    with Image.open(tmp_path / "o" / "out.png") as image:
        assert image.size == size and image.convert("RGB").getpixel((size[0] - 1, size[1] - 1)) == (0x33, 0x66, 0x99)


def test_cover_crops_the_centre_when_the_intermediate_would_be_too_large(tmp_path):
    source = tmp_path / "stripes.png"
    stripes = Image.new("RGB", (3, 1))
    for x, color in enumerate([(255, 0, 0), (0, 255, 0), (0, 0, 255)]):
        stripes.putpixel((x, 0), color)
    stripes.save(source)
    nodes = [
        {"id": "photo", "type": "source.image"},
        {"id": "fit", "type": "transform.resize", "params": {"width": 100, "height": 16384, "fit": "cover"}},
        {"id": "out", "type": "output.export", "params": {"format": "png"}},
    ]
    edges = [{"from": "photo.image", "to": "fit.image"}, {"from": "fit.image", "to": "out.image"}]
    path = workflow(tmp_path, nodes, edges)
    assert_clean(*run(path, "--out", tmp_path / "o", "--input", f"photo={source}"), 0)
    with Image.open(tmp_path / "o" / "out.png") as image:
        assert image.size == (100, 16384) and image.convert("RGB").getpixel((50, 8000)) == (0, 255, 0)


def test_cover_still_refuses_a_result_over_the_limit(tmp_path):
    nodes = [
        {"id": "bg", "type": "source.solid", "params": {"width": 1, "height": 1}},
        {"id": "fit", "type": "transform.resize", "params": {"width": 16384, "height": 16384, "fit": "cover"}},
    ]
    code, err = run(workflow(tmp_path, nodes, [{"from": "bg.image", "to": "fit.image"}]), "--out", tmp_path / "o")
    assert_clean(code, err, 1, "node 'fit' failed", "the result would be 16384 x 16384")


def test_a_bug_in_the_command_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    import studio.cli.run_command as run_command

    def broken(args):
        raise TypeError("something the tests made up " + "x" * 5000)

    monkeypatch.setattr(run_command, "run_command", broken)
    code, err = run(tmp_path / "wf.json", "--out", tmp_path / "o")
    assert code == 1 and "Traceback" not in err and len(err) < 400
    assert err.startswith("error: internal error (TypeError): something the tests made up")
