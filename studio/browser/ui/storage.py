"""Browser storage as small awaitable wrappers: localStorage for text, IndexedDB for picture bytes."""

from __future__ import annotations

import asyncio
from typing import Any

import js  # browser-only
from pyodide.ffi import JsNull, create_once_callable, to_js

DB_NAME = "pyxis"
DB_VERSION = 1
PICTURES = "pictures"  # object store: sha256 hex -> ArrayBuffer of the picture's bytes


class StorageError(Exception):
    """The browser refused to store or read (private mode, quota, blocked storage)."""


# --- localStorage: small text, synchronous ---


def get_text(key: str) -> str | None:
    try:
        value = js.window.localStorage.getItem(key)
    except Exception:
        return None
    return None if value is None or isinstance(value, JsNull) else str(value)


def set_text(key: str, value: str) -> None:
    try:
        js.window.localStorage.setItem(key, value)
    except Exception as exc:  # QuotaExceededError, or storage disabled
        raise StorageError(f"could not write {key!r} to localStorage: {exc}") from None


def remove(key: str) -> None:
    try:
        js.window.localStorage.removeItem(key)
    except Exception:
        pass


# --- IndexedDB: picture bytes ---


def await_request(request: Any) -> asyncio.Future:
    """An IDBRequest as a future (resolved with its result, or failed with its error)."""
    future = asyncio.get_event_loop().create_future()

    def ok(event: Any) -> None:
        if not future.done():
            future.set_result(request.result)

    def failed(event: Any) -> None:
        if not future.done():
            future.set_exception(StorageError(f"IndexedDB: {getattr(request.error, 'message', request.error)}"))

    request.onsuccess = create_once_callable(ok)
    request.onerror = create_once_callable(failed)
    return future


class ObjectStore:
    """One IndexedDB object store, opened (and created) on first use."""

    def __init__(self, db_name: str, version: int, store: str) -> None:
        self.db_name, self.version, self.name = db_name, version, store
        self._db: Any = None

    async def _open(self) -> Any:
        if self._db is not None:
            return self._db
        indexed_db = getattr(js.window, "indexedDB", None)
        if indexed_db is None:
            raise StorageError("this browser has no IndexedDB")
        request = indexed_db.open(self.db_name, self.version)

        def upgrade(event: Any) -> None:
            db = request.result
            if not db.objectStoreNames.contains(self.name):
                db.createObjectStore(self.name)

        request.onupgradeneeded = create_once_callable(upgrade)
        self._db = await await_request(request)
        return self._db

    async def store(self, mode: str) -> Any:
        db = await self._open()
        return db.transaction(self.name, mode).objectStore(self.name)


class PictureStore(ObjectStore):
    """Picture bytes in IndexedDB, keyed by their digest (equal pictures stored once)."""

    def __init__(self) -> None:
        super().__init__(DB_NAME, DB_VERSION, PICTURES)

    async def put(self, key: str, data: bytes) -> None:
        store = await self.store("readwrite")
        buffer = to_js(bytes(data)).buffer
        await await_request(store.put(buffer, key))

    async def get(self, key: str) -> bytes | None:
        store = await self.store("readonly")
        value = await await_request(store.get(key))
        if value is None or isinstance(value, JsNull):
            return None
        return js.Uint8Array.new(value).to_bytes()

    async def keys(self) -> list[str]:
        store = await self.store("readonly")
        value = await await_request(store.getAllKeys())
        return [str(k) for k in value]

    async def delete(self, key: str) -> None:
        store = await self.store("readwrite")
        await await_request(store.delete(key))
