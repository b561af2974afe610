"""Image file headers read in pure Python: the format and the size, before any pixel is decoded.

Both backends may use it to refuse a decompression bomb from its first bytes (the canvas backend
must: the browser decodes a whole image before it tells its size). Formats: PNG, JPEG, WebP
(VP8, VP8L, VP8X), GIF and BMP, as the protocol's `decode` accepts them.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from ..core.errors import ImageError
from ..core.sniff import sniff_mime
from .protocol import MAX_PIXELS, MAX_SIDE

NOT_AN_IMAGE = "could not read the image: not a PNG, JPEG, WebP, GIF or BMP file"
# Pictures of a kind people do have (a phone's HEIC) but that no browser canvas decodes: named,
# with the way out, rather than called "not a picture".
_CONVERT = "; save it as PNG or JPEG first"
_KNOWN_BUT_UNREAD = {
    "image/heic": "a HEIC picture (an iPhone's default; its Camera setting 'Most Compatible' takes JPEG)",
    "image/heif": "a HEIF picture",
    "image/avif": "an AVIF picture",
    "image/tiff": "a TIFF picture",
}
EMPTY = "could not read the image: the file is empty"

_OURS = {"image/png": "png", "image/jpeg": "jpeg", "image/webp": "webp", "image/gif": "gif", "image/bmp": "bmp"}
# JPEG start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range
# but are not frames.
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# Markers that stand alone, without a length: TEM, RST0-7, SOI, EOI.
_JPEG_STANDALONE = frozenset((0x01, *range(0xD0, 0xD8), 0xD8, 0xD9))


@dataclass(frozen=True)
class ImageHeader:
    format: str  # "png", "jpeg", "webp", "gif" or "bmp"
    width: int
    height: int

    @property
    def mime_type(self) -> str:
        return "image/" + self.format


def image_format(data: bytes) -> str | None:
    """The format named by the file's signature, or None for none of ours."""
    return _OURS.get(sniff_mime(data) or "")


def not_an_image(data: bytes) -> str:
    """Why `data` cannot be read as a picture: the kind named when it is a picture of another kind."""
    kind = _KNOWN_BUT_UNREAD.get(sniff_mime(data) or "")
    if kind is None:
        return NOT_AN_IMAGE
    return f"{NOT_AN_IMAGE}: it is {kind}{_CONVERT}"


def read_header(data: bytes) -> ImageHeader:
    """Format and size from the header. Raises ImageError for empty, unknown or damaged
    headers (the pixels after the header are not looked at)."""
    if not data:
        raise ImageError(EMPTY)
    kind = image_format(data)
    if kind is None:
        raise ImageError(not_an_image(data))
    reader = {"png": _png, "jpeg": _jpeg, "webp": _webp, "gif": _gif, "bmp": _bmp}[kind]
    try:
        size = reader(data)
    except (struct.error, IndexError):
        size = None
    if size is None:
        raise ImageError(f"the image file is damaged (its {kind.upper()} header is incomplete)")
    width, height = size
    if width < 1 or height < 1:
        raise ImageError(f"the image file is damaged (its {kind.upper()} header says {width} x {height} pixels)")
    return ImageHeader(kind, width, height)


def check_size(width: int, height: int) -> None:
    """Refuse sizes over MAX_SIDE or MAX_PIXELS, naming the size and the limit."""
    # The pixel count first: for a bomb it says more than the side length does.
    if width * height > MAX_PIXELS:
        raise ImageError(
            f"the image is {width} x {height} ({width * height / 1e6:.1f} megapixels); "
            f"the limit is {MAX_PIXELS / 1e6:.1f} megapixels"
        )
    if width > MAX_SIDE or height > MAX_SIDE:
        raise ImageError(f"the image is {width} x {height}; no side may be longer than {MAX_SIDE} pixels")


def checked_header(data: bytes) -> ImageHeader:
    """read_header, then check_size: what a decoder calls before it decodes."""
    header = read_header(data)
    check_size(header.width, header.height)
    return header


def _png(data: bytes) -> tuple[int, int] | None:
    # The signature, then the IHDR chunk: length, b"IHDR", width, height (big-endian).
    if data[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", data[16:24])


def _gif(data: bytes) -> tuple[int, int] | None:
    # The logical screen size (little-endian), which is what decoders report.
    return struct.unpack("<HH", data[6:10])


def _bmp(data: bytes) -> tuple[int, int] | None:
    (dib_size,) = struct.unpack("<I", data[14:18])
    if dib_size == 12:  # BITMAPCOREHEADER: 16-bit sizes
        return struct.unpack("<HH", data[18:22])
    width, height = struct.unpack("<ii", data[18:26])
    return abs(width), abs(height)  # a negative height means rows stored top-down


def _jpeg(data: bytes) -> tuple[int, int] | None:
    pos = 2
    end = len(data)
    while pos < end:
        if data[pos] != 0xFF:
            return None  # not at a marker: damaged
        while pos < end and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= end:
            return None
        marker = data[pos]
        pos += 1
        if marker in _JPEG_STANDALONE:
            if marker == 0xD9:  # end of image before any frame
                return None
            continue
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        if length < 2:
            return None
        if marker in _JPEG_SOF:
            height, width = struct.unpack(">HH", data[pos + 3 : pos + 7])
            return width, height
        pos += length
    return None


def _webp(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    body = data[20:]
    if chunk == b"VP8 ":
        # A frame tag (3 bytes), the start code 9d 01 2a, then 14-bit width and height.
        if body[3:6] != b"\x9d\x01\x2a":
            return None
        width, height = struct.unpack("<HH", body[6:10])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L":
        if body[0] != 0x2F:
            return None
        (bits,) = struct.unpack("<I", body[1:5])
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        # Flags (1 byte), reserved (3), then canvas width - 1 and height - 1 in 24 bits each.
        if len(body) < 10:
            return None
        return int.from_bytes(body[4:7], "little") + 1, int.from_bytes(body[7:10], "little") + 1
    return None
