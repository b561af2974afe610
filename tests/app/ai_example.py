"""Builds static/examples/ai-edit.json: a real photo, an AI Edit whose answer is recorded in the
file (so the first visit shows it without a key or a call), its text written as the caption.

The recording is made the way the Studio makes one: the photo is opened as the page opens it
(uploaded picture beside the graph), the AI Edit node runs against Gemini played at the wire
(tests/gemini/wire.py) and records its turn and basis in its own node data; then the graph is
saved self-contained. Only the "edited" picture is ours: Pillow paints the photo as a warm
watercolour, standing in for Gemini's answer.

    python -m tests.app.ai_example SOURCE.png   # writes static/examples/ai-edit.json

The photo: scikit-image's `coffee.png` (skimage/data; "No copyright restrictions. CC0 by the
photographer (Rachel Michetti)", courtesy of Pikolo Espresso Bar), scaled to 320 px.
"""

from __future__ import annotations

import asyncio
import io
import json
import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageEnhance, ImageFilter, ImageOps

from studio.app import pictures
from studio.app.editor import Editor
from studio.app.session import Session
from studio.backend.pillow_backend import PillowBackend
from studio.core.workflow import workflow_to_dict
from studio.gemini.client import GeminiClient
from studio.nodes import default_catalog
from tests.gemini.wire import FakeGemini, image_answer, inline, reply

EXAMPLE = Path(__file__).resolve().parents[2] / "static" / "examples" / "ai-edit.json"
PROMPT = "Turn this photo into a soft watercolour painting with warm morning light"
SAID = "A warm watercolour of your coffee"
KEY = "recording-key-never-sent"

GRAPH = {
    "format": "pyxis.workflow",
    "version": 1,
    "name": "AI Edit",
    "nodes": [
        {"id": "photo", "type": "source.image", "params": {"filename": "coffee.jpg"}, "position": [40, 80]},
        {"id": "edit", "type": "ai.edit", "params": {"prompt": PROMPT}, "position": [300, 80]},
        {
            "id": "title",
            "type": "compose.text",
            "params": {"text": "Painted by Gemini", "size": 20, "position": "top", "background": "#00000066"},
            "position": [560, 80],
        },
        {
            "id": "tagline",
            "type": "compose.text",
            "params": {"text": "Recorded in this example: no key needed", "size": 13, "position": "bottom"},
            "position": [820, 80],
        },
        {"id": "corners", "type": "transform.round_corners", "params": {"radius": 16}, "position": [1080, 80]},
        {"id": "poster", "type": "output.export", "params": {"format": "png"}, "position": [1340, 80]},
    ],
    "edges": [
        {"from": "photo.image", "to": "edit.image"},
        {"from": "edit.image", "to": "title.image"},
        {"from": "edit.text", "to": "title.caption"},
        {"from": "title.image", "to": "tagline.image"},
        {"from": "tagline.image", "to": "corners.image"},
        {"from": "corners.image", "to": "poster.image"},
    ],
}


def small_photo(source: Path, side: int = 320) -> bytes:
    image = Image.open(source).convert("RGB")
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue()


def watercolour(photo: bytes) -> bytes:
    """The stand-in for Gemini's edit: soft colour areas, warm light, paper-like edges."""
    image = Image.open(io.BytesIO(photo)).convert("RGB")
    soft = image.filter(ImageFilter.MedianFilter(5)).filter(ImageFilter.SMOOTH_MORE)
    soft = ImageOps.posterize(soft, 5)
    soft = ImageEnhance.Color(soft).enhance(1.35)
    warm = Image.new("RGB", soft.size, (255, 196, 140))
    soft = Image.blend(soft, ImageChops.multiply(soft, warm), 0.45)
    edges = image.convert("L").filter(ImageFilter.FIND_EDGES).point(lambda v: 255 - min(255, v * 2))
    soft = ImageChops.multiply(soft, Image.merge("RGB", (edges, edges, edges)))
    soft = ImageEnhance.Brightness(soft).enhance(1.12)
    out = io.BytesIO()
    soft.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()


def record(photo: bytes) -> dict:
    """The example as the Studio would save it after one real AI Edit run (one request)."""
    edited = watercolour(photo)
    gemini = FakeGemini(reply(200, image_answer({"text": SAID}, inline(edited, "image/jpeg"))))
    session = Session(default_catalog(), PillowBackend(), services={"gemini": GeminiClient(gemini, lambda: KEY)})
    editor = Editor(session)
    editor.load_text(json.dumps(GRAPH))
    editor.set_picture("photo", photo, "coffee.jpg")
    result = asyncio.run(session.run())
    assert result.ok, result.to_json()
    assert len(gemini.requests) == 1
    return workflow_to_dict(pictures.embed(session.graph, session.inputs))


def main(argv: list[str]) -> None:
    document = record(small_photo(Path(argv[0])))
    EXAMPLE.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {EXAMPLE} ({EXAMPLE.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1:])
