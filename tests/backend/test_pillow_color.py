"""Color operations of the Pillow backend checked against the CSS Filter Effects numbers."""

from __future__ import annotations

import asyncio
import math

import pytest
from PIL import Image

from studio.backend.pillow_backend import PillowBackend

backend = PillowBackend()
run = asyncio.run

# The Filter Effects spec's matrices, written out here independently of the backend.
SPEC_SEPIA = ((0.393, 0.769, 0.189), (0.349, 0.686, 0.168), (0.272, 0.534, 0.131))
SPEC_GRAYSCALE = ((0.2126, 0.7152, 0.0722),) * 3


def spec_saturate(s):
    return (
        (0.213 + 0.787 * s, 0.715 - 0.715 * s, 0.072 - 0.072 * s),
        (0.213 - 0.213 * s, 0.715 + 0.285 * s, 0.072 - 0.072 * s),
        (0.213 - 0.213 * s, 0.715 - 0.715 * s, 0.072 + 0.928 * s),
    )


def spec_hue_rotate(degrees):
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    rows = (  # (constant, cos factor, sin factor) for each of the nine entries
        ((0.213, 0.787, -0.213), (0.715, -0.715, -0.715), (0.072, -0.072, 0.928)),
        ((0.213, -0.213, 0.143), (0.715, 0.285, 0.140), (0.072, -0.072, -0.283)),
        ((0.213, -0.213, -0.787), (0.715, -0.715, 0.715), (0.072, 0.928, 0.072)),
    )
    return tuple(tuple(k + c * kc + s * ks for k, kc, ks in row) for row in rows)


def clamp01(v):
    return min(1.0, max(0.0, v))


def times(matrix, rgb):
    """matrix x rgb on 0..1 values, clamped."""
    return tuple(clamp01(sum(m * v for m, v in zip(row, rgb, strict=False))) for row in matrix)


def to_bytes(rgb):
    return tuple(round(v * 255) for v in rgb)


def css_adjust(rgb8, brightness, contrast, saturation, hue):
    """The CSS filter chain in floats, clamping after each step, as the protocol says."""
    v = tuple(c / 255 for c in rgb8)
    v = tuple(clamp01(c * brightness) for c in v)
    v = tuple(clamp01((c - 0.5) * contrast + 0.5) for c in v)
    v = times(spec_saturate(saturation), v)
    v = times(spec_hue_rotate(hue), v)
    return to_bytes(v)


def pixel_after(op, rgba, *args):
    image = Image.new("RGBA", (3, 2), rgba)
    out = run(getattr(backend, op)(image, *args))
    assert out.mode == "RGBA" and out.size == (3, 2)
    return out.getpixel((1, 1))


def near(a, b, tolerance=1):
    return len(a) == len(b) and all(abs(p - q) <= tolerance for p, q in zip(a, b, strict=False))


# --- adjust -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "color, args, expected",
    [
        ((100, 100, 100), (2, 1, 1, 0), (200, 200, 200)),  # brightness 2 doubles mid grey
        ((200, 100, 10), (2, 1, 1, 0), (255, 200, 20)),  # ... and clamps
        ((0, 90, 255), (1, 0, 1, 0), (128, 128, 128)),  # contrast 0 is 50 % grey
        ((100, 200, 50), (1, 1, 1, 0), (100, 200, 50)),  # all neutral: unchanged
        ((100, 200, 50), (1, 1, 1, 360), (100, 200, 50)),  # a full turn of hue
        # Clamped between steps: 200 * 2 clamps to 1.0 first, then (1 - .5) * .5 + .5 = .75.
        ((200, 200, 200), (2, 0.5, 1, 0), (191, 191, 191)),
    ],
)
def test_adjust_simple_cases(color, args, expected):
    out = pixel_after("adjust", (*color, 255), *args)
    assert near(out, (*expected, 255))


def test_saturation_0_is_the_saturate_matrix_grey_and_close_to_grayscale():
    color = (200, 100, 50, 255)
    out = pixel_after("adjust", color, 1, 1, 0, 0)
    # 0.213 * 200 + 0.715 * 100 + 0.072 * 50 = 117.7
    assert near(out, (118, 118, 118, 255))
    assert near(out, pixel_after("grayscale", color))


def test_hue_180_of_red_follows_the_spec_matrix():
    expected = to_bytes(times(spec_hue_rotate(180), (1, 0, 0)))
    assert expected == (0, 109, 109)
    assert near(pixel_after("adjust", (255, 0, 0, 255), 1, 1, 1, 180), (*expected, 255))


@pytest.mark.parametrize(
    "color",
    [(255, 0, 0), (20, 200, 90), (240, 240, 10), (128, 64, 200), (3, 4, 5)],
)
@pytest.mark.parametrize(
    "args",
    [
        (1.3, 0.7, 1.8, 40),
        (0.6, 1.5, 0.3, -120),
        (1, 1, 2.5, 200),
        (1.1, 1.2, 1, 90),
    ],
)
def test_adjust_chain_matches_css_in_floats(color, args):
    # The backend rounds to 8 bits between steps: allow 2 levels.
    out = pixel_after("adjust", (*color, 255), *args)
    assert near(out, (*css_adjust(color, *args), 255), tolerance=2)


def test_color_operations_keep_alpha():
    color = (10, 200, 30, 77)
    for op, args in [
        ("adjust", (1.5, 0.5, 2, 30)),
        ("grayscale", ()),
        ("sepia", ()),
        ("invert", ()),
        ("tint", ((255, 0, 0, 255), 0.5)),
    ]:
        assert pixel_after(op, color, *args)[3] == 77, op


# --- grayscale, sepia, invert -------------------------------------------------------------------


@pytest.mark.parametrize(
    "color",
    [(255, 0, 0), (0, 255, 0), (0, 0, 255), (100, 150, 200), (255, 255, 255), (12, 34, 56)],
)
def test_grayscale_and_sepia_follow_the_spec_matrices(color):
    rgb = tuple(c / 255 for c in color)
    for op, matrix in (("grayscale", SPEC_GRAYSCALE), ("sepia", SPEC_SEPIA)):
        assert near(pixel_after(op, (*color, 255)), (*to_bytes(times(matrix, rgb)), 255)), op


def test_grayscale_of_pure_red_is_its_luminance():
    assert pixel_after("grayscale", (255, 0, 0, 255)) == (54, 54, 54, 255)  # 0.2126 * 255


def test_invert():
    assert pixel_after("invert", (10, 200, 30, 99)) == (245, 55, 225, 99)


# --- tint -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tint, amount, expected",
    [
        ((255, 0, 0, 255), 1.0, (255, 0, 0)),  # full amount, opaque color: the color
        ((255, 0, 0, 255), 0.0, (20, 100, 200)),  # none: unchanged
        ((255, 0, 0, 255), 0.5, (138, 50, 100)),  # halfway
        ((0, 0, 0, 0), 1.0, (20, 100, 200)),  # a clear color does nothing
        ((255, 255, 255, 51), 1.0, (67, 131, 211)),  # 20 % opaque: a 20 % mix
    ],
)
def test_tint_mixes_toward_the_color(tint, amount, expected):
    assert near(pixel_after("tint", (20, 100, 200, 180), tint, amount), (*expected, 180))
