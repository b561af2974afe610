"""Hypothesis strategies that break the example workflows the ways issue 13's sweep did.

Each case is (kind, bytes): the kind names the mutation (for the tally), the bytes are the file.
Mutations work on the parsed example (wrong types, huge and non-finite numbers, odd text in ids and
strings, deep nesting, many/duplicate/dangling edges, duplicate ids, unknown fields and versions,
bad node data) or on its bytes (BOM, invalid UTF-8, truncation, raw NaN/huge literals).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

EXAMPLES_DIR = Path(__file__).parents[2] / "static" / "examples"
EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES_DIR.glob("*.json") if p.name != "index.json")
SMALL_SIDE = 48  # the examples' pictures are shrunk to this, so runs stay quick


def example(name: str) -> dict[str, Any]:
    """An example workflow with its picture sizes shrunk (same graph, quicker runs)."""
    data = json.loads((EXAMPLES_DIR / name).read_text(encoding="utf-8"))
    for node in data["nodes"]:
        params = node.get("params", {})
        for key in ("width", "height", "x", "y", "size", "radius", "top", "right", "bottom", "left"):
            if isinstance(params.get(key), int) and params[key] > SMALL_SIDE:
                params[key] = max(1, params[key] // 20)
    return data


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON value (dict keys and list indexes), the root included."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, (*prefix, index))
    return found


def get(value: Any, path: tuple) -> Any:
    for step in path:
        value = value[step]
    return value


def put(doc: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    get(doc, path[:-1])[path[-1]] = new
    return doc


JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
HUGE_NUMBERS = st.sampled_from([10**400, -(10**400), 2**63, -(2**63) - 1, 1e308, -1e308, 5e-324, -0.0, 1e30, 10**20])
ODD_TEXT = st.one_of(
    st.text(min_size=0, max_size=30),  # any code points, controls included
    st.sampled_from(
        [
            "poster\n",
            "out\r",
            " bg",
            "a.b",
            "\u202eevil",
            "\x00",
            "é",
            "#ff0000\n",
            "#FFF",
            "../../etc/passwd",
            "con",
            "a" * 300,
            "x" * 100_000,
            "\ud800",
            "🙂",
        ]
    ),
)


@st.composite
def structural(draw) -> tuple[str, Any]:
    """A mutation of the parsed example: (kind, new document)."""
    doc = example(draw(st.sampled_from(EXAMPLE_NAMES)))
    kind = draw(
        st.sampled_from(
            [
                "wrong type",
                "huge number",
                "odd text",
                "odd id",
                "deep nesting",
                "many edges",
                "duplicate id",
                "dangling edge",
                "unknown field",
                "version",
                "bad data",
                "deep data",
                "drop field",
            ]
        )
    )
    places = paths(doc)
    if kind == "wrong type":
        doc = put(doc, draw(st.sampled_from(places)), draw(JSON_VALUES))
    elif kind == "huge number":
        numeric = [p for p in places if isinstance(get(doc, p), int | float) and not isinstance(get(doc, p), bool)]
        doc = put(doc, draw(st.sampled_from(numeric)), draw(HUGE_NUMBERS))
    elif kind == "odd text":
        texts = [p for p in places if isinstance(get(doc, p), str)]
        doc = put(doc, draw(st.sampled_from(texts)), draw(ODD_TEXT))
    elif kind == "odd id":
        node = draw(st.sampled_from(doc["nodes"]))
        node["id"] = draw(ODD_TEXT)
    elif kind == "deep nesting":
        depth = draw(st.sampled_from([2, 10, 40, 63, 64, 65, 100, 1000, 20_000]))
        place = draw(st.sampled_from(places))
        wrapped: Any = get(doc, place)
        for _ in range(depth):
            wrapped = [wrapped] if draw(st.booleans()) or depth > 100 else {"k": wrapped}
        doc = put(doc, place, wrapped)
    elif kind == "many edges":
        count = draw(st.sampled_from([100, 2000, 20_000]))
        ids = [n["id"] for n in doc["nodes"]]
        style = draw(st.sampled_from(["dangling", "duplicate", "between nodes"]))
        if style == "dangling":
            doc["edges"] += [{"from": f"n{i}.image", "to": f"m{i}.image"} for i in range(count)]
        elif style == "duplicate":
            doc["edges"] = doc["edges"] * (count // max(len(doc["edges"]), 1))
        else:
            doc["edges"] += [{"from": f"{ids[i % len(ids)]}.image", "to": f"{ids[-1]}.image"} for i in range(count)]
    elif kind == "duplicate id":
        doc["nodes"].append(copy.deepcopy(draw(st.sampled_from(doc["nodes"]))))
    elif kind == "dangling edge":
        doc["edges"].append(
            {"from": draw(ODD_TEXT) + ".image", "to": draw(st.sampled_from(doc["nodes"]))["id"] + ".image"}
        )
    elif kind == "unknown field":
        target = draw(st.sampled_from([doc, *doc["nodes"], *doc["edges"]]))
        target[draw(st.text(min_size=1, max_size=12))] = draw(JSON_VALUES)
    elif kind == "version":
        doc["version"] = draw(st.one_of(st.integers(-3, 5), JSON_VALUES, st.just(10**400)))
        if draw(st.booleans()):
            doc["format"] = draw(st.sampled_from(["pyxis.workflow ", "PYXIS.WORKFLOW", "", "pyxis.catalog"]))
    elif kind == "bad data":
        node = draw(st.sampled_from(doc["nodes"]))
        if draw(st.booleans()):
            node["type"] = draw(st.sampled_from(["ai.edit", "ai.generate"]))
        node["data"] = draw(
            st.one_of(
                JSON_VALUES,
                st.fixed_dictionaries({"followups": JSON_VALUES}),
                st.fixed_dictionaries({"selected": JSON_VALUES, "turns": JSON_VALUES}),
                st.fixed_dictionaries(
                    {
                        "turns": st.lists(
                            st.dictionaries(st.sampled_from(["prompt", "user", "model", "text"]), JSON_VALUES),
                            max_size=3,
                        )
                    }
                ),
            )
        )
    elif kind == "deep data":
        depth = draw(st.sampled_from([5, 31, 32, 33, 60, 980]))
        value: Any = "leaf"
        for _ in range(depth):
            value = {"x": value}
        draw(st.sampled_from(doc["nodes"]))["data"] = value
    elif kind == "drop field":
        place = draw(st.sampled_from([p for p in places if p]))
        parent = get(doc, place[:-1])
        del parent[place[-1]]
    return kind, doc


@st.composite
def workflow_bytes(draw) -> tuple[str, bytes]:
    """(kind, file bytes): a structural mutation, serialized; sometimes broken at the byte level."""
    kind, doc = draw(structural())
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()))
    data = text.encode("utf-8", "surrogatepass")
    byte_kind = draw(
        st.sampled_from(["none"] * 6 + ["bom", "invalid utf-8", "truncated", "nan literal", "huge literal"])
    )
    if byte_kind == "bom":
        data = b"\xef\xbb\xbf" + data
    elif byte_kind == "invalid utf-8":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80\x80"])) + data[at:]
    elif byte_kind == "truncated":
        data = data[: draw(st.integers(0, max(len(data) - 1, 0)))]
    elif byte_kind == "nan literal":
        data = data.replace(b"80", b"NaN", 1).replace(b"90", b"Infinity", 1)
    elif byte_kind == "huge literal":
        data = data.replace(b"80", b"1e999", 1).replace(b"40", b"-" + b"9" * 5000, 1)
    return (kind if byte_kind == "none" else f"{kind} + {byte_kind}"), data
