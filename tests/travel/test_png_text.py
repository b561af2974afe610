"""The iTXt chunk: written into real PNGs, read back by Pillow and by us, hostile chunks refused."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from studio.core.png_text import MAX_TEXT_BYTES, PngTextError, embed_text, read_text


def png(size=(8, 6), color=(10, 200, 30, 255)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def test_pillow_reads_the_text_and_the_pixels_are_unchanged():
    text = '{"format": "pyxis.workflow", "name": "Ünïcode ✓"}'
    out = embed_text(png(), "pyxis.workflow", text)
    with Image.open(io.BytesIO(out)) as image:
        image.load()
        assert image.text["pyxis.workflow"] == text
        assert image.getpixel((3, 3)) == (10, 200, 30, 255) and image.size == (8, 6)
    assert read_text(out, "pyxis.workflow") == text


def test_embedding_twice_replaces_the_first_text():
    once = embed_text(png(), "pyxis.workflow", "one")
    twice = embed_text(once, "pyxis.workflow", "two")
    assert read_text(twice, "pyxis.workflow") == "two"
    assert twice.count(b"iTXt") == 1


def test_big_text_stays_small_because_it_is_compressed():
    text = '{"nodes": [' + ",".join(f'{{"id": "n{i}", "type": "transform.blur"}}' for i in range(2000)) + "]}"
    out = embed_text(png(), "pyxis.workflow", text)
    assert len(out) - len(png()) < len(text) / 10


def test_a_png_without_the_chunk_reads_none_and_other_keywords_are_ignored():
    other = embed_text(png(), "Comment", "hello")
    assert read_text(png(), "pyxis.workflow") is None
    assert read_text(other, "pyxis.workflow") is None


@pytest.mark.parametrize(
    "data, message",
    [(b"GIF89a....", "not a PNG"), (png()[:40], "truncated"), (png()[:-12], "IEND")],
)
def test_broken_files_are_refused_with_a_reason(data, message):
    with pytest.raises(PngTextError, match=message):
        read_text(data, "pyxis.workflow")


def test_a_decompression_bomb_in_the_chunk_is_refused():
    payload = b"pyxis.workflow\0\x01\x00\0\0" + zlib.compress(b" " * (MAX_TEXT_BYTES + 10), 9)
    body = b"iTXt" + payload
    chunk = struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))
    data = png()
    bomb = data[:33] + chunk + data[33:]  # after IHDR
    with pytest.raises(PngTextError, match="larger than"):
        read_text(bomb, "pyxis.workflow")
