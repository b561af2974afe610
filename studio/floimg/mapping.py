"""FloImg operations and generators → Pyxis nodes, with params mapped and sharp's semantics kept.

One table, MAPPERS, keyed by (kind, name); each entry turns a step's params into a Pyxis node type
and params, plus notes where the meaning differs. docs/floimg.md lists the same table for people.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..backend.protocol import MAX_SIDE
from .steps import Step


@dataclass
class Mapped:
    type: str
    params: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Which Pyxis input port each of the step's inputs goes to, in order.
    ports: tuple[str, ...] = ("image",)


Mapper = Callable[[Step], Mapped]
FORMATS = {"image/png": "png", "image/jpeg": "jpeg", "image/jpg": "jpeg", "image/webp": "webp"}


def _num(params: dict[str, Any], *names: str) -> float | None:
    for name in names:
        value = params.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
    return None


def _int(params: dict[str, Any], name: str, default: int, low: int = 0, high: int = MAX_SIDE) -> int:
    value = _num(params, name)
    return default if value is None else max(low, min(high, round(value)))


def _color(value: Any, default: str) -> str:
    if isinstance(value, str) and value.startswith("#") and len(value) in (4, 7, 9):
        if len(value) == 4:  # #rgb → #rrggbb
            return "#" + "".join(c * 2 for c in value[1:]).lower()
        return value.lower()
    return default


def resize(step: Step) -> Mapped:
    p, notes = step.params, []
    width, height = _num(p, "width"), _num(p, "height")
    fit = str(p.get("fit") or "cover")  # sharp's default
    if width is None and height is None:
        return Mapped("transform.resize", {"width": 512, "height": 512, "fit": "contain"}, ["no size given: 512 × 512"])
    if width is None or height is None:
        # sharp keeps the aspect ratio when one side is missing: a box unbounded on that side does the same.
        fit = "contain"
        width = width if width is not None else MAX_SIDE
        height = height if height is not None else MAX_SIDE
    elif fit == "inside":
        fit = "contain"
    elif fit == "outside":
        fit = "cover"
        notes.append("fit 'outside' (no crop in sharp) became cover, which crops the overflow")
    elif fit == "contain":
        notes.append("sharp's contain letterboxes; Pyxis contain fits inside without bars (add Pad for bars)")
    elif fit not in ("cover", "fill"):
        notes.append(f"unknown fit {fit!r}: cover used")
        fit = "cover"
    size = {"width": max(1, min(MAX_SIDE, round(width))), "height": max(1, min(MAX_SIDE, round(height)))}
    return Mapped("transform.resize", {**size, "fit": fit}, notes)


def extract(step: Step) -> Mapped:
    p = step.params
    return Mapped("transform.crop", {"x": _int(p, "left", 0), "y": _int(p, "top", 0),
                                     "width": _int(p, "width", 256, 1), "height": _int(p, "height", 256, 1)})  # fmt: skip


def extend(step: Step) -> Mapped:
    p = step.params
    sides = {side: _int(p, side, 0) for side in ("top", "right", "bottom", "left")}
    return Mapped("transform.pad", {**sides, "color": _color(p.get("background"), "#000000")})


def blur(step: Step) -> Mapped:
    sigma = _num(step.params, "sigma")
    return Mapped("transform.blur", {"radius": float(sigma) if sigma is not None else 3.0})  # sigma = Gaussian radius


def sharpen(step: Step) -> Mapped:
    notes = ["sharp's sigma/m1/m2 have no equivalent: amount 1 used"] if step.params else []
    return Mapped("transform.sharpen", {"amount": 1.0}, notes)


def modulate(step: Step) -> Mapped:
    p, notes = step.params, []
    params = {
        name: float(value) for name in ("brightness", "saturation", "hue") if (value := _num(p, name)) is not None
    }
    if _num(p, "lightness") is not None:
        notes.append("lightness has no equivalent: left out")
    return Mapped("transform.adjust", params, notes)


def tint(step: Step) -> Mapped:
    return Mapped("transform.tint", {"color": _color(step.params.get("color"), "#ff8800")})


def threshold(step: Step) -> Mapped:
    return Mapped("transform.threshold", {"level": _int(step.params, "value", 128, 0, 255)})


def round_corners(step: Step) -> Mapped:
    return Mapped("transform.round_corners", {"radius": _int(step.params, "radius", 16)})


def composite(step: Step) -> Mapped:
    overlays = step.params.get("overlays")
    first = overlays[0] if isinstance(overlays, list) and overlays and isinstance(overlays[0], dict) else {}
    notes = ["only the first overlay is placed; add an Overlay node per extra one"] if len(overlays or []) > 1 else []
    params = {"x": _int(first, "left", 0, -MAX_SIDE), "y": _int(first, "top", 0, -MAX_SIDE)}
    return Mapped("compose.overlay", params, notes, ports=("base", "overlay"))


def add_text(step: Step) -> Mapped:
    p = step.params
    params = {"text": str(p.get("text", "")), "size": _int(p, "fontSize", 32, 4, 1024),
              "color": _color(p.get("color"), "#ffffff"), "position": "center"}  # fmt: skip
    return Mapped("compose.text", params, ["x/y placement became a centred line (Pyxis places text top/centre/bottom)"])


def add_caption(step: Step) -> Mapped:
    p = step.params
    position = str(p.get("position") or "bottom")
    params = {
        "text": str(p.get("text", "")),
        "size": _int(p, "fontSize", 24, 4, 1024),
        "color": _color(p.get("textColor") or p.get("color"), "#ffffff"),
        "position": "top" if position.startswith("top") else "bottom",
        "background": _color(p.get("backgroundColor"), "#000000"),
    }
    notes = [f"position {position!r} became {params['position']}"] if position not in ("top", "bottom") else []
    return Mapped("compose.text", params, notes)


def convert(step: Step) -> Mapped:
    target = str(step.params.get("to") or "image/png")
    fmt = FORMATS.get(target)
    notes = [] if fmt else [f"format {target} is not offered: PNG used"]
    params: dict[str, Any] = {"format": fmt or "png"}
    if (quality := _num(step.params, "quality")) is not None:
        params["quality"] = max(1, min(100, round(quality)))
    return Mapped("output.export", params, notes)


def save(step: Step) -> Mapped:
    destination = step.destination.lower()
    for ext, fmt in ((".png", "png"), (".jpg", "jpeg"), (".jpeg", "jpeg"), (".webp", "webp")):
        if destination.endswith(ext):
            return Mapped("output.export", {"format": fmt})
    note = [f"destination {step.destination!r}: exported as PNG"] if step.destination else []
    return Mapped("output.export", {"format": "png"}, note)


def shapes(step: Step) -> Mapped:
    p = step.params
    width, height = _int(p, "width", 512, 1), _int(p, "height", 512, 1)
    if p.get("type") == "gradient" or p.get("fillType") == "gradient" and p.get("type") in (None, "rectangle"):
        start = _color(p.get("color1") or p.get("gradientStart"), "#667eea")
        end = _color(p.get("color2") or p.get("gradientEnd"), "#764ba2")
        angle = float(_num(p, "angle", "gradientAngle") or 0)
        return Mapped("source.gradient", {"width": width, "height": height, "start": start, "end": end, "angle": angle})
    shape = str(p.get("type") or "rectangle")
    params: dict[str, Any] = {"width": width, "height": height,
              "shape": shape if shape in ("rectangle", "ellipse", "polygon", "star") else "ellipse" if shape == "circle" else "rectangle",
              "fill": _color(p.get("fillColor") or p.get("color"), "#3b82f6")}  # fmt: skip
    if (points := _num(p, "points", "sides")) is not None:
        params["sides"] = max(3, min(64, round(points)))
    if (inner := _num(p, "innerRadius")) is not None:
        params["inner"] = max(0.05, min(1.0, float(inner)))
    if p.get("strokeColor"):
        params["stroke"] = _color(p.get("strokeColor"), "#000000")
        params["stroke_width"] = _int(p, "strokeWidth", 2, 0, 512)
    return Mapped("source.shapes", params)


def qr(step: Step) -> Mapped:
    p = step.params
    raw_colors = p.get("color")
    colors: dict[str, Any] = raw_colors if isinstance(raw_colors, dict) else {}
    level = p.get("errorCorrectionLevel")
    error = level if level in ("L", "M", "Q", "H") else "M"
    text, border = str(p.get("text", "")), _int(p, "margin", 4, 0, 64)
    params: dict[str, Any] = {"text": text, "error": error, "border": border,
                              "dark": _color(colors.get("dark"), "#000000"), "light": _color(colors.get("light"), "#ffffff")}  # fmt: skip
    width = _num(p, "width")
    if width is not None and text:
        # FloImg gives the picture's width; Pyxis the size of one module: the symbol's size decides it.
        import segno

        side = segno.make(text, error=error.lower(), micro=False).symbol_size(border=border)[0]
        params["module"] = max(1, min(64, round(width / side)))
    return Mapped("source.qr", params)


def _ai_params(step: Step) -> dict[str, Any]:
    p = step.params
    prompt = " ".join(str(p[k]) for k in ("prePrompt", "prompt") if p.get(k))
    params: dict[str, Any] = {"prompt": prompt}
    if isinstance(p.get("aspectRatio"), str):
        params["aspect_ratio"] = p["aspectRatio"]
    if isinstance(p.get("imageSize"), str):
        params["image_size"] = p["imageSize"]
    return params


def gemini_edit(step: Step) -> Mapped:
    notes = [f"model {step.params['model']!r} replaced by the Studio's default"] if step.params.get("model") else []
    return Mapped("ai.edit", _ai_params(step), notes, ports=("image", "references"))


def gemini_generate(step: Step) -> Mapped:
    notes = [f"model {step.params['model']!r} replaced by the Studio's default"] if step.params.get("model") else []
    return Mapped("ai.generate", _ai_params(step), notes, ports=())


def upload(step: Step) -> Mapped:
    return Mapped("source.image", {}, ["pick the picture again: FloImg's upload does not travel"], ports=())


def _simple(node_type: str) -> Mapper:
    return lambda step: Mapped(node_type)


# (kind, name) → mapper; kind "*" matches any kind that names that operation.
MAPPERS: dict[tuple[str, str], Mapper] = {
    ("transform", "resize"): resize,
    ("transform", "extract"): extract,
    ("transform", "extend"): extend,
    ("transform", "blur"): blur,
    ("transform", "sharpen"): sharpen,
    ("transform", "grayscale"): _simple("transform.grayscale"),
    ("transform", "negate"): _simple("transform.invert"),
    ("transform", "normalize"): _simple("transform.normalize"),
    ("transform", "threshold"): threshold,
    ("transform", "modulate"): modulate,
    ("transform", "tint"): tint,
    ("transform", "roundCorners"): round_corners,
    ("transform", "composite"): composite,
    ("transform", "addText"): add_text,
    ("transform", "addCaption"): add_caption,
    ("transform", "convert"): convert,
    ("transform", "edit"): gemini_edit,
    ("generate", "shapes"): shapes,
    ("generate", "qr"): qr,
    ("generate", "gemini-generate"): gemini_generate,
    ("save", "save"): save,
    ("input", "input"): upload,
}
# FloImg Studio names the kinds a little differently.
KIND_ALIASES = {"generator": "generate", "transform": "transform", "save": "save", "input": "input"}


def mapper_for(step: Step) -> Mapper | None:
    kind = KIND_ALIASES.get(step.kind, step.kind)
    if kind == "save":
        return None if step.destination.startswith(("s3://", "http://", "https://")) else save
    if kind == "input":
        return upload
    return MAPPERS.get((kind, step.name))
