"""FloImg import: every listed op maps (table), unmapped steps are named, both formats convert and run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from studio.core.workflow import workflow_from_dict
from studio.floimg.convert import convert_text
from studio.floimg.mapping import mapper_for
from studio.floimg.steps import FloimgError, Step
from studio.nodes import default_catalog

ROOT = Path(__file__).parents[2]
CATALOG = default_catalog()

# (kind, name, FloImg params) → (Pyxis type, params expected among the mapped ones)
TABLE = [
    ("transform", "resize", {"width": 800, "height": 600}, "transform.resize", {"width": 800, "height": 600, "fit": "cover"}),
    ("transform", "resize", {"width": 800}, "transform.resize", {"width": 800, "fit": "contain"}),
    ("transform", "resize", {"width": 300, "height": 200, "fit": "inside"}, "transform.resize", {"fit": "contain"}),
    ("transform", "resize", {"width": 300, "height": 200, "fit": "outside"}, "transform.resize", {"fit": "cover"}),
    ("transform", "resize", {"width": 300, "height": 200, "fit": "fill"}, "transform.resize", {"fit": "fill"}),
    ("transform", "extract", {"left": 10, "top": 20, "width": 30, "height": 40}, "transform.crop", {"x": 10, "y": 20, "width": 30, "height": 40}),
    ("transform", "extend", {"top": 5, "left": 7, "background": "#fff"}, "transform.pad", {"top": 5, "left": 7, "right": 0, "color": "#ffffff"}),
    ("transform", "blur", {"sigma": 4}, "transform.blur", {"radius": 4.0}),
    ("transform", "sharpen", {}, "transform.sharpen", {"amount": 1.0}),
    ("transform", "grayscale", {}, "transform.grayscale", {}),
    ("transform", "negate", {}, "transform.invert", {}),
    ("transform", "normalize", {}, "transform.normalize", {}),
    ("transform", "threshold", {"value": 100}, "transform.threshold", {"level": 100}),
    ("transform", "modulate", {"brightness": 1.2, "saturation": 0.8, "hue": 30}, "transform.adjust", {"brightness": 1.2, "saturation": 0.8, "hue": 30.0}),
    ("transform", "tint", {"color": "#ff0000"}, "transform.tint", {"color": "#ff0000"}),
    ("transform", "roundCorners", {"radius": 12}, "transform.round_corners", {"radius": 12}),
    ("transform", "composite", {"overlays": [{"left": 15, "top": 25}]}, "compose.overlay", {"x": 15, "y": 25}),
    ("transform", "addText", {"text": "Hi", "fontSize": 40, "color": "#00ff00"}, "compose.text", {"text": "Hi", "size": 40, "color": "#00ff00"}),
    ("transform", "addCaption", {"text": "Sunset", "position": "top", "backgroundColor": "#000000"}, "compose.text", {"text": "Sunset", "position": "top", "background": "#000000"}),
    ("transform", "convert", {"to": "image/webp", "quality": 80}, "output.export", {"format": "webp", "quality": 80}),
    ("transform", "edit", {"prompt": "make it night", "prePrompt": "Photo:", "aspectRatio": "16:9"}, "ai.edit", {"prompt": "Photo: make it night", "aspect_ratio": "16:9"}),
    ("generate", "shapes", {"type": "gradient", "width": 1200, "height": 630, "color1": "#667eea", "color2": "#764ba2"}, "source.gradient", {"width": 1200, "height": 630, "start": "#667eea", "end": "#764ba2"}),
    ("generate", "shapes", {"type": "star", "width": 300, "height": 300, "fillColor": "#ffcc00", "points": 6}, "source.shapes", {"shape": "star", "fill": "#ffcc00", "sides": 6}),
    ("generate", "shapes", {"type": "circle", "strokeColor": "#000", "strokeWidth": 3}, "source.shapes", {"shape": "ellipse", "stroke": "#000000", "stroke_width": 3}),
    ("generate", "qr", {"text": "https://example.test", "width": 400, "margin": 2, "color": {"dark": "#0d9488"}}, "source.qr", {"text": "https://example.test", "border": 2, "dark": "#0d9488", "module": 14}),  # 25 modules + 2 × 2 border = 29; 400 / 29 ≈ 14
    ("generate", "gemini-generate", {"prompt": "a red fox"}, "ai.generate", {"prompt": "a red fox"}),
    ("input", "input", {}, "source.image", {}),
]  # fmt: skip


@pytest.mark.parametrize(
    "kind, name, params, node_type, expected", TABLE, ids=[f"{r[1]}-{i}" for i, r in enumerate(TABLE)]
)
def test_each_floimg_op_maps_to_a_pyxis_node_with_valid_params(kind, name, params, node_type, expected):
    mapped = mapper_for(Step("s", kind, name, params))(Step("s", kind, name, params))
    assert mapped.type == node_type
    assert {k: mapped.params[k] for k in expected} == expected
    spec = CATALOG[node_type]
    for param_name, value in mapped.params.items():
        param = spec.param(param_name)
        assert param is not None, f"{node_type} has no param {param_name!r}"
        param.coerce(value)  # raises ParamError when out of range or of the wrong type


def test_a_save_step_maps_to_an_export_with_the_format_of_its_destination():
    step = Step("s", "save", "save", destination="./out/result.jpg")
    assert mapper_for(step)(step).params == {"format": "jpeg"}
    assert mapper_for(Step("s", "save", "save", destination="s3://bucket/x.png")) is None


PIPELINE = """
name: Sunset to S3
steps:
  - kind: generate
    generator: openai
    params: {prompt: "A serene sunset"}
    out: sunset
  - kind: transform
    in: sunset
    op: resize
    params: {width: 800, height: 600}
    out: resized
  - kind: transform
    in: resized
    op: preset
    params: {name: vintage}
    out: styled
  - kind: transform
    in: styled
    op: addCaption
    params: {text: "Beautiful Sunset", position: bottom}
    out: final
  - kind: save
    in: final
    destination: s3://my-bucket/sunset.png
"""


def test_unmapped_steps_are_named_with_their_step_and_the_chain_stays_whole():
    conversion = convert_text(PIPELINE)
    left = {(item.step, item.name) for item in conversion.left_out}
    assert left == {
        ("sunset", "generate openai"),
        ("styled", "transform preset"),
        ("step5", "save s3://my-bucket/sunset.png"),
    }
    graph = workflow_from_dict(conversion.workflow, CATALOG)  # complete: every required input is wired
    assert [graph.nodes[n].type for n in graph.nodes] == [
        "source.image",
        "transform.resize",
        "compose.text",
        "output.export",
    ]
    assert {str(e.target) for e in graph.edges} == {"resized.image", "final.image", "export.image"}


STUDIO_TEMPLATE = {
    "id": "thumbnail",
    "name": "Thumbnail",
    "workflow": {
        "nodes": [
            {"id": "gen-1", "type": "generator", "position": {"x": 100, "y": 150},
             "data": {"generatorName": "shapes", "params": {"type": "gradient", "width": 640, "height": 480,
                                                              "color1": "#112233", "color2": "#ddeeff"}}},
            {"id": "t-resize", "type": "transform", "position": {"x": 400, "y": 150},
             "data": {"operation": "resize", "params": {"width": 320}}},
            {"id": "t-round", "type": "transform", "position": {"x": 700, "y": 150},
             "data": {"operation": "roundCorners", "params": {"radius": 24}}},
            {"id": "t-webp", "type": "transform", "position": {"x": 1000, "y": 150},
             "data": {"operation": "convert", "params": {"to": "image/webp", "quality": 85}}},
        ],
        "edges": [
            {"id": "e1", "source": "gen-1", "target": "t-resize"},
            {"id": "e2", "source": "t-resize", "target": "t-round"},
            {"id": "e3", "source": "t-round", "target": "t-webp"},
        ],
    },
}  # fmt: skip


def studio(*args):
    return subprocess.run(
        [sys.executable, "-m", "studio", *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_a_studio_template_converts_and_runs_with_sharp_semantics(tmp_path):
    source = tmp_path / "template.json"
    source.write_text(json.dumps(STUDIO_TEMPLATE))
    converted = studio("import", "floimg", source, "--out", tmp_path / "wf.json")
    assert converted.returncode == 0, converted.stderr
    workflow = json.loads((tmp_path / "wf.json").read_text())
    assert [n["position"] for n in workflow["nodes"]][0] == [100, 150]
    ran = studio("run", tmp_path / "wf.json", "--out", tmp_path / "out")
    assert ran.returncode == 0, ran.stderr
    with Image.open(tmp_path / "out" / "t-webp.webp") as image:
        assert image.format == "WEBP" and image.size == (320, 240)  # width only: aspect kept, as sharp does
        assert image.convert("RGBA").getpixel((0, 0))[3] == 0  # the rounded corner


def test_a_pipeline_with_left_out_steps_exits_1_and_names_them(tmp_path):
    source = tmp_path / "pipeline.yaml"
    source.write_text(PIPELINE)
    result = studio("import", "floimg", source, "--out", tmp_path / "wf.json")
    assert result.returncode == 1
    assert "left out: transform preset (step 'styled')" in result.stderr
    assert "left out: generate openai (step 'sunset')" in result.stderr
    assert json.loads((tmp_path / "wf.json").read_text())["format"] == "pyxis.workflow"


@pytest.mark.parametrize(
    "text, message",
    [("::: not yaml :::\n  - [", "not JSON or YAML"), ("just: text\n", "not a FloImg pipeline"),
     ('{"nodes": []}', "non-empty `nodes`"), ("steps: [1, 2]", "a mapping with a `kind`"),
     ("[" * 5000, "nested too deeply"), ("a:\n" + "- " * 3000 + "x", "nested too deeply")],
)  # fmt: skip
def test_unreadable_files_are_floimg_errors(text, message):
    with pytest.raises(FloimgError, match=message):
        convert_text(text)


def test_an_unreadable_file_is_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe\x00 binary")
    result = studio("import", "floimg", bad, "--out", tmp_path / "wf.json")
    assert result.returncode == 2 and "not UTF-8" in result.stderr and "Traceback" not in result.stderr
