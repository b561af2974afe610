"""The Studio's batch logic on real Pillow runs: one ZIP folder per picture, failures reported, cancel, progress."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from studio.app.batch import Picture, Progress, folder_names, gemini_calls_per_run, run_batch, zip_name
from studio.backend.pillow_backend import PillowBackend
from studio.core.executor import Executor
from studio.core.workflow import load_workflow
from studio.nodes import default_catalog

ROOT = Path(__file__).parents[2]
CATALOG = default_catalog()


def jpeg(color) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 150), color).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def cleanup_graph():
    return load_workflow((ROOT / "static/examples/photo-cleanup.json").read_text(), CATALOG)


def test_every_picture_gets_a_folder_in_the_zip_and_a_bad_one_is_reported():
    graph = cleanup_graph()
    executor = Executor(CATALOG, PillowBackend())
    pictures = [
        Picture("red.jpg", jpeg((200, 0, 0))),
        Picture("bad.jpg", b"\xff\xd8 broken"),
        Picture("blue.jpg", jpeg((0, 0, 200))),
    ]
    seen: list[Progress] = []
    result = asyncio.run(
        run_batch(graph, "photo", pictures, lambda inputs: executor.run(graph, inputs=inputs), on_progress=seen.append)
    )
    assert (result.done, result.total, result.cancelled) == (2, 3, False)
    assert [name for name, _ in result.failed] == ["bad.jpg"] and "photo" in result.failed[0][1]
    with zipfile.ZipFile(io.BytesIO(result.zip_bytes)) as archive:
        assert sorted(archive.namelist()) == ["blue/photo-jpeg.jpg", "red/photo-jpeg.jpg"]
        with Image.open(io.BytesIO(archive.read("red/photo-jpeg.jpg"))) as red:
            r, g, b = red.convert("RGB").getpixel((100, 100))
            assert r > 150 and g < 60 and b < 60
    assert seen[-1].done == 2 and seen[-1].failed and seen[-1].text().startswith("2 of 3")


def test_cancel_stops_before_the_next_picture_and_keeps_what_is_done():
    graph = cleanup_graph()
    executor = Executor(CATALOG, PillowBackend())
    pictures = [Picture(f"p{i}.jpg", jpeg((i * 40, 90, 90))) for i in range(4)]
    runs = []

    async def run_one(inputs):
        runs.append(1)
        return await executor.run(graph, inputs=inputs)

    result = asyncio.run(run_batch(graph, "photo", pictures, run_one, is_cancelled=lambda: len(runs) >= 2))
    assert result.cancelled and result.done == 2 and len(runs) == 2
    assert len(zipfile.ZipFile(io.BytesIO(result.zip_bytes)).namelist()) == 2


@pytest.mark.parametrize(
    "names, folders",
    [
        (["a.jpg", "b.png"], ["a", "b"]),
        (["a.jpg", "a.png"], ["a.jpg", "a.png"]),
        (["a.jpg", "a.jpg"], ["a.jpg", "a.jpg-2"]),
        (["../evil.png", "sp ace.jpg"], ["evil", "sp_ace"]),
        ([".hidden"], ["hidden"]),
    ],
)
def test_folder_names_never_collide_or_escape(names, folders):
    assert folder_names(names) == folders


def test_progress_text_and_zip_name():
    assert Progress(3, 10, 30.0).text() == "3 of 10 · 30 s elapsed · about 1:10 left"
    assert Progress(0, 10, 1.0).text() == "0 of 10 · 1 s elapsed"
    assert zip_name("Photo cleanup") == "photo-cleanup-batch.zip"


def test_gemini_calls_count_each_instruction_of_each_ai_node():
    graph = load_workflow(
        json.dumps({"format": "pyxis.workflow", "version": 1, "nodes": [
            {"id": "g", "type": "ai.generate", "params": {"prompt": "a fox"}, "data": {"followups": ["bluer", "smaller"]}},
            {"id": "e", "type": "ai.edit", "params": {"prompt": "sharper"}},
        ], "edges": [{"from": "g.image", "to": "e.image"}]}),
        CATALOG,
    )  # fmt: skip
    assert gemini_calls_per_run(graph) == 4
