"""AI turn images for the autosave: kept in IndexedDB, so the workflow in localStorage stays small.

The autosave calls `pack(graph)` for the text it writes to localStorage (images replaced by
references, see studio/app/ai_history.py) and `unpack(graph)` after it restored a workflow.
A database of its own ("pyxis-ai"): the picture store's garbage collection never sees these.
"""

from __future__ import annotations

import asyncio
from typing import Any

import js  # browser-only
from pyodide.ffi import create_once_callable

from ...app import ai_history
from ...core.graph import Graph
from ...core.workflow import dump_workflow
from .dom import report

DB_NAME = "pyxis-ai"
DB_VERSION = 1
STORE = "images"  # reference key (sha256 of the base64) -> the base64 text


class ImageStoreError(Exception):
    """IndexedDB refused (private mode, quota, blocked storage)."""


def _await_request(request: Any) -> asyncio.Future:
    future = asyncio.get_event_loop().create_future()

    def ok(event: Any) -> None:
        if not future.done():
            future.set_result(request.result)

    def failed(event: Any) -> None:
        if not future.done():
            future.set_exception(ImageStoreError(f"IndexedDB: {getattr(request.error, 'message', request.error)}"))

    request.onsuccess = create_once_callable(ok)
    request.onerror = create_once_callable(failed)
    return future


class AiImages:
    def __init__(self) -> None:
        self._db: Any = None
        self._stored: set[str] | None = None  # keys in the database (read once, then tracked)
        self.key_of = ai_history.KeyCache()

    async def _open(self) -> Any:
        if self._db is None:
            indexed_db = getattr(js.window, "indexedDB", None)
            if indexed_db is None:
                raise ImageStoreError("this browser has no IndexedDB")
            request = indexed_db.open(DB_NAME, DB_VERSION)

            def upgrade(event: Any) -> None:
                db = request.result
                if not db.objectStoreNames.contains(STORE):
                    db.createObjectStore(STORE)

            request.onupgradeneeded = create_once_callable(upgrade)
            self._db = await _await_request(request)
        return self._db

    async def _store(self, mode: str) -> Any:
        db = await self._open()
        return db.transaction(STORE, mode).objectStore(STORE)

    async def _keys(self) -> set[str]:
        if self._stored is None:
            store = await self._store("readonly")
            self._stored = {str(k) for k in await _await_request(store.getAllKeys())}
        return self._stored

    async def pack(self, graph: Graph) -> str:
        """The workflow text to autosave: every AI image stored in IndexedDB, referenced by key.
        Images no longer referenced are deleted."""
        light, blobs = ai_history.with_image_refs(graph, self.key_of)
        stored = await self._keys()
        for key, b64 in blobs.items():
            if key not in stored:
                store = await self._store("readwrite")
                await _await_request(store.put(b64, key))
                stored.add(key)
        for key in sorted(stored - set(blobs)):
            store = await self._store("readwrite")
            await _await_request(store.delete(key))
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
                value = await _await_request(store.get(key))
                if isinstance(value, str):
                    found[key] = value
        except ImageStoreError as exc:
            report("restore AI images", exc)
        return ai_history.restore_image_refs(graph, found)
