"""Captions on RGBA images: centred lines of text, optionally on a full-width band."""

from __future__ import annotations

from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from ..core.colors import RGBA
from ..core.errors import ImageError, NodeInputError
from .protocol import TEXT_POSITIONS


@lru_cache(maxsize=8)
def font(size: int) -> ImageFont.FreeTypeFont:
    """Pillow's bundled sans-serif (Aileron) at `size` px: no system font is needed."""
    face = ImageFont.load_default(size=size)
    if not isinstance(face, ImageFont.FreeTypeFont):
        # Without FreeType Pillow falls back to one small bitmap font that ignores size.
        raise ImageError("drawing text needs Pillow built with FreeType")
    return face


def line_height(size: int) -> int:
    """Distance between baselines: the font's ascent plus descent."""
    ascent, descent = font(size).getmetrics()
    return ascent + descent


def text_block(image_height: int, size: int, lines: int, position: str) -> tuple[int, int]:
    """(top, height) of the text block: `size`/2 from the top or bottom edge, or centred."""
    if position not in TEXT_POSITIONS:
        raise NodeInputError(f"text position must be top, center or bottom, not {position!r}")
    height = lines * line_height(size)
    margin = size // 2
    if position == "top":
        return margin, height
    if position == "bottom":
        return image_height - margin - height, height
    return (image_height - height) // 2, height


def draw_text(
    image: Image.Image,
    text: str,
    size: int,
    color: RGBA,
    position: str,
    background: RGBA | None,
) -> Image.Image:
    """Lines split on newlines, each centred horizontally; with `background`, a band
    spanning the full width from size/4 above the block to size/4 below it, drawn first."""
    if not text:
        return image.copy()
    lines = text.replace("\r\n", "\n").split("\n")  # Windows line ends would draw as boxes
    top, height = text_block(image.height, size, len(lines), position)
    result = image.copy()
    if background is not None:
        padding = size // 4
        upper = max(0, top - padding)
        lower = min(image.height, top + height + padding)
        if upper < lower:
            band = Image.new("RGBA", (image.width, lower - upper), background)
            result.alpha_composite(band, (0, upper))
    # Glyphs go on a layer of the text's own color with alpha 0: drawing there sets alpha
    # to coverage x color alpha and leaves RGB alone, so edges have no dark fringe and a
    # translucent color stays translucent; then the layer is composited once.
    layer = Image.new("RGBA", image.size, (*color[:3], 0))
    draw = ImageDraw.Draw(layer)
    face = font(size)
    step = line_height(size)
    for index, line in enumerate(lines):
        # Anchor "ma": x is the middle of the line, y the top of its ascent.
        draw.text((image.width / 2, top + index * step), line, font=face, fill=color, anchor="ma")
    return Image.alpha_composite(result, layer)
