"""The second wave of Pillow operations (issue 12) on a real photo-like picture, checked pixel by
pixel against the formulas of studio/backend/protocol.py, written out here independently."""

from __future__ import annotations

import asyncio
import math

import pytest
from PIL import Image, ImageDraw

from studio.backend import pixel_math
from studio.backend.pillow_backend import PillowBackend
from tests.browser.parity_cases import photo

backend = PillowBackend()
run = asyncio.run
PHOTO = photo()
# Pixels spread over the picture: gradients, shapes, lines, the translucent and the clear corner.
SAMPLES = [(x, y) for x in range(3, 320, 37) for y in range(2, 240, 29)] + [(10, 220), (300, 230), (250, 200)]


def luma601(r, g, b):
    return round(0.299 * r + 0.587 * g + 0.114 * b + 1e-9)


def test_pixels_zero_the_color_of_clear_pixels_and_histogram_agrees():
    data = run(backend.pixels(PHOTO))
    assert len(data) == 320 * 240 * 4
    x, y = 10, 220  # inside the photo's fully transparent patch
    offset = (y * 320 + x) * 4
    assert data[offset : offset + 4] == b"\0\0\0\0"
    assert PHOTO.getpixel((x, y))[:3] != (0, 0, 0)  # Pillow itself keeps a hidden color there
    # The shared pure-Python histogram (the canvas's) equals Pillow's masked one.
    assert pixel_math.histogram(data) == run(backend.histogram(PHOTO))
    again = run(backend.from_pixels(320, 240, data))
    assert again.size == (320, 240) and again.getpixel((100, 100)) == PHOTO.getpixel((100, 100))


def test_threshold_is_rec601_luma_against_the_level():
    out = run(backend.threshold(PHOTO, 128))
    for xy in SAMPLES:
        r, g, b, a = PHOTO.getpixel(xy)
        white = 255 if pixel_math.luma(r, g, b) >= 128 else 0
        assert out.getpixel(xy) == (white, white, white, a)
        assert abs(pixel_math.luma(r, g, b) - luma601(r, g, b)) <= 1


@pytest.mark.parametrize(("black", "white", "gamma"), [(0, 255, 1.0), (40, 200, 1.0), (20, 230, 2.2), (0, 255, 0.5)])
def test_levels_follow_the_formula(black, white, gamma):
    out = run(backend.levels(PHOTO, (black,) * 3, (white,) * 3, gamma))
    for xy in SAMPLES:
        source = PHOTO.getpixel(xy)
        expected = tuple(round(255 * min(1, max(0, (v - black) / (white - black))) ** (1 / gamma)) for v in source[:3])
        got = out.getpixel(xy)
        assert got[3] == source[3]
        assert all(abs(e - g) <= 1 for e, g in zip(expected, got[:3], strict=True)), (xy, expected, got)


def test_posterize_keeps_only_the_levels():
    out = run(backend.posterize(PHOTO, 3))
    values = {v for band in out.split()[:3] for v, n in enumerate(band.histogram()) if n}
    assert values <= {0, 128, 255}
    assert out.getpixel((5, 5))[3] == PHOTO.getpixel((5, 5))[3]


def test_pixelate_fills_each_block_with_its_premultiplied_mean():
    block = 16
    out = run(backend.pixelate(PHOTO, block))
    for bx, by in ((0, 0), (5, 3), (19, 14)):  # (19, 14) is the partial bottom-right block
        box = (bx * block, by * block, min(320, bx * block + block), min(240, by * block + block))
        pixels = [PHOTO.getpixel((x, y)) for x in range(box[0], box[2]) for y in range(box[1], box[3])]
        alpha = sum(p[3] for p in pixels)
        mean_a = alpha / len(pixels)
        expected = [sum(p[c] * p[3] for p in pixels) / alpha for c in range(3)] if alpha else [0, 0, 0]
        got = {out.getpixel((x, y)) for x in range(box[0], box[2]) for y in range(box[1], box[3])}
        assert len(got) == 1, f"block {bx},{by} is not one color"
        (r, g, b, a) = got.pop()
        assert abs(a - mean_a) <= 1
        assert all(abs(e - v) <= 2 for e, v in zip(expected, (r, g, b), strict=True)), (expected, (r, g, b))


