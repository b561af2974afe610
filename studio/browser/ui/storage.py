"""Browser storage as small awaitable wrappers: localStorage for text, IndexedDB for documents and picture bytes."""

from __future__ import annotations

import asyncio
from typing import Any

import js  # browser-only
from pyodide.ffi import create_once_callable, create_proxy, to_js

from .. import web_storage
from ..ffi import is_missing
from ..web_storage import DEVICE, SESSION, StorageRefused

DB_NAME = "pyxis"
DB_VERSION = 2  # 2 added the documents store (the workflow library)
PICTURES = "pictures"  # object store: sha256 hex -> ArrayBuffer of the picture's bytes
DOCUMENTS = "documents"  # object store: document id -> its envelope (studio/app/library.py Doc) as JSON
STORES = (PICTURES, DOCUMENTS)


class StorageError(Exception):
    """The browser refused to store or read (private mode, quota, blocked storage)."""


# --- localStorage: small text, synchronous ---


def get_text(key: str) -> str | None:
    return web_storage.read(DEVICE, key)


def set_text(key: str, value: str) -> None:
    try:
        web_storage.write(DEVICE, key, value)
    except StorageRefused as exc:  # QuotaExceededError, or storage disabled
        raise StorageError(f"could not write {key!r} to localStorage: {exc}") from None


def remove(key: str) -> None:
    web_storage.remove(DEVICE, key)


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


def await_commit(store: Any) -> asyncio.Future:
    """The transaction of an object store as a future: a quota error shows up here (the
    transaction aborts) even when the request itself succeeded."""
    future = asyncio.get_event_loop().create_future()
    tx = store.transaction

    def done(event: Any) -> None:
        if not future.done():
            future.set_result(None)

    def failed(event: Any) -> None:
        if not future.done():
            error = tx.error
            future.set_exception(StorageError(f"IndexedDB: {getattr(error, 'message', None) or error or 'aborted'}"))

    tx.oncomplete = create_once_callable(done)
    tx.onabort = create_once_callable(failed)
    tx.onerror = create_once_callable(failed)
    return future


def indexed_db() -> Any:
    """window.indexedDB, or None where the browser has none or refuses it (private modes)."""
    try:
        factory = getattr(js.window, "indexedDB", None)
    except Exception:  # a SecurityError from the getter itself
        return None
    if is_missing(factory) or getattr(factory, "pyxisInMemory", None):
        return None  # boot.js's in-memory stand-in, only there so PyScript can start: not storage
    return factory


class ObjectStore:
    """One IndexedDB object store, opened (and created, with its siblings) on first use.

    The connection is dropped when another page upgrades or deletes the database, or the browser
    closes it (site data cleared): `on_lost` is told, and the next use opens it again."""

    def __init__(self, db_name: str, version: int, store: str, siblings: tuple[str, ...] = ()) -> None:
        self.db_name, self.version, self.name = db_name, version, store
        self.stores = tuple(dict.fromkeys((store, *siblings)))
        self._db: Any = None
        self._proxies: list[Any] = []
        self.on_lost: list[Any] = []

    async def _open(self) -> Any:
        if self._db is not None:
            return self._db
        factory = indexed_db()
        if factory is None:
            raise StorageError("this browser has no IndexedDB (or does not allow it here)")
        try:
            request = factory.open(self.db_name, self.version)
        except Exception as exc:
            raise StorageError(f"IndexedDB refused to open: {exc}") from None

        def upgrade(event: Any) -> None:
            db = request.result
            for name in self.stores:
                if not db.objectStoreNames.contains(name):
                    db.createObjectStore(name)

        request.onupgradeneeded = create_once_callable(upgrade)
        db = await await_request(request)
        lost = create_proxy(lambda event: self._lost(db))
        self._proxies.append(lost)
        db.onversionchange = lost
        db.onclose = lost
        self._db = db
        return db

    def _lost(self, db: Any) -> None:
        try:
            db.close()
        except Exception:
            pass
        if self._db == db:
            self._db = None
        for callback in list(self.on_lost):
            callback()

    async def store(self, mode: str) -> Any:
        db = await self._open()
        try:
            return db.transaction(self.name, mode).objectStore(self.name)
        except Exception as exc:  # InvalidStateError: the connection closed under us
            self._db = None
            raise StorageError(f"IndexedDB: {exc}") from None


class PictureStore(ObjectStore):
    """Picture bytes in IndexedDB, keyed by their digest (equal pictures stored once)."""

    def __init__(self) -> None:
        super().__init__(DB_NAME, DB_VERSION, PICTURES, STORES)

    async def put(self, key: str, data: bytes) -> None:
        store = await self.store("readwrite")
        buffer = to_js(bytes(data)).buffer
        try:
            committed = await_commit(store)
            store.put(buffer, key)
        except Exception as exc:  # QuotaExceededError and DataCloneError can be thrown at once
            raise StorageError(f"IndexedDB: {exc}") from None
        await committed

    async def get(self, key: str) -> bytes | None:
        store = await self.store("readonly")
        value = await await_request(store.get(key))
        if is_missing(value):
            return None
        return js.Uint8Array.new(value).to_bytes()

    async def keys(self) -> list[str]:
        store = await self.store("readonly")
        value = await await_request(store.getAllKeys())
        return [str(k) for k in value]

    async def delete(self, key: str) -> None:
        store = await self.store("readwrite")
        await await_request(store.delete(key))


class DocumentStore(ObjectStore):
    """Document envelopes (JSON text) in IndexedDB, keyed by document id."""

    def __init__(self) -> None:
        super().__init__(DB_NAME, DB_VERSION, DOCUMENTS, STORES)

    async def put(self, key: str, text: str) -> None:
        store = await self.store("readwrite")
        try:
            committed = await_commit(store)
            store.put(text, key)
        except Exception as exc:
            raise StorageError(f"IndexedDB: {exc}") from None
        await committed

    async def all(self) -> list[str]:
        store = await self.store("readonly")
        values = await await_request(store.getAll())
        return [str(v) for v in values if isinstance(v, str)]

    async def delete(self, key: str) -> None:
        store = await self.store("readwrite")
        await await_request(store.delete(key))


def local_keys(prefix: str) -> list[str]:
    """localStorage keys starting with `prefix` (none when storage is refused)."""
    return web_storage.names(DEVICE, prefix)


def get_session(key: str) -> str | None:
    """sessionStorage: per tab, survives a reload of that tab."""
    return web_storage.read(SESSION, key)


def set_session(key: str, value: str) -> None:
    try:
        web_storage.write(SESSION, key, value)
    except StorageRefused:
        pass  # the tab then opens the last document of the browser after a reload
