"""A least-recently-used result cache bounded by memory, keyed by the core's cache keys."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

DEFAULT_MAX_BYTES = 512 * 1024 * 1024


class ResultCache:
    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[dict[str, Any], int]] = OrderedDict()
        self._bytes = 0

    def get(self, key: str) -> dict[str, Any] | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        return entry[0]

    def put(self, key: str, outputs: dict[str, Any], size: int) -> None:
        if key in self._entries:
            self._bytes -= self._entries.pop(key)[1]
        if size > self.max_bytes:
            return  # larger than the whole budget: keeping it would evict everything else
        self._entries[key] = (outputs, size)
        self._bytes += size
        while self._bytes > self.max_bytes:
            _, (_, old_size) = self._entries.popitem(last=False)
            self._bytes -= old_size

    def keys(self) -> tuple[str, ...]:
        return tuple(self._entries)

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0

    @property
    def used_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries
