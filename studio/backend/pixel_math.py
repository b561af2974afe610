"""Pixel rules both backends share: the seeded noise field, tone tables, luma and byte scans.

Everything here is plain Python on bytes (no Pillow, no browser), so the Pillow backend and the
canvas backend under Pyodide compute exactly the same numbers from the same arguments.
"""

from __future__ import annotations

import hashlib
from collections import Counter

# Rec. 601 luma in 16-bit fixed point, exactly as Pillow's RGB -> "L" conversion computes it:
# L = (19595 R + 38470 G + 7471 B + 32768) >> 16. The canvas shaders use the same integers.
LUMA_WEIGHTS = (19595, 38470, 7471)


def luma(r: int, g: int, b: int) -> int:
    return (LUMA_WEIGHTS[0] * r + LUMA_WEIGHTS[1] * g + LUMA_WEIGHTS[2] * b + 32768) >> 16


def levels_table(black: int, white: int, gamma: float) -> list[int]:
    """256 outputs: t = clamp((v - black) / (white - black), 0, 1), out = round(255 t^(1/gamma))."""
    span = max(1, white - black)
    table = []
    for v in range(256):
        t = min(1.0, max(0.0, (v - black) / span))
        table.append(int(255 * t ** (1 / gamma) + 0.5))
    return table


def posterize_table(levels: int) -> list[int]:
    """256 outputs on `levels` evenly spaced values: round(round(v (n-1)/255) 255/(n-1))."""
    n = levels - 1
    return [int(int(v * n / 255 + 0.5) * 255 / n + 0.5) for v in range(256)]


def noise_offsets(seed: int, width: int, height: int, amount: float, mono: bool) -> bytes:
    """The noise field: width x height x 3 bytes, each 128 + an offset in -127..127 to add
    to R, G and B. Uniform noise from SHAKE-256 of the seed (a standard, so every Python
    gives the same bytes); mono uses one draw for all three channels."""
    count = width * height
    draws = hashlib.shake_256(f"pyxis.noise:{seed}".encode()).digest(count if mono else count * 3)
    table = bytes(min(255, max(1, 128 + int(round((n - 127.5) * amount)))) for n in range(256))
    scaled = draws.translate(table)
    if not mono:
        return scaled
    out = bytearray(count * 3)
    out[0::3] = scaled
    out[1::3] = scaled
    out[2::3] = scaled
    return bytes(out)


def histogram(rgba: bytes) -> list[int]:
    """1024 counts (R, G, B, A, 256 each) over the pixels whose alpha is not 0. `rgba` is
    straight RGBA in which fully transparent pixels are (0, 0, 0, 0), as pixels() gives it."""
    counts: list[int] = []
    clear = rgba[3::4].count(0)
    for channel in range(4):
        counter = Counter(rgba[channel::4])
        row = [counter.get(v, 0) for v in range(256)]
        row[0] -= clear
        counts += row
    return counts


def cutoff_bounds(counts: list[int], cutoff: float) -> tuple[int, int] | None:
    """(low, high) of one channel's 256 counts after clipping `cutoff` percent of the pixels
    off each end; None when there are no pixels."""
    total = sum(counts)
    if total == 0:
        return None
    clip = total * cutoff / 100
    low, seen = 0, 0
    for low in range(256):
        seen += counts[low]
        if seen > clip:
            break
    high, seen = 255, 0
    for high in range(255, -1, -1):
        seen += counts[high]
        if seen > clip:
            break
    return (low, high) if low <= high else (high, low)


def content_box(rgba: bytes, width: int, height: int, tolerance: int) -> tuple[int, int, int, int] | None:
    """The smallest box (x, y, w, h) holding every pixel that differs from the top-left pixel
    by more than `tolerance` in any channel; None when none does (a uniform picture)."""
    corner = rgba[:4]
    tables = [bytes(0 if abs(v - c) <= tolerance else 1 for v in range(256)) for c in corner]
    differs = 0
    for channel in range(4):
        differs |= int.from_bytes(rgba[channel::4].translate(tables[channel]), "big")
    if differs == 0:
        return None
    mask = differs.to_bytes(width * height, "big")
    first, last = mask.find(1), mask.rfind(1)
    top, bottom = first // width, last // width
    left, right = width, -1
    for row in range(top, bottom + 1):
        line = mask[row * width : (row + 1) * width]
        found = line.find(1)
        if found < 0:
            continue
        left = min(left, found)
        right = max(right, line.rfind(1))
    return left, top, right - left + 1, bottom - top + 1
