"""docs/workflow-format.md, docs/workflow.schema.json and `studio nodes --json` agree."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from studio.core import schema
from studio.nodes import default_catalog
from tests.core.test_workflow import EXAMPLES, INVALID

ROOT = Path(__file__).parents[2]


def test_schema_and_node_reference_are_up_to_date():
    for path, text in schema.rendered_files(default_catalog()).items():
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run python -m studio.core.schema --write"


def catalog_from_command_line():
    out = subprocess.run(
        [sys.executable, "-m", "studio", "nodes", "--json"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_command_line_catalog_matches_schema_and_docs():
    catalog = catalog_from_command_line()
    written_schema = json.loads((ROOT / "docs" / "workflow.schema.json").read_text())
    doc = (ROOT / "docs" / "workflow-format.md").read_text()
    assert written_schema["$defs"]["node"]["properties"]["type"]["enum"] == [n["id"] for n in catalog["nodes"]]
    variants = {
        v["if"]["properties"]["type"]["const"]: v["then"]["properties"]["params"]["properties"]
        for v in written_schema["$defs"]["node"]["allOf"]
    }
    for node in catalog["nodes"]:
        assert f"### `{node['id']}`" in doc
        assert set(variants[node["id"]]) == {p["name"] for p in node["params"]}
        for param in node["params"]:
            assert variants[node["id"]][param["name"]]["default"] == param["default"]
            assert f"| `{param['name']}` | {param['type']} |" in doc
            if param.get("choices"):
                assert variants[node["id"]][param["name"]]["enum"] == param["choices"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_are_valid_against_the_schema(path):
    jsonschema.validate(json.loads(path.read_text()), schema.workflow_schema(default_catalog()))


SCHEMA_CATCHES = {
    "wrong format",
    "future version",
    "bad version",
    "nodes not a list",
    "unknown top field",
    "bad node id",
    "unknown type",
    "param wrong type",
    "param out of range",
    "param not a choice",
    "unknown param",
    "bad color",
    "params not object",
    "bad position",
    "unknown node field",
    "edge malformed",
}


@pytest.mark.parametrize("case", [c for c in INVALID if c[0] in SCHEMA_CATCHES], ids=lambda c: c[0])
def test_schema_refuses_what_the_loader_refuses(case):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(json.loads(case[1]), schema.workflow_schema(default_catalog()))
