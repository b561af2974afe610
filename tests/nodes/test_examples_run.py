"""Issue 12's examples run headless under `python -m studio run` and make what they promise."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import segno
from PIL import Image

from tests.browser.parity_cases import green_screen, photo

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "static" / "examples"
NEW = ("product-cutout.json", "contact-sheet.json", "qr-poster.json", "vintage.json", "star-sticker.json")


def studio_run(example: str, out: Path, *inputs: str) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "studio", "run", str(EXAMPLES / example), "--out", str(out)]
    for item in inputs:
        args += ["--input", item]
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture
def product(tmp_path) -> Path:
    path = tmp_path / "product.png"
    green_screen((400, 300)).save(path)
    return path


@pytest.fixture
def holiday(tmp_path) -> Path:
    path = tmp_path / "holiday.jpg"
    photo((800, 600)).convert("RGB").save(path, quality=92)
    return path


def test_the_new_examples_are_in_the_menu_and_use_the_new_nodes():
    listed = {entry["file"] for entry in json.loads((EXAMPLES / "index.json").read_text())["examples"]}
    assert set(NEW) <= listed
    for name in NEW:
        types = {n["type"] for n in json.loads((EXAMPLES / name).read_text())["nodes"]}
        assert "canvas.note" in types, f"{name} explains itself with a note"


def test_product_cutout_keys_the_green_away(tmp_path, product):
    done = studio_run("product-cutout.json", tmp_path, f"photo={product}")
    assert done.returncode == 0, done.stderr
    with Image.open(tmp_path / "cutout.png") as image:
        cutout = image.convert("RGBA")
    # The red box (the product, 81 x 91 px; its green shadow is keyed too) plus a 32 px margin.
    assert cutout.size == (81 + 64, 91 + 64)
    assert cutout.getpixel((3, 3))[3] == 0 and cutout.getpixel((cutout.width - 3, cutout.height - 3))[3] == 0
    assert cutout.getpixel((40, 40)) == (200, 50, 40, 255)


def test_contact_sheet_has_six_cells(tmp_path, holiday):
    done = studio_run("contact-sheet.json", tmp_path, f"photo={holiday}")
    assert done.returncode == 0, done.stderr
    with Image.open(tmp_path / "contact-sheet.jpg") as sheet:
        assert sheet.size == (3 * 300 + 4 * 12, 2 * 300 + 3 * 12)
        # The gap is the background; a cell's middle is the picture.
        assert max(abs(a - b) for a, b in zip(sheet.getpixel((5, 5)), (29, 31, 36), strict=True)) <= 6
        assert sheet.convert("L").getpixel((12 + 150, 12 + 150)) != sheet.convert("L").getpixel((5, 5))


def test_qr_poster_carries_a_code_that_matches_segno(tmp_path):
    done = studio_run("qr-poster.json", tmp_path)
    assert done.returncode == 0, done.stderr
    with Image.open(tmp_path / "poster.png") as image:
        poster = image.convert("RGB")
    assert poster.size == (800, 1000)
    params = next(
        n["params"] for n in json.loads((EXAMPLES / "qr-poster.json").read_text())["nodes"] if n["id"] == "code"
    )
    matrix = segno.make(params["text"], error="H", micro=False, boost_error=False).matrix
    module, left, top = params["module"], 168 + 2 * params["module"], 260 + 2 * params["module"]
    for row, line in enumerate(matrix):
        for column, dark in enumerate(line):
            pixel = poster.getpixel((left + column * module + module // 2, top + row * module + module // 2))
            assert pixel == ((29, 53, 87) if dark else (241, 250, 238)), (row, column, pixel)


def test_vintage_darkens_the_corners_and_adds_grain(tmp_path, holiday):
    done = studio_run("vintage.json", tmp_path, f"photo={holiday}")
    assert done.returncode == 0, done.stderr
    again = studio_run("vintage.json", tmp_path / "again", f"photo={holiday}")
    assert again.returncode == 0, again.stderr
    with Image.open(tmp_path / "vintage.jpg") as image, Image.open(tmp_path / "again" / "vintage.jpg") as second:
        assert image.size == (1200, 900)
        assert image.tobytes() == second.tobytes()  # the seeded grain repeats exactly
        grey = image.convert("L")
    source = photo((800, 600)).convert("L").resize((1200, 900))
    corner_drop = source.crop((0, 0, 60, 60)).resize((1, 1), Image.Resampling.BOX).getpixel((0, 0)) - grey.crop(
        (0, 0, 60, 60)
    ).resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    assert corner_drop > 20


def test_star_sticker_is_a_transparent_star_with_a_shadow(tmp_path):
    done = studio_run("star-sticker.json", tmp_path)
    assert done.returncode == 0, done.stderr
    with Image.open(tmp_path / "sticker.png") as image:
        sticker = image.convert("RGBA")
    assert sticker.size == (680, 680)
    assert sticker.getpixel((340, 340))[3] == 255 and sticker.getpixel((2, 2))[3] == 0
    # Around the star the shadow shows: many translucent dark pixels, none of them in the paint's colors.
    data = sticker.tobytes()
    pixels = (data[i : i + 4] for i in range(0, len(data), 4))
    shadow = [p for p in pixels if 10 < p[3] < 200 and max(p[:3]) < 40]
    assert len(shadow) > 2000