def test_noise_is_the_seeded_field_added_and_clamped():
    offsets = pixel_math.noise_offsets(7, 320, 240, 0.5, mono=False)
    assert offsets == pixel_math.noise_offsets(7, 320, 240, 0.5, mono=False)
    assert offsets != pixel_math.noise_offsets(8, 320, 240, 0.5, mono=False)
    assert min(offsets) >= 128 - 64 and max(offsets) <= 128 + 64
    out = run(backend.add_noise(PHOTO, offsets))
    for x, y in SAMPLES:
        i = (y * 320 + x) * 3
        source = PHOTO.getpixel((x, y))
        expected = tuple(min(255, max(0, source[c] + offsets[i + c] - 128)) for c in range(3)) + (source[3],)
        assert out.getpixel((x, y)) == expected
    mono = pixel_math.noise_offsets(7, 4, 4, 0.5, mono=True)
    assert all(mono[i] == mono[i + 1] == mono[i + 2] for i in range(0, len(mono), 3))


def test_vignette_leaves_the_middle_and_darkens_the_corners():
    grey = Image.new("RGBA", (200, 100), (200, 200, 200, 255))
    out = run(backend.vignette(grey, 0.8, 0.3, (0, 0, 0, 255)))
    assert out.getpixel((100, 50)) == (200, 200, 200, 255)
    corner = out.getpixel((0, 0))[0]
    # At the corner pixel's centre d is just under 1: nearly the full 80 %.
    u, v = (0.5 - 100) / 100, (0.5 - 50) / 50
    d = math.sqrt((u * u + v * v) / 2)
    t = (d - 0.3) / 0.7
    expected = 200 * (1 - 0.8 * t * t * (3 - 2 * t))
    assert abs(corner - expected) <= 1
    diagonal = [out.getpixel((100 + i, 50 + i // 2))[0] for i in range(0, 100, 10)]
    assert diagonal == sorted(diagonal, reverse=True)
    assert out.getpixel((0, 0))[3] == 255


def test_edges_and_emboss_on_flat_and_on_a_step():
    flat = Image.new("RGBA", (20, 20), (90, 120, 150, 255))
    assert run(backend.convolve(flat, (-1, -1, -1, -1, 8, -1, -1, -1, -1), 0)).getpixel((0, 0)) == (0, 0, 0, 255)
    emboss = run(backend.convolve(flat, (-1, -1, 0, -1, 0, 1, 0, 1, 1), 128))
    assert emboss.getpixel((19, 19)) == (128, 128, 128, 255)
    step = Image.new("RGBA", (20, 20), (0, 0, 0, 255))
    ImageDraw.Draw(step).rectangle((10, 0, 19, 19), fill=(100, 100, 100, 255))
    edges = run(backend.convolve(step, (-1, -1, -1, -1, 8, -1, -1, -1, -1), 0))
    assert edges.getpixel((10, 5))[0] == 255 and edges.getpixel((15, 5))[0] == 0 and edges.getpixel((9, 5))[0] == 0


def test_convolve_weighs_the_row_above_with_the_first_row():
    dot = Image.new("RGBA", (5, 5), (0, 0, 0, 255))
    dot.putpixel((2, 2), (10, 10, 10, 255))
    out = run(backend.convolve(dot, (1, 2, 3, 4, 5, 6, 7, 8, 9), 0))
    # out(x, y) = sum of k[row][col] x in(x + col - 1, y + row - 1): the dot at (2, 2) is
    # below-right of (1, 1), so (1, 1) gets the last weight.
    got = [[out.getpixel((x, y))[0] for x in range(1, 4)] for y in range(1, 4)]
    assert got == [[90, 80, 70], [60, 50, 40], [30, 20, 10]]


def test_opacity_and_channel():
    half = run(backend.opacity(PHOTO, 0.5))
    for xy in SAMPLES:
        source = PHOTO.getpixel(xy)
        assert half.getpixel(xy) == source[:3] + (int(source[3] * 0.5 + 0.5),)
    for index, name in enumerate(("red", "green", "blue", "alpha")):
        out = run(backend.channel(PHOTO, name))
        for xy in SAMPLES:
            source = PHOTO.getpixel(xy)
            value = source[index] if source[3] else 0
            assert out.getpixel(xy) == (value, value, value, 255)


def test_mask_multiplies_alpha_by_luma_or_alpha():
    mask = Image.linear_gradient("L").rotate(90).resize((320, 240)).convert("RGBA")  # white left, black right
    out = run(backend.mask(PHOTO, mask, "luminance", False))
    inverted = run(backend.mask(PHOTO, mask, "luminance", True))
    for xy in SAMPLES:
        a, m = PHOTO.getpixel(xy)[3], mask.getpixel(xy)[0]
        assert abs(out.getpixel(xy)[3] - a * m / 255) <= 1
        assert abs(inverted.getpixel(xy)[3] - a * (255 - m) / 255) <= 1
        assert out.getpixel(xy)[:3] == PHOTO.getpixel(xy)[:3]
    by_alpha = run(backend.mask(PHOTO, PHOTO, "alpha", False))
    assert by_alpha.getpixel((300, 230))[3] == round(PHOTO.getpixel((300, 230))[3] ** 2 / 255)


def test_chroma_key_removes_the_color_and_ramps_by_distance():
    out = run(backend.chroma_key(PHOTO, (230, 200, 40, 255), 60, 40))
    for xy in SAMPLES + [(75, 85)]:  # (75, 85) is inside the yellow disc
        r, g, b, a = PHOTO.getpixel(xy)
        d = math.dist((r, g, b), (230, 200, 40))
        factor = min(1, max(0, (d - 60) / 40))
        assert abs(out.getpixel(xy)[3] - a * factor) <= 1, (xy, d)
    assert out.getpixel((75, 85))[3] == 0
    hard = run(backend.chroma_key(PHOTO, (230, 200, 40, 255), 60, 0))
    assert {hard.getpixel(xy)[3] for xy in [(75, 85)]} == {0}
    assert hard.getpixel((240, 50))[3] == 255  # the blue box stays


def test_fill_shapes_anti_aliased_even_odd():
    square = ((10.0, 10.0), (90.0, 10.0), (90.0, 90.0), (10.0, 90.0))
    hole = ((30.0, 30.0), (70.0, 30.0), (70.0, 70.0), (30.0, 70.0))
    out = run(backend.fill_shapes(100, 100, (((square, hole), (255, 0, 0, 255)),)))
    assert out.getpixel((20, 20)) == (255, 0, 0, 255)
    assert out.getpixel((50, 50))[3] == 0 and out.getpixel((5, 5))[3] == 0
    # A half-covered column: the edge at x = 10.5 covers half of pixel 10.
    strip = ((10.5, 0.0), (20.0, 0.0), (20.0, 20.0), (10.5, 20.0))
    half = run(backend.fill_shapes(20, 20, (((strip,), (0, 0, 255, 255)),)))
    assert 110 <= half.getpixel((10, 10))[3] <= 145
    circle = tuple((50 + 40 * math.cos(i * math.pi / 180), 50 + 40 * math.sin(i * math.pi / 180)) for i in range(360))
    disc = run(backend.fill_shapes(100, 100, (((circle,), (0, 0, 0, 255)),)))
    area = sum(disc.getchannel("A").histogram()[v] * v for v in range(256)) / 255
    assert abs(area - math.pi * 40**2) < 20


def test_content_box_on_padded_and_uniform_pictures():
    picture = Image.new("RGBA", (50, 40), (255, 255, 255, 255))
    picture.paste((10, 20, 30, 255), (12, 7, 30, 25))
    assert pixel_math.content_box(picture.tobytes(), 50, 40, 10) == (12, 7, 18, 18)
    assert pixel_math.content_box(Image.new("RGBA", (8, 8), (1, 2, 3, 255)).tobytes(), 8, 8, 0) is None
    # Within the tolerance counts as border.
    picture.paste((250, 250, 250, 255), (0, 0, 5, 40))
    assert pixel_math.content_box(picture.tobytes(), 50, 40, 10) == (12, 7, 18, 18)
    assert pixel_math.content_box(picture.tobytes(), 50, 40, 2) == (5, 0, 45, 40)  # the corner is now the grey strip
