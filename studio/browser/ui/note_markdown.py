"""A note's Markdown as safe HTML (mistune, a pinned wheel in the page): no raw HTML, no remote images.

Pure Python (no browser imports), so CPython tests check what a hostile note can and cannot do:
workflows are shared as files and links, and a note must not run script or make the page fetch.
"""

from __future__ import annotations

from typing import Any

_markdown: Any = None


def _renderer_class() -> Any:
    import mistune
    from mistune.util import striptags

    class NoteRenderer(mistune.HTMLRenderer):  # type: ignore[misc]
        """Links open in a new tab (the Studio keeps the graph); images show as their alt text."""

        def link(self, text: str, url: str, title: str | None = None) -> str:
            attrs = {"href": self.sanitize_url(url), "target": "_blank", "rel": "noopener noreferrer"}
            if title:
                attrs["title"] = title
            return "<a" + self.render_attrs(attrs) + ">" + text + "</a>"

        def image(self, text: str, url: str, title: str | None = None) -> str:
            # A remote picture would be a request the user never asked for (and a tracking pixel).
            return f'<span class="note-image">[{striptags(text) or "image"}]</span>'

    return NoteRenderer


def render(text: str) -> str:
    """The note as HTML: raw HTML escaped, harmful link schemes replaced, line breaks kept."""
    global _markdown
    if _markdown is None:
        import mistune

        _markdown = mistune.create_markdown(
            renderer=_renderer_class()(escape=True), hard_wrap=True, plugins=["strikethrough", "table"]
        )
    return str(_markdown(text))


def show(element: Any, text: str, format: str) -> None:
    """Put a note's text into its element: Markdown as HTML, or plain text with its line breaks
    (also the fallback when the Markdown library is missing)."""
    if format == "markdown":
        try:
            html = render(text)
        except ImportError:
            html = None
        if html is not None:
            element.style.whiteSpace = "normal"
            element.innerHTML = html
            return
    element.style.whiteSpace = "pre-wrap"
    element.textContent = text
