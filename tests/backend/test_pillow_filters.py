"""Blur and sharpen of the Pillow backend on real pixels, edges included."""

from __future__ import annotations

import asyncio
import math

import pytest
from PIL import Image, ImageStat

from studio.backend.pillow_backend import PillowBackend

backend = PillowBackend()
run = asyncio.run


def checkerboard(size: int, cell: int) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 255))
    for y in range(0, size, cell):
        for x in range(0, size, cell):
            if (x // cell + y // cell) % 2:
                image.paste((255, 255, 255, 255), (x, y, x + cell, y + cell))
    return image


def stripes(width: int, height: int, white_columns: int) -> Image.Image:
    """White columns at the left edge, black elsewhere: a pattern that varies along x only."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 255))
    image.paste((255, 255, 255, 255), (0, 0, white_columns, height))
    return image


def reference_blur(values: list[int], sigma: float, x: int) -> float:
    """A true Gaussian of standard deviation sigma at x, edge values extended forever."""
    reach = int(6 * sigma) + 1
    weights = {k: math.exp(-k * k / (2 * sigma * sigma)) for k in range(-reach, reach + 1)}
    last = len(values) - 1
    total = sum(w * values[min(last, max(0, x + k))] for k, w in weights.items())
    return total / sum(weights.values())


# --- blur -------------------------------------------------------------------------------------


@pytest.mark.parametrize("radius", [0.5, 2, 7.5, 40])
def test_blur_keeps_a_flat_image_flat_including_edges(radius):
    image = Image.new("RGBA", (23, 17), (200, 50, 10, 255))
    out = run(backend.blur(image, radius))
    assert out.getcolors() == [(23 * 17, (200, 50, 10, 255))]


def test_blur_radius_0_is_an_equal_image():
    image = checkerboard(16, 2)
    out = run(backend.blur(image, 0))
    assert out is not image and out.tobytes() == image.tobytes()


def test_blur_reduces_the_variance_of_a_checkerboard_more_as_radius_grows():
    image = checkerboard(32, 4)
    variances = [ImageStat.Stat(run(backend.blur(image, r)).convert("L")).var[0] for r in (0, 1, 3)]
    assert variances[0] > variances[1] > variances[2]
    assert variances[2] < variances[0] / 10


@pytest.mark.parametrize("sigma", [1, 2, 4])
def test_blur_is_a_gaussian_of_std_dev_radius_with_edges_extended(sigma):
    # Three white columns at the left edge. With the edge extended, the edge pixel sees
    # white on its whole left side; with a black or clear border it would be far darker.
    width, white = 30, 3
    out = run(backend.blur(stripes(width, 6, white), sigma))
    values = [255 if x < white else 0 for x in range(width)]
    for x in (0, 1, 2, 3, 4, 6, 10):
        assert abs(out.getpixel((x, 3))[0] - reference_blur(values, sigma, x)) <= 4, x
        assert out.getpixel((x, 0)) == out.getpixel((x, 5))  # top and bottom rows too


def test_blur_does_not_bleed_the_color_of_transparent_pixels():
    # Red square on transparent *black*: blurred edge pixels stay red, only alpha fades.
    image = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    image.paste((255, 0, 0, 255), (10, 10, 30, 30))
    out = run(backend.blur(image, 3))
    partial = 0
    for y in range(40):
        for x in range(40):
            r, g, b, a = out.getpixel((x, y))
            if 0 < a < 255:
                partial += 1
                assert (r, g, b) == (255, 0, 0), ((x, y), (r, g, b, a))
    assert partial > 100


# --- sharpen ----------------------------------------------------------------------------------


def test_sharpen_keeps_a_flat_image_flat():
    image = Image.new("RGBA", (9, 7), (120, 30, 250, 200))
    out = run(backend.sharpen(image, 2))
    assert out.getcolors() == [(63, (120, 30, 250, 200))]


def test_sharpen_amount_0_is_an_equal_image():
    image = checkerboard(8, 1)
    out = run(backend.sharpen(image, 0))
    assert out is not image and out.tobytes() == image.tobytes()


@pytest.mark.parametrize("amount, dark, bright", [(1, 50, 200), (0.5, 75, 175), (3, 0, 255)])
def test_sharpen_increases_contrast_at_an_edge(amount, dark, bright):
    # 100 | 150: next to the edge, (1 + 4a) v - a (sum of 4 neighbours) = v -+ 50 a.
    image = Image.new("RGBA", (10, 6), (100, 100, 100, 255))
    image.paste((150, 150, 150, 255), (5, 0, 10, 6))
    out = run(backend.sharpen(image, amount))
    assert out.getpixel((4, 3)) == (dark, dark, dark, 255)
    assert out.getpixel((5, 3)) == (bright, bright, bright, 255)
    assert out.getpixel((2, 3)) == (100, 100, 100, 255)  # away from the edge: unchanged
    assert out.getpixel((4, 0)) == (dark, dark, dark, 255)  # top row too: edges extended


def test_sharpen_treats_edge_pixels_with_the_edge_extended():
    # A brighter pixel on the left edge: its missing left neighbour is itself, so
    # 3 * 120 - 0.5 * (120 + 100 + 100 + 100) = 150 (not 120 as copied, nor 210 with 0s).
    image = Image.new("RGBA", (6, 5), (100, 100, 100, 255))
    image.putpixel((0, 2), (120, 120, 120, 255))
    out = run(backend.sharpen(image, 0.5))
    assert out.getpixel((0, 2)) == (150, 150, 150, 255)
    assert out.getpixel((1, 2)) == (90, 90, 90, 255)  # 3 * 100 - 0.5 * 420


def test_sharpen_keeps_alpha():
    image = checkerboard(8, 2)
    image.putalpha(Image.new("L", (8, 8), 123))
    out = run(backend.sharpen(image, 1))
    assert out.getchannel("A").getcolors() == [(64, 123)]
