"""Pixels that move with the Pillow backend: gradient, resize, crop, flip, rotate, pad."""

from __future__ import annotations

import asyncio
import math

import pytest
from PIL import Image

from studio.backend.pillow_backend import PillowBackend

backend = PillowBackend()
run = asyncio.run

RED, GREEN, BLUE = (255, 0, 0, 255), (0, 255, 0, 255), (0, 0, 255, 255)
CLEAR = (0, 0, 0, 0)


def marked(width: int, height: int, at: tuple[int, int] = (0, 0)) -> Image.Image:
    """Blue with one red pixel."""
    image = Image.new("RGBA", (width, height), BLUE)
    image.putpixel(at, RED)
    return image


def red_pixels(image: Image.Image) -> list[tuple[int, int]]:
    return [
        (x, y) for y in range(image.height) for x in range(image.width) if image.getpixel((x, y))[:3] == (255, 0, 0)
    ]


def near(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 1) -> bool:
    return len(a) == len(b) and all(abs(p - q) <= tolerance for p, q in zip(a, b, strict=False))


# --- gradient ---------------------------------------------------------------------------------

START, END = (10, 20, 30, 255), (250, 200, 100, 40)


@pytest.mark.parametrize(
    "angle, start_corner, end_corner",
    [
        (0, (0, 0), (20, 0)),  # left to right: the whole left column is start
        (0, (0, 10), (20, 10)),
        (90, (0, 0), (0, 10)),  # top to bottom
        (90, (20, 0), (20, 10)),
        (45, (0, 0), (20, 10)),  # top-left to bottom-right
        (180, (20, 0), (0, 0)),  # right to left
        (270, (0, 10), (0, 0)),  # bottom to top
        (-45, (0, 10), (20, 0)),  # bottom-left to top-right
        (135, (20, 0), (0, 10)),
        (30, (0, 0), (20, 10)),
    ],
)
def test_gradient_corners_are_exactly_start_and_end(angle, start_corner, end_corner):
    image = run(backend.gradient(21, 11, START, END, angle))
    assert image.mode == "RGBA" and image.size == (21, 11)
    assert image.getpixel(start_corner) == START
    assert image.getpixel(end_corner) == END


def test_gradient_is_linear_per_channel_along_its_line():
    image = run(backend.gradient(5, 2, (0, 0, 0, 255), (255, 128, 0, 55), 0))
    expected = [
        tuple(round(s + (e - s) * x / 4) for s, e in zip((0, 0, 0, 255), (255, 128, 0, 55), strict=False))
        for x in range(5)
    ]
    for x in range(5):
        assert near(image.getpixel((x, 0)), expected[x])
        assert image.getpixel((x, 1)) == image.getpixel((x, 0))  # constant across the line


def test_gradient_at_45_degrees_is_constant_across_its_line():
    image = run(backend.gradient(9, 9, (0, 0, 0, 255), (255, 255, 255, 255), 45))
    # Pixels on a line perpendicular to the direction share a color; the middle is grey.
    assert image.getpixel((8, 0)) == image.getpixel((0, 8)) == image.getpixel((4, 4))
    assert near(image.getpixel((4, 4)), (128, 128, 128, 255))
    values = [image.getpixel((i, i))[0] for i in range(9)]
    assert values == sorted(values) and len(set(values)) == 9


def test_gradient_one_pixel_wide_across_its_line_is_the_middle_color():
    image = run(backend.gradient(1, 4, (0, 0, 0, 255), (200, 100, 50, 255), 0))
    assert image.getpixel((0, 3)) == (100, 50, 25, 255)


def test_solid_fills_every_pixel():
    image = run(backend.solid(7, 3, (1, 2, 3, 4)))
    assert image.size == (7, 3) and image.getcolors() == [(21, (1, 2, 3, 4))]


# --- resize, crop, flip -----------------------------------------------------------------------


@pytest.mark.parametrize("size", [(10, 7), (64, 50), (33, 8), (1, 1)])
def test_resize_stretches_to_the_exact_size_and_keeps_flat_flat(size):
    image = Image.new("RGBA", (20, 16), (12, 200, 99, 255))
    out = run(backend.resize(image, *size))
    assert out.size == size
    assert out.getcolors() == [(size[0] * size[1], (12, 200, 99, 255))]


@pytest.mark.parametrize("size", [(8, 8), (50, 50), (30, 9)])
def test_resize_of_half_transparent_red_stays_pure_red(size):
    # Transparent black around it must not darken the edges (premultiplied resampling).
    image = Image.new("RGBA", (20, 20), CLEAR)
    image.paste((255, 0, 0, 128), (5, 5, 15, 15))
    out = run(backend.resize(image, *size))
    for y in range(out.height):
        for x in range(out.width):
            r, g, b, a = out.getpixel((x, y))
            if a > 0:
                assert (r, g, b) == (255, 0, 0), (x, y, (r, g, b, a))


def test_crop_takes_the_box():
    image = marked(10, 8, at=(4, 3))
    out = run(backend.crop(image, 3, 2, 5, 4))
    assert out.size == (5, 4)
    assert red_pixels(out) == [(1, 1)]


