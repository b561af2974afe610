"""Share links in the page: Share copies a link whose fragment carries the graph (never the key,
pictures or AI results); a page opened from such a link gets that graph as a new document."""

from __future__ import annotations

from typing import Any

import js  # browser-only

from ...core.graph import Graph
from ...core.portable import LEFT_OUT_NOTICE, what_is_left_out
from ...core.share import MAX_URL_CHARS, ShareError, fragment_workflow, share_url, too_long


def link_for(graph: Graph) -> str:
    """The share link of `graph` for this page (its own fragment replaced)."""
    return share_url(str(js.location.href), graph)


def too_long_message(url: str) -> str:
    return (
        f"The link would be {len(url):,} characters long; browsers, mail and chat cut links past "
        f"{MAX_URL_CHARS:,}. Save the workflow as a file (Save ▾ → Graph only) and send that instead."
    )


def copied_message(graph: Graph) -> str:
    left = what_is_left_out(graph)
    tail = f" — left out: {', '.join(left)} ({LEFT_OUT_NOTICE})" if left else " (graph only: no key, no pictures)"
    return "Share link copied" + tail


async def copy_link(graph: Graph, notices: Any) -> str | None:
    """Copy the link to the clipboard and say what it carries; over the limit, say so instead."""
    url = link_for(graph)
    if too_long(url):
        notices.error("This workflow is too big for a share link", too_long_message(url))
        return None
    try:
        await js.navigator.clipboard.writeText(url)
    except Exception:  # no clipboard permission (some browsers, insecure origins): show it to copy by hand
        notices.info("Copy this share link", url)
        return url
    notices.hint(copied_message(graph), kind="info")
    return url


def take_arriving_workflow() -> tuple[str | None, str | None]:
    """(workflow text, problem) from this page's own URL fragment, which is then cleared so a reload
    does not import it twice. (None, None) when the page was not opened from a share link."""
    fragment = str(js.location.hash or "")
    try:
        text = fragment_workflow(fragment)
    except ShareError as exc:
        _clear_fragment()
        return None, str(exc)
    if text is None:
        return None, None
    _clear_fragment()
    return text, None


def _clear_fragment() -> None:
    js.history.replaceState(js.history.state, "", str(js.location.pathname) + str(js.location.search))
