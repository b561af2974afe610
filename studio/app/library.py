"""The local workflow library: documents, their names, which is open, and when work would be lost.

Pure data and rules; the browser side (studio/browser/ui/documents.py) only stores what this
module decides. A document's stored form is a `Doc` envelope: the workflow text exactly as
autosave writes it (graph only, pictures by reference) plus what the library needs to list it.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

ENVELOPE = "pyxis.document"
UNTITLED = "Untitled"
RECENT = 12  # how many documents the Recent menu lists
NAME_MAX = 120

# Where a document came from: an example or an empty New is "pristine" until edited, and can be
# replaced without asking (it can be had again); anything else is the user's work.
NEW, EXAMPLE, FILE, RESTORED, COPY = "new", "example", "file", "restored", "copy"

# Autosave states (html[data-autosave]) and what they mean for the open document.
SAVED, PENDING, FAILED, OFF, IDLE = "saved", "pending", "failed", "off", "idle"


def new_id() -> str:
    return "d" + secrets.token_hex(6)


@dataclass(frozen=True)
class Doc:
    id: str
    name: str
    text: str  # the workflow JSON
    rev: int = 0  # +1 per save: the higher copy of two is the newer
    updated: float = 0.0  # ms since the epoch, for "Recent"
    origin: str = NEW
    pristine: bool = False
    tab: str = ""  # the tab that wrote this revision
    pictures: dict[str, dict[str, str]] = field(default_factory=dict)  # node id -> {"key", "filename"}

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": ENVELOPE,
                "id": self.id,
                "name": self.name,
                "rev": self.rev,
                "updated": self.updated,
                "origin": self.origin,
                "pristine": self.pristine,
                "tab": self.tab,
                "pictures": self.pictures,
                "text": self.text,
            },
            separators=(",", ":"),
            ensure_ascii=False,
        )

    @staticmethod
    def from_json(text: Any) -> Doc | None:
        """The envelope, or None for anything that is not one (never raises: storage holds junk)."""
        try:
            data = json.loads(text) if isinstance(text, str) else None
        except (ValueError, RecursionError):
            return None
        if not isinstance(data, dict) or data.get("format") != ENVELOPE:
            return None
        doc_id, name, body = data.get("id"), data.get("name"), data.get("text")
        if not isinstance(doc_id, str) or not doc_id or not isinstance(body, str):
            return None
        rev, updated = data.get("rev"), data.get("updated")
        refs = data.get("pictures")
        return Doc(
            id=doc_id,
            name=clean_name(name if isinstance(name, str) else ""),
            text=body,
            rev=rev if isinstance(rev, int) and not isinstance(rev, bool) else 0,
            updated=float(updated) if isinstance(updated, (int, float)) and not isinstance(updated, bool) else 0.0,
            origin=str(data.get("origin") or FILE),
            pristine=data.get("pristine") is True,
            tab=str(data.get("tab") or ""),
            pictures=clean_refs(refs),
        )

    @property
    def picture_keys(self) -> set[str]:
        return {ref["key"] for ref in self.pictures.values() if ref.get("key")}


def clean_refs(refs: Any) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    if not isinstance(refs, dict):
        return out
    for node_id, ref in refs.items():
        if isinstance(node_id, str) and isinstance(ref, dict) and isinstance(ref.get("key"), str):
            out[node_id] = {"key": ref["key"], "filename": str(ref.get("filename") or "")}
    return out


def clean_name(name: str) -> str:
    text = " ".join(name.split())[:NAME_MAX]
    return text or UNTITLED


def newer(a: Doc | None, b: Doc | None) -> Doc | None:
    """Of two stored copies of one document (localStorage and IndexedDB), the later revision."""
    if a is None or b is None:
        return a or b
    return a if (a.rev, a.updated) >= (b.rev, b.updated) else b


def overwrites_other_tab(base: Doc, stored: Doc | None, tab: str) -> bool:
    """True when saving over `stored` would drop another tab's work: it holds a revision this tab
    never saw. `base` is the revision this tab's edits started from (one it saved or loaded; a
    save that reached no storage still counts, so equal numbers from two writers also differ)."""
    if stored is None or stored.tab == tab:
        return False
    return stored.rev > base.rev or (stored.rev == base.rev and stored.tab != base.tab)


def is_news(base: Doc, rev: int, tab: str) -> bool:
    """Another tab says it saved revision `rev` of this tab's document: is that one we have not seen?"""
    return rev > base.rev or (rev == base.rev and tab != base.tab)


