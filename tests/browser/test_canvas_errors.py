"""Bad pictures in the real page: the source node fails with the message the user needs, the
nodes after it are skipped, the page carries on; the messages match the Pillow backend's."""

from __future__ import annotations

import json
import random
import struct
import zlib

import pytest

from .parity_cases import PHOTO, data_url, encoded, run_pillow_result

pytestmark = pytest.mark.browser

RUN_IN_PAGE = """async (text) => {
  await window.studio.load(text);
  return await window.studio.run();
}"""


def png_claiming(width: int, height: int) -> bytes:
    """A real 1x1 PNG whose header claims another size, with a valid checksum (a
    decompression bomb's first bytes)."""
    data = bytearray(encoded(PHOTO.crop((0, 0, 1, 1)), "PNG"))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


PNG = encoded(PHOTO, "PNG")

# (case id, picture bytes, how the message starts, whether Pillow words it identically)
BAD_PICTURES = [
    (
        "random",
        random.Random(3).randbytes(4096),
        "could not read the image: not a PNG, JPEG, WebP, GIF or BMP file",
        True,
    ),
    ("empty", b"", "could not read the image: the file is empty", True),
    (
        "too_many_pixels",
        png_claiming(12000, 12000),
        "the image is 12000 x 12000 (144.0 megapixels); the limit is 67.1 megapixels",
        True,
    ),
    (
        "too_long_a_side",
        png_claiming(20000, 10),
        "the image is 20000 x 10; no side may be longer than 16384 pixels",
        True,
    ),
    ("truncated", PNG[: len(PNG) // 2], "the image file is damaged", False),
    ("corrupt_data", PNG[:2000] + bytes(200) + PNG[2200:], "the image file is damaged", False),
]


def chains(pictures) -> dict:
    """Per picture: source.image -> blur -> export (two nodes that depend on the source)."""
    nodes, edges = [], []
    for name, picture, *_ in pictures:
        nodes += [
            {"id": f"{name}", "type": "source.image", "params": {"image": data_url(picture)}},
            {"id": f"{name}-blur", "type": "transform.blur", "params": {"radius": 2}},
            {"id": f"{name}-out", "type": "output.export", "params": {"format": "png"}},
        ]
        edges += [
            {"from": f"{name}.image", "to": f"{name}-blur.image"},
            {"from": f"{name}-blur.image", "to": f"{name}-out.image"},
        ]
    return {"format": "pyxis.workflow", "version": 1, "name": "Bad pictures", "nodes": nodes, "edges": edges}


def test_bad_pictures_fail_their_node_and_skip_the_rest(studio_page):
    document = chains(BAD_PICTURES)
    result = studio_page.page.evaluate(RUN_IN_PAGE, json.dumps(document))
    reference = run_pillow_result(document).nodes
    problems = []
    for name, _, message, same_words in BAD_PICTURES:
        got = result[name]
        if got["status"] != "failed" or not got.get("error", "").startswith(message):
            problems.append(f"{name}: expected failed with {message!r}, got {got}")
        for after in (f"{name}-blur", f"{name}-out"):
            if result[after]["status"] != "skipped":
                problems.append(f"{after}: expected skipped, got {result[after]}")
        if reference[name].status != "failed":
            problems.append(f"{name}: Pillow did not fail: {reference[name]}")
        elif same_words and reference[name].error != got.get("error"):
            problems.append(f"{name}: browser says {got.get('error')!r}, Pillow says {reference[name].error!r}")
        elif not reference[name].error.startswith(message):
            problems.append(f"{name}: Pillow says {reference[name].error!r}")
    assert not problems, "\n".join(problems)
    assert "upstream node 'random'" in result["random-blur"]["error"]


def test_page_carries_on_after_a_bad_picture(studio_page):
    page = studio_page.page
    failed = page.evaluate(RUN_IN_PAGE, json.dumps(chains([("bad", b"not a picture at all")])))
    assert failed["bad"]["status"] == "failed"
    good = page.evaluate(RUN_IN_PAGE, json.dumps(chains([("good", PNG)])))
    assert {node: r["status"] for node, r in good.items()} == {"good": "done", "good-blur": "done", "good-out": "done"}
    assert studio_page.errors == []
