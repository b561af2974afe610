"""Decoding and encoding with the Pillow backend: round trips, modes, EXIF, and refusals."""

from __future__ import annotations

import asyncio
import io
import random
import struct
import warnings
import zlib

import pytest
from PIL import Image

from studio.backend.pillow_backend import PillowBackend
from studio.core.errors import ImageError

backend = PillowBackend()
run = asyncio.run


def encoded(image: Image.Image, format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()


def noise(width: int, height: int, seed: int = 1) -> Image.Image:
    rng = random.Random(seed)
    data = bytes(rng.randrange(256) for _ in range(width * height * 3))
    return Image.frombytes("RGB", (width, height), data).convert("RGBA")


def with_png_size(png: bytes, width: int, height: int) -> bytes:
    """The PNG with its IHDR claiming another size (and a CRC that matches): a header-only
    bomb whose pixels could never be decoded."""
    ihdr = bytearray(png[16:29])  # 8 signature + 4 length + 4 "IHDR", then 13 bytes of data
    ihdr[0:8] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr)))
    return png[:16] + bytes(ihdr) + crc + png[33:]


def marked(width: int, height: int) -> Image.Image:
    image = Image.new("RGBA", (width, height), (0, 0, 255, 255))
    image.putpixel((0, 0), (255, 0, 0, 255))
    return image


# --- round trips ---------------------------------------------------------------------------


def test_png_round_trip_keeps_every_pixel_and_alpha():
    image = noise(16, 9)
    image.putpixel((3, 4), (10, 20, 30, 0))
    image.putpixel((5, 6), (200, 100, 50, 77))
    data = run(backend.encode(image, "png", 90))
    assert data.startswith(b"\x89PNG")
    back = run(backend.decode(data))
    assert back.mode == "RGBA" and back.size == (16, 9)
    assert back.tobytes() == image.tobytes()


def test_webp_keeps_alpha():
    image = Image.new("RGBA", (32, 32), (200, 30, 30, 255))
    image.paste((0, 0, 0, 0), (0, 0, 16, 32))
    back = run(backend.decode(run(backend.encode(image, "webp", 80))))
    assert back.getpixel((4, 10))[3] == 0
    assert back.getpixel((28, 10))[3] == 255
    assert all(abs(a - b) <= 8 for a, b in zip(back.getpixel((28, 10)), (200, 30, 30, 255), strict=False))


def test_webp_quality_100_is_lossless():
    image = noise(24, 24)
    image.putpixel((1, 1), (9, 8, 7, 128))
    back = run(backend.decode(run(backend.encode(image, "webp", 100))))
    assert back.tobytes() == image.tobytes()


@pytest.mark.parametrize(
    "pixel, expected",
    [
        ((0, 0, 0, 0), (255, 255, 255)),  # fully transparent becomes the white it sits on
        ((0, 0, 0, 128), (127, 127, 127)),  # half black over white is mid grey
        ((200, 40, 40, 255), (200, 40, 40)),  # opaque is kept
    ],
)
def test_jpeg_flattens_onto_white(pixel, expected):
    image = Image.new("RGBA", (16, 16), pixel)
    data = run(backend.encode(image, "jpeg", 95))
    assert data.startswith(b"\xff\xd8")
    back = run(backend.decode(data))
    assert back.getpixel((8, 8))[3] == 255
    assert all(abs(a - b) <= 3 for a, b in zip(back.getpixel((8, 8)), expected, strict=False))


@pytest.mark.parametrize("format", ["jpeg", "webp"])
def test_lower_quality_gives_fewer_bytes(format):
    image = noise(64, 64)
    small = run(backend.encode(image, format, 20))
    large = run(backend.encode(image, format, 95))
    assert len(small) < len(large)


def test_webp_refuses_sides_over_its_limit_with_a_clear_message():
    with pytest.raises(ImageError, match="16383"):
        run(backend.encode(Image.new("RGBA", (16384, 1)), "webp", 80))


def test_unknown_format_is_refused():
    with pytest.raises(ImageError, match="tiff"):
        run(backend.encode(Image.new("RGBA", (2, 2)), "tiff", 90))


# --- modes, frames and orientation -----------------------------------------------------------


def test_palette_gif_with_transparency_decodes_to_rgba():
    image = Image.new("P", (4, 4), 1)
    image.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0] + [0] * (253 * 3))
    image.putpixel((2, 2), 2)
    image.putpixel((0, 0), 0)
    back = run(backend.decode(encoded(image, "GIF", transparency=0)))
    assert back.mode == "RGBA"
    assert back.getpixel((1, 1)) == (255, 0, 0, 255)
    assert back.getpixel((2, 2)) == (0, 255, 0, 255)
    assert back.getpixel((0, 0))[3] == 0


