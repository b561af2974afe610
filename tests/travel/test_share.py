"""Share links: the graph round-trips through the fragment; pictures, AI data and keys never ride along."""

from __future__ import annotations

import base64
import json
import zlib

import pytest

from studio.core.portable import portable_workflow, what_is_left_out
from studio.core.share import PREFIX, ShareError, decode, encode, fragment_workflow, share_url, too_long
from studio.core.workflow import load_workflow, workflow_to_dict
from studio.nodes import default_catalog

CATALOG = default_catalog()
PICTURE = "data:image/png;base64," + base64.b64encode(b"\x89PNG fake picture bytes").decode()


def graph_with_secrets():
    text = json.dumps(
        {
            "format": "pyxis.workflow",
            "version": 1,
            "name": "Shared",
            "nodes": [
                {"id": "photo", "type": "source.image", "params": {"image": PICTURE}, "position": [10, 20]},
                {
                    "id": "edit",
                    "type": "ai.edit",
                    "params": {"prompt": "make it blue"},
                    "position": [200, 20],
                    "data": {
                        "turns": [
                            {
                                "prompt": "make it blue",
                                "user": {"role": "user", "parts": [{"text": "make it blue"}]},
                                "model": {
                                    "role": "model",
                                    "parts": [{"inlineData": {"mimeType": "image/png", "data": "AAAA" * 50}}],
                                },
                                "text": "",
                            }
                        ],
                        "basis": "0" * 64,
                    },
                },
                {"id": "out", "type": "output.export", "params": {"format": "png"}, "position": [400, 20]},
            ],
            "edges": [{"from": "photo.image", "to": "edit.image"}, {"from": "edit.image", "to": "out.image"}],
        }
    )
    return load_workflow(text, CATALOG, complete=False)


def test_round_trip_keeps_params_positions_and_wires():
    graph = graph_with_secrets()
    url = share_url("https://example.test/studio/index.html#old", graph)
    assert url.startswith("https://example.test/studio/index.html#workflow=" + PREFIX)
    text = fragment_workflow(url.split("#", 1)[1])
    back = load_workflow(text, CATALOG, complete=False)
    assert workflow_to_dict(back) == portable_workflow(graph)
    assert back.nodes["edit"].params["prompt"] == "make it blue" and back.nodes["edit"].position == (200, 20)
    assert [str(e.target) for e in back.edges] == ["edit.image", "out.image"]


def test_the_fragment_carries_no_picture_no_ai_turns():
    graph = graph_with_secrets()
    fragment = share_url("http://x/", graph).split("#workflow=", 1)[1]
    body = fragment[len(PREFIX) :]
    raw = zlib.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)), -15).decode()
    assert "data:" not in raw and "AAAA" not in raw and "turns" not in raw and '"data"' not in raw
    assert what_is_left_out(graph) == ["1 picture", "the recorded results of edit"]


@pytest.mark.parametrize(
    "token, message",
    [
        ("x9.abc", "unknown encoding"),
        (PREFIX + "!!!!", "damaged"),
        (encode('{"a": 1}')[:-3], "damaged"),
        (PREFIX + base64.urlsafe_b64encode(b"\xff\xfe").decode(), "damaged"),
    ],
)
def test_bad_links_are_refused_with_a_reason(token, message):
    with pytest.raises(ShareError, match=message):
        decode(token)


def test_a_fragment_without_a_workflow_is_none():
    assert fragment_workflow("") is None and fragment_workflow("#section-2") is None


def test_length_limit():
    assert not too_long("http://x/#" + "a" * 1000)
    assert too_long("http://x/#" + "a" * 70_000)
