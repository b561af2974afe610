"""Precompiled bytecode for the page: the studio package compiled by Pyodide's own CPython (run under Node) at build time.

The page then imports the package straight from studio.zip (zipimport) without compiling a line. The
pycs are PEP 552 unchecked-hash files: valid for exactly the interpreter that wrote them, kept in a
cache under .pyxis-cache/ keyed by the source, the interpreter's pin and the path, so a rebuild runs
Node only for modules that changed. Without Node the build still works, only without bytecode (node_script.py)."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from pathlib import Path

from .node_script import run_script
from .runtime import PINS, REPO_ROOT, VENDOR

COMPILER = Path(__file__).with_name("pyc_compile.mjs")
CACHE = Path(".pyxis-cache") / "pyc"
# Where the page keeps the archive: PyScript writes "./studio.zip" into Pyodide's working directory.
ARCHIVE_PATH = "/home/pyodide/studio.zip"
TIMEOUT_S = 600


def _pyodide_pin() -> str:
    return next(p.spec for p in PINS if p.name == "pyodide")


def _cache_key(module: str, source: bytes) -> str:
    digest = hashlib.sha256()
    for part in (_pyodide_pin().encode(), ARCHIVE_PATH.encode(), module.encode(), source):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def compile_modules(
    sources: dict[str, bytes], root: Path = REPO_ROOT, *, log: Callable[[str], object] = print
) -> dict[str, bytes]:
    """{module path: pyc bytes} for the given {module path: source}; modules that cannot be compiled
    (main.py's top-level await) or, without Node, all of them are left out."""
    cache = root / CACHE
    keys = {module: _cache_key(module, source) for module, source in sources.items()}
    compiled = {m: (cache / f"{k}.pyc").read_bytes() for m, k in keys.items() if (cache / f"{k}.pyc").is_file()}
    missing = {m: s for m, s in sources.items() if m not in compiled and not (cache / f"{keys[m]}.skip").is_file()}
    if not missing:
        return compiled
    with tempfile.TemporaryDirectory(prefix="pyxis-pyc-") as tmp:
        folder = Path(tmp)
        for module, source in missing.items():
            (folder / module).parent.mkdir(parents=True, exist_ok=True)
            (folder / module).write_bytes(source)
        args = (str(root / VENDOR / "pyodide"), str(folder), ARCHIVE_PATH)
        report = run_script(
            COMPILER, *args, timeout=TIMEOUT_S, without="the page compiles its Python at start-up", log=log
        )
        if report is None:
            return compiled
        cache.mkdir(parents=True, exist_ok=True)
        for module in missing:
            pyc = folder / (module + "c")
            if pyc.is_file():
                data = pyc.read_bytes()
                (cache / f"{keys[module]}.pyc").write_bytes(data)
                compiled[module] = data
            else:
                (cache / f"{keys[module]}.skip").write_text("not compiled (see pyc_compile.mjs)\n", encoding="utf-8")
        log(f"  bytecode: {report['compiled']} modules compiled by Pyodide's CPython in {report['ms']} ms")
    return compiled
