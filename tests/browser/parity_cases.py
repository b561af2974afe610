"""The canvas-vs-Pillow parity table: test pictures, cases with thresholds, the workflow that
holds them all, the Pillow reference run and the comparison metrics. Pure CPython + Pillow.

One workflow holds every case as a branch off shared sources, so the page loads and runs
once; each case node's output is then compared with the same node run under Pillow.
"""

from __future__ import annotations

import asyncio
import base64
import io
import math
import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageStat

from studio.backend.pillow_backend import PillowBackend
from studio.core.executor import Executor
from studio.core.run_result import RunResult
from studio.core.workflow import workflow_from_dict
from studio.nodes import default_catalog

PHOTO_SIZE = (320, 240)
STICKER_SIZE = (120, 90)
EXACT = math.inf  # identical pixels

# ---------------------------------------------------------------------------------------------
# Test pictures


def photo(size: tuple[int, int] = PHOTO_SIZE, seed: int = 7) -> Image.Image:
    """Photo-like RGBA: smooth gradients, hard-edged shapes, fine lines, noise, and alpha
    (an opaque majority, a soft translucent region and a fully transparent patch)."""
    w, h = size
    across = Image.linear_gradient("L").rotate(90).resize(size)  # 255 at the left, 0 at the right
    down = Image.linear_gradient("L").resize(size)  # dark at the top
    glow = Image.radial_gradient("L").resize(size)
    image = Image.merge("RGB", (ImageChops.invert(across), down, ImageChops.invert(glow)))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 30, 130, 140), fill=(230, 200, 40))
    draw.rectangle((180, 20, 290, 90), fill=(30, 90, 200))
    draw.polygon([(160, 230), (220, 120), (300, 220)], fill=(200, 50, 70))
    for i in range(0, w, 12):
        draw.line((i, 150, i + 40, 200), fill=(250, 250, 250), width=1)
    draw.rectangle((60, 170, 110, 220), outline=(10, 10, 10), width=3)
    noise = Image.frombytes("L", size, random.Random(seed).randbytes(w * h)).point(lambda v: v * 24 // 255)
    image = ImageChops.add(image, Image.merge("RGB", (noise, noise, noise)), offset=-12)
    alpha = Image.new("L", size, 255)
    soft = Image.radial_gradient("L").resize((140, 140)).point(lambda v: 60 + v * 195 // 255)
    alpha.paste(soft, (w - 150, h - 150))
    alpha.paste(0, (4, h - 34, 34, h - 4))
    image.putalpha(alpha)
    return image


def sticker(size: tuple[int, int] = STICKER_SIZE) -> Image.Image:
    """A translucent overlay: colored stripes with alpha rising from 40 to 255 left to right."""
    w, h = size
    image = Image.new("RGB", size, (40, 160, 220))
    draw = ImageDraw.Draw(image)
    for i in range(-h, w, 16):
        draw.line((i, 0, i + h, h), fill=(250, 120, 30), width=6)
    draw.ellipse((w // 3, h // 4, w // 3 + 40, h // 4 + 40), fill=(20, 20, 20))
    ramp = Image.linear_gradient("L").rotate(-90).resize(size).point(lambda v: 40 + v * 215 // 255)
    image.putalpha(ramp)
    return image


def encoded(image: Image.Image, fmt: str, **options: Any) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image = image.convert("RGB")
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def data_url(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def png_data_url(image: Image.Image) -> str:
    return data_url(encoded(image, "PNG"))


def data_url_bytes(url: str) -> tuple[str, bytes]:
    """(MIME type, bytes) of a base64 data: URL."""
    header, _, payload = url.partition(",")
    assert header.startswith("data:") and header.endswith(";base64"), header[:40]
    return header[5 : -len(";base64")], base64.b64decode(payload)


def decode_data_url(url: str) -> Image.Image:
    return Image.open(io.BytesIO(data_url_bytes(url)[1])).convert("RGBA")


# ---------------------------------------------------------------------------------------------
# Metrics


def premultiplied(image: Image.Image) -> Image.Image:
    """RGB scaled by alpha: what a pixel contributes when composited. The color of a fully
    transparent pixel is invisible, and canvases (which store premultiplied) keep none."""
    return image.convert("RGBA").convert("RGBa")


def mse(a: Image.Image, b: Image.Image) -> float:
    diff = ImageChops.difference(a, b)
    stat = ImageStat.Stat(diff)
    return sum(stat.sum2) / (len(stat.sum2) * a.width * a.height)


def psnr(a: Image.Image, b: Image.Image) -> float:
    """PSNR in dB over the four premultiplied RGBA channels (inf when identical)."""
    assert a.size == b.size, (a.size, b.size)
    error = mse(premultiplied(a), premultiplied(b))
    return math.inf if error == 0 else 10 * math.log10(255**2 / error)


def max_difference(a: Image.Image, b: Image.Image) -> int:
    diff = ImageChops.difference(premultiplied(a), premultiplied(b))
    return max(high for _, high in diff.getextrema())


# ---------------------------------------------------------------------------------------------
# Cases

Check = Callable[["Case", Image.Image, Image.Image], list[str]]


@dataclass(frozen=True)
class Case:
    """One node of the parity workflow. `inputs` maps its ports to source node ids.
    `min_psnr` is in dB over premultiplied RGBA; `check`, when given, replaces the PSNR
    comparison (for text, whose glyphs legitimately differ between engines)."""

    id: str
    type: str
    params: dict[str, Any] = field(default_factory=dict)
    min_psnr: float = 30.0
    inputs: tuple[tuple[str, str], ...] = (("image", "photo"),)
    check: Check | None = None
    note: str = ""


PHOTO = photo()
STICKER = sticker()


def green_screen(size: tuple[int, int] = (200, 150)) -> Image.Image:
    """A product shot on a green backdrop: an opaque red box and a darker green shadow."""
    image = Image.new("RGBA", size, (30, 190, 60, 255))
    draw = ImageDraw.Draw(image)
    draw.ellipse((40, 100, 170, 140), fill=(25, 140, 45, 255))
    draw.rectangle((60, 30, 140, 120), fill=(200, 50, 40, 255))
    draw.rectangle((80, 50, 120, 80), fill=(240, 230, 220, 255))
    return image


def bordered(image: Image.Image, border: tuple[int, int, int, int] = (17, 9, 23, 31)) -> Image.Image:
    """The image on a wider near-white field (left, top, right, bottom borders)."""
    left, top, right, bottom = border
    field = Image.new("RGBA", (image.width + left + right, image.height + top + bottom), (250, 250, 248, 255))
    field.paste(image.convert("RGB"), (left, top))
    return field


SCREEN = green_screen()


def floating(image: Image.Image, size: tuple[int, int] = (200, 160), at: tuple[int, int] = (37, 41)) -> Image.Image:
    """The image on a transparent field whose hidden color is not black (as editors save them)."""
    field = Image.new("RGBA", size, (255, 0, 255, 0))
    field.paste(image, at)
    return field


SOURCES: dict[str, tuple[str, dict[str, Any]]] = {
    "photo": ("source.image", {"image": png_data_url(PHOTO), "filename": "photo.png"}),
    "sticker": ("source.image", {"image": png_data_url(STICKER), "filename": "sticker.png"}),
    "flat": ("source.solid", {"width": 90, "height": 70, "color": "#4080c0"}),
    # An opaque base for the blend modes, whose formulas differ most where the backdrop is opaque.
    "backdrop": ("source.gradient", {"width": 320, "height": 240, "start": "#203040", "end": "#f0c090", "angle": 35}),
    # Issue 12's nodes: a dull photo to stretch, a green screen to key, a bordered photo to trim.
    "dull": (
        "source.image",
        {"image": png_data_url(PHOTO.point(lambda v: 70 + v * 110 // 255)), "filename": "dull.png"},
    ),
    "screen": ("source.image", {"image": png_data_url(SCREEN), "filename": "screen.png"}),
    "bordered": ("source.image", {"image": png_data_url(bordered(PHOTO)), "filename": "bordered.png"}),
    "floating": ("source.image", {"image": png_data_url(floating(STICKER)), "filename": "floating.png"}),
}


def _orientation(value: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = value  # Orientation
    return exif.tobytes()


def _animated_gif() -> bytes:
    """Three frames of different pictures (the photo turned), with a transparent color."""
    frames = [PHOTO.resize((160, 120)).rotate(angle * 90) for angle in range(3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def _source_case(case_id: str, data: bytes, mime: str, min_psnr: float, note: str = "") -> Case:
    params = {"image": data_url(data, mime), "filename": case_id}
    return Case(case_id, "source.image", params, min_psnr, inputs=(), note=note)


def _text_checks(case: Case, canvas: Image.Image, pillow: Image.Image) -> list[str]:
    """What must hold although the engines' glyphs differ (docs/parity.md): both change the
    picture only in a block of rows where the position puts it, and those blocks agree; text
    of the right color is there, centred, of a similar extent; a band spans the full width
    in the band color; everything else is untouched."""
    problems = []
    size = case.params.get("size", 32)
    color = _rgb(case.params.get("color", "#ffffff"))
    band = case.params.get("background")
    found = {name: _text_layout(image, PHOTO, color) for name, image in (("browser", canvas), ("Pillow", pillow))}
    for name, layout in found.items():
        if layout is None:
            problems.append(f"{case.id}: the {name} output shows no text")
            continue
        (top, bottom), (left, right) = layout["rows"], layout["ink"]
        problems += [f"{case.id} ({name}): {p}" for p in _position_problems(case, top, bottom, size)]
        middle = (left + right) / 2
        if abs(middle - PHOTO.width / 2) > size / 2:
            problems.append(f"{case.id} ({name}): text centred at x={middle}, not {PHOTO.width / 2}")
        if band is not None:
            problems += [f"{case.id} ({name}): {p}" for p in _band_problems(layout["image"], top, bottom, band)]
    if len(problems) == 0:
        browser, reference = found["browser"], found["Pillow"]
        tolerance = size * 0.3 + 2
        for edge, a, b in zip(("top", "bottom"), browser["rows"], reference["rows"], strict=False):
            if abs(a - b) > tolerance:
                problems.append(
                    f"{case.id}: changed rows {edge} at {a} in the browser, {b} under Pillow (tolerance {tolerance:.0f})"
                )
        ratio = browser["count"] / reference["count"]
        if not 0.5 <= ratio <= 2:
            problems.append(
                f"{case.id}: {browser['count']} text-colored pixels in the browser, {reference['count']} under Pillow"
            )
        width_b = browser["ink"][1] - browser["ink"][0]
        width_p = reference["ink"][1] - reference["ink"][0]
        if not 0.6 <= width_b / width_p <= 1.6:
            problems.append(f"{case.id}: text {width_b} px wide in the browser, {width_p} px under Pillow")
    return problems


def _rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _text_layout(image: Image.Image, original: Image.Image, color: tuple[int, int, int]) -> dict[str, Any] | None:
    """Rows that changed, and where the pixels of the text color that changed are."""
    changed = ImageChops.difference(premultiplied(image), premultiplied(original)).convert("RGB").convert("L")
    rows = changed.point(lambda v: 255 if v else 0).getbbox()
    if rows is None:
        return None
    near = [
        band.point(lambda v, c=c: 255 if abs(v - c) <= 24 else 0)
        for band, c in zip(image.convert("RGB").split(), color, strict=False)
    ]
    ink = ImageChops.darker(ImageChops.darker(near[0], near[1]), near[2])
    ink = ImageChops.darker(ink, changed.point(lambda v: 255 if v else 0))
    box = ink.getbbox()
    if box is None:
        return None
    return {"rows": (rows[1], rows[3]), "ink": (box[0], box[2]), "count": ink.histogram()[255], "image": image}


def _position_problems(case: Case, top: int, bottom: int, size: int) -> list[str]:
    """The changed rows sit where the position says: size/2 (less the band's size/4) from
    the top or bottom edge, or around the middle. Allow a line's leading either way."""
    height = PHOTO.height
    has_band = case.params.get("background") is not None
    margin = size // 2 - (size // 4 if has_band else 0)
    slack = size * 0.35 + 2
    position = case.params.get("position", "bottom")
    if position == "top" and not (margin - 1 <= top <= margin + slack):
        return [f"top edge of the text at row {top}, expected about {margin}"]
    if position == "bottom" and not (height - margin - slack <= bottom <= height - margin + 1):
        return [f"bottom edge of the text at row {bottom}, expected about {height - margin}"]
    if position == "center" and abs((top + bottom) / 2 - height / 2) > slack:
        return [f"text centred at row {(top + bottom) / 2}, expected about {height / 2}"]
    return []


def _band_problems(image: Image.Image, top: int, bottom: int, band: str) -> list[str]:
    """The band's rows hold the band color composited over the picture across the full
    width; the glyph-free outer columns show it exactly."""
    color = _rgb(band) + (int(band[7:9], 16) if len(band) == 9 else 255,)
    expected = PHOTO.copy()
    expected.alpha_composite(Image.new("RGBA", PHOTO.size, color))
    problems = []
    for x in (0, 1, PHOTO.width - 2, PHOTO.width - 1):
        strip = (x, top + 1, x + 1, bottom - 1)
        error = max(
            high
            for _, high in ImageChops.difference(
                premultiplied(image.crop(strip)), premultiplied(expected.crop(strip))
            ).getextrema()
        )
        if error > 2:
            problems.append(f"column {x} of the band differs from the band color by {error}")
    return problems


BLENDS = ("normal", "multiply", "screen", "overlay", "darken", "lighten")

CASES: tuple[Case, ...] = (
    # Sources
    _source_case("image_png", encoded(PHOTO, "PNG"), "image/png", EXACT),
    _source_case(
        "image_jpeg",
        encoded(PHOTO, "JPEG", quality=90),
        "image/jpeg",
        40,
        "decoders' IDCT and chroma upsampling differ",
    ),
    _source_case(
        "image_jpeg_exif_rotated",
        encoded(PHOTO, "JPEG", quality=90, exif=_orientation(6)),
        "image/jpeg",
        40,
        "EXIF orientation 6: shown turned 90 degrees clockwise, 240 x 320",
    ),
    _source_case("image_webp", encoded(PHOTO, "WEBP", quality=85), "image/webp", 40),
    _source_case("image_webp_lossless", encoded(PHOTO, "WEBP", lossless=True), "image/webp", EXACT),
    _source_case(
        "image_gif",
        encoded(PHOTO.convert("RGB").convert("P", palette=Image.Palette.ADAPTIVE), "GIF"),
        "image/gif",
        EXACT,
    ),
    _source_case("image_gif_animated", _animated_gif(), "image/gif", EXACT, "the first frame"),
    _source_case("image_bmp", encoded(PHOTO.convert("RGB"), "BMP"), "image/bmp", EXACT),
    Case("solid", "source.solid", {"width": 200, "height": 120, "color": "#3366cc"}, EXACT, inputs=()),
    Case("solid_translucent", "source.solid", {"width": 64, "height": 48, "color": "#e0804080"}, 50, inputs=()),
    Case("gradient_0", "source.gradient", {"width": 300, "height": 200, "angle": 0}, 50, inputs=()),
    Case("gradient_90", "source.gradient", {"width": 300, "height": 200, "angle": 90}, 50, inputs=()),
    Case("gradient_30", "source.gradient", {"width": 300, "height": 200, "angle": 30}, 50, inputs=()),
    Case("gradient_1px", "source.gradient", {"width": 1, "height": 50, "angle": 0}, EXACT, inputs=()),
    Case(
        "gradient_alpha",
        "source.gradient",
        {"width": 256, "height": 64, "start": "#ff000000", "end": "#0000ffff", "angle": 180},
        50,
        inputs=(),
    ),
    # Geometry
    Case("resize_contain_down", "transform.resize", {"width": 160, "height": 160, "fit": "contain"}, 32),
    Case("resize_cover_down", "transform.resize", {"width": 100, "height": 100, "fit": "cover"}, 32),
    Case("resize_fill_down", "transform.resize", {"width": 97, "height": 61, "fit": "fill"}, 32),
    Case("resize_contain_up", "transform.resize", {"width": 600, "height": 600, "fit": "contain"}, 37),
    Case("resize_cover_up", "transform.resize", {"width": 500, "height": 300, "fit": "cover"}, 37),
    Case("resize_fill_up", "transform.resize", {"width": 400, "height": 500, "fit": "fill"}, 37),
    Case("crop", "transform.crop", {"x": 37, "y": 21, "width": 150, "height": 100}, EXACT),
    Case("crop_clipped", "transform.crop", {"x": 250, "y": 200, "width": 150, "height": 100}, EXACT),
    Case("rotate_90", "transform.rotate", {"angle": 90, "expand": True}, EXACT),
    Case("rotate_180", "transform.rotate", {"angle": 180, "expand": False}, EXACT),
    Case(
        "rotate_90_crop",
        "transform.rotate",
        {"angle": 90, "expand": False},
        60,
        note="Pillow resamples this through premultiplied RGBa: off by one at translucent pixels",
    ),
    Case("rotate_minus_90", "transform.rotate", {"angle": -90, "expand": True}, EXACT),
    Case("rotate_30_expand", "transform.rotate", {"angle": 30, "expand": True}, 43),
    Case("rotate_30_crop", "transform.rotate", {"angle": 30, "expand": False}, 43),
    Case("rotate_30_fill", "transform.rotate", {"angle": -30, "expand": True, "fill": "#336699"}, 43),
    Case("flip_horizontal", "transform.flip", {"axis": "horizontal"}, EXACT),
    Case("flip_vertical", "transform.flip", {"axis": "vertical"}, EXACT),
    Case("pad", "transform.pad", {"top": 10, "right": 20, "bottom": 30, "left": 40, "color": "#ff00ff"}, EXACT),
    Case("pad_translucent", "transform.pad", {"top": 5, "left": 7, "color": "#00ff0080"}, 50),
    Case("round_corners", "transform.round_corners", {"radius": 40}, 40),
    # Filters
    Case("blur_1", "transform.blur", {"radius": 1}, 40),
    Case("blur_4", "transform.blur", {"radius": 4}, 40),
    Case("blur_12", "transform.blur", {"radius": 12}, 40),
    # A flat picture stays flat: edges extend, no dark or transparent fringe.
    Case("blur_flat", "transform.blur", {"radius": 8}, EXACT, inputs=(("image", "flat"),)),
    Case(
        "sharpen_1",
        "transform.sharpen",
        {"amount": 1},
        40,
        note="next to fully transparent pixels the canvas has no hidden color (reads black), Pillow does",
    ),
    Case("sharpen_half", "transform.sharpen", {"amount": 0.5}, 40),
    Case("sharpen_flat", "transform.sharpen", {"amount": 3}, EXACT, inputs=(("image", "flat"),)),
    Case("brightness", "transform.adjust", {"brightness": 1.4}, 45),
    Case("darker", "transform.adjust", {"brightness": 0.6}, 45),
    Case("contrast", "transform.adjust", {"contrast": 1.6}, 45),
    Case("contrast_low", "transform.adjust", {"contrast": 0.5}, 45),
    Case("saturation", "transform.adjust", {"saturation": 1.8}, 50),
    Case("desaturate", "transform.adjust", {"saturation": 0.3}, 50),
    Case("hue", "transform.adjust", {"hue": 120}, 50),
    Case("adjust_all", "transform.adjust", {"brightness": 1.2, "contrast": 1.3, "saturation": 0.7, "hue": -45}, 45),
    Case("grayscale", "transform.grayscale", {}, 50),
    Case("invert", "transform.invert", {}, 50),
    Case("sepia", "transform.sepia", {}, 50),
    Case("tint", "transform.tint", {"color": "#ff8800", "amount": 0.5}, 45),
    Case("tint_translucent", "transform.tint", {"color": "#0040ff80", "amount": 0.8}, 45),
    # Compose
    *(
        Case(
            f"overlay_{blend}",
            "compose.overlay",
            {"x": 150, "y": 60, "blend": blend},
            48,
            inputs=(("base", "backdrop"), ("overlay", "sticker")),
        )
        for blend in BLENDS
    ),
    *(
        Case(
            f"overlay_{blend}_on_alpha",
            "compose.overlay",
            {"x": 220, "y": 170, "blend": blend, "opacity": 0.7},
            50,
            inputs=(("base", "photo"), ("overlay", "sticker")),
        )
        for blend in BLENDS
    ),
    Case(
        "overlay_outside",
        "compose.overlay",
        {"x": -50, "y": -40, "opacity": 0.6},
        50,
        inputs=(("base", "photo"), ("overlay", "sticker")),
    ),
    Case(
        "overlay_far_outside",
        "compose.overlay",
        {"x": 1000, "y": 0},
        EXACT,
        inputs=(("base", "photo"), ("overlay", "sticker")),
    ),
    Case(
        "text_bottom",
        "compose.text",
        {"text": "Hello, parity", "size": 32, "color": "#ffffff", "position": "bottom"},
        check=_text_checks,
    ),
    Case(
        "text_top_band",
        "compose.text",
        {"text": "Two lines\nof text", "size": 24, "color": "#ffff00", "position": "top", "background": "#000000a0"},
        check=_text_checks,
    ),
    Case(
        "text_center_band",
        "compose.text",
        {"text": "Centre", "size": 40, "color": "#ff0000", "position": "center", "background": "#ffffff"},
        check=_text_checks,
    ),
)

# Issue 12: the second wave of nodes.
MORE_NODE_CASES: tuple[Case, ...] = (
    Case("threshold", "transform.threshold", {"level": 128}, 45),
    Case("threshold_low", "transform.threshold", {"level": 60}, 45),
    Case("normalize", "transform.normalize", {"cutoff": 0.5}, 44, inputs=(("image", "dull"),)),
    Case(
        "normalize_channels", "transform.normalize", {"cutoff": 2, "mode": "channels"}, 44, inputs=(("image", "dull"),)
    ),
    Case("levels", "transform.levels", {"black": 30, "white": 220, "gamma": 1.4}, 50),
    Case("levels_gamma", "transform.levels", {"gamma": 0.5}, 50),
    Case("posterize", "transform.posterize", {"levels": 4}, 45),
    Case("posterize_2", "transform.posterize", {"levels": 2}, 45),
    Case("pixelate", "transform.pixelate", {"size": 8}, 54),
    Case("pixelate_partial", "transform.pixelate", {"size": 13}, 54),
    Case("noise", "transform.noise", {"amount": 0.3, "seed": 1}, 50),
    Case("noise_color", "transform.noise", {"amount": 0.5, "mono": False, "seed": 9}, 50),
    Case("vignette", "transform.vignette", {}, 55),
    Case("vignette_tinted", "transform.vignette", {"amount": 1, "start": 0.2, "color": "#40200080"}, 55),
    Case("edges", "transform.edges", {"mode": "edges"}, 50),
    Case("emboss", "transform.edges", {"mode": "emboss"}, 50),
    Case("trim", "transform.trim", {"tolerance": 10}, EXACT, inputs=(("image", "bordered"),)),
    Case("trim_margin", "transform.trim", {"tolerance": 10, "margin": 6}, EXACT, inputs=(("image", "bordered"),)),
    Case("trim_transparent", "transform.trim", {"tolerance": 0}, EXACT, inputs=(("image", "floating"),)),
    Case(
        "pixelate_whole",
        "transform.pixelate",
        {"size": 512},
        48,
        note="one block larger than the picture: the shader's float32 sum over 76,800 pixels is off by a level",
    ),
    Case("opacity", "transform.opacity", {"opacity": 0.5}, 57),
    Case("channel_red", "transform.channel", {"channel": "red"}, 50),
    Case("channel_alpha", "transform.channel", {"channel": "alpha"}, 50),
    Case("mask", "compose.mask", {}, 50, inputs=(("image", "photo"), ("mask", "backdrop"))),
    Case(
        "mask_alpha_inverted",
        "compose.mask",
        {"source": "alpha", "invert": True},
        54,
        inputs=(("image", "backdrop"), ("mask", "sticker")),
        note="the 120 x 90 mask is first stretched to 320 x 240 by each backend's resize",
    ),
    Case("chroma_key", "compose.chroma_key", {"color": "#1ebe3c"}, 50, inputs=(("image", "screen"),)),
    Case("chroma_key_hard", "compose.chroma_key", {"color": "#e6c828", "tolerance": 50, "softness": 0}, 45),
    Case(
        "grid",
        "compose.grid",
        {"columns": 3, "cell_width": 120, "cell_height": 100, "gap": 6},
        40,
        inputs=(("images", "photo"), ("images", "sticker"), ("images", "backdrop"), ("images", "flat")),
    ),
    Case(
        "grid_cover",
        "compose.grid",
        {"columns": 2, "cell_width": 90, "cell_height": 90, "gap": 0, "fit": "cover", "background": "#00000000"},
        36,
        inputs=(("images", "photo"), ("images", "sticker"), ("images", "screen")),
    ),
    Case("shape_star", "source.shapes", {"shape": "star", "width": 240, "height": 220}, 35, inputs=()),
    Case(
        "shape_ellipse",
        "source.shapes",
        {"shape": "ellipse", "width": 300, "height": 180, "fill": "#e6394680", "stroke_width": 12},
        39,
        inputs=(),
    ),
    Case(
        "shape_hexagon",
        "source.shapes",
        {"shape": "polygon", "sides": 6, "rotation": 30, "width": 200, "height": 200, "stroke_width": 0},
        41,
        inputs=(),
    ),
    Case(
        "shape_outline",
        "source.shapes",
        {"shape": "rectangle", "width": 150, "height": 90, "fill": "#00000000", "stroke_width": 5},
        50,
        inputs=(),
    ),
    Case("qr", "source.qr", {"text": "https://pyxis.studio/parity"}, EXACT, inputs=()),
    Case(
        "qr_colored",
        "source.qr",
        {"text": "Pyxis Studio", "error": "H", "module": 7, "border": 2, "dark": "#1d3557", "light": "#f1faee00"},
        EXACT,
        inputs=(),
    ),
)

# Export: the encoded file decoded back. WebP at 100 is lossless in both; JPEG and lossy WebP
# are lossy encodings made by two encoders.
EXPORT_CASES: tuple[Case, ...] = (
    Case("export_png", "output.export", {"format": "png"}, EXACT),
    Case(
        "export_jpeg",
        "output.export",
        {"format": "jpeg", "quality": 90},
        40,
        note="encoders may differ (both libjpeg-turbo here)",
    ),
    Case(
        "export_webp",
        "output.export",
        {"format": "webp", "quality": 80},
        34,
        note="libwebp with different encoder settings",
    ),
    Case("export_webp_lossless", "output.export", {"format": "webp", "quality": 100}, EXACT),
)


def workflow(cases: tuple[Case, ...] = CASES + MORE_NODE_CASES + EXPORT_CASES, name: str = "Parity") -> dict[str, Any]:
    """One workflow: the shared sources, then every case as its own branch."""
    used = {source for case in cases for _, source in case.inputs}
    nodes = [{"id": sid, "type": kind, "params": params} for sid, (kind, params) in SOURCES.items() if sid in used]
    edges = []
    for case in cases:
        nodes.append({"id": case.id, "type": case.type, "params": case.params})
        edges += [{"from": f"{source}.image", "to": f"{case.id}.{port}"} for port, source in case.inputs]
    return {"format": "pyxis.workflow", "version": 1, "name": name, "nodes": nodes, "edges": edges}


def run_pillow_result(document: dict[str, Any]) -> RunResult:
    """The workflow run under CPython with the Pillow backend."""
    catalog = default_catalog()
    graph = workflow_from_dict(document, catalog)
    run = Executor(catalog, PillowBackend()).run(graph)
    # A thread of its own: Playwright's sync API keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run).result()


def run_pillow(document: dict[str, Any]) -> dict[str, Any]:
    """Every node's outputs from the Pillow backend (the reference), by node id."""
    result = run_pillow_result(document)
    failed = {n: r.error for n, r in result.nodes.items() if r.status != "done"}
    assert not failed, f"the Pillow reference run failed: {failed}"
    return {node_id: r.outputs for node_id, r in result.nodes.items()}


def compare(case: Case, canvas: Image.Image, pillow: Image.Image) -> tuple[float | None, list[str]]:
    """(PSNR or None, problems) for one case."""
    if canvas.size != pillow.size:
        return None, [f"{case.id}: size {canvas.size} in the browser, {pillow.size} under Pillow"]
    if case.check is not None:
        return None, case.check(case, canvas, pillow)
    value = psnr(canvas, pillow)
    if value < case.min_psnr:
        return value, [
            f"{case.id} ({case.type} {case.params if case.type != 'source.image' else ''}): "
            f"PSNR {value:.2f} dB < {case.min_psnr} dB (max difference {max_difference(canvas, pillow)})"
        ]
    return value, []