@pytest.mark.parametrize(
    "axis, expected",
    [("horizontal", (7, 3)), ("vertical", (2, 4))],
)
def test_flip_mirrors_a_marked_pixel(axis, expected):
    out = run(backend.flip(marked(10, 8, at=(2, 3)), axis))
    assert out.size == (10, 8)
    assert red_pixels(out) == [expected]


# --- rotate -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "angle, size, corner",
    [
        (90, (30, 40), (29, 0)),  # clockwise: top-left goes top-right
        (-270, (30, 40), (29, 0)),
        (450, (30, 40), (29, 0)),
        (180, (40, 30), (39, 29)),
        (270, (30, 40), (0, 39)),
        (-90, (30, 40), (0, 39)),
        (360, (40, 30), (0, 0)),
    ],
)
def test_quarter_turns_with_expand_move_pixels_exactly(angle, size, corner):
    image = marked(40, 30)
    image.putpixel((5, 7), GREEN)
    out = run(backend.rotate(image, angle, True, (9, 9, 9, 255)))
    assert out.size == size
    assert red_pixels(out) == [corner]
    # A permutation of pixels, nothing blurred or filled.
    assert sorted(out.getcolors()) == sorted(image.getcolors())


def test_quarter_turn_without_expand_keeps_the_size_and_fills_the_rest():
    image = Image.new("RGBA", (40, 30), BLUE)
    out = run(backend.rotate(image, 90, False, GREEN))
    assert out.size == (40, 30)
    # The turned 30 x 40 picture is centred: 5 px of fill left and right, cut top and bottom.
    assert out.getpixel((0, 15)) == GREEN and out.getpixel((39, 15)) == GREEN
    assert out.getpixel((5, 0)) == BLUE and out.getpixel((34, 29)) == BLUE


@pytest.mark.parametrize("angle", [45, 30, 10, 135, 200, -33.3, 89.5])
@pytest.mark.parametrize("size", [(40, 30), (17, 64)])
def test_expanded_size_follows_the_formula(angle, size):
    w, h = size
    c, s = abs(math.cos(math.radians(angle))), abs(math.sin(math.radians(angle)))
    expected = (round(w * c + h * s), round(w * s + h * c))
    out = run(backend.rotate(Image.new("RGBA", size, BLUE), angle, True, CLEAR))
    assert out.size == expected


def test_rotate_45_fills_uncovered_corners_and_keeps_the_middle():
    image = Image.new("RGBA", (40, 30), BLUE)
    out = run(backend.rotate(image, 45, True, GREEN))
    assert out.size == (49, 49)
    for corner in ((0, 0), (48, 0), (0, 48), (48, 48)):
        assert out.getpixel(corner) == GREEN
    assert out.getpixel((24, 24)) == BLUE
    # Without expand: same size, corners filled.
    same = run(backend.rotate(image, 45, False, GREEN))
    assert same.size == (40, 30) and same.getpixel((0, 0)) == GREEN
    assert same.getpixel((20, 15)) == BLUE


def test_rotate_is_clockwise():
    # A red block at the right edge, middle height, moves down when turned clockwise.
    image = Image.new("RGBA", (41, 41), BLUE)
    image.paste(RED, (36, 18, 41, 23))
    out = run(backend.rotate(image, 20, False, BLUE))
    reds = [(x, y) for (x, y) in red_pixels(out)]
    mean_y = sum(y for _, y in reds) / len(reds)
    assert mean_y > 22  # centre row is 20; clockwise 20 degrees at radius ~18 is ~ +6


def test_rotate_with_transparent_fill_has_soft_edges_without_dark_fringe():
    image = Image.new("RGBA", (30, 20), RED)
    out = run(backend.rotate(image, 30, True, CLEAR))
    alphas = set()
    for y in range(out.height):
        for x in range(out.width):
            r, g, b, a = out.getpixel((x, y))
            alphas.add(a)
            if a > 0:
                assert (r, g, b) == (255, 0, 0)
            else:
                assert (r, g, b, a) == CLEAR
    assert 0 in alphas and 255 in alphas
    assert len(alphas) > 10  # anti-aliased: partial coverage along the edges


def test_rotate_keeps_semi_transparent_pixels_and_does_not_composite_the_fill():
    image = Image.new("RGBA", (30, 30), (255, 0, 0, 100))
    out = run(backend.rotate(image, 30, False, (255, 255, 255, 255)))
    assert near(out.getpixel((15, 15)), (255, 0, 0, 100))
    assert out.getpixel((0, 0)) == (255, 255, 255, 255)


# --- pad --------------------------------------------------------------------------------------


def test_pad_adds_borders_of_the_given_widths_and_color():
    image = marked(10, 8)
    border = (1, 2, 3, 128)
    out = run(backend.pad(image, 1, 2, 3, 4, border))
    assert out.size == (10 + 2 + 4, 8 + 1 + 3)
    assert red_pixels(out) == [(4, 1)]
    assert out.crop((4, 1, 14, 9)).tobytes() == image.tobytes()
    for x, y in ((0, 0), (15, 11), (3, 5), (14, 5), (8, 0), (8, 9)):
        assert out.getpixel((x, y)) == border
