"""Writes sw.js, the service worker: Workbox's precaching of every file the site needs, each revisioned by content hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from .runtime import VENDOR, WORKBOX_SCRIPTS

SCRIPT = "sw.js"  # at the site's root: its scope is the folder of index.html, whatever the subpath
TEMPLATE = Path(__file__).with_name("sw_template.js")
# Files of the built site the page never fetches through the worker: the worker itself and what it
# imports (the browser keeps those with the worker), and the build's own markers.
SKIP_NAMES = {SCRIPT, ".nojekyll", ".pyxis-build", f"{VENDOR.as_posix()}/runtime.json"}
SKIP_PREFIXES = tuple(f"{VENDOR.as_posix()}/{script.split('/')[0]}/" for script in WORKBOX_SCRIPTS)


def revision(data: bytes) -> str:
    """A file's revision: the first 32 hex digits of its SHA-256 (a changed file gets a new one)."""
    return hashlib.sha256(data).hexdigest()[:32]


def precached(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return path not in SKIP_NAMES and name != "LICENSE" and not path.startswith(SKIP_PREFIXES) and name[:1] != "."


def entries_of(files: Iterable[tuple[str, bytes]]) -> list[dict[str, str]]:
    """Workbox's precache manifest for (site-relative path, content) pairs, sorted by URL."""
    return sorted(
        ({"url": path, "revision": revision(data)} for path, data in files if precached(path)), key=lambda e: e["url"]
    )


def folder_files(folder: Path) -> Iterable[tuple[str, bytes]]:
    """Every file under folder, as (relative POSIX path, bytes)."""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield path.relative_to(folder).as_posix(), path.read_bytes()


def render(entries: list[dict[str, str]]) -> str:
    """The worker's source for a precache manifest."""
    scripts = ", ".join(json.dumps(f"./{VENDOR.as_posix()}/{s}") for s in WORKBOX_SCRIPTS)
    manifest = "[\n" + ",\n".join(f"  {json.dumps(e)}" for e in entries) + "\n]"
    text = TEMPLATE.read_text(encoding="utf-8")
    return text.replace("/*WORKBOX_SCRIPTS*/", scripts).replace("/*PRECACHE*/", manifest)


def write(out: Path) -> list[dict[str, str]]:
    """Write out/sw.js for the site built in out (call it last: it lists what is there); returns the manifest."""
    entries = entries_of(folder_files(out))
    (out / SCRIPT).write_text(render(entries), encoding="utf-8", newline="\n")
    return entries


def manifest_of(script: str) -> list[dict[str, str]]:
    """The precache manifest inside a rendered sw.js (tests and the update check read it back)."""
    start = script.index("var PRECACHE = ") + len("var PRECACHE = ")
    end = script.index(";\n", start)
    return json.loads(script[start:end])
