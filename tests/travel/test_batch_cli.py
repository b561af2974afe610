"""`studio run --batch`: one run per picture in a local process pool or on a real Dask LocalCluster."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).parents[2]
CLEANUP = ROOT / "static" / "examples" / "photo-cleanup.json"


def studio(*args, stdin=subprocess.DEVNULL, timeout=240):
    return subprocess.run(
        [sys.executable, "-m", "studio", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=stdin,
    )


@pytest.fixture(scope="module")
def photos(tmp_path_factory) -> Path:
    """20 real JPEGs of different colours, one of them corrupt."""
    folder = tmp_path_factory.mktemp("photos")
    for i in range(20):
        Image.new("RGB", (320, 240), (i * 12, 255 - i * 12, 90)).save(folder / f"p{i:02d}.jpg", quality=90)
    (folder / "p07.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    return folder


def outputs(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_batch_writes_one_folder_per_picture_names_the_bad_one_and_exits_1(tmp_path, photos):
    result = studio(
        "run", CLEANUP, "--batch", photos / "*.jpg", "--input-node", "photo", "--out", tmp_path, "--jobs", "2"
    )
    assert result.returncode == 1, result.stderr
    written = outputs(tmp_path)
    assert len(written) == 19 and "p07/photo-jpeg.jpg" not in written
    with Image.open(tmp_path / "p03" / "photo-jpeg.jpg") as image:
        assert image.format == "JPEG" and image.size == (1024, 768)  # fit: contain in 1024²
        r, g, b = image.getpixel((160, 120))
        assert abs(r - 36 * 1.0) < 40 and g > 150  # the picture's own colour, adjusted a little
    assert "error: picture p07.jpg:" in result.stderr and "1 failed: p07.jpg" in result.stderr
    assert "19 of 20 pictures done" in result.stderr and "Traceback" not in result.stderr


def test_a_dask_cluster_gives_the_same_files_as_the_local_pool(tmp_path, photos):
    distributed = pytest.importorskip("distributed")
    local = studio("run", CLEANUP, "--batch", photos / "p1*.jpg", "--input-node", "photo", "--out", tmp_path / "local")
    assert local.returncode == 0, local.stderr
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        remote = studio(
            "run", CLEANUP, "--batch", photos / "p1*.jpg", "--input-node", "photo",
            "--out", tmp_path / "dask", "--scheduler", cluster.scheduler_address,
        )  # fmt: skip
    assert remote.returncode == 0, remote.stderr
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "local") and len(outputs(tmp_path / "local")) == 10


def test_a_batch_that_would_call_gemini_says_how_many_calls_and_waits_for_yes(tmp_path, photos):
    workflow = {
        "format": "pyxis.workflow",
        "version": 1,
        "name": "AI batch",
        "nodes": [
            {"id": "photo", "type": "source.image", "params": {}},
            {"id": "edit", "type": "ai.edit", "params": {"prompt": "make it blue"}},
            {"id": "out", "type": "output.export", "params": {}},
        ],
        "edges": [{"from": "photo.image", "to": "edit.image"}, {"from": "edit.image", "to": "out.image"}],
    }
    path = tmp_path / "ai.json"
    path.write_text(json.dumps(workflow))
    result = studio("run", path, "--batch", photos / "p0*.jpg", "--input-node", "photo", "--out", tmp_path / "o")
    assert result.returncode == 2
    assert "this batch will make 10 Gemini calls" in result.stderr and "--yes" in result.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--batch", "nowhere/*.jpg", "--input-node", "photo"], "no file matches"),
        (["--batch", "*.md"], "needs --input-node NODE"),
        (["--batch", "*.md", "--input-node", "crop"], "not a source.image"),
        (["--scheduler", "tcp://127.0.0.1:1"], "go with --batch"),
    ],
)
def test_bad_batch_usage_is_exit_2_with_a_reason(tmp_path, extra, message):
    result = studio("run", CLEANUP, "--out", tmp_path, *extra)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, photos):
    result = studio(
        "run", CLEANUP, "--batch", photos / "p00.jpg", "--input-node", "photo",
        "--out", tmp_path, "--scheduler", "tcp://127.0.0.1:9",
    )  # fmt: skip
    assert result.returncode == 2 and "cannot reach the Dask scheduler" in result.stderr, result.stderr
