"""The model catalog, image sniffing, and that the client stays pure core (stdlib only, no browser)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from studio.core.sniff import sniff_mime
from studio.gemini import (
    ASPECT_RATIOS_10,
    ASPECT_RATIOS_14,
    DEFAULT_MODEL,
    PICKER_MODELS,
    filter_image_models,
    resolve_model,
)

from .wire import GIF, HEIC, JPEG, PNG, WEBP, picture

PACKAGE = Path(__file__).resolve().parents[2] / "studio" / "gemini"


def test_default_model_is_in_the_picker_with_everything():
    default = resolve_model(DEFAULT_MODEL)
    assert default in PICKER_MODELS and PICKER_MODELS[0] is default
    assert default.image_sizes == ("1K", "2K", "4K")  # the 512 tier is rejected by 2.1
    assert default.thinking_levels == ("MINIMAL", "MEDIUM", "HIGH")
    assert default.aspect_ratios == ASPECT_RATIOS_14 and len(ASPECT_RATIOS_14) == 14
    assert default.max_images == 14


@pytest.mark.parametrize(
    "model_id, max_images, sizes, ratios, status",
    [
        ("gemini-3-pro-image", 14, ("1K", "2K", "4K"), ASPECT_RATIOS_10, "stable"),
        ("gemini-3.1-flash-lite-image", 14, ("1K",), ASPECT_RATIOS_14, "stable"),
        ("gemini-nano-banana-2.1", 14, ("1K", "2K", "4K"), ASPECT_RATIOS_14, "stable"),
        ("gemini-3.1-flash-image", 14, ("512", "1K", "2K", "4K"), ASPECT_RATIOS_14, "deprecated"),
        ("gemini-2.5-flash-image", 3, (), ASPECT_RATIOS_10, "retired"),
        ("models/gemini-3-pro-image", 14, ("1K", "2K", "4K"), ASPECT_RATIOS_10, "stable"),
        ("my-tuned-image-model", 14, ("512", "1K", "2K", "4K"), ASPECT_RATIOS_14, "custom"),
    ],
)
def test_model_capabilities(model_id, max_images, sizes, ratios, status):
    model = resolve_model(model_id)
    assert (model.max_images, model.image_sizes, model.aspect_ratios, model.status) == (
        max_images,
        sizes,
        ratios,
        status,
    )


def test_retired_models_stay_out_of_the_picker():
    ids = [model.id for model in PICKER_MODELS]
    assert "gemini-2.5-flash-image" not in ids and "gemini-3-pro-image-preview" not in ids
    assert len(ASPECT_RATIOS_10) == 10 and set(ASPECT_RATIOS_10) < set(ASPECT_RATIOS_14)


def test_filter_image_models_needs_generate_content_and_an_image_id():
    listing = {
        "models": [
            {"name": "models/gemini-2.5-pro", "supportedGenerationMethods": ["generateContent"]},
            {"name": "models/zeta-image-model", "supportedGenerationMethods": ["generateContent"]},
            {"name": "models/gemini-3-pro-image", "supportedGenerationMethods": ["generateContent"]},
            {"name": "models/imagen-4.0-generate-001", "supportedGenerationMethods": ["predict"]},
            {"name": "models/gemini-2.5-flash-image", "supportedGenerationMethods": ["countTokens"]},
            {"name": "models/nano-banana-pro-preview", "supportedGenerationMethods": ["generateContent"]},
            {"name": "models/odd/../image", "supportedGenerationMethods": ["generateContent"]},
            {"displayName": "no name"},
            "garbage",
        ]
    }
    assert filter_image_models(listing) == ["gemini-3-pro-image", "nano-banana-pro-preview", "zeta-image-model"]
    assert filter_image_models({}) == []


@pytest.mark.parametrize(
    "data, mime",
    [
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (WEBP, "image/webp"),
        (GIF, "image/gif"),
        (HEIC, "image/heic"),
        (b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1heic", "image/heif"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1", "image/avif"),
        (picture("BMP"), "image/bmp"),
        (picture("TIFF"), "image/tiff"),
        (b"", None),
        (b"\x89PN", None),
        (b"hello world, not an image", None),
    ],
)
def test_sniff(data, mime):
    assert sniff_mime(data) == mime


# --- pure core ---------------------------------------------------------------------------------

BROWSER_MODULES = {"js", "pyodide", "pyscript"}


def test_only_standard_library_and_studio_imports():
    allowed = set(sys.stdlib_module_names) - BROWSER_MODULES
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in allowed or top == "studio", f"{path.name} imports {name}"


def test_every_module_opens_with_a_one_line_docstring():
    for path in PACKAGE.glob("*.py"):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc, path.name
        assert doc.splitlines()[0].endswith("."), path.name


def test_importing_the_package_leaves_the_cpython_transport_out():
    # The browser never loads urllib's machinery for nothing.
    code = "import sys, studio.gemini; print('studio.gemini.urllib_transport' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PACKAGE.parents[1]
    ).stdout
    assert out.strip() == "False"
