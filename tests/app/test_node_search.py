"""Palette search ranks title and id matches above description matches (defect 9)."""

from __future__ import annotations

import pytest

from studio.app.node_search import search
from studio.nodes import default_catalog

CATALOG = list(default_catalog())


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("crop", "transform.crop"),  # Resize's help says "crop the overflow"
        ("exp", "output.export"),  # Rotate's help says "expand"
        ("Crop", "transform.crop"),
        ("blur", "transform.blur"),
        ("text", "compose.text"),  # before the AI nodes' "text"-less help, and Overlay
        ("ai", "ai.edit"),
        ("ai gen", "ai.generate"),
        ("round", "transform.round_corners"),
        ("corners", "transform.round_corners"),
        ("grey", "transform.grayscale"),  # only its help says grey
        ("color", "source.solid"),  # "Solid color" (title word) before "colors" in help
        ("image", "source.image"),
    ],
)
def test_the_best_match_comes_first(query, first):
    assert search(CATALOG, query)[0] == first


def test_every_word_must_match_and_empty_matches_all():
    assert search(CATALOG, "crop zebra") == []
    assert search(CATALOG, "") == [s.id for s in CATALOG]
    assert search(CATALOG, "   ") == [s.id for s in CATALOG]


def test_description_matches_still_count_after_name_matches():
    found = search(CATALOG, "crop")
    assert found.index("transform.crop") < found.index("transform.resize")
    assert "transform.resize" in found
