"""The workflow library in the page: New, Recent (open, rename, delete), each opened file a document of its own, tabs.

The rules (names, what is current, when work would be lost) are studio/app/library.py; this
module stores documents (ui/autosave.py, ui/storage.py) and shows the choices.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from typing import Any

import js  # browser-only

from ...app import library
from ...app.commands import ForgetHistory, Rename, RestoreRecordings
from ...app.library import Doc
from ...app.messages import Load
from ...core.errors import StudioError
from ...core.graph import Graph
from ...core.workflow import dump_workflow, load_workflow
from .autosave import DOC_PREFIX, LAST_KEY, TAB_DOC_KEY, now_ms
from .dom import Listeners, report, spawn
from .storage import StorageError, get_session, get_text, local_keys, remove, set_text
from .tab_conflicts import TabConflicts
from .tabs import Tabs

LEGACY_KEY = "pyxis.autosave"  # before the library: one workflow, its pictures beside it
LEGACY_PICTURES = "pyxis.autosave.pictures"
BROKEN_KEY = "pyxis.autosave.broken"  # a document that failed to restore, kept for rescue
PROBE_DB = "pyxis-probe"


def empty_workflow(name: str) -> str:
    graph = Graph()
    graph.name = name
    return dump_workflow(graph)


class Documents:
    def __init__(self, studio: Any) -> None:
        self.studio = studio
        self.autosave = autosave = studio.autosave
        self.app = studio.app
        self.editor = studio.editor
        self.session = studio.session
        self.notices = studio.notices
        self.lib = autosave.library
        self.conflicts = TabConflicts(self)
        self.tabs = Tabs(autosave.tab, self.conflicts.remote_saved, DOC_PREFIX)
        self.tabs.on_deleted = self._remote_deleted
        autosave.controller = self
        autosave.on_conflict = self.conflicts.conflict
        autosave.on_saved.append(lambda doc: self.tabs.saved(doc.id, doc.rev))
        autosave.download_copy = lambda: studio.files.save(True)
        self._listeners = Listeners()

    # --- reading the library ---

    async def refresh(self) -> None:
        """Read every stored document (localStorage copies and IndexedDB) into the library."""
        for key in local_keys(DOC_PREFIX):
            doc = Doc.from_json(get_text(key))
            if doc is not None:
                self.lib.put(doc)
        if self.autosave.idb:
            try:
                for text in await self.autosave.documents.all():
                    doc = Doc.from_json(text)
                    if doc is not None:
                        self.lib.put(doc)
            except StorageError as exc:
                report("library", exc)

    def _migrate_legacy(self) -> None:
        """The single autosave of older versions becomes a document of the library."""
        text = get_text(LEGACY_KEY)
        if text is None:
            return
        try:
            refs = library.clean_refs(json.loads(get_text(LEGACY_PICTURES) or "{}"))
        except ValueError:
            refs = {}
        name = "Restored"
        try:
            name = str(json.loads(text).get("name") or name)
        except (ValueError, AttributeError):
            pass
        doc = replace(
            self.lib.create(name, text, origin=library.RESTORED, now=now_ms()), name=name, pictures=refs, rev=1
        )
        self.lib.put(doc)
        try:
            set_text(DOC_PREFIX + doc.id, doc.to_json())
            set_text(LAST_KEY, doc.id)
        except StorageError:
            pass
        remove(LEGACY_KEY)
        remove(LEGACY_PICTURES)

    async def _probe_indexed_db(self) -> None:
        """IndexedDB missing, throwing or refusing to open: start without it, and say so."""
        if self.autosave.idb:
            try:
                await self.autosave.documents.store("readonly")
                return
            except Exception as exc:
                reason = str(exc)
        else:
            reason = "IndexedDB is not available"
        self.autosave.idb = False
        js.document.documentElement.dataset.indexeddb = "off"
        self.notices.panel(
            "storage",
            "Pictures and AI results are not autosaved in this browser",
            f"{reason} (a private window, or storage blocked for this site). The workflow itself is "
            "still kept in localStorage; use Save (self-contained) to keep your pictures.",
            kind="info",
        )

    # --- boot ---

    async def restore(self) -> bool:
        await self._probe_indexed_db()
        self._migrate_legacy()
        await self.refresh()
        wanted = get_session(TAB_DOC_KEY) or get_text(LAST_KEY) or ""
        doc = self.lib.get(wanted) or self.lib.latest()
        self._ask_persistence()
        spawn(self._collect_garbage(), "library cleanup")
        if doc is None:
            return False
        return await self.open_doc(doc)

    def _ask_persistence(self) -> None:
        # Best effort: a persisted origin is not evicted under storage pressure.
        storage = getattr(js.navigator, "storage", None)
        if storage is not None and getattr(storage, "persist", None) is not None:
            try:
                spawn(storage.persist(), "storage.persist")
            except Exception as exc:
                report("storage.persist", exc)

    async def open_doc(self, doc: Doc) -> bool:
        """Load a stored document into the editor and make it this tab's."""
        self.autosave.pause()
        try:
            self.app.send(Load(doc.text))
        except Exception as exc:
            set_text(BROKEN_KEY, doc.text)
            await self.forget(doc.id)
            message = str(exc) if isinstance(exc, StudioError) else f"{type(exc).__name__}: {exc}"
            self.notices.error(
                "Your last session could not be restored",
                f"{message}\n\nIt is kept in this browser's localStorage as “{BROKEN_KEY}”. "
                "Starting from an example instead.",
            )
            return False
        lost = await self.autosave.load_pictures(doc)
        if self.autosave.media is not None:
            images = await self.autosave.media.stored(self.session.graph)
            if images is not None:
                self.app.send(RestoreRecordings(images))
        self.app.send(ForgetHistory())
        self.autosave.adopt(doc, save=bool(lost))
        self.tabs.opened(doc.id)
        if lost:
            names = ", ".join(doc.pictures[n]["filename"] or n for n in lost)
            self.notices.panel(
                "lost",
                "A picture was not found in this browser's storage",
                f"{names}: it was still being saved when the page closed, or site data was cleared. "
                "Choose it again on its node.",
                kind="info",
            )
        return True

    # --- opening something else ---

    async def may_leave(self) -> bool:
        """Before replacing the open document: ask when its work is not kept anywhere."""
        if not self.autosave.unsaved:
            return True
        name = self.session.graph.name
        choice = await self.notices.ask(
            "leave",
            f"“{name}” is not saved in this browser",
            "Autosave could not keep it. Opening another workflow now would lose it.",
            ["Download a copy", "Open anyway", "Cancel"],
        )
        if choice == "Download a copy":
            self.studio.files.save(True)
        return choice in ("Download a copy", "Open anyway")

    def _leave(self) -> None:
        """Save the open document now; an untouched example or empty New leaves the list."""
        current = self.autosave.doc
        if current is not None and self.lib.replaceable(current.id) and not self.autosave._dirty:
            self.autosave.pause()
            spawn(self.forget(current.id), "library")
            return
        self.autosave.flush()
        self.autosave.pause()

    async def forget(self, doc_id: str) -> None:
        self.lib.remove(doc_id)
        remove(DOC_PREFIX + doc_id)
        if self.autosave.idb:
            try:
                await self.autosave.documents.delete(doc_id)
            except StorageError as exc:
                report("library", exc)

    async def open_text(self, text: str | bytes, source: str, origin: str = library.FILE) -> bool:
        """A file, an example or a link opens as a document of its own; the open one is kept."""
        try:
            graph = load_workflow(text, self.session.catalog, complete=False)
        except StudioError as exc:
            self.notices.error(f"Could not open {source}", str(exc))
            return False
        if not await self.may_leave():
            return False
        self._leave()
        self.app.send(Load(text))
        doc = self.lib.create(graph.name, "", origin=origin, now=now_ms(), tab=self.autosave.tab)
        self.session.graph.name = doc.name  # a name no other document has
        self._start(doc)
        return True

    async def new_document(self) -> None:
        if not await self.may_leave():
            return
        self._leave()
        doc = self.lib.create(library.UNTITLED, "", origin=library.NEW, now=now_ms(), tab=self.autosave.tab)
        self.app.send(Load(empty_workflow(doc.name)))
        self._start(doc)

    def _start(self, doc: Doc) -> None:
        self.app.send(ForgetHistory())
        self.autosave.adopt(doc)
        self.tabs.opened(doc.id)
        self.notices.dismiss()
        self.studio.toolbar.refresh()
        self.studio._after_open()

    async def open_document(self, doc_id: str) -> None:
        current = self.autosave.doc
        if current is not None and current.id == doc_id:
            return
        if not await self.may_leave():
            return
        self._leave()
        await self.refresh()
        doc = self.lib.get(doc_id)
        if doc is None:
            self.notices.hint("that workflow is no longer in this browser")
            return
        if await self.open_doc(doc):
            self.notices.dismiss()
            self.studio.toolbar.refresh()
            self.studio._after_open()

    async def rename(self, doc_id: str, name: str) -> None:
        current = self.autosave.doc
        if current is not None and current.id == doc_id:
            self.app.send(Rename(name))
            self.studio.toolbar.refresh()
            return
        doc = self.lib.get(doc_id)
        if doc is None:
            return
        try:
            data = json.loads(doc.text)
            data["name"] = library.clean_name(name)
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        except (ValueError, TypeError):
            return
        doc = replace(doc, name=library.clean_name(name), text=text, rev=doc.rev + 1, updated=now_ms())
        self.lib.put(doc)
        await self._write(doc)

    async def delete(self, doc_id: str) -> bool:
        current = self.autosave.doc
        if (current is not None and current.id == doc_id) or self.tabs.open_elsewhere(doc_id):
            self.notices.hint("that workflow is open (here or in another tab): it is not deleted")
            return False
        await self.forget(doc_id)
        await self.studio.history.forget_document(doc_id)
        self.tabs.deleted(doc_id)
        return True

    async def _write(self, doc: Doc) -> None:
        try:
            set_text(DOC_PREFIX + doc.id, doc.to_json())
        except StorageError as exc:
            report("library", exc)
        if self.autosave.idb:
            try:
                await self.autosave.documents.put(doc.id, doc.to_json())
            except StorageError as exc:
                report("library", exc)

    def _remote_deleted(self, doc_id: str) -> None:
        self.lib.remove(doc_id)

    # --- clean-up ---

    async def _collect_garbage(self) -> None:
        """Delete stored pictures and AI images that no document refers to. Never while another
        tab is open (it may hold pictures it has not saved yet), never what any document names."""
        if not self.autosave.idb:
            return
        await asyncio.sleep(0.5)  # let other tabs answer the hello
        if self.tabs.others:
            return
        await self.refresh()
        current = self.autosave.doc
        wanted = self.lib.wanted_pictures() | (current.picture_keys if current else set())
        try:
            stored = await self.autosave.store.keys()
            for key in library.garbage(stored, wanted, set(self.autosave._bytes)):
                await self.autosave.store.delete(key)
            if self.autosave.media is not None:
                ai = set()
                for doc in self.lib.docs.values():
                    ai |= library.ai_image_refs(doc.text)
                await self.autosave.media.collect(ai)
            await self.studio.history.collect(set(self.lib.docs) | ({current.id} if current else set()))
        except StorageError as exc:
            report("library cleanup", exc)


def install(studio: Any) -> Documents:
    """The library for this Studio: the Files open path goes through it, New and Recent join the toolbar."""
    docs = Documents(studio)
    studio.files.library = docs
    from .library_menu import LibraryMenu

    docs.menu = LibraryMenu(docs, studio.toolbar)
    return docs
