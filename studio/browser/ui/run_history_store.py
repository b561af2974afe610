"""Run history in IndexedDB: each shot's record and thumbnail, and its picture as PNG bytes, per document.

A database of its own ("pyxis-history"): the library's picture collection never sees these, and
clearing history never touches a document. Keys are "<document id>/<shot id>", so one key range
reads or deletes a whole document's history.
"""

from __future__ import annotations

import json
from typing import Any

import js  # browser-only
from pyodide.ffi import to_js

from ...app.run_history import Shot
from ..ffi import is_missing
from .storage import ObjectStore, StorageError, await_commit, await_request

DB_NAME = "pyxis-history"
DB_VERSION = 1
SHOTS = "shots"  # key -> JSON text {"shot": <Shot JSON>, "thumb": <data: URL>}
PICTURES = "pictures"  # key -> ArrayBuffer of the PNG


def _key(doc_id: str, shot_id: str) -> str:
    return f"{doc_id}/{shot_id}"


def _range(doc_id: str) -> Any:
    return js.IDBKeyRange.bound(f"{doc_id}/", f"{doc_id}/\uffff")


class HistoryStore:
    def __init__(self) -> None:
        self._shots = ObjectStore(DB_NAME, DB_VERSION, SHOTS, (PICTURES,))
        self._pictures = ObjectStore(DB_NAME, DB_VERSION, PICTURES, (SHOTS,))

    async def put(self, doc_id: str, shot: Shot, thumb: str, png: bytes) -> None:
        """The picture first: a record is never listed without the picture it stands for."""
        key = _key(doc_id, shot.id)
        for store_of, value in (
            (self._pictures, to_js(bytes(png)).buffer),
            (self._shots, json.dumps({"shot": shot.to_json(), "thumb": thumb})),
        ):
            store = await store_of.store("readwrite")
            try:
                committed = await_commit(store)
                store.put(value, key)
            except Exception as exc:  # QuotaExceededError can be thrown at once
                raise StorageError(f"IndexedDB: {exc}") from None
            await committed

    async def load(self, doc_id: str) -> list[tuple[Shot, str]]:
        """The document's shots with their thumbnails (what is not a shot is skipped)."""
        store = await self._shots.store("readonly")
        out = []
        for text in await await_request(store.getAll(_range(doc_id))):
            try:
                record = json.loads(str(text))
                shot = Shot.from_json(record.get("shot"))
                thumb = record.get("thumb")
            except (ValueError, AttributeError):
                continue
            if shot is not None and isinstance(thumb, str) and thumb.startswith("data:image/"):
                out.append((shot, thumb))
        return out

    async def picture(self, doc_id: str, shot_id: str) -> bytes | None:
        store = await self._pictures.store("readonly")
        value = await await_request(store.get(_key(doc_id, shot_id)))
        if is_missing(value):
            return None
        return bytes(js.Uint8Array.new(value).to_bytes())

    async def delete(self, doc_id: str, shot_ids: list[str]) -> None:
        for store_of in (self._shots, self._pictures):
            for shot_id in shot_ids:
                store = await store_of.store("readwrite")
                await await_request(store.delete(_key(doc_id, shot_id)))

    async def delete_document(self, doc_id: str) -> None:
        for store_of in (self._shots, self._pictures):
            store = await store_of.store("readwrite")
            await await_request(store.delete(_range(doc_id)))

    async def documents(self) -> set[str]:
        """The ids of the documents that have a history here."""
        store = await self._shots.store("readonly")
        return {str(key).partition("/")[0] for key in await await_request(store.getAllKeys())}
