"""Overlay with W3C blend modes, round corners and text of the Pillow backend on real pixels."""

from __future__ import annotations

import asyncio
import math

import pytest
from PIL import Image

from studio.backend.pillow_backend import PillowBackend

backend = PillowBackend()
run = asyncio.run

RED, BLUE, WHITE = (255, 0, 0, 255), (0, 0, 255, 255), (255, 255, 255, 255)


def near(a, b, tolerance=2):
    return len(a) == len(b) and all(abs(p - q) <= tolerance for p, q in zip(a, b, strict=False))


# The W3C Compositing and Blending definitions, on 0..1 values.
SPEC_BLEND = {
    "normal": lambda cb, cs: cs,
    "multiply": lambda cb, cs: cb * cs,
    "screen": lambda cb, cs: cb + cs - cb * cs,
    "darken": min,
    "lighten": max,
    "overlay": lambda cb, cs: cs * 2 * cb if cb <= 0.5 else cs + (2 * cb - 1) - cs * (2 * cb - 1),
}


def spec_composite(backdrop, source, opacity, blend):
    """Cs' = (1 - ab) Cs + ab B(Cb, Cs), then source-over with as * opacity; straight RGBA."""
    cb = [v / 255 for v in backdrop[:3]]
    cs = [v / 255 for v in source[:3]]
    ab, a_s = backdrop[3] / 255, source[3] / 255 * opacity
    mixed = [(1 - ab) * s + ab * SPEC_BLEND[blend](b, s) for b, s in zip(cb, cs, strict=False)]
    ao = a_s + ab * (1 - a_s)
    if ao == 0:
        return (0, 0, 0, 0)
    co = [(a_s * m + ab * (1 - a_s) * b) / ao for m, b in zip(mixed, cb, strict=False)]
    return (*(round(c * 255) for c in co), round(ao * 255))


def overlaid(backdrop, source, opacity=1.0, blend="normal"):
    base = Image.new("RGBA", (6, 6), backdrop)
    top = Image.new("RGBA", (4, 4), source)
    out = run(backend.overlay(base, top, 1, 1, opacity, blend))
    assert out.size == (6, 6) and out.getpixel((0, 0)) == backdrop  # outside: untouched
    return out.getpixel((2, 2))


# --- overlay ----------------------------------------------------------------------------------


def test_normal_at_half_opacity_is_the_midpoint():
    assert near(overlaid(BLUE, RED, 0.5), (128, 0, 127, 255), 1)


@pytest.mark.parametrize("blend", list(SPEC_BLEND))
@pytest.mark.parametrize(
    "backdrop, source",
    [
        ((200, 100, 50, 255), (100, 150, 220, 255)),
        ((30, 128, 127, 255), (250, 10, 128, 255)),
        ((0, 255, 90, 255), (255, 0, 180, 255)),
    ],
)
def test_blend_modes_on_opaque_colors_give_the_formula(blend, backdrop, source):
    pairs = zip(backdrop[:3], source[:3], strict=False)
    expected = tuple(round(SPEC_BLEND[blend](b / 255, s / 255) * 255) for b, s in pairs)
    assert near(overlaid(backdrop, source, 1.0, blend), (*expected, 255))


@pytest.mark.parametrize("blend", list(SPEC_BLEND))
@pytest.mark.parametrize(
    "backdrop, source, opacity",
    [
        ((200, 100, 50, 128), (100, 150, 220, 255), 1.0),
        ((200, 100, 50, 255), (100, 150, 220, 100), 1.0),
        ((60, 180, 240, 200), (240, 60, 20, 160), 0.6),
        ((10, 20, 30, 0), (100, 150, 200, 255), 1.0),  # clear backdrop: the blend is not used
    ],
)
def test_blend_modes_with_alpha_follow_the_compositing_model(blend, backdrop, source, opacity):
    expected = spec_composite(backdrop, source, opacity, blend)
    assert near(overlaid(backdrop, source, opacity, blend), expected)


def test_opacity_0_leaves_the_base():
    base = Image.new("RGBA", (5, 5), BLUE)
    out = run(backend.overlay(base, Image.new("RGBA", (5, 5), RED), 0, 0, 0.0, "multiply"))
    assert out.tobytes() == base.tobytes()


@pytest.mark.parametrize(
    "x, y, red_box",
    [
        (-5, -5, (0, 0, 5, 5)),  # hangs off the top-left: only its bottom-right quarter shows
        (15, 12, (15, 12, 20, 20)),  # hangs off the bottom-right
        (-3, 4, (0, 4, 7, 14)),
        (25, 0, None),  # wholly outside
        (-10, -10, None),  # touches the corner from outside
    ],
)
def test_overlay_clips_at_the_base_edges(x, y, red_box):
    base = Image.new("RGBA", (20, 20), BLUE)
    out = run(backend.overlay(base, Image.new("RGBA", (10, 10), RED), x, y, 1.0, "normal"))
    assert out.size == (20, 20)
    expected = Image.new("RGBA", (20, 20), BLUE)
    if red_box:
        expected.paste(RED, red_box)
    assert out.tobytes() == expected.tobytes()


# --- round corners ----------------------------------------------------------------------------


