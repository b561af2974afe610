"""Canvas backend vs Pillow backend: every image node (first wave and issue 12's), run in the real page through
window.studio, compared with the same workflow run under CPython (see docs/parity.md)."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from PIL import Image

from .parity_cases import (
    CASES,
    EXPORT_CASES,
    MORE_NODE_CASES,
    compare,
    data_url_bytes,
    decode_data_url,
    run_pillow,
    workflow,
)

pytestmark = pytest.mark.browser

# Load, run, and fetch every listed node's picture, in one round trip.
RUN_IN_PAGE = """async ({text, nodes}) => {
  await window.studio.load(text);
  const run = await window.studio.run();
  const outputs = {};
  for (const id of nodes) outputs[id] = await window.studio.output(id);
  return {run, outputs};
}"""


ALL_CASES = CASES + MORE_NODE_CASES


def test_every_node_matches_pillow(studio_page):
    document = workflow(ALL_CASES)
    reference = run_pillow(document)
    page = studio_page.page
    got = page.evaluate(RUN_IN_PAGE, {"text": json.dumps(document), "nodes": [c.id for c in ALL_CASES]})
    not_done = {n: r for n, r in got["run"].items() if r["status"] != "done"}
    assert not not_done, f"nodes that did not finish in the browser: {not_done}"

    problems, rows = [], []
    for case in ALL_CASES:
        url = got["outputs"].get(case.id)
        if url is None:
            problems.append(f"{case.id}: no output from the browser")
            continue
        canvas, pillow = decode_data_url(url), reference[case.id]["image"]
        save_pair(case.id, canvas, pillow)
        value, found = compare(case, canvas, pillow)
        rows.append(
            f"{case.id:28} {case.type:22} {'check' if value is None else f'{value:6.2f}':>7} (min {case.min_psnr})"
        )
        problems += found
    print("\n".join(["", "PSNR (dB, premultiplied RGBA):", *rows]))
    assert not problems, "\n".join(problems)


# Export nodes output files, not pictures: window.studio.file(id) gives the file as a data: URL.
EXPORT_IN_PAGE = """async ({text, nodes}) => {
  if (typeof window.studio.file !== "function") return null;
  await window.studio.load(text);
  const run = await window.studio.run();
  const files = {};
  for (const id of nodes) files[id] = await window.studio.file(id);
  return {run, files};
}"""

MIME_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}


def test_exported_files_decode_like_pillows(studio_page):
    document = workflow(EXPORT_CASES)
    got = studio_page.page.evaluate(
        EXPORT_IN_PAGE, {"text": json.dumps(document), "nodes": [c.id for c in EXPORT_CASES]}
    )
    if got is None:
        pytest.skip("the page has no window.studio.file(nodeId) hook to read an export's file")
    not_done = {n: r for n, r in got["run"].items() if r["status"] != "done"}
    assert not not_done, f"nodes that did not finish in the browser: {not_done}"
    reference = run_pillow(document)
    problems, rows = [], []
    for case in EXPORT_CASES:
        url = got["files"].get(case.id)
        if url is None:
            problems.append(f"{case.id}: no file from the browser")
            continue
        mime, data = data_url_bytes(url)
        fmt = case.params["format"]
        if mime != MIME_TYPES[fmt]:
            problems.append(f"{case.id}: the file is {mime}, not {MIME_TYPES[fmt]}")
        canvas, pillow = open_image(data), open_image(reference[case.id]["file"])
        if canvas.format.lower() != fmt:
            problems.append(f"{case.id}: the bytes are a {canvas.format} file, not {fmt}")
        canvas, pillow = canvas.convert("RGBA"), pillow.convert("RGBA")
        save_pair(case.id, canvas, pillow)
        value, found = compare(case, canvas, pillow)
        rows.append(f"{case.id:28} {value:6.2f} (min {case.min_psnr})")
        problems += found
    print("\n".join(["", "PSNR of the decoded files (dB, premultiplied RGBA):", *rows]))
    assert not problems, "\n".join(problems)


def open_image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def save_pair(name, canvas, pillow):
    """With PARITY_SAVE_DIR set, keep both pictures of every case for a look by eye."""
    folder = os.environ.get("PARITY_SAVE_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        canvas.save(Path(folder) / f"{name}.canvas.png")
        pillow.save(Path(folder) / f"{name}.pillow.png")
