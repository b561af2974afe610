"""Text inside PNG files: a compressed `iTXt` chunk written into encoded bytes, and read back.

Pure Python on purpose: the browser's canvas encoder cannot add chunks and Pillow is not in the
page, so both backends' PNGs go through this one function after encoding.
"""

from __future__ import annotations

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Decompressed text is capped: a hostile PNG must not expand a small chunk into gigabytes.
MAX_TEXT_BYTES = 16 * 1024 * 1024


class PngTextError(ValueError):
    """The bytes are not a PNG this module can read or write a chunk in."""


def is_png(data: bytes) -> bool:
    return data[:8] == SIGNATURE


def _chunks(data: bytes) -> list[tuple[int, bytes, int]]:
    """(offset, type, payload length) of every chunk, checked to lie inside the file."""
    if not is_png(data):
        raise PngTextError("not a PNG file")
    found, pos = [], 8
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if pos + 12 + length > len(data):
            raise PngTextError(f"the PNG is truncated (chunk {kind!r} at byte {pos})")
        found.append((pos, kind, length))
        pos += 12 + length
        if kind == b"IEND":
            return found
    raise PngTextError("the PNG has no IEND chunk (truncated)")


def _itxt(keyword: str, text: str) -> bytes:
    key = keyword.encode("latin-1")
    if not 1 <= len(key) <= 79 or b"\0" in key:
        raise PngTextError(f"bad iTXt keyword {keyword!r}")
    # keyword \0, compression flag 1, method 0 (zlib), empty language tag \0, empty translated keyword \0
    payload = key + b"\0\x01\x00\0\0" + zlib.compress(text.encode("utf-8"), 9)
    body = b"iTXt" + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def _parse_itxt(payload: bytes) -> tuple[str, str] | None:
    key, sep, rest = payload.partition(b"\0")
    if not sep or len(rest) < 2:
        return None
    compressed, method, rest = rest[0], rest[1], rest[2:]
    _language, sep1, rest = rest.partition(b"\0")
    _translated, sep2, raw = rest.partition(b"\0")
    if not (sep1 and sep2):
        return None
    if compressed:
        if method != 0:
            return None
        inflater = zlib.decompressobj()
        try:
            raw = inflater.decompress(raw, MAX_TEXT_BYTES + 1)
        except zlib.error:
            return None
        if len(raw) > MAX_TEXT_BYTES or inflater.unconsumed_tail:
            raise PngTextError(f"the embedded text is larger than {MAX_TEXT_BYTES // 2**20} MB")
    try:
        return key.decode("latin-1"), raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def embed_text(png: bytes, keyword: str, text: str) -> bytes:
    """The PNG with `text` under `keyword` (any earlier chunk of that keyword replaced), placed
    before the image data so readers that stop early still see it."""
    chunks = _chunks(png)
    kept = [png[:8]]
    inserted = False
    for pos, kind, length in chunks:
        raw = png[pos : pos + 12 + length]
        if kind == b"iTXt":
            parsed = _parse_itxt(raw[8:-4])
            if parsed is not None and parsed[0] == keyword:
                continue
        if kind in (b"IDAT", b"IEND") and not inserted:
            kept.append(_itxt(keyword, text))
            inserted = True
        kept.append(raw)
    return b"".join(kept)


def read_text(png: bytes, keyword: str) -> str | None:
    """The text stored under `keyword` in an iTXt chunk, or None when there is none."""
    for pos, kind, length in _chunks(png):
        if kind == b"iTXt":
            parsed = _parse_itxt(png[pos + 8 : pos + 8 + length])
            if parsed is not None and parsed[0] == keyword:
                return parsed[1]
    return None
