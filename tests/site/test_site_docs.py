"""The built site carries the documents the page links to (Settings links the API key guide)."""

from __future__ import annotations

import ast

from studio.site.build import DOCS, build_site
from studio.site.runtime import REPO_ROOT

API_KEY_PANEL = REPO_ROOT / "studio/browser/ui/api_key.py"


def _doc_url() -> str:
    # The panel imports js (browser only): read its constant from the source instead.
    for node in ast.parse(API_KEY_PANEL.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "DOC_URL" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("DOC_URL not found in api_key.py")


def test_the_settings_link_names_a_document_the_build_copies():
    url = _doc_url()
    assert url.startswith("./")
    assert url[2:] in DOCS


def test_build_copies_the_linked_documents_unchanged(tmp_path):
    built = build_site(tmp_path / "site")
    for doc in DOCS:
        assert (built / doc).read_bytes() == (REPO_ROOT / doc).read_bytes()
