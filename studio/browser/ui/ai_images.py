"""AI turn images for the autosave: kept in IndexedDB, so the workflow in localStorage stays small.

The autosave calls `pack(graph)` for the text it writes to localStorage (images replaced by
references, see studio/app/ai_history.py) and `unpack(graph)` after it restored a workflow.
A database of its own ("pyxis-ai"): the picture store's garbage collection never sees these.
"""

from __future__ import annotations

from typing import Any

from ...app import ai_history
from ...core.graph import Graph
from ...core.workflow import dump_workflow
from .dom import report
from .storage import ObjectStore, StorageError, await_request

DB_NAME = "pyxis-ai"
DB_VERSION = 1
STORE = "images"  # reference key (sha256 of the base64) -> the base64 text


class AiImages:
    def __init__(self) -> None:
        self._images = ObjectStore(DB_NAME, DB_VERSION, STORE)
        self._stored: set[str] | None = None  # keys in the database (read once, then tracked)
        self.key_of = ai_history.KeyCache()

    async def _store(self, mode: str) -> Any:
        return await self._images.store(mode)

    async def _keys(self) -> set[str]:
        if self._stored is None:
            store = await self._store("readonly")
            self._stored = {str(k) for k in await await_request(store.getAllKeys())}
        return self._stored

    async def pack(self, graph: Graph) -> str:
        """The workflow text to autosave: every AI image stored in IndexedDB, referenced by key.
        Images no longer referenced are deleted."""
        light, blobs = ai_history.with_image_refs(graph, self.key_of)
        stored = await self._keys()
        for key, b64 in blobs.items():
            if key not in stored:
                store = await self._store("readwrite")
                await await_request(store.put(b64, key))
                stored.add(key)
        for key in sorted(stored - set(blobs)):
            store = await self._store("readwrite")
            await await_request(store.delete(key))
            stored.discard(key)
        self.key_of.keep_only(set(blobs.values()))
        return dump_workflow(light)

    async def unpack(self, graph: Graph) -> list[str]:
        """Put the stored images back into a restored graph (in place); returns the AI nodes that
        lost turns (their images were gone) and will ask Gemini again."""
        wanted = ai_history.image_refs(graph)
        if not wanted:
            return []
        found: dict[str, str] = {}
        try:
            for key in wanted:
                store = await self._store("readonly")
                value = await await_request(store.get(key))
                if isinstance(value, str):
                    found[key] = value
        except StorageError as exc:
            report("restore AI images", exc)
        return ai_history.restore_image_refs(graph, found)