def work_at_risk(state: str, pristine: bool) -> bool:
    """Would replacing the open document lose work? Only when it could not be kept (autosave
    failed or is off) and it is the user's own (an untouched example or New can be had again)."""
    return state in (FAILED, OFF) and not pristine


class Library:
    """The documents of this browser, by id."""

    def __init__(self, docs: Iterable[Doc] = ()) -> None:
        self.docs: dict[str, Doc] = {}
        for doc in docs:
            self.put(doc)

    def put(self, doc: Doc) -> None:
        """Add or update (the newer copy wins when one is already known)."""
        known = self.docs.get(doc.id)
        self.docs[doc.id] = newer(known, doc) or doc

    def get(self, doc_id: str) -> Doc | None:
        return self.docs.get(doc_id)

    def remove(self, doc_id: str) -> Doc | None:
        return self.docs.pop(doc_id, None)

    def recent(self, limit: int = RECENT, *, exclude: str | None = None) -> list[Doc]:
        docs = [d for d in self.docs.values() if d.id != exclude]
        docs.sort(key=lambda d: (d.updated, d.rev), reverse=True)
        return docs[:limit]

    def latest(self) -> Doc | None:
        found = self.recent(1)
        return found[0] if found else None

    def names(self, *, exclude: str | None = None) -> set[str]:
        return {d.name.casefold() for d in self.docs.values() if d.id != exclude}

    def unique_name(self, base: str, *, exclude: str | None = None) -> str:
        """`base`, or `base 2`, `base 3`… so two documents never share a name in the list."""
        base = clean_name(base)
        taken = self.names(exclude=exclude)
        if base.casefold() not in taken:
            return base
        stem = re.sub(r" \d+$", "", base) or base
        n = 2
        while f"{stem} {n}".casefold() in taken:
            n += 1
        return f"{stem} {n}"

    def create(self, name: str, text: str, *, origin: str, now: float, tab: str = "") -> Doc:
        """A new document with a name no other one has (the caller writes the name into the graph)."""
        doc = Doc(
            id=new_id(),
            name=self.unique_name(name),
            text=text,
            rev=0,
            updated=now,
            origin=origin,
            pristine=origin in (NEW, EXAMPLE),
            tab=tab,
        )
        self.docs[doc.id] = doc
        return doc

    def rename(self, doc_id: str, name: str, now: float) -> Doc | None:
        doc = self.docs.get(doc_id)
        if doc is None:
            return None
        doc = replace(doc, name=self.unique_name(name, exclude=doc_id), updated=now)
        self.docs[doc_id] = doc
        return doc

    def copy_name(self, name: str, suffix: str) -> str:
        return self.unique_name(f"{clean_name(name)} ({suffix})")

    def wanted_pictures(self) -> set[str]:
        """Every picture any document refers to: clean-up may delete only what is not here."""
        keys: set[str] = set()
        for doc in self.docs.values():
            keys |= doc.picture_keys
        return keys

    def replaceable(self, doc_id: str | None) -> bool:
        """An untouched example or empty New: opening something else may drop it from the list."""
        doc = self.docs.get(doc_id or "")
        return doc is not None and doc.pristine


def garbage(stored: Iterable[str], wanted: set[str], in_use: set[str]) -> list[str]:
    """Stored picture keys that no document refers to and no open tab holds."""
    return sorted(k for k in stored if k not in wanted and k not in in_use)


_AI_REF = re.compile(r"pyxis-blob:([0-9a-f]{64})")  # ai_conversation.REF_PREFIX + a blob key


def ai_image_refs(text: str) -> set[str]:
    """The AI image keys an autosaved workflow text refers to (found without parsing it)."""
    return set(_AI_REF.findall(text))
