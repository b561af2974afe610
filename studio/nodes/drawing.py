"""Drawn source nodes: vector shapes with fill and stroke, and QR codes (through segno)."""

from __future__ import annotations

from ..backend.protocol import MAX_SIDE, Fill
from ..core.catalog import node
from ..core.context import NodeContext
from ..core.errors import NodeInputError
from ..core.params import ChoiceParam, ColorParam, FloatParam, IntParam, TextParam
from .common import IMAGE_OUT, Outputs, ensure_size, rgba
from .shape_geometry import SHAPES, inset, outline

QR_ERROR_LEVELS = ("L", "M", "Q", "H")


@node(
    "source.shapes",
    title="Shape",
    category="Source",
    help="A rectangle, ellipse, regular polygon or star filling the picture, on a transparent background.",
    outputs=IMAGE_OUT,
    params=(
        ChoiceParam("shape", "star", choices=SHAPES, help="Which shape."),
        IntParam("width", 512, help="Width in pixels.", min=1, max=MAX_SIDE, step=1),
        IntParam("height", 512, help="Height in pixels.", min=1, max=MAX_SIDE, step=1),
        ColorParam("fill", "#ffb703", help="Inside color (#00000000 for an outline only)."),
        ColorParam("stroke", "#1d3557", help="Outline color."),
        IntParam("stroke_width", 8, help="Outline thickness in pixels, drawn inside the edge.", min=0, max=1024),
        IntParam("sides", 5, help="Corners of a polygon, points of a star.", min=3, max=64, step=1),
        FloatParam(
            "inner", 0.5, help="A star's inner radius, as a share of the outer one.", min=0.05, max=0.95, step=0.05
        ),
        FloatParam("rotation", 0.0, help="Turn a polygon or star clockwise, in degrees.", min=-360, max=360, step=1),
    ),
)
async def shapes(
    ctx: NodeContext,
    *,
    shape: str,
    width: int,
    height: int,
    fill: str,
    stroke: str,
    stroke_width: int,
    sides: int,
    inner: float,
    rotation: float,
) -> Outputs:
    ensure_size(width, height)
    outer = outline(shape, width, height, sides, inner, rotation)
    fill_color, stroke_color = rgba(fill), rgba(stroke)
    fills: list[Fill] = []
    if stroke_width > 0 and stroke_color[3] > 0:
        hole = inset(outer, stroke_width)
        fills.append(((outer, hole) if hole else (outer,), stroke_color))
        if hole and fill_color[3] > 0:
            fills.append(((hole,), fill_color))
    elif fill_color[3] > 0:
        fills.append(((outer,), fill_color))
    return {"image": await ctx.backend.fill_shapes(width, height, tuple(fills))}


@node(
    "source.qr",
    title="QR code",
    category="Source",
    help="A QR code for a link or any text (made by the segno library).",
    outputs=IMAGE_OUT,
    params=(
        TextParam(
            "text",
            "Made with Pyxis Studio",
            help="What the code says: a link, a Wi-Fi string, any text.",
            multiline=True,
            max_length=4000,
        ),
        ChoiceParam(
            "error",
            "M",
            choices=QR_ERROR_LEVELS,
            help="Error correction: L 7 %, M 15 %, Q 25 %, H 30 % of the code may be damaged or covered.",
        ),
        IntParam("module", 10, help="Pixels per square of the code.", min=1, max=100, step=1),
        IntParam("border", 4, help="Quiet zone around the code, in squares (scanners want 4).", min=0, max=32),
        ColorParam("dark", "#000000", help="Color of the dark squares."),
        ColorParam("light", "#ffffff", help="Color of the light squares and the border."),
    ),
)
async def qr(ctx: NodeContext, *, text: str, error: str, module: int, border: int, dark: str, light: str) -> Outputs:
    matrix = qr_matrix(text, error)
    size = (len(matrix) + 2 * border) * module
    ensure_size(size, size)
    data = qr_pixels(matrix, module, border, bytes(rgba(dark)), bytes(rgba(light)))
    return {"image": await ctx.backend.from_pixels(size, size, data)}


def qr_matrix(text: str, error: str) -> tuple[bytearray, ...]:
    """The code's modules, row by row (1 dark, 0 light), at exactly the chosen error level."""
    try:
        import segno  # the kept QR library; in the page, the pinned wheel of pyscript.toml
    except ImportError:
        raise NodeInputError(
            "the QR code library (segno) is not installed here: pip install segno (the page ships its own copy)"
        ) from None
    if not text:
        raise NodeInputError("write the text the QR code should hold")
    try:
        code = segno.make(text, error=error, micro=False, boost_error=False)
    except segno.DataOverflowError:
        raise NodeInputError(
            f"the text is too long for a QR code at error level {error} ({len(text.encode())} bytes);"
            " shorten it or pick a lower level"
        ) from None
    return tuple(code.matrix)


def qr_pixels(matrix: tuple[bytearray, ...], module: int, border: int, dark: bytes, light: bytes) -> bytes:
    """RGBA bytes of the code: each module a module x module square, the border light."""
    side = len(matrix) + 2 * border
    quiet = light * (side * module)
    rows = [quiet * module] * border
    edge = light * (border * module)
    for line in matrix:
        row = edge + b"".join((dark if cell else light) * module for cell in line) + edge
        rows.append(row * module)
    rows += [quiet * module] * border
    return b"".join(rows)
