"""Decoding and encoding of image files with Pillow, with guards against bad and huge files."""

from __future__ import annotations

import io
import re
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from ..core.errors import ImageError
from .image_header import EMPTY, check_size, checked_header, image_format, not_an_image
from .protocol import ENCODE_FORMATS, MAX_PIXELS

# Pillow format names tried when decoding. (The multi-picture JPEGs many phones write come
# in through "JPEG" too: Pillow's JPEG opener hands them to its MPO class.)
DECODE_FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP")

# libwebp cannot store a side longer than this.
WEBP_MAX_SIDE = 16383

# Modes holding more than 8 bits of grey. Pillow's own conversion of these to 8 bits clips
# at 255 (a 16-bit PNG would come out nearly white), so they are scaled down instead.
_NAMES = {"png": "PNG", "jpeg": "JPEG", "webp": "WebP", "gif": "GIF", "bmp": "BMP"}

_WIDE_GREY_MODES = ("I;16", "I;16L", "I;16B", "I;16N", "I")


def decode(data: bytes) -> Image.Image:
    """PNG/JPEG/WebP/GIF (first frame)/BMP bytes to an RGBA image, upright per EXIF."""
    if not data:
        raise ImageError(EMPTY)
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own pixel limit, which is higher than ours: the size
            # check below refuses those images anyway, with a better message.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=DECODE_FORMATS)
        check_size(*image.size)
        image.load()  # inside the try: a truncated file fails here, not later
    except ImageError:
        raise
    except Image.DecompressionBombError as exc:
        # Pillow refuses absurd headers inside Image.open, before we could read the size.
        raise ImageError(_bomb_message(data, exc)) from None
    except UnidentifiedImageError:
        found = image_format(data)
        kind = _NAMES.get(found) if found is not None else None
        if kind is None:
            raise ImageError(not_an_image(data)) from None
        # The plugin gave up while reading the header: a broken file of a known kind.
        message = f"the image file is damaged (a {kind} file that ends or breaks early)"
        raise ImageError(message) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageError(f"the image file is damaged ({exc})") from None
    except MemoryError:
        raise ImageError("not enough memory to decode the image") from None
    except Exception as exc:  # a decoder bug must still reach the user as an ImageError
        raise ImageError(f"the image file is damaged ({type(exc).__name__}: {exc})") from None
    return to_rgba(_upright(image))


def to_rgba(image: Image.Image) -> Image.Image:
    """Any Pillow mode (P, L, LA, I;16, CMYK, RGB, ...) as RGBA, transparency included."""
    if image.mode in _WIDE_GREY_MODES:
        # 0..65535 to 0..255, rounded; Pillow turns this linear lambda into one C pass.
        image = image.convert("I").point(lambda v: v * (255 / 65535) + 0.5).convert("L")
    return image if image.mode == "RGBA" else image.convert("RGBA")


def encode(image: Image.Image, format: str, quality: int) -> bytes:
    """PNG, JPEG (flattened onto white) or WebP bytes; quality 1..100 for JPEG and WebP.

    WebP at quality 100 is lossless, as browsers do for canvas.toBlob("image/webp", 1.0).
    """
    name = format.lower() if isinstance(format, str) else format
    if name not in ENCODE_FORMATS:
        raise ImageError(f"cannot save as {format!r}: the formats are png, jpeg and webp")
    quality = min(100, max(1, int(round(quality))))
    buffer = io.BytesIO()
    try:
        if name == "png":
            image.save(buffer, "PNG")
        elif name == "jpeg":
            white = Image.new("RGBA", image.size, (255, 255, 255, 255))
            flat = Image.alpha_composite(white, image).convert("RGB")
            flat.save(buffer, "JPEG", quality=quality)
        else:
            if max(image.size) > WEBP_MAX_SIDE:
                raise ImageError(
                    f"cannot save a {image.width} x {image.height} image as WebP: "
                    f"no side may be longer than {WEBP_MAX_SIDE} pixels"
                )
            if quality == 100:
                image.save(buffer, "WEBP", lossless=True)
            else:
                image.save(buffer, "WEBP", quality=quality)
    except ImageError:
        raise
    except (OSError, ValueError) as exc:
        raise ImageError(f"could not save the image as {name.upper()} ({exc})") from None
    return buffer.getvalue()


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation tag, if any."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:
        # A damaged EXIF block is metadata, not pixels: show the image as stored.
        return image


def _bomb_message(data: bytes, exc: Exception) -> str:
    # Image.open's own bomb check raises before it tells us the size: read the header ourselves.
    try:
        checked_header(data)
    except ImageError as refusal:
        return str(refusal)
    match = re.search(r"\((\d+) pixels\)", str(exc))
    pixels = f" ({int(match.group(1)) / 1e6:.1f} megapixels)" if match else ""
    return f"the image is too large{pixels}; the limit is {MAX_PIXELS / 1e6:.1f} megapixels"
