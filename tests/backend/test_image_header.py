"""The pure-Python header sniffer against real files written by Pillow, and against bad bytes."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from studio.backend.image_header import (
    EMPTY,
    NOT_AN_IMAGE,
    check_size,
    checked_header,
    image_format,
    read_header,
)
from studio.backend.protocol import MAX_SIDE
from studio.core.errors import ImageError


def encoded(fmt: str, size: tuple[int, int], mode: str = "RGB", **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 40, 90) if mode == "RGB" else None).save(buffer, fmt, **options)
    return buffer.getvalue()


CASES = [
    ("png", encoded("PNG", (37, 11))),
    ("png", encoded("PNG", (5, 300), "RGBA")),
    ("jpeg", encoded("JPEG", (123, 45))),
    ("jpeg", encoded("JPEG", (64, 48), progressive=True)),
    ("jpeg", encoded("JPEG", (33, 17), exif=Image.Exif().tobytes())),
    ("webp", encoded("WEBP", (99, 51), quality=80)),  # VP8 (lossy)
    ("webp", encoded("WEBP", (77, 3), lossless=True)),  # VP8L
    ("webp", encoded("WEBP", (40, 41), "RGBA", quality=80)),  # VP8X (alpha)
    ("gif", encoded("GIF", (16, 9))),
    ("bmp", encoded("BMP", (21, 13))),
]


@pytest.mark.parametrize(("kind", "data"), CASES, ids=[f"{k}-{i}" for i, (k, _) in enumerate(CASES)])
def test_reads_format_and_size_like_pillow(kind, data):
    header = read_header(data)
    assert header.format == kind
    assert (header.width, header.height) == Image.open(io.BytesIO(data)).size
    assert header.mime_type == f"image/{kind}"


def test_bmp_stored_top_down_has_a_positive_height():
    data = bytearray(encoded("BMP", (8, 6)))
    data[22:26] = struct.pack("<i", -6)
    assert (read_header(bytes(data)).width, read_header(bytes(data)).height) == (8, 6)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", EMPTY),
        (b"hello, this is text and not a picture", NOT_AN_IMAGE),
        (bytes(range(256)) * 4, NOT_AN_IMAGE),
        (b"%PDF-1.7\n", NOT_AN_IMAGE),
    ],
)
def test_unknown_data_is_refused_with_a_clear_message(data, message):
    with pytest.raises(ImageError) as info:
        read_header(data)
    assert str(info.value) == message
    assert image_format(data) is None


@pytest.mark.parametrize(
    ("brand", "named"),
    [(b"heic", "a HEIC picture"), (b"mif1", "a HEIF picture"), (b"avif", "an AVIF picture")],
)
def test_a_picture_of_a_kind_the_canvas_cannot_decode_is_named_with_the_way_out(brand, named):
    with pytest.raises(ImageError) as info:
        read_header(b"\0\0\0\x18ftyp" + brand + b"\0\0\0\0mif1heic" + b"\0" * 64)
    assert str(info.value).startswith(NOT_AN_IMAGE + ": it is " + named)
    assert str(info.value).endswith("save it as PNG or JPEG first")


# Where to cut each kind so that the signature survives but the size does not.
CUTS = {"png": 20, "jpeg": 9, "webp": 24, "gif": 8, "bmp": 20}


@pytest.mark.parametrize(("kind", "data"), CASES[::2], ids=[k for k, _ in CASES[::2]])
def test_truncated_headers_are_damaged_not_crashes(kind, data):
    with pytest.raises(ImageError, match=rf"damaged \(its {kind.upper()} header is incomplete\)"):
        read_header(data[: CUTS[kind]])


def test_jpeg_without_a_frame_is_damaged():
    with pytest.raises(ImageError, match="damaged"):
        read_header(b"\xff\xd8\xff\xd9")


def test_zero_size_is_damaged():
    data = bytearray(encoded("PNG", (4, 4)))
    data[16:20] = b"\0\0\0\0"
    with pytest.raises(ImageError, match=r"header says 0 x 4 pixels"):
        read_header(bytes(data))


def png_claiming(width: int, height: int) -> bytes:
    """A 1x1 PNG whose header (checksum included) claims another size."""
    data = bytearray(encoded("PNG", (1, 1)))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def test_huge_header_is_refused_before_decoding():
    with pytest.raises(ImageError) as info:
        checked_header(png_claiming(12000, 12000))
    assert str(info.value) == "the image is 12000 x 12000 (144.0 megapixels); the limit is 67.1 megapixels"


def test_too_long_a_side_is_refused():
    with pytest.raises(ImageError, match=rf"no side may be longer than {MAX_SIDE} pixels"):
        checked_header(png_claiming(MAX_SIDE + 1, 10))


def test_sizes_at_the_limits_pass():
    check_size(MAX_SIDE, 4096)
    check_size(8192, 8192)
