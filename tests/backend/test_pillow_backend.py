"""The Pillow backend as a whole: it meets the protocol, and no operation touches its inputs."""

from __future__ import annotations

import asyncio
import inspect

import pytest
from PIL import Image

from studio.backend import protocol
from studio.backend.pillow_backend import PillowBackend

backend = PillowBackend()
run = asyncio.run

PROTOCOL_METHODS = [
    name
    for name, member in vars(protocol.ImageBackend).items()
    if inspect.isfunction(member) and not name.startswith("_")
]


def test_it_is_an_image_backend_named_pillow():
    assert isinstance(backend, protocol.ImageBackend)
    assert backend.name == "pillow"


@pytest.mark.parametrize("name", PROTOCOL_METHODS)
def test_every_protocol_method_has_the_same_signature_and_asyncness(name):
    declared = getattr(protocol.ImageBackend, name)
    implemented = getattr(PillowBackend, name)
    assert inspect.iscoroutinefunction(implemented) == inspect.iscoroutinefunction(declared)
    assert list(inspect.signature(implemented).parameters) == list(inspect.signature(declared).parameters)


def test_size_and_nbytes():
    image = Image.new("RGBA", (7, 5))
    assert backend.size(image) == (7, 5)
    assert backend.nbytes(image) == 7 * 5 * 4


def sample() -> Image.Image:
    """Colors, a gradient of alpha, a clear corner: something each operation would change."""
    image = Image.new("RGBA", (24, 16), (30, 120, 200, 255))
    image.paste((250, 40, 10, 255), (0, 0, 12, 8))
    image.paste((0, 0, 0, 0), (20, 12, 24, 16))
    for x in range(24):
        image.putpixel((x, 10), (x * 10, 255 - x * 10, 128, x * 10))
    return image


OTHER = Image.new("RGBA", (10, 10), (255, 255, 0, 200))

OPERATIONS = {
    "encode": lambda im: backend.encode(im, "jpeg", 50),
    "resize": lambda im: backend.resize(im, 9, 30),
    "crop": lambda im: backend.crop(im, 2, 3, 10, 5),
    "rotate": lambda im: backend.rotate(im, 33, True, (1, 2, 3, 4)),
    "rotate 90": lambda im: backend.rotate(im, 90, True, (1, 2, 3, 4)),
    "flip": lambda im: backend.flip(im, "horizontal"),
    "blur": lambda im: backend.blur(im, 2),
    "sharpen": lambda im: backend.sharpen(im, 1),
    "adjust": lambda im: backend.adjust(im, 1.2, 0.8, 1.5, 30),
    "grayscale": backend.grayscale,
    "invert": backend.invert,
    "sepia": backend.sepia,
    "tint": lambda im: backend.tint(im, (255, 0, 0, 255), 0.5),
    "pad": lambda im: backend.pad(im, 1, 2, 3, 4, (0, 0, 0, 255)),
    "round_corners": lambda im: backend.round_corners(im, 6),
    "overlay": lambda im: backend.overlay(im, OTHER, 3, -2, 0.7, "multiply"),
    "overlay as top": lambda im: backend.overlay(OTHER, im, -3, 2, 0.7, "screen"),
    "text": lambda im: backend.text(im, "Hi\nthere", 8, (0, 0, 0, 255), "top", (9, 9, 9, 99)),
    # Identity cases, where returning the input itself would be the tempting shortcut.
    "blur 0": lambda im: backend.blur(im, 0),
    "sharpen 0": lambda im: backend.sharpen(im, 0),
    "adjust neutral": lambda im: backend.adjust(im, 1, 1, 1, 0),
    "rotate 0": lambda im: backend.rotate(im, 0, True, (0, 0, 0, 0)),
    "resize same": lambda im: backend.resize(im, 24, 16),
    "round 0": lambda im: backend.round_corners(im, 0),
    "text empty": lambda im: backend.text(im, "", 8, (0, 0, 0, 255), "top", None),
}


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_operations_return_a_new_rgba_image_and_leave_inputs_alone(name):
    image = sample()
    before, other_before = image.tobytes(), OTHER.tobytes()
    out = run(OPERATIONS[name](image))
    assert image.tobytes() == before and image.size == (24, 16) and image.mode == "RGBA"
    assert OTHER.tobytes() == other_before
    if isinstance(out, bytes):
        return
    assert out is not image and out is not OTHER
    assert out.mode == "RGBA"
