"""The documents the page links to are readable HTML in UTF-8, in the built site and from `studio serve` alike."""

from __future__ import annotations

import ast
import threading
import urllib.request

import pytest

from studio.site import docs_html
from studio.site.build import build_site
from studio.site.runtime import REPO_ROOT
from studio.site.server import make_server

API_KEY_PANEL = REPO_ROOT / "studio/browser/ui/api_key.py"


def _doc_url() -> str:
    # The panel imports js (browser only): read its constant from the source instead.
    for node in ast.parse(API_KEY_PANEL.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "DOC_URL" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("DOC_URL not found in api_key.py")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("docs") / "site")


def test_the_settings_link_names_an_html_page_the_build_writes(built):
    url = _doc_url()
    assert url.startswith("./") and url.endswith(".html")
    assert (built / url[2:]).is_file()


def test_every_document_is_rendered_to_utf8_html(built):
    sources = docs_html.doc_sources()
    assert any(s.name == "gemini-api-key.md" for s in sources)
    for source in sources:
        page = (built / "docs" / docs_html.html_name(source.name)).read_text(encoding="utf-8")
        assert page.startswith("<!doctype html>")
        assert '<meta charset="utf-8">' in page.lower()
    guide = (built / "docs/gemini-api-key.html").read_text(encoding="utf-8")
    # Rendered, not raw Markdown: headings and emphasis are tags, and non-ASCII text survives.
    assert "<h1>Your Gemini API key</h1>" in guide
    assert "<strong>AI Edit</strong>" in guide and "**AI Edit**" not in guide
    assert "→" in guide and "Ã" not in guide
    assert "<title>Your Gemini API key · Pyxis Studio</title>" in guide
    assert not list((built / "docs").glob("*.md"))


def test_links_between_documents_point_at_pages_and_linked_files_are_copied(built):
    page = docs_html.render("# T\n\n[a](other.md#x) [b](https://example.invalid/x.md) [c](../README.md)")
    assert 'href="other.html#x"' in page.html
    assert 'href="https://example.invalid/x.md"' in page.html  # other sites are left alone
    # workflow-format.md links its JSON Schema: the build copies it beside the page.
    assert (built / "docs/workflow.schema.json").read_bytes() == (REPO_ROOT / "docs/workflow.schema.json").read_bytes()


def test_markdown_html_is_escaped_not_passed_through():
    page = docs_html.render("# T\n\n<script>alert(1)</script>\n")
    assert "<script>alert" not in page.html


def test_serve_renders_the_same_page_as_the_build(built):
    httpd = make_server(REPO_ROOT, port=0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/docs/gemini-api-key.html"
        with urllib.request.urlopen(url, timeout=10) as resp:
            assert resp.headers["Content-Type"] == "text/html; charset=utf-8"
            body = resp.read()
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert body == (built / "docs/gemini-api-key.html").read_bytes()


def test_without_markdown_it_the_page_is_plain_escaped_text_not_an_error(monkeypatch):
    """`studio serve` on a fresh machine (the README's first command, nothing installed) still serves docs."""
    import sys

    from studio.site import docs_html

    monkeypatch.setitem(sys.modules, "markdown_it", None)  # makes `import markdown_it` raise ImportError
    page = docs_html.render("# Your key\n\nKeep it <secret> & safe.\n")
    assert "<title>Your key · Pyxis Studio</title>" in page.html
    assert "Keep it &lt;secret&gt; &amp; safe." in page.html and "<secret>" not in page.html
    assert "pip install markdown-it-py" in page.html
