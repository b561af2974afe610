"""Never lose work: the open document written to localStorage at once, to IndexedDB with its pictures, checked.

The text goes to localStorage synchronously (so a reload or a closed tab right after an edit keeps
it) and, with its pictures and AI images, to IndexedDB (where the quota is large). "saved" is
reported only after reading back that everything the document refers to is there.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import js  # browser-only
from pyodide.ffi import create_proxy

from ...app import library, pictures
from ...app.commands import RestorePictures
from ...app.events import Change
from ...app.library import Doc
from .dom import Debounce, missing, report, spawn
from .notices import Notices
from .storage import DocumentStore, PictureStore, StorageError, get_text, indexed_db, set_session, set_text

DOC_PREFIX = "pyxis.doc."  # localStorage: a document's envelope, the synchronous copy
LAST_KEY = "pyxis.library.last"  # localStorage: the document opened last in this browser
TAB_DOC_KEY = "pyxis.tab.doc"  # sessionStorage: this tab's document (a reload of the tab reopens it)
SAVE_MS = 400
BIG_PICTURE = 1_000_000  # bytes: storing a picture this big takes long enough to say so


def now_ms() -> float:
    return time.time() * 1000


def read_local(doc_id: str) -> Doc | None:
    return Doc.from_json(get_text(DOC_PREFIX + doc_id))


def size_text(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, n // 1000)} KB"


class Autosave:
    def __init__(self, app: Any, notices: Notices) -> None:
        self.app = app
        self.session = app.session
        self.editor = app.editor
        self.notices = notices
        self.tab = library.new_id()  # this page load (another tab, or this one after a reload, differs)
        self.library = library.Library()
        self.doc: Doc | None = None  # the open document as last saved or loaded
        self.idb = indexed_db() is not None  # False: pictures and the library are kept in memory only
        self.store = PictureStore()
        self.documents = DocumentStore()
        for store in (self.store, self.documents):
            store.on_lost.append(self._storage_lost)
        self.state = library.IDLE
        self._paused = True  # until a document is adopted: never overwrite what is being restored
        self._dirty = False  # edits since the last save_now
        self._failure: str | None = None
        self._local_error = ""
        self.controller: Any = None  # the library (ui/documents.py): restores on boot
        self._bytes: dict[str, bytes] = {}  # picture key -> bytes, of the last save_now
        self._blobs: dict[str, str] = {}  # AI image key -> base64, of the last save_now
        self._digests: dict[int, tuple[bytes, str]] = {}
        self._lock = asyncio.Lock()
        self._saving_pictures = 0
        # AI turn images go to IndexedDB, references into the text (set by ai_wiring.install).
        self.media: Any = None
        # Another tab saved this document meanwhile (set by the library controller).
        self.on_conflict: Callable[[Doc], Any] | None = None
        self.on_saved: list[Callable[[Doc], Any]] = []  # a save is complete (tabs are told)
        self.download_copy: Callable[[], Any] = lambda: None  # set by the shell's Files
        self._debounce = Debounce(SAVE_MS, self.save)
        app.on_document(self._on_change)
        self._unload = create_proxy(self._before_unload)
        js.window.addEventListener("beforeunload", self._unload)
        self._visible = create_proxy(
            lambda e: spawn(self.verify(), "autosave check") if js.document.visibilityState == "visible" else None
        )
        js.document.addEventListener("visibilitychange", self._visible)
        self._set_state(library.IDLE)

    # --- state ---

    def _set_state(self, value: str) -> None:
        # Tests and embedders can wait for "saved" instead of sleeping.
        self.state = value
        js.document.documentElement.dataset.autosave = value

    @property
    def unsaved(self) -> bool:
        """Would switching documents now lose this one's work? (library.work_at_risk)"""
        pristine = self.doc.pristine and not self._dirty if self.doc else True
        return library.work_at_risk(self.state, pristine)

    def _on_change(self, change: Change) -> None:
        if change.affects_document and not self._paused:
            self._dirty = True
            self._set_state(library.PENDING)
            self._debounce.trigger()

    def pause(self) -> None:
        self._debounce.cancel()
        self._paused = True

    def adopt(self, doc: Doc, *, save: bool = True) -> None:
        """Make `doc` the open document (already loaded into the editor) and save from now on."""
        self.doc = doc
        self.library.put(doc)
        set_session(TAB_DOC_KEY, doc.id)
        try:
            set_text(LAST_KEY, doc.id)
        except StorageError:
            pass
        self._dirty = False
        self._paused = False
        if save:
            self._set_state(library.PENDING)
            self._debounce.trigger()
        else:
            spawn(self.verify_restored(), "autosave check")

    async def verify_restored(self) -> None:
        """A restored document is "saved" once its pictures are known to be there."""
        self._set_state(library.SAVED)
        await self.verify()

    # --- saving ---

    def save_now(self) -> Doc | None:
        """Write the open document to localStorage now (synchronous: safe during page unload).
        None when paused, or when another tab's newer revision must not be overwritten."""
        if self._paused or self.doc is None:
            return None
        graph = self.session.graph
        if self.media is not None:
            text, self._blobs = self.media.pack_now(graph)
        else:
            text, self._blobs = self.session.workflow_text(), {}
        refs = self._refs(graph)
        stored = read_local(self.doc.id)
        if library.overwrites_other_tab(self.doc, stored, self.tab) and self.on_conflict is not None:
            self.pause()
            self.on_conflict(stored)
            return None
        rev = max(self.doc.rev, stored.rev if stored else 0) + 1
        doc = replace(
            self.doc,
            name=graph.name,
            text=text,
            pictures=refs,
            rev=rev,
            updated=now_ms(),
            tab=self.tab,
            pristine=self.doc.pristine and not self._dirty,
        )
        self._dirty = False
        self.doc = doc
        self.library.put(doc)
        try:
            set_text(DOC_PREFIX + doc.id, doc.to_json())
            self._local_error = ""
        except StorageError as exc:
            self._local_error = str(exc)
        return doc

    async def save(self) -> None:
        doc = self.save_now()
        if doc is not None:
            await self._store(doc, self._bytes, self._blobs)

    def flush(self) -> None:
        """The page is being hidden or closed: commit a field being typed in, write the text now."""
        active = js.document.activeElement
        if not missing(active) and active != js.document.body and getattr(active, "blur", None):
            active.blur()  # fires its "change" (a rename typed but not yet confirmed) synchronously
        if self._paused or not (self._dirty or self._debounce.pending):
            return
        self._debounce.cancel()
        doc = self.save_now()
        if doc is not None:
            spawn(
                self._store(doc, self._bytes, self._blobs), "autosave"
            )  # IndexedDB may or may not finish before unload

    async def _store(self, doc: Doc, data: dict[str, bytes], blobs: dict[str, str]) -> None:
        """The IndexedDB part of a save (the bytes and AI images are those of its save_now)."""
        async with self._lock:
            error = self._local_error
            kept_in_db = False
            if self.idb:
                try:
                    await self._store_pictures(doc, data)
                    if self.media is not None and blobs:
                        await self.media.store(blobs)
                    await self.documents.put(doc.id, doc.to_json())
                    kept_in_db = True
                except StorageError as exc:
                    error = str(exc)
                except Exception as exc:  # a browser refusal of another shape: report it the same way
                    report("autosave", exc)
                    error = f"{type(exc).__name__}: {exc}"
            if self.doc is None or self.doc.id != doc.id:
                return  # switched documents meanwhile: that one has its own save
            if not self.idb:
                # The text is in localStorage; pictures and AI images have nowhere to go.
                needs_db = bool(doc.pictures or blobs)
                self._finish(None if error else (library.OFF if needs_db else library.SAVED), error)
            elif kept_in_db:
                self._finish(library.SAVED, "")
            else:
                self._finish(None, error)
        for callback in list(self.on_saved):
            callback(doc)

    def _finish(self, state: str | None, error: str) -> None:
        if self._dirty or self._debounce.pending:
            return  # another change came in meanwhile: its save will say how it went
        if state is None:
            self._failed(error or "the browser refused to store it")
            return
        self._set_state(state)
        if self._failure is not None:
            self._failure = None
            self.notices.close("autosave")
            self.notices.hint("Autosave works again: your work is saved in this browser", kind="info")

    def _failed(self, error: str) -> None:
        """Every failed save keeps the warning up (not only the first), until one succeeds."""
        self._set_state(library.FAILED)
        self._failure = error
        self.notices.panel(
            "autosave",
            "Autosave failed: your latest changes are not saved in this browser",
            f"{error}\nDownload a copy to keep them; autosave tries again with each change.",
            [("Download a copy", self.download_copy), ("Try again", self.retry)],
        )

    def retry(self) -> None:
        if self._paused:
            return
        self._dirty = True
        self._set_state(library.PENDING)
        self._debounce.trigger()

    # --- pictures ---

    def _refs(self, graph: Any) -> dict[str, dict[str, str]]:
        refs: dict[str, dict[str, str]] = {}
        self._bytes = {}
        for node_id in pictures.picture_nodes(graph):
            data = self.session.inputs.get(node_id)
            if not data:
                continue
            key = self._digest(data)
            self._bytes[key] = data
            refs[node_id] = {"key": key, "filename": str(graph.nodes[node_id].params.get("filename", ""))}
        return refs

    async def _store_pictures(self, doc: Doc, data_by_key: dict[str, bytes]) -> None:
        """Put the pictures IndexedDB does not hold (asked each time: no cache that can lie), then
        read the keys back."""
        if not doc.pictures:
            return
        held = set(await self.store.keys())
        for ref in doc.pictures.values():
            key = ref["key"]
            data = data_by_key.get(key)
            if key in held or data is None:
                continue
            big = len(data) >= BIG_PICTURE
            if big:
                self._saving(+1, f"{ref['filename'] or 'picture'} ({size_text(len(data))})")
            try:
                await self.store.put(key, data)
            finally:
                if big:
                    self._saving(-1, "")
        lost = doc.picture_keys - set(await self.store.keys())
        if lost:
            raise StorageError(f"{len(lost)} picture(s) could not be kept in IndexedDB")

    def _saving(self, step: int, what: str) -> None:
        self._saving_pictures += step
        busy = self._saving_pictures > 0
        js.document.documentElement.dataset.savingPicture = "true" if busy else "false"
        if busy and what:
            self.notices.panel(
                "saving",
                f"Saving picture {what}…",
                "Keep this page open until it is stored, or it will have to be chosen again.",
                kind="info",
            )
        elif not busy:
            self.notices.close("saving")

    def _before_unload(self, event: Any) -> Any:
        # A big picture still on its way into IndexedDB: let the browser ask before leaving.
        if self._saving_pictures > 0:
            event.preventDefault()
            event.returnValue = "A picture is still being saved."
            return event.returnValue
        return None

    def _digest(self, data: bytes) -> str:
        # Hashing a big photo on every autosave would cost; the same bytes object keeps its digest.
        known = self._digests.get(id(data))
        if known is not None and known[0] is data:
            return known[1]
        key = pictures.digest(data)
        self._digests[id(data)] = (data, key)
        if len(self._digests) > 64:
            self._digests.pop(next(iter(self._digests)))
        return key

    async def load_pictures(self, doc: Doc) -> list[str]:
        """Fill session.inputs from the document's picture refs; the nodes whose picture is gone."""
        lost, found = [], {}
        for node_id, ref in doc.pictures.items():
            if node_id not in self.session.graph.nodes:
                continue
            data = None
            if self.idb:
                try:
                    data = await self.store.get(ref["key"])
                except StorageError as exc:
                    report("restore picture", exc)
            if data is None:
                lost.append(node_id)
            else:
                found[node_id] = data
        self.app.send(RestorePictures(found))
        return lost

    # --- boot (the library controller does the work) ---

    async def restore(self) -> bool:
        """Reopen this tab's (or the browser's last) document; False when there is none."""
        return bool(self.controller and await self.controller.restore())

    def start_fresh(self) -> None:
        """No document to restore: the first one opened is adopted by the library."""

    # --- storage taken away under us ---

    def _storage_lost(self) -> None:
        """The database was deleted or closed (site data cleared, another page upgrading it): what
        this tab holds is saved again from memory."""
        if not self._paused:
            self.retry()

    async def verify(self) -> None:
        """Back in the tab: if the document or one of its pictures vanished (site data cleared
        meanwhile), save again instead of still saying "saved"."""
        if self._paused or self.doc is None or self.state != library.SAVED:
            return
        gone = read_local(self.doc.id) is None and not self._local_error
        if self.idb and not gone:
            try:
                held = set(await self.store.keys())
                gone = bool(self.doc.picture_keys - held) or not await self._doc_in_db(self.doc.id)
            except StorageError:
                gone = True
        if gone:
            self.retry()

    async def _doc_in_db(self, doc_id: str) -> bool:
        return any((d := Doc.from_json(t)) is not None and d.id == doc_id for t in await self.documents.all())
