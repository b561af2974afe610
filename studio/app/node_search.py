"""Palette search: which node types match what was typed, best first (title and id above description)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..core.catalog import NodeSpec

# How well one typed word matches a node type; lower is better. A word that matches the title
# or the id outranks one found only in the description ("crop" is Crop, not Resize, whose help
# says "crop the overflow"; "exp" is Export, not Rotate's "expand").
TITLE_EXACT, TITLE_PREFIX, TITLE_WORD, ID_WORD, NAME_INSIDE, CATEGORY, HELP = range(7)


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9]+", text.lower()) if w]


def word_score(word: str, spec: NodeSpec) -> int | None:
    """The best tier at which `word` (lower case) matches the node type, None if nowhere."""
    title = spec.title.lower()
    if title == word:
        return TITLE_EXACT
    if title.startswith(word):
        return TITLE_PREFIX
    if any(w.startswith(word) for w in _words(title)):
        return TITLE_WORD
    if any(w.startswith(word) for w in _words(spec.id)):
        return ID_WORD
    if word in title or word in spec.id.lower():
        return NAME_INSIDE
    if word in spec.category.lower():
        return CATEGORY
    if word in spec.help.lower():
        return HELP
    return None


def search(specs: Iterable[NodeSpec], query: str) -> list[str]:
    """Ids of the node types matching every word of `query`, best first; ties keep the catalog
    (palette) order. An empty query matches everything in order."""
    words = query.lower().split()
    ranked = []
    for index, spec in enumerate(specs):
        found = [word_score(w, spec) for w in words]
        scores = [score for score in found if score is not None]
        if len(scores) < len(found):
            continue
        ranked.append((sorted(scores, reverse=True), index, spec.id))  # the worst word counts first
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [spec_id for _, _, spec_id in ranked]
