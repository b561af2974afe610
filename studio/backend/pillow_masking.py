"""Alpha from elsewhere: a mask picture's luma or alpha, and chroma keying by RGB distance."""

from __future__ import annotations

from typing import Any

from PIL import Image, ImageChops, ImageMath

from ..core.colors import RGBA
from ..core.errors import NodeInputError
from .protocol import MASK_SOURCES


def mask(image: Image.Image, mask_image: Image.Image, source: str, invert: bool) -> Image.Image:
    if source not in MASK_SOURCES:
        raise NodeInputError(f"the mask source must be one of {', '.join(MASK_SOURCES)}, not {source!r}")
    if source == "alpha":
        m = mask_image.getchannel("A")
    else:
        # Composited on black: a transparent part of the mask hides, whatever color it hides.
        black = Image.new("RGBA", mask_image.size, (0, 0, 0, 255))
        m = Image.alpha_composite(black, mask_image).convert("RGB").convert("L")
    if invert:
        m = ImageChops.invert(m)
    alpha = ImageChops.multiply(image.getchannel("A"), m)
    out = image.copy()
    out.putalpha(alpha)
    return out


def chroma_key(image: Image.Image, color: RGBA, tolerance: float, softness: float) -> Image.Image:
    """The RGB distance per pixel in float (ImageMath), turned into an alpha factor."""
    kr, kg, kb = (float(c) for c in color[:3])
    r, g, b, a = image.split()

    def keep(x: dict[str, Any]) -> Any:
        dr, dg, db = x["float"](x["r"]) - kr, x["float"](x["g"]) - kg, x["float"](x["b"]) - kb
        d = (dr * dr + dg * dg + db * db) ** 0.5
        if softness > 0:
            factor = x["min"](x["max"]((d - tolerance) / softness, 0.0), 1.0)
        else:
            factor = x["min"](x["max"]((d - tolerance) * 1e6, 0.0), 1.0)
        return x["float"](x["a"]) * factor + 0.5

    alpha = ImageMath.lambda_eval(keep, r=r, g=g, b=b, a=a).convert("L")
    out = image.copy()
    out.putalpha(alpha)
    return out
