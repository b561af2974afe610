"""Builds the self-contained static site (what GitHub Pages hosts): page, config, package, static files, runtime."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from . import docs_html, pyscript_toml, service_worker, snapshot
from .runtime import REPO_ROOT, ensure_runtime
from .snapshot import SNAPSHOT

MARKER = ".pyxis-build"  # marks a folder as ours, so a rebuild may clear it
PAGE = "index.html"
MANIFEST = "manifest.webmanifest"  # the web app manifest, beside index.html (start_url and scope "./")
ENTRY = "studio/browser/main.py"  # index.html's <script type="py" src>
WASM = "static/vendor/pyodide/pyodide.asm.wasm"  # Pyodide fetches it with credentials "same-origin"
# Runtime files the page never loads: typings, source maps, docs, demo consoles, the UMD loader.
DROP_SUFFIXES = (".d.ts", ".map")
DROP_NAMES = {"README.md", "package.json", "console.html", "console-v2.html", "pyodide.js"}


class BuildError(RuntimeError):
    """The output folder is unsafe to write to, or the repository lacks a file the site needs."""


def _check_out(out: Path, root: Path) -> None:
    out, root = out.resolve(), root.resolve()
    if out == root or out in root.parents:
        raise BuildError(f"refusing to build into {out}: it holds the repository")
    for source in ("studio", "static"):
        src = root / source
        if out == src or src in out.parents:
            raise BuildError(f"refusing to build into {out}: it is inside the sources ({source}/)")
    if out.exists() and not out.is_dir():
        raise BuildError(f"refusing to build into {out}: it is a file")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise BuildError(f"refusing to build into {out}: not empty and not a previous build (no {MARKER})")


def _ignore_vendor_extras(folder: str, names: list[str]) -> set[str]:
    ignored = {n for n in names if n == "__pycache__" or n.startswith(".")}
    if "vendor" in Path(folder).parts:
        ignored |= {n for n in names if n in DROP_NAMES or n.endswith(DROP_SUFFIXES)}
    return ignored


def build_site(out: Path, root: Path = REPO_ROOT) -> Path:
    """Write the static site into out (empty, new, or a previous build, which is cleared); returns out."""
    out, root = Path(out).resolve(), Path(root).resolve()
    _check_out(out, root)
    ensure_runtime(root)
    if not (root / PAGE).is_file():
        raise BuildError(f"{root / PAGE} is missing")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_text("Built by `python -m studio build`; a rebuild deletes this folder.\n", encoding="utf-8")
    # What Python starts from (static/pyodide-boot.mjs); without it, Python starts as usual.
    started = snapshot.snapshot_gz(root)
    page = _built_page((root / PAGE).read_text(encoding="utf-8"), with_snapshot=started is not None)
    (out / PAGE).write_text(page, encoding="utf-8", newline="\n")
    shutil.copy2(root / MANIFEST, out / MANIFEST)
    # Generated from the package as it is now, so a build is never stale even if the top-level file is.
    # The package travels as one archive (one request at boot, not one per module).
    (out / pyscript_toml.CONFIG).write_text(pyscript_toml.render(root, archive=True), encoding="utf-8", newline="\n")
    (out / pyscript_toml.ARCHIVE).write_bytes(pyscript_toml.build_archive(root))
    # The page's <script type="py" src=...> is fetched as a file of its own.
    (out / ENTRY).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(root / ENTRY, out / ENTRY)
    shutil.copytree(root / "static", out / "static", ignore=_ignore_vendor_extras)
    if started is not None:
        (out / SNAPSHOT).write_bytes(started)
    # The documents the page links to (Settings → the API key guide), as HTML pages.
    docs_html.write_site_docs(out, root)
    (out / ".nojekyll").touch()  # GitHub Pages: serve files as they are, no Jekyll pass
    service_worker.write(out)  # last: it lists (and hashes) everything written above
    return out


def _built_page(html: str, *, with_snapshot: bool) -> str:
    """index.html for the built site: the package archive is asked for at once, beside the runtime,
    instead of after Python has started (PyScript fetches [files] only then); so are Python's
    snapshot (when the build has one: a preload of a missing file is a wasted request) and the
    runtime's wasm, which Pyodide would ask for one after the other."""
    files = (pyscript_toml.ARCHIVE, SNAPSHOT, WASM) if with_snapshot else (pyscript_toml.ARCHIVE, WASM)
    preload = "".join(f'  <link rel="preload" href="./{path}" as="fetch" crossorigin="anonymous">\n' for path in files)
    anchor = '  <script src="./static/boot.js"></script>\n'
    if anchor not in html:
        raise BuildError(f"{PAGE} no longer loads static/boot.js: cannot place the archive's preload")
    return html.replace(anchor, preload + anchor, 1)


def dev_files(root: Path = REPO_ROOT) -> Iterator[tuple[str, bytes]]:
    """What `studio serve` serves from the repository, as (URL path, content): the same files as a build,
    except the package comes module by module (the repository's pyscript.toml lists them)."""
    root = Path(root).resolve()
    for name in (PAGE, MANIFEST, pyscript_toml.CONFIG):
        yield name, (root / name).read_bytes()
    for module in pyscript_toml.package_modules(root):
        yield module, (root / module).read_bytes()
    for folder, dirs, names in os.walk(root / "static"):
        ignored = _ignore_vendor_extras(folder, dirs + names)
        dirs[:] = sorted(d for d in dirs if d not in ignored)
        for name in sorted(n for n in names if n not in ignored):
            path = Path(folder) / name
            yield path.relative_to(root).as_posix(), path.read_bytes()
    started = snapshot.snapshot_gz(root)
    if started is not None:
        yield SNAPSHOT, started
    for source in docs_html.doc_sources(root):
        page = docs_html.render_file(source)
        yield f"{docs_html.DOCS_DIR}/{docs_html.html_name(source.name)}", page.html.encode("utf-8")
        for asset in page.assets:
            yield f"{docs_html.DOCS_DIR}/{asset}", (source.parent / asset).read_bytes()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else REPO_ROOT / "site"
    try:
        build_site(out)
    except (BuildError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Built the static site in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