def test_animated_gif_gives_its_first_frame():
    frames = [Image.new("RGB", (8, 8), color) for color in ((255, 0, 0), (0, 0, 255))]
    data = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    assert run(backend.decode(data)).getpixel((4, 4)) == (255, 0, 0, 255)


def test_16_bit_grey_png_is_scaled_not_clipped():
    image = Image.new("I;16", (3, 1))
    for x, value in enumerate((0, 32768, 65535)):
        image.putpixel((x, 0), value)
    back = run(backend.decode(encoded(image, "PNG")))
    assert back.mode == "RGBA"
    assert [back.getpixel((x, 0)) for x in range(3)] == [
        (0, 0, 0, 255),
        (128, 128, 128, 255),
        (255, 255, 255, 255),
    ]


@pytest.mark.parametrize(
    "mode, value, expected",
    [
        ("L", 77, (77, 77, 77, 255)),
        ("LA", (77, 100), (77, 77, 77, 100)),
        ("RGB", (1, 2, 3), (1, 2, 3, 255)),
        ("P", 0, (0, 0, 0, 255)),
    ],
)
def test_png_modes_decode_to_rgba(mode, value, expected):
    back = run(backend.decode(encoded(Image.new(mode, (2, 2), value), "PNG")))
    assert back.mode == "RGBA" and back.getpixel((1, 1)) == expected


def test_cmyk_jpeg_and_bmp_decode_to_rgba():
    cmyk = Image.new("CMYK", (8, 8), (0, 255, 255, 0))  # red
    back = run(backend.decode(encoded(cmyk, "JPEG", quality=95)))
    assert back.mode == "RGBA"
    assert all(abs(a - b) <= 4 for a, b in zip(back.getpixel((4, 4)), (255, 0, 0, 255), strict=False))
    bmp = run(backend.decode(encoded(Image.new("RGB", (3, 2), (5, 6, 7)), "BMP")))
    assert bmp.getpixel((2, 1)) == (5, 6, 7, 255)


@pytest.mark.parametrize("format", ["PNG", "JPEG"])
def test_exif_orientation_is_applied(format):
    exif = Image.Exif()
    exif[0x0112] = 6  # stored turned: display rotated 90 degrees clockwise
    stored = marked(4, 2).resize((40, 20), Image.Resampling.NEAREST).convert("RGB")
    back = run(backend.decode(encoded(stored, format, exif=exif)))
    assert back.size == (20, 40)
    red, blue = (255, 0, 0), (0, 0, 255)
    # The stored top-left block is at the top right once upright.
    assert all(abs(a - b) <= 12 for a, b in zip(back.getpixel((17, 2)), red, strict=False))
    assert all(abs(a - b) <= 12 for a, b in zip(back.getpixel((2, 2)), blue, strict=False))


# --- refusals ---------------------------------------------------------------------------------

PNG = encoded(noise(64, 64), "PNG")


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"just some text, not a picture\n", "not a PNG, JPEG, WebP, GIF or BMP file"),
        (bytes(range(256)) * 4, "not a PNG, JPEG, WebP, GIF or BMP file"),
        (PNG[: len(PNG) // 2], "damaged"),  # truncated in the pixel data
        (PNG[:40], "damaged"),  # truncated just after the header
        (PNG[:100] + b"\x00" * 500 + PNG[100:], "damaged"),  # corrupt pixel data
        (encoded(noise(32, 32).convert("RGB"), "JPEG")[:300], "damaged"),
        (b"BM" + b"\x00" * 60, "damaged"),
    ],
)
def test_bad_bytes_raise_image_error_with_a_clear_message(data, message):
    with pytest.raises(ImageError, match=message):
        run(backend.decode(data))


@pytest.mark.parametrize(
    "width, height, message",
    [
        # Far over Pillow's own bomb limit: refused inside Image.open, still with the size.
        (30000, 30000, r"30000 x 30000 \(900\.0 megapixels\); the limit is 67\.1 megapixels"),
        # Over Pillow's warning limit only.
        (10000, 9000, r"10000 x 9000 \(90\.0 megapixels\); the limit is 67\.1 megapixels"),
        # Under every Pillow limit: our own check.
        (9000, 9000, r"9000 x 9000 \(81\.0 megapixels\); the limit is 67\.1 megapixels"),
        (20000, 10, r"20000 x 10; no side may be longer than 16384 pixels"),
    ],
)
def test_oversized_header_is_refused_before_decoding(width, height, message):
    bomb = with_png_size(encoded(Image.new("L", (4, 4)), "PNG"), width, height)
    # The pixels behind the header could never be decoded: a size message proves that
    # the header alone was judged.
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no Pillow bomb warning leaks out
        with pytest.raises(ImageError, match=message):
            run(backend.decode(bomb))


def test_size_at_the_limit_is_accepted():
    # 16384 x 1 touches MAX_SIDE without passing it.
    image = Image.new("L", (16384, 1), 9)
    assert run(backend.decode(encoded(image, "PNG"))).size == (16384, 1)
