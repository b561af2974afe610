"""Renders docs/*.md as readable UTF-8 HTML pages (markdown-it-py), for the built site and `studio serve`."""

from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .runtime import REPO_ROOT

DOCS_DIR = "docs"
STYLESHEET = "../static/docs.css"  # relative to docs/<page>.html
# Documents are static text: no script at all, styles and pictures from the site only.
CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'"


@dataclass(frozen=True)
class Page:
    """One rendered document: its HTML and the files beside it that it links to (pictures, schema)."""

    html: str
    assets: tuple[str, ...]  # paths relative to docs/, files that exist there


def doc_sources(root: Path = REPO_ROOT) -> list[Path]:
    """Every Markdown document of docs/, sorted."""
    return sorted((root / DOCS_DIR).glob("*.md"))


def html_name(md_name: str) -> str:
    """docs/x.md -> docs/x.html (the name pages link to)."""
    return md_name.removesuffix(".md") + ".html"


def _markdown():  # markdown-it-py is a build/serve-time dependency only (never shipped to the page)
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")


def _local(href: str) -> str | None:
    """The docs-relative path of a link to a file beside the page, or None (other sites, anchors, folders up)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    path = posixpath.normpath(parts.path)
    return None if path.startswith("..") else path


def _plain(text: str) -> str:
    """The document as escaped text: what `studio serve` shows when markdown-it-py is not installed
    (a fresh machine that ran only the README's first command), rather than failing the request."""
    return (
        '<p class="doc-plain-note">Install markdown-it-py (<code>pip install markdown-it-py</code>) to see this '
        "page formatted; here it is as written.</p>\n"
        f'<pre class="doc-plain">{html.escape(text)}</pre>\n'
    )


def render(text: str, *, docs_dir: Path | None = None) -> Page:
    """One Markdown document as a complete HTML page. Links to other .md documents point at their
    .html pages; links to files in docs_dir (pictures, the schema) are reported as assets."""
    try:
        md = _markdown()
    except ImportError:
        first = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), "Pyxis Studio")
        return Page(_page(first, _plain(text)), ())
    tokens = md.parse(text)
    assets: set[str] = set()
    title = "Pyxis Studio"
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1" and title == "Pyxis Studio":
            inline = tokens[i + 1]
            title = "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline")) or title
        for child in token.children or []:
            attr = "href" if child.type == "link_open" else "src" if child.type == "image" else None
            if attr is None:
                continue
            href = str(child.attrGet(attr) or "")
            local = _local(href)
            if local is None:
                continue
            if local.endswith(".md"):
                parts = urlsplit(href)
                child.attrSet(attr, parts._replace(path=html_name(parts.path)).geturl())
            elif docs_dir is not None and (docs_dir / local).is_file():
                assets.add(local)
    body = md.renderer.render(tokens, md.options, {})
    return Page(_page(title, body), tuple(sorted(assets)))


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>{html.escape(title)} · Pyxis Studio</title>\n"
        f'<link rel="stylesheet" href="{STYLESHEET}">\n'
        '</head>\n<body>\n<main class="doc">\n'
        f"{body}"
        '</main>\n<footer class="doc-footer"><a href="../index.html">← Back to Pyxis Studio</a></footer>\n'
        "</body>\n</html>\n"
    )


def render_file(md_path: Path) -> Page:
    return render(md_path.read_text(encoding="utf-8"), docs_dir=md_path.parent)


def write_site_docs(out: Path, root: Path = REPO_ROOT) -> list[str]:
    """Render every docs/*.md into out/docs/*.html and copy the files they link to; returns the
    written paths relative to out."""
    written: list[str] = []
    target = out / DOCS_DIR
    target.mkdir(parents=True, exist_ok=True)
    for source in doc_sources(root):
        page = render_file(source)
        name = html_name(source.name)
        (target / name).write_text(page.html, encoding="utf-8", newline="\n")
        written.append(f"{DOCS_DIR}/{name}")
        for asset in page.assets:
            dest = target / asset
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes((source.parent / asset).read_bytes())
            written.append(f"{DOCS_DIR}/{asset}")
    return sorted(set(written))
