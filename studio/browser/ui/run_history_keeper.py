"""Keeps the open document's run history: a shot of each output node a run made, stored with its picture.

What counts as an output node and what a shot records is studio/app/run_history.py's; this file
takes the pictures (a thumbnail, and the result as PNG) and keeps them in IndexedDB
(run_history_store.py). Storage that fails keeps the history for this page only and says so in
the strip; a run is never slowed or broken by its history.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import js  # browser-only

from ...app import run_history
from ...app.messages import RunFinished
from ...app.run_history import RunHistory, Shot
from ...app.thumbnails import thumbnail_url
from ...core.fit import fit_within
from ...core.run_result import DONE, RunResult
from .autosave import now_ms
from .dom import report, spawn
from .run_history_store import HistoryStore
from .storage import StorageError, indexed_db

# Bigger results are kept scaled down to this side (a 4096 px PNG is already tens of MB).
MAX_SIDE = 4096


class HistoryKeeper:
    def __init__(self, app: Any, autosave: Any) -> None:
        self.session = app.session
        self.editor = app.editor
        self.autosave = autosave
        self.thumbnails = app.runs.thumbnails
        self.store = HistoryStore()
        self.history = RunHistory()
        self.doc_id: str | None = None
        self.thumbs: dict[str, str] = {}  # shot id -> data: URL
        self._unstored: dict[str, bytes] = {}  # shot id -> PNG, while (or when) storage does not have it
        self.kept = indexed_db() is not None  # False: this page's history only (storage refused)
        self.on_change: list[Callable[[], Any]] = []
        self._lock = asyncio.Lock()
        app.subscribe(RunFinished, lambda e: spawn(self.record(e.result), "run history"))

    def _changed(self) -> None:
        for callback in list(self.on_change):
            try:
                callback()
            except Exception as exc:
                report("run history", exc)

    async def current(self) -> RunHistory:
        """The open document's history, read from storage when the document changed."""
        doc = self.autosave.doc
        doc_id = doc.id if doc is not None else None
        if doc_id != self.doc_id:
            self.doc_id, self.history, self.thumbs, self._unstored = doc_id, RunHistory(), {}, {}
            if doc_id is not None and self.kept:
                try:
                    shots = await self.store.load(doc_id)
                except StorageError as exc:
                    _storage_refused(exc)
                    shots = []
                if self.doc_id == doc_id:
                    self.history = RunHistory(shot for shot, _ in shots)
                    self.thumbs = {shot.id: thumb for shot, thumb in shots}
            self._changed()
        return self.history

    async def record(self, result: RunResult) -> list[Shot]:
        """A shot of each output node this run made anew (cached results are the shot before)."""
        async with self._lock:
            history = await self.current()
            graph, backend = self.editor.graph, self.session.backend
            made = []
            for node_id in run_history.output_nodes(graph, self.session.catalog):
                node_result = result.nodes.get(node_id)
                image = self.session.image_output(node_id) if node_result is not None else None
                if node_result is None or node_result.status != DONE or image is None:
                    continue
                shot, gone = history.record(node_id, run_history.recipe(graph, node_id), backend.size(image), now_ms())
                if shot is None:
                    continue  # the picture the newest shot already has
                self.thumbs[shot.id] = self.thumbnails.url(node_id) or await thumbnail_url(backend, image)
                for shot_id in gone:
                    self.thumbs.pop(shot_id, None)
                    self._unstored.pop(shot_id, None)
                made.append((shot, gone, image))
            if made:
                self._changed()
            for shot, gone, image in made:
                await self._store(shot, gone, image)
            return [shot for shot, _, _ in made]

    async def _store(self, shot: Shot, gone: list[str], image: Any) -> None:
        backend = self.session.backend
        fitted = fit_within(*backend.size(image), MAX_SIDE)
        if fitted is not None:
            image = await backend.resize(image, *fitted)
        png = await backend.encode(image, "png", 90)
        self._unstored[shot.id] = png
        doc_id = self.doc_id
        if doc_id is None or not self.kept:
            return
        try:
            await self.store.delete(doc_id, gone)
            await self.store.put(doc_id, shot, self.thumbs.get(shot.id, ""), png)
        except StorageError as exc:
            _storage_refused(exc)
            self.kept = False  # the strip says these shots last only as long as the page
            self._changed()
            return
        if self.doc_id == doc_id:
            self._unstored.pop(shot.id, None)

    async def picture(self, shot_id: str) -> Any:
        """The shot's result as an image handle (decoded from its PNG), or None when it is gone."""
        data = self._unstored.get(shot_id)
        if data is None and self.doc_id is not None and self.kept:
            try:
                data = await self.store.picture(self.doc_id, shot_id)
            except StorageError as exc:
                _storage_refused(exc)
        return None if data is None else await self.session.backend.decode(data)

    async def forget_document(self, doc_id: str) -> None:
        """A deleted document's history goes with it."""
        if self.kept:
            try:
                await self.store.delete_document(doc_id)
            except StorageError as exc:
                _storage_refused(exc)

    async def collect(self, wanted: set[str]) -> None:
        """Delete the history of documents the library no longer has."""
        if not self.kept:
            return
        try:
            for doc_id in await self.store.documents() - wanted:
                await self.store.delete_document(doc_id)
        except StorageError as exc:
            _storage_refused(exc)


def _storage_refused(exc: StorageError) -> None:
    """A full or refused storage is a state the strip shows, not a defect: a warning, not an error."""
    js.console.warn(f"pyxis: run history: {exc}")
