"""AI turn images for the autosave: kept in IndexedDB, so the workflow in localStorage stays small.

The autosave calls `pack(graph)` for the text it writes to localStorage (images replaced by
references, see studio/app/ai_conversation.py); reopening a document reads `stored(graph)` and
sends the pictures found back in a RestoreRecordings command.
A database of its own ("pyxis-ai"): the picture store's garbage collection never sees these.
"""

from __future__ import annotations

from typing import Any

from ...app import ai_conversation
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
        self.key_of = ai_conversation.KeyCache()

    async def _store(self, mode: str) -> Any:
        return await self._images.store(mode)

    async def _keys(self) -> set[str]:
        if self._stored is None:
            store = await self._store("readonly")
            self._stored = {str(k) for k in await await_request(store.getAllKeys())}
        return self._stored

    def pack_now(self, graph: Graph) -> tuple[str, dict[str, str]]:
        """The workflow text to autosave (AI images as references), and {key: base64} to store:
        synchronous, so a save on page unload has the text at once."""
        light, blobs = ai_conversation.with_image_refs(graph, self.key_of)
        self.key_of.keep_only(set(blobs.values()))
        return dump_workflow(light), blobs

    async def store(self, blobs: dict[str, str]) -> None:
        """Store the images not in the database yet (read back each time: another tab, or cleared
        site data, may have removed some)."""
        self._stored = None
        stored = await self._keys()
        for key, b64 in blobs.items():
            if key not in stored:
                store = await self._store("readwrite")
                await await_request(store.put(b64, key))
                stored.add(key)

    async def pack(self, graph: Graph) -> str:
        """pack_now, then store. Unreferenced images are not deleted here: other documents of the
        library, and other tabs, may use them (see collect)."""
        text, blobs = self.pack_now(graph)
        await self.store(blobs)
        return text

    async def collect(self, wanted: set[str]) -> None:
        """Delete stored images no document of the library refers to."""
        self._stored = None
        for key in sorted(await self._keys() - wanted):
            store = await self._store("readwrite")
            await await_request(store.delete(key))
        self._stored = None

    async def stored(self, graph: Graph) -> dict[str, str] | None:
        """The stored images the graph's references name, those found ({key: base64}); None when
        it names none (nothing to restore)."""
        wanted = ai_conversation.image_refs(graph)
        if not wanted:
            return None
        found: dict[str, str] = {}
        try:
            for key in wanted:
                store = await self._store("readonly")
                value = await await_request(store.get(key))
                if isinstance(value, str):
                    found[key] = value
        except StorageError as exc:
            report("restore AI images", exc)
        return found
