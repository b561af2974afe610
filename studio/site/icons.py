"""Draws the app icons (the four-point star on the Studio's dark ground) with Pillow: `python -m studio.site.icons`.

The PNGs are committed under static/icons/ (made once, redrawn only when this drawing changes), so
`studio serve` and `studio build` need no drawing step; tests check the files match this drawing."""

from __future__ import annotations

import math
import sys
from pathlib import Path

from .runtime import REPO_ROOT

ICON_DIR = Path("static") / "icons"
BACKGROUND = (17, 19, 24, 255)  # --bg of studio.css; also the manifest's background and theme colour
ACCENT = (91, 140, 255, 255)  # --accent
GLOW = (122, 162, 255, 255)  # --accent-2
# name -> (size, maskable). A maskable icon fills the square (the platform cuts its own shape) and keeps
# the star inside the central 80 % safe zone; the plain one is a rounded square with transparent corners.
ICONS: dict[str, tuple[int, bool]] = {
    "icon-192.png": (192, False),
    "icon-512.png": (512, False),
    "icon-maskable-192.png": (192, True),
    "icon-maskable-512.png": (512, True),
}
_SUPERSAMPLE = 4  # drawn large, then scaled down: smooth edges without an antialiasing rasteriser


def star(cx: float, cy: float, outer: float, inner: float) -> list[tuple[float, float]]:
    """A four-point star (the brand mark ✦), points up, right, down, left."""
    points = []
    for i in range(8):
        radius = outer if i % 2 == 0 else inner
        angle = math.pi / 4 * i - math.pi / 2
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def draw(size: int, maskable: bool):
    """The icon as a Pillow RGBA image of size × size pixels."""
    from PIL import Image, ImageDraw  # Pillow: a CPython dependency of the project already

    big = size * _SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=BACKGROUND)
        outer = big * 0.30  # well inside the safe zone (a circle of radius 0.4 × size)
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=round(big * 0.22), fill=BACKGROUND)
        outer = big * 0.38
    c = big / 2
    pen.polygon(star(c, c, outer, outer * 0.30), fill=ACCENT)
    pen.polygon(star(c, c, outer * 0.45, outer * 0.14), fill=GLOW)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def write(root: Path = REPO_ROOT) -> list[Path]:
    folder = root / ICON_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (size, maskable) in ICONS.items():
        path = folder / name
        draw(size, maskable).save(path, optimize=True)
        written.append(path)
    return written


def main() -> int:
    for path in write():
        print(f"wrote {path.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
