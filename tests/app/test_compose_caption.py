"""compose.text's `caption` input: a text output (AI Edit's) written on the picture, on real Pillow pixels."""

from __future__ import annotations

import asyncio
import io

from PIL import Image, ImageChops

from studio.app.editor import Editor
from studio.app.session import Session
from studio.backend.pillow_backend import PillowBackend
from studio.core.catalog import TEXT, PortSpec, node
from studio.core.executor import Executor
from studio.core.graph import Graph, Node
from studio.core.params import TextParam
from studio.nodes import default_catalog


@node(
    "test.words",
    title="Words",
    category="Test",
    help="Outputs its text, as an AI node's text output would.",
    outputs=(PortSpec("text", TEXT),),
    params=(TextParam("value", ""),),
)
async def words(ctx, *, value):
    return {"text": value}


def catalog():
    found = default_catalog()
    found.register(words)
    return found


def render(text_param: str, caption: str | None) -> Image.Image:
    graph = Graph()
    graph.add_node(Node("bg", "source.solid", {"width": 160, "height": 90, "color": "#203040"}))
    graph.add_node(Node("title", "compose.text", {"text": text_param, "size": 28, "position": "center"}))
    graph.connect("bg.image", "title.image")
    if caption is not None:
        graph.add_node(Node("said", "test.words", {"value": caption}))
        graph.connect("said.text", "title.caption")
    result = asyncio.run(Executor(catalog(), PillowBackend()).run(graph))
    assert result.ok, result.to_json()
    image = result.nodes["title"].outputs["image"]
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGBA")


def same(a: Image.Image, b: Image.Image) -> bool:
    return ImageChops.difference(a, b).getbbox(alpha_only=False) is None


def test_a_connected_caption_replaces_the_text_param():
    written = render("HELLO", None)
    assert not same(written, render("", None))  # the text is really drawn
    assert same(render("IGNORED", "HELLO"), written)
    assert same(render("HELLO", ""), render("", None))  # an empty caption writes nothing


def test_unconnected_the_param_is_written_as_before():
    assert same(render("HELLO", None), render("HELLO", None))
    assert not same(render("HELLO", None), render("WORLD", None))


def test_the_editor_connects_ai_text_to_the_caption():
    editor = Editor(Session(default_catalog(), backend=None))
    edit = editor.add_node("ai.edit", (0, 0))
    title = editor.add_node("compose.text", (300, 0))
    editor.connect(f"{edit}.text", f"{title}.caption")
    assert [str(e) for e in editor.graph.edges] == [f"{edit}.text -> {title}.caption"]
