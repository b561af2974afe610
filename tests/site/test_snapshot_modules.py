"""The memory snapshot holds the standard library a node body imports at its first run (segno's)."""

from __future__ import annotations

import json
import subprocess
import sys

from studio.site import snapshot

# A fresh interpreter: the standard library modules `import segno` loads, and those the snapshot's
# PRELOADED load, each beyond what the interpreter had at its start.
NEW_MODULES = """
import importlib, json, sys
start = set(sys.modules)
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(sorted(set(sys.modules) - start)))
"""


def _loaded_by(*names: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", NEW_MODULES, *names], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout))


def test_the_standard_library_segno_imports_comes_with_the_snapshot():
    # Out of the runtime's zip, segno's urllib.request, http.client and email took a fresh page's first
    # QR code 0.4-0.9 s in Chromium. A segno that imports more of the standard library fails here.
    stdlib = {m for m in _loaded_by("segno") if m.split(".")[0] in sys.stdlib_module_names}
    assert {"urllib.request", "http.client", "email.message", "xml.sax.saxutils"} <= stdlib
    missing = stdlib - _loaded_by(*snapshot.PRELOADED)
    assert not missing, f"add to snapshot.PRELOADED: {sorted(missing)}"


def test_the_snapshots_modules_are_in_its_cache_key(monkeypatch):
    # Another list is another snapshot: the cached one must not be reused for it.
    key = snapshot._cache_key()
    monkeypatch.setattr(snapshot, "PRELOADED", (*snapshot.PRELOADED, "json"))
    assert snapshot._cache_key() != key
