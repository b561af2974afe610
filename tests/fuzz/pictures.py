"""The picture corpus of issue 13's sweep, made as files: broken, bombs and unusual kinds.

Each entry: file name, bytes, and what `studio run --input` must do with it: `("ok", check)` with a
check of the exported PNG, or `("refused", words)` with words the failure message must contain.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from typing import Any

from PIL import Image

Check = Callable[[Image.Image], None]


def _save(image: Image.Image, fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A valid PNG header claiming a huge size, with a few bytes of (deflated zero) data."""
    header = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    data = _png_chunk(b"IDAT", zlib.compress(b"\0" * 4096, 9))
    return b"\x89PNG\r\n\x1a\n" + header + data + _png_chunk(b"IEND", b"")


def jpeg_with_size(width: int, height: int) -> bytes:
    """A small real JPEG whose frame header is patched to claim another size."""
    data = bytearray(_save(Image.new("RGB", (8, 8), (1, 2, 3)), "JPEG"))
    at = data.index(b"\xff\xc0") + 5  # SOF0: length(2) precision(1) height(2) width(2)
    data[at : at + 4] = struct.pack(">HH", height, width)
    return bytes(data)


def exif_rotated() -> bytes:
    """40 x 20, red left half, with EXIF orientation 6 (shown turned 90° clockwise: 20 x 40)."""
    image = Image.new("RGB", (40, 20), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 20, 20))
    exif = Image.Exif()
    exif[0x0112] = 6
    return _save(image, "JPEG", exif=exif.tobytes(), quality=95)


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (10, 10), (255, 0, 0)), Image.new("RGB", (10, 10), (0, 0, 255))]
    return _save(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


def palette_with_transparency() -> bytes:
    image = Image.new("P", (10, 10), 0)
    image.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    image.paste(1, (0, 0, 5, 10))
    return _save(image, "PNG", transparency=0)  # index 0 (red, the right half) is transparent


def sixteen_bit() -> bytes:
    image = Image.new("I;16", (10, 10), 65535)
    image.paste(0, (0, 0, 5, 10))
    return _save(image, "PNG")


def pixel(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    return image.convert("RGBA").getpixel(xy)


def near(color: tuple[int, ...], expected: tuple[int, ...], slack: int = 12) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(color, expected, strict=True))


def _ok_size(size: tuple[int, int], xy: tuple[int, int], rgba: tuple[int, int, int, int]) -> Check:
    def check(image: Image.Image) -> None:
        assert image.size == size, image.size
        assert near(pixel(image, xy), rgba), pixel(image, xy)

    return check


def corpus() -> list[tuple[str, bytes, tuple[str, Any]]]:
    rgb = Image.new("RGB", (12, 8), (10, 120, 240))
    png = _save(rgb, "PNG")
    cmyk = Image.new("CMYK", (6, 6), (0, 0, 0, 0))  # no ink: white
    la = Image.new("LA", (6, 6), (128, 255))
    la.paste((128, 0), (0, 0, 3, 6))
    return [
        ("empty.png", b"", ("refused", ["the file is empty"])),
        ("truncated.png", png[: len(png) // 2], ("refused", ["damaged"])),
        ("truncated-header.jpg", _save(rgb, "JPEG")[:20], ("refused", ["damaged"])),
        ("text.png", b"this is not a picture\n" * 10, ("refused", ["not a PNG, JPEG"])),
        ("pdf.png", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", ("refused", ["not a PNG, JPEG"])),
        ("bomb.png", png_bomb(), ("refused", ["megapixels"])),
        ("wide.png", png_bomb(20_000, 10), ("refused", ["16384"])),
        ("bomb.jpg", jpeg_with_size(60_000, 60_000), ("refused", ["megapixels"])),
        ("plain.png", png, ("ok", _ok_size((12, 8), (3, 3), (10, 120, 240, 255)))),
        ("sixteen-bit.png", sixteen_bit(), ("ok", _ok_size((10, 10), (8, 5), (255, 255, 255, 255)))),
        ("cmyk.jpg", _save(cmyk, "JPEG", quality=95), ("ok", _ok_size((6, 6), (3, 3), (255, 255, 255, 255)))),
        ("exif-rotated.jpg", exif_rotated(), ("ok", _ok_size((20, 40), (10, 5), (255, 0, 0, 255)))),
        ("animated.gif", animated_gif(), ("ok", _ok_size((10, 10), (5, 5), (255, 0, 0, 255)))),
        ("palette-transparent.png", palette_with_transparency(), ("ok", _ok_transparent)),
        ("la.png", _save(la, "PNG"), ("ok", _ok_la)),
        ("photo.webp", _save(rgb, "WEBP", lossless=True), ("ok", _ok_size((12, 8), (3, 3), (10, 120, 240, 255)))),
        ("photo.bmp", _save(rgb, "BMP"), ("ok", _ok_size((12, 8), (3, 3), (10, 120, 240, 255)))),
        ("png-named.heic", png, ("ok", _ok_size((12, 8), (3, 3), (10, 120, 240, 255)))),
        (
            "real.heic",
            b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 64,
            ("refused", ["it is a HEIC picture", "JPEG first"]),
        ),
    ]


def _ok_transparent(image: Image.Image) -> None:
    assert image.size == (10, 10)
    assert pixel(image, (2, 5)) == (0, 255, 0, 255)  # index 1: opaque green
    assert pixel(image, (8, 5))[3] == 0  # index 0: transparent


def _ok_la(image: Image.Image) -> None:
    assert image.size == (6, 6)
    assert pixel(image, (1, 1))[3] == 0 and near(pixel(image, (4, 4)), (128, 128, 128, 255))
