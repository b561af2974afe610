"""Digests standing in for large text params in cache keys, so a re-run does not hash megabytes again."""

from __future__ import annotations

import hashlib
from typing import Any


class Fingerprints:
    """Stands in a digest for each large text param (a picture embedded as a data: URL), so
    a re-run does not hash megabytes again. The same string object (params keep theirs between
    runs) is hashed once; the memo is small and holds the strings it digested."""

    LARGE = 64 * 1024
    KEEP = 32

    def __init__(self) -> None:
        self._memo: dict[int, tuple[str, str]] = {}

    def of(self, params: dict[str, Any]) -> dict[str, Any]:
        if not any(isinstance(v, str) and len(v) > self.LARGE for v in params.values()):
            return params
        return {k: self._digest(v) if isinstance(v, str) and len(v) > self.LARGE else v for k, v in params.items()}

    def _digest(self, text: str) -> str:
        hit = self._memo.get(id(text))
        if hit is not None and hit[0] is text:
            return hit[1]
        # surrogatepass: a lone surrogate in a large text param raised UnicodeEncodeError here.
        digest = "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        if len(self._memo) >= self.KEEP:
            self._memo.pop(next(iter(self._memo)))
        self._memo[id(text)] = (text, digest)
        return digest
