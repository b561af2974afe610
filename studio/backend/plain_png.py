"""PNGs whose stored pixels every decoder gives as they are: opaque, 8 bits a channel and with no colour
information, so no premultiplication and no colour management can change them.

The browser decodes such a file about a fifth faster with its default options than with the
"premultiplyAlpha: none, colorSpaceConversion: none" the canvas backend needs for any other file
(benchmarks in docs/benchmarks.md); the pixels are the same.
"""

from __future__ import annotations

SIGNATURE = b"\x89PNG\r\n\x1a\n"
OPAQUE_TYPES = (0, 2)  # greyscale, truecolour: no alpha channel (a palette may carry tRNS)
# Chunks that make a decoder change the stored values: colour spaces, gamma, HDR, transparency.
CHANGING = frozenset({b"iCCP", b"gAMA", b"cHRM", b"sRGB", b"cICP", b"mDCV", b"cLLI", b"tRNS"})
HEAD = 64 * 1024  # enough of a file for the chunks before its pixels, as a rule


def is_plain_png(head: bytes) -> bool:
    """True when this start of a PNG file shows it plain (see above) before its first IDAT chunk;
    False for anything else, or when the chunks before the pixels run past `head`."""
    if head[:8] != SIGNATURE or head[12:16] != b"IHDR" or len(head) < 33:
        return False
    bit_depth, colour_type = head[24], head[25]
    if bit_depth != 8 or colour_type not in OPAQUE_TYPES:
        return False
    at = 8
    while at + 8 <= len(head):
        length, kind = int.from_bytes(head[at : at + 4], "big"), head[at + 4 : at + 8]
        if kind == b"IDAT":
            return True
        if kind in CHANGING:
            return False
        at += 12 + length  # length, type, data, CRC
    return False
