"""Which PNGs the browser may decode with its default options (backend/plain_png.py): only those whose
stored pixels no premultiplication or colour management can change."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageCms, PngImagePlugin

from studio.backend.plain_png import HEAD, is_plain_png


def png(mode: str = "RGB", **save: object) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (8, 4), 128 if mode in ("L", "P", "I;16") else (10, 20, 30, 255)[: len(mode)]).save(
        out, "PNG", **save
    )
    return out.getvalue()


def with_text(size: int) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("pyxis.note", "x" * size)  # written before the pixels
    return png(pnginfo=info)


@pytest.mark.parametrize(
    ("data", "plain"),
    [
        (png("RGB"), True),
        (png("L"), True),
        (with_text(100), True),  # text says nothing about colour
        (png("RGBA"), False),  # alpha: premultiplication would change it
        (png("LA"), False),
        (png("P"), False),  # a palette may carry transparency
        (png("I;16"), False),  # 16 bits a channel: left to the careful path
        (png("RGB", transparency=(10, 20, 30)), False),  # tRNS
        (png("RGB", icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()), False),
        (with_text(HEAD), False),  # the pixels start past the head: not known
        (png("RGB")[:30], False),  # cut inside the header
        (b"GIF89a" + bytes(40), False),
        (b"", False),
    ],
    ids=[
        "rgb",
        "grey",
        "text-chunk",
        "rgba",
        "grey-alpha",
        "palette",
        "16-bit",
        "trns",
        "icc",
        "long-head",
        "cut",
        "gif",
        "empty",
    ],
)
def test_only_opaque_8_bit_pngs_without_colour_information_are_plain(data, plain):
    assert is_plain_png(data[:HEAD]) is plain


def test_a_gamma_chunk_makes_it_not_plain():
    data = bytearray(png("RGB"))
    at = data.index(b"IDAT") - 4
    chunk = (4).to_bytes(4, "big") + b"gAMA" + (45455).to_bytes(4, "big") + bytes(4)  # CRC not checked here
    assert is_plain_png(bytes(data)) and not is_plain_png(bytes(data[:at] + chunk + data[at:]))
