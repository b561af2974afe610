"""Two tabs with one document: follow what the other tab saved, or, when both changed it, keep both and ask.

Part of the workflow library (ui/documents.py); the rule for what is news is studio/app/library.py.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...app import library
from ...app.commands import Rename
from ...app.library import Doc
from .autosave import now_ms, read_local
from .dom import report, spawn
from .storage import StorageError


class TabConflicts:
    def __init__(self, docs: Any) -> None:
        self.docs = docs

    def remote_saved(self, doc_id: str, rev: int, tab: str) -> None:
        current = self.docs.autosave.doc
        if current is None or current.id != doc_id or tab == self.docs.autosave.tab:
            return
        if library.is_news(current, rev, tab):
            spawn(self.follow(doc_id), "follow another tab")

    async def stored(self, doc_id: str) -> Doc | None:
        """The newest stored copy of a document (localStorage or IndexedDB), not this tab's memory."""
        found = read_local(doc_id)
        if self.docs.autosave.idb:
            try:
                for text in await self.docs.autosave.documents.all():
                    doc = Doc.from_json(text)
                    if doc is not None and doc.id == doc_id:
                        found = library.newer(found, doc)
            except StorageError as exc:
                report("library", exc)
        return found

    async def follow(self, doc_id: str) -> None:
        theirs = await self.stored(doc_id)
        current = self.docs.autosave.doc
        if theirs is None or current is None or current.id != doc_id or theirs.tab == self.docs.autosave.tab:
            return
        if not library.is_news(current, theirs.rev, theirs.tab):
            return
        self.docs.lib.docs[doc_id] = theirs
        if self.docs.autosave._dirty or self.docs.autosave.state in (library.PENDING, library.FAILED):
            self.docs.autosave.pause()
            self.conflict(theirs)
            return
        # Nothing unsaved here: show what the other tab saved.
        if await self.docs.open_doc(theirs):
            self.docs.studio.toolbar.refresh()
            self.docs.studio._after_open()
            self.docs.notices.hint(
                f"“{theirs.name}” was changed in another tab: showing its latest version", kind="info"
            )

    def conflict(self, theirs: Doc) -> None:
        """Both tabs changed one document: keep both (this tab's work becomes a copy) and ask."""
        fork = self.docs.lib.create(
            self.docs.lib.copy_name(self.docs.session.graph.name, "this tab"), "", origin=library.COPY, now=now_ms()
        )
        self.docs.autosave.adopt(fork)
        self.docs.tabs.opened(fork.id)
        self.docs.app.send(Rename(fork.name))
        self.docs.studio.toolbar.refresh()
        self.docs.notices.panel(
            "tabs",
            f"“{theirs.name}” was also changed in another tab",
            f"Nothing is lost: the other tab's version stays “{theirs.name}”, this tab's changes are "
            f"now “{fork.name}”.",
            [
                ("Keep both", lambda: self.docs.notices.close("tabs")),
                ("Use the other tab's version", lambda: spawn(self.take_theirs(fork.id, theirs.id))),
                ("Keep this tab's version", lambda: spawn(self.keep_mine(fork.id, theirs.id))),
            ],
            kind="info",
        )

    async def take_theirs(self, fork_id: str, theirs_id: str) -> None:
        self.docs.notices.close("tabs")
        self.docs.autosave.pause()
        await self.docs.forget(fork_id)
        await self.docs.refresh()
        doc = self.docs.lib.get(theirs_id)
        if doc is not None and await self.docs.open_doc(doc):
            self.docs.studio.toolbar.refresh()
            self.docs.studio._after_open()

    async def keep_mine(self, fork_id: str, theirs_id: str) -> None:
        self.docs.notices.close("tabs")
        await self.docs.refresh()
        theirs = self.docs.lib.get(theirs_id)
        if theirs is None:
            return
        self.docs.autosave.pause()
        self.docs.app.send(Rename(theirs.name))
        await self.docs.forget(fork_id)
        # Over the latest revision of the other tab: the next save is newer than it.
        self.docs.autosave.adopt(replace(theirs, tab=self.docs.autosave.tab))
        self.docs.autosave._dirty = True
        self.docs.tabs.opened(theirs_id)
        self.docs.studio.toolbar.refresh()
