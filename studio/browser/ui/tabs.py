"""Other tabs of the Studio in this browser: who is open on which document, and who saved what.

A BroadcastChannel carries small JSON messages; where there is none, `storage` events on the
documents' localStorage copies still tell a tab that another one saved.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import js  # browser-only
from pyodide.ffi import create_proxy

from .dom import missing, report

CHANNEL = "pyxis-studio"


class Tabs:
    def __init__(self, tab: str, on_saved: Callable[[str, int, str], Any], doc_prefix: str) -> None:
        self.tab = tab
        self.doc: str | None = None
        self.others: dict[str, str | None] = {}  # tab id -> the document it has open
        self.on_saved = on_saved  # (document id, revision, tab) saved by another tab
        self.on_deleted: Callable[[str], Any] = lambda doc_id: None
        self._prefix = doc_prefix
        self._channel: Any = None
        channel_class = getattr(js.window, "BroadcastChannel", None)
        if channel_class is not None and not missing(channel_class):
            try:
                self._channel = channel_class.new(CHANNEL)
                self._on_message = create_proxy(self._message)
                self._channel.onmessage = self._on_message
            except Exception as exc:
                report("tabs", exc)
                self._channel = None
        self._on_storage = create_proxy(self._storage)
        js.window.addEventListener("storage", self._on_storage)
        self._on_hide = create_proxy(lambda e: self.post("bye"))
        js.window.addEventListener("pagehide", self._on_hide)

    def post(self, kind: str, **data: Any) -> None:
        if self._channel is None:
            return
        try:
            self._channel.postMessage(json.dumps({"kind": kind, "tab": self.tab, "doc": self.doc, **data}))
        except Exception as exc:
            report("tabs", exc)

    def opened(self, doc_id: str) -> None:
        """This tab now shows `doc_id`: tell the others (and ask who is there)."""
        self.doc = doc_id
        self.post("hello")

    def open_elsewhere(self, doc_id: str) -> bool:
        return doc_id in self.others.values()

    def _message(self, event: Any) -> None:
        try:
            msg = json.loads(str(event.data))
        except ValueError:
            return
        tab, kind = str(msg.get("tab") or ""), msg.get("kind")
        if not tab or tab == self.tab:
            return
        if kind == "bye":
            self.others.pop(tab, None)
            return
        self.others[tab] = msg.get("doc")
        if kind == "hello":
            self.post("here")
        elif kind == "saved" and isinstance(msg.get("rev"), int):
            self.on_saved(str(msg.get("saved")), msg["rev"], tab)
        elif kind == "deleted":
            self.on_deleted(str(msg.get("deleted")))

    def saved(self, doc_id: str, rev: int) -> None:
        self.post("saved", saved=doc_id, rev=rev)

    def deleted(self, doc_id: str) -> None:
        self.post("deleted", deleted=doc_id)

    def _storage(self, event: Any) -> None:
        # Only without a channel: the channel's "saved" comes after the pictures are stored.
        if self._channel is not None:
            return
        key = str(event.key or "")
        if not key.startswith(self._prefix) or missing(event.newValue):
            return
        try:
            data = json.loads(str(event.newValue))
        except ValueError:
            return
        if isinstance(data, dict) and isinstance(data.get("rev"), int):
            self.on_saved(key[len(self._prefix) :], data["rev"], str(data.get("tab") or ""))
