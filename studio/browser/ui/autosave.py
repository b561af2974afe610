"""Never lose work: the workflow autosaved to localStorage and its pictures to IndexedDB, restored on load."""

from __future__ import annotations

import json
from typing import Any

import js  # browser-only

from ...app import pictures
from ...app.events import Change
from .dom import Debounce, report
from .notices import Notices
from .storage import PictureStore, StorageError, get_text, remove, set_text

AUTOSAVE_KEY = "pyxis.autosave"  # the workflow JSON, exactly as Save (graph only) writes it
PICTURES_KEY = "pyxis.autosave.pictures"  # {node id: {"key": sha256, "filename": …}} into IndexedDB
BROKEN_KEY = "pyxis.autosave.broken"  # an autosave that failed to restore, kept for rescue
SAVE_MS = 400


class Autosave:
    def __init__(self, session: Any, editor: Any, notices: Notices) -> None:
        self.session = session
        self.editor = editor
        self.notices = notices
        self.store = PictureStore()
        self._stored: set[str] = set()  # digests already in IndexedDB
        self._digests: dict[int, tuple[bytes, str]] = {}
        self._paused = True  # until restore() has run: never overwrite the autosave being restored
        self._warned = False
        # AI turn images go to IndexedDB, references into the text (set by ai_panel.install).
        self.media: Any = None
        self._debounce = Debounce(SAVE_MS, self.save)
        editor.subscribe(self._on_change)
        self._state("idle")

    def _on_change(self, change: Change) -> None:
        if change.affects_document and not self._paused:
            self._state("pending")
            self._debounce.trigger()

    @staticmethod
    def _state(value: str) -> None:
        # Tests and embedders can wait for "saved" instead of sleeping.
        js.document.documentElement.dataset.autosave = value

    async def save(self) -> None:
        if self._paused:
            return
        try:
            refs = await self._save_pictures()
            text = await self.media.pack(self.session.graph) if self.media else self.session.workflow_text()
            set_text(AUTOSAVE_KEY, text)
            set_text(PICTURES_KEY, json.dumps(refs))
        except (StorageError, Exception) as exc:
            self._state("failed")
            if not self._warned:
                self._warned = True
                self.notices.error(
                    "Autosave failed", f"Your work is not being saved in this browser: {exc}\nUse Save to download it."
                )
            return
        if self._debounce.pending:
            return  # another change came in meanwhile: its save will mark "saved"
        self._state("saved")

    def flush(self) -> None:
        """Write now (the page is being hidden or closed)."""
        self._debounce.flush()

    async def _save_pictures(self) -> dict[str, dict[str, str]]:
        refs = {}
        graph = self.session.graph
        for node_id in pictures.picture_nodes(graph):
            data = self.session.inputs.get(node_id)
            if not data:
                continue
            key = self._digest(data)
            if key not in self._stored:
                await self.store.put(key, data)
                self._stored.add(key)
            refs[node_id] = {"key": key, "filename": graph.nodes[node_id].params.get("filename", "")}
        return refs

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

    async def restore(self) -> bool:
        """Load the autosaved workflow and its pictures. False when there is none, or when it
        could not be restored (then it is kept under BROKEN_KEY and the user is told)."""
        try:
            text = get_text(AUTOSAVE_KEY)
            if text is None:
                return False
            try:
                self.editor.load_text(text)
            except Exception as exc:
                set_text(BROKEN_KEY, text)
                remove(AUTOSAVE_KEY)
                self.notices.error(
                    "Your last session could not be restored",
                    f"{exc}\n\nThe autosave is kept in this browser's localStorage as "
                    f"“{BROKEN_KEY}”. Starting from an example instead.",
                )
                return False
            missing = await self._restore_pictures()
            if self.media:
                await self.media.unpack(self.session.graph)
            if missing:
                self.notices.hint(f"the picture of {', '.join(missing)} was not found: choose it again")
            self.editor.history.clear()
            return True
        finally:
            self._paused = False

    async def _restore_pictures(self) -> list[str]:
        try:
            refs = json.loads(get_text(PICTURES_KEY) or "{}")
        except ValueError:
            refs = {}
        missing = []
        for node_id, ref in refs.items() if isinstance(refs, dict) else ():
            if node_id not in self.session.graph.nodes or not isinstance(ref, dict):
                continue
            try:
                data = await self.store.get(str(ref.get("key")))
            except StorageError as exc:
                report("restore picture", exc)
                data = None
            if data is None:
                missing.append(node_id)
                continue
            self._stored.add(str(ref.get("key")))
            self.session.inputs[node_id] = data
        await self._collect_garbage(refs)
        return missing

    async def _collect_garbage(self, refs: dict[str, Any]) -> None:
        """Drop stored pictures no node refers to any more (replaced or deleted ones)."""
        wanted = {str(r.get("key")) for r in refs.values() if isinstance(r, dict)}
        try:
            for key in await self.store.keys():
                if key not in wanted:
                    await self.store.delete(key)
        except StorageError as exc:
            report("autosave cleanup", exc)

    def start_fresh(self) -> None:
        """No autosave to restore: begin saving whatever the user opens now."""
        self._paused = False
