"""Neighbourhood filters on RGBA images: Gaussian blur and the 3x3 sharpen kernel."""

from __future__ import annotations

import math

from PIL import Image, ImageFilter

from .pillow_geometry import extend_edges

# Beyond three standard deviations a Gaussian's weights are below 0.5 %: padding that far
# with edge pixels makes the edges behave as if the image went on forever.
_SIGMAS_OF_PADDING = 3


def blur(image: Image.Image, radius: float) -> Image.Image:
    """Gaussian blur with standard deviation `radius` px, edge pixels extended outward.

    Pillow's own blur repeats the edge pixel inside each of its three box passes, which
    is up to ~20 levels away from a true extension near the edges, so the image is padded
    first. The work is done premultiplied (RGBa) so that the color of transparent pixels
    does not bleed into their neighbours.
    """
    if radius <= 0:
        return image.copy()
    border = math.ceil(_SIGMAS_OF_PADDING * radius) + 1
    padded = extend_edges(image.convert("RGBa"), border)
    blurred = padded.filter(ImageFilter.GaussianBlur(radius))
    box = (border, border, border + image.width, border + image.height)
    return blurred.crop(box).convert("RGBA")


def sharpen_kernel(amount: float) -> ImageFilter.Kernel:
    """[[0,-a,0],[-a,1+4a,-a],[0,-a,0]]; it sums to 1, so no scale and no offset."""
    a = amount
    weights = (0, -a, 0, -a, 1 + 4 * a, -a, 0, -a, 0)
    return ImageFilter.Kernel((3, 3), weights, scale=1, offset=0)


def sharpen(image: Image.Image, amount: float) -> Image.Image:
    """The sharpen kernel on RGB (rounded, clamped), edges extended; alpha kept."""
    if amount == 0:
        return image.copy()
    # Pillow copies a 3x3 filter's outermost pixels unfiltered; a 1 px extended border
    # makes the real edge pixels interior ones.
    padded = extend_edges(image.convert("RGB"), 1)
    filtered = padded.filter(sharpen_kernel(amount))
    rgb = filtered.crop((1, 1, 1 + image.width, 1 + image.height))
    return Image.merge("RGBA", (*rgb.split(), image.getchannel("A")))
