"""The memory snapshot the page starts Python from: Pyodide's CPython started once under Node at build time.

Loading Pyodide from a snapshot of its freshly started memory skips most of Python's own start
(2.3 s to 0.6 s in Chromium on this machine). `static/pyodide-boot.mjs` fetches `SNAPSHOT` and falls
back to a plain start when it is missing or refused. The snapshot is valid for exactly the runtime
that made it, so it is cached under .pyxis-cache/ keyed by the runtime's pin and the maker's source,
and made again when either changes. Without Node the build still works, only without it."""

from __future__ import annotations

import gzip
import hashlib
import tempfile
from collections.abc import Callable
from pathlib import Path

from .node_script import run_script
from .runtime import PINS, REPO_ROOT, VENDOR

MAKER = Path(__file__).with_name("snapshot_make.mjs")
CACHE = Path(".pyxis-cache") / "snapshot"
SNAPSHOT = "static/python.snapshot.gz"  # where the site serves it, beside static/pyodide-boot.mjs
TIMEOUT_S = 300
# The standard library modules the Studio imports that Python's own start does not: imported before
# the snapshot is taken, they come with it instead of out of the runtime's zip at each boot (or, for
# a node body's, at its first run). Pure modules and built-ins only, with no state drawn at import
# (random is re-seeded by the page). Listed from a running page, and:
# - urllib.parse: the Gemini client's (studio.gemini.client), ~0.1 s in Chromium;
# - gzip and xml.sax.saxutils: segno's (source.qr's body; its writers import them at the top). The
#   second pulls in urllib.request, http.client and email: 0.4-0.9 s of a fresh page's or worker's
#   first QR code (tests/site/test_snapshot_modules.py keeps this list up with segno's imports).
PRELOADED = (
    "encodings.cp437",
    "gzip",
    "hashlib",
    "hmac",
    "html.entities",
    "pickle",
    "secrets",
    "urllib.parse",
    "xml.sax.saxutils",
)


def _cache_key() -> str:
    pin = next(p.spec for p in PINS if p.name == "pyodide")
    made_by = MAKER.read_bytes() + b"\0" + ",".join(PRELOADED).encode()
    return hashlib.sha256(pin.encode() + b"\0" + made_by).hexdigest()


def snapshot_gz(root: Path = REPO_ROOT, *, log: Callable[[str], object] = print) -> bytes | None:
    """The gzipped snapshot for the runtime under root's static/vendor, made (with Node) if not cached;
    None when it cannot be made (the page then starts Python as usual)."""
    cached = root / CACHE / f"{_cache_key()}.gz"
    if cached.is_file():
        return cached.read_bytes()
    with tempfile.TemporaryDirectory(prefix="pyxis-snapshot-") as tmp:
        raw = Path(tmp) / "python.snapshot"
        args = (str(root / VENDOR / "pyodide"), str(raw), ",".join(PRELOADED))
        report = run_script(
            MAKER, *args, timeout=TIMEOUT_S, without="the page starts Python without a snapshot", log=log
        )
        if report is None or not raw.is_file():
            return None
        # mtime 0: the same snapshot gives the same bytes (and the same precache revision).
        data = gzip.compress(raw.read_bytes(), compresslevel=6, mtime=0)
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(data)
    log(
        f"  snapshot: Python started by Node in {report['ms']} ms, {report['bytes'] >> 20} MB ({len(data) >> 20} MB gzipped)"
    )
    return data