def test_round_corners_clears_corners_and_keeps_the_middle():
    image = Image.new("RGBA", (40, 30), (10, 200, 30, 255))
    out = run(backend.round_corners(image, 10))
    for corner in ((0, 0), (39, 0), (0, 29), (39, 29)):
        assert out.getpixel(corner)[3] == 0
    for inside in ((20, 15), (20, 0), (0, 15), (39, 15), (20, 29), (10, 10)):
        assert out.getpixel(inside) == (10, 200, 30, 255)
    assert out.convert("RGB").tobytes() == image.convert("RGB").tobytes()  # color untouched


def test_round_corners_is_anti_aliased_and_covers_a_quarter_circle():
    radius = 20
    image = Image.new("RGBA", (60, 60), RED)
    corner = run(backend.round_corners(image, radius)).getchannel("A").crop((0, 0, radius, radius))
    levels = {corner.getpixel((x, y)) for x in range(radius) for y in range(radius)}
    assert len(levels - {0, 255}) > 5  # partial coverage along the arc
    covered = sum(corner.getpixel((x, y)) for x in range(radius) for y in range(radius)) / 255
    assert abs(covered - math.pi * radius**2 / 4) < radius * 0.1


def test_round_corners_multiplies_existing_alpha():
    image = Image.new("RGBA", (20, 20), (0, 0, 0, 100))
    out = run(backend.round_corners(image, 5))
    assert out.getpixel((10, 10))[3] == 100 and out.getpixel((0, 0))[3] == 0


def test_round_corners_radius_0_is_an_equal_image():
    image = Image.new("RGBA", (8, 8), RED)
    assert run(backend.round_corners(image, 0)).tobytes() == image.tobytes()


# --- text -------------------------------------------------------------------------------------


def rows_with(image: Image.Image, test) -> list[int]:
    """The rows holding at least one pixel that passes `test`."""
    columns = range(image.width)
    return [y for y in range(image.height) if any(test(image.getpixel((x, y))) for x in columns)]


YELLOW = (255, 255, 0, 255)
is_yellow = lambda p: p[:3] == (255, 255, 0) and p[3] > 0  # noqa: E731


@pytest.mark.parametrize("position", ["top", "center", "bottom"])
def test_text_is_drawn_in_its_band(position):
    image = Image.new("RGBA", (200, 120), (0, 0, 0, 255))
    out = run(backend.text(image, "Hello", 20, YELLOW, position, None))
    ink = rows_with(out, lambda p: p[0] > 128)  # yellow on black: red channel shows the ink
    assert ink, "nothing drawn"
    top, bottom = min(ink), max(ink)
    if position == "top":
        assert 10 <= top < 25 and bottom < 45
    elif position == "bottom":
        assert bottom <= 110 and top > 75
    else:
        assert abs((top + bottom) / 2 - 60) < 8
    columns = [x for x in range(200) if any(out.getpixel((x, y))[0] > 128 for y in ink)]
    assert abs((min(columns) + max(columns)) / 2 - 100) < 4  # centred horizontally


def test_background_band_spans_the_full_width_behind_the_text():
    image = Image.new("RGBA", (160, 100), (0, 0, 255, 255))
    out = run(backend.text(image, "Hi", 16, YELLOW, "bottom", (255, 0, 0, 255)))
    band = rows_with(out, lambda p: p == RED)
    assert band and band == list(range(band[0], band[-1] + 1))
    for y in band:
        assert out.getpixel((0, y)) == RED and out.getpixel((159, y)) == RED
    assert band[-1] < 99 and out.getpixel((80, 99)) == (0, 0, 255, 255)  # margin below
    assert out.getpixel((80, 5)) == (0, 0, 255, 255)  # nothing at the top
    yellow = rows_with(out, is_yellow)
    assert yellow and band[0] < min(yellow) and max(yellow) < band[-1]


def test_translucent_background_and_text_color_are_blended():
    image = Image.new("RGBA", (120, 60), (0, 0, 255, 255))
    out = run(backend.text(image, "W", 30, (255, 255, 255, 128), "center", (255, 0, 0, 128)))
    assert near(out.getpixel((1, 30)), (128, 0, 127, 255), 1)  # half red over blue
    brightest = max(out.getpixel((x, y))[1] for x in range(120) for y in range(60))
    assert 100 < brightest < 140  # half-transparent white ink: never full white


def test_text_on_a_clear_image_keeps_the_color_with_coverage_as_alpha():
    image = Image.new("RGBA", (120, 60), (0, 0, 0, 0))
    out = run(backend.text(image, "Wa", 30, YELLOW, "center", None))
    alphas = {out.getpixel((x, y))[3] for x in range(120) for y in range(60)} - {0}
    assert 255 in alphas and len(alphas) > 5
    for x in range(120):
        for y in range(60):
            p = out.getpixel((x, y))
            assert p[3] == 0 or p[:3] == (255, 255, 0)  # no dark fringe


def test_text_lines_stack():
    image = Image.new("RGBA", (200, 200), (0, 0, 0, 255))
    one = rows_with(run(backend.text(image, "Hello", 20, YELLOW, "top", None)), is_yellow)
    two = rows_with(run(backend.text(image, "Hello\nHello", 20, YELLOW, "top", None)), is_yellow)
    assert min(two) == min(one) and max(two) > max(one) + 15


def test_windows_line_ends_split_like_newlines():
    image = Image.new("RGBA", (200, 200), (0, 0, 0, 255))
    unix = run(backend.text(image, "Hello\nthere", 20, YELLOW, "center", None))
    windows = run(backend.text(image, "Hello\r\nthere", 20, YELLOW, "center", None))
    assert windows.tobytes() == unix.tobytes()
