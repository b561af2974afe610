"""The catalog checks declarations against their bodies and exports itself as JSON."""

from __future__ import annotations

import json

import pytest

from studio.core.catalog import Catalog, CatalogError, PortSpec, node
from studio.core.params import ChoiceParam, IntParam
from studio.nodes import default_catalog


def make(fn, **overrides):
    options = dict(title="T", category="Test", help="h", inputs=(PortSpec("image"),), params=(IntParam("n", 1),))
    options.update(overrides)
    return node(overrides.pop("id", "test.node"), **{k: v for k, v in options.items() if k != "id"})(fn)


async def good(ctx, *, image, n):
    return {"image": image}


async def missing_param(ctx, *, image):
    return {}


async def extra_keyword(ctx, *, image, n, surprise):
    return {}


def not_async(ctx, *, image, n):
    return {}


async def positional(ctx, image, n):
    return {}


@pytest.mark.parametrize(
    "spec, message",
    [
        (make(missing_param), "declared but not taken: ['n']"),
        (make(extra_keyword), "taken but not declared: ['surprise']"),
        (make(not_async), "async"),
        (make(positional), "exactly one positional"),
        (make(good, id="nodot"), "namespaced"),
        (make(good, params=(IntParam("n", 1), IntParam("n", 2))), "duplicate param"),
        (make(good, params=(IntParam("n", 500, max=10),)), "default of param 'n' is invalid"),
        (make(good, params=(ChoiceParam("n", "c", choices=("a", "b")),)), "default of param 'n'"),
        (make(good, inputs=(PortSpec("image", "video"),)), "unknown type 'video'"),
        (make(good, params=(IntParam("image", 1),), inputs=(PortSpec("image"),)), "both an input and a param"),
    ],
)
def test_mismatched_declarations_raise_at_registration(spec, message):
    with pytest.raises(CatalogError, match=None) as info:
        Catalog([spec])
    assert message in str(info.value)


def test_duplicate_id_raises():
    spec = make(good)
    with pytest.raises(CatalogError, match="registered twice"):
        Catalog([spec, spec])


def test_default_catalog_has_every_first_wave_node_of_the_contract():
    contract_ids = {
        "source.image",
        "source.solid",
        "source.gradient",
        "transform.resize",
        "transform.crop",
        "transform.rotate",
        "transform.flip",
        "transform.blur",
        "transform.sharpen",
        "transform.adjust",
        "transform.grayscale",
        "transform.invert",
        "transform.sepia",
        "transform.tint",
        "transform.pad",
        "transform.round_corners",
        "compose.overlay",
        "compose.text",
        "output.export",
    }
    assert contract_ids <= {spec.id for spec in default_catalog()}


def test_contract_params_and_defaults():
    catalog = default_catalog()
    expected = {
        "source.solid": {"width": 512, "height": 512, "color": "#ffffff"},
        "source.gradient": {"width": 512, "height": 512, "angle": 0.0},
        "transform.rotate": {"angle": 0.0, "expand": True, "fill": "#00000000"},
        "transform.blur": {"radius": 2.0},
        "transform.sharpen": {"amount": 1.0},
        "transform.adjust": {"brightness": 1.0, "contrast": 1.0, "saturation": 1.0, "hue": 0.0},
        "transform.tint": {"amount": 0.5},
        "transform.pad": {"top": 0, "right": 0, "bottom": 0, "left": 0},
        "transform.round_corners": {"radius": 16},
        "compose.overlay": {"x": 0, "y": 0, "opacity": 1.0, "blend": "normal"},
        "compose.text": {"size": 32},
        "output.export": {"format": "png", "quality": 90},
    }
    for type_id, params in expected.items():
        defaults = catalog[type_id].defaults()
        for name, value in params.items():
            assert defaults[name] == value, (type_id, name)
    assert catalog["transform.resize"].param("fit").choices == ("contain", "cover", "fill")
    assert catalog["compose.overlay"].param("blend").choices == (
        "normal",
        "multiply",
        "screen",
        "overlay",
        "darken",
        "lighten",
    )
    assert catalog["compose.text"].param("position").choices == ("top", "center", "bottom")
    assert [p.name for p in catalog["compose.overlay"].inputs] == ["base", "overlay"]


def test_catalog_json_describes_every_param_for_the_inspector():
    data = json.loads(json.dumps(default_catalog().to_json()))
    assert data["format"] == "pyxis.catalog"
    for entry in data["nodes"]:
        assert entry["title"] and entry["help"] and entry["category"]
        for param in entry["params"]:
            assert {"name", "type", "default", "widget", "help"} <= set(param)
            assert param["help"], (entry["id"], param["name"])
            if param["type"] in ("int", "float"):
                assert "min" in param and "max" in param and "step" in param
            if param["type"] == "choice":
                assert param["default"] in param["choices"]
