"""Share links: the portable workflow, deflated and base64url-encoded into a URL fragment.

The fragment (`#…`) is never sent to any server, so a link carries the graph from one browser to
another without one. Versioned by its prefix, so a later encoding can be told apart.
"""

from __future__ import annotations

import base64
import binascii
import zlib

from .errors import StudioError
from .graph import Graph
from .portable import portable_text

FRAGMENT_KEY = "workflow="
PREFIX = "p1."  # encoding version 1: raw deflate of UTF-8 JSON, base64url without padding
# Longer URLs are cut by some browsers, mail programs and chat apps; past this, offer a file.
MAX_URL_CHARS = 65_536
MAX_JSON_BYTES = 16 * 1024 * 1024


class ShareError(StudioError):
    """The link does not carry a workflow this version can read."""


def encode(text: str) -> str:
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = deflater.compress(text.encode("utf-8")) + deflater.flush()
    return PREFIX + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def decode(token: str) -> str:
    """The workflow JSON text inside an encoded token (from encode())."""
    if not token.startswith(PREFIX):
        raise ShareError("this link was made by a newer or unknown version of the Studio (unknown encoding)")
    body = token[len(PREFIX) :]
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        inflater = zlib.decompressobj(-15)
        raw = inflater.decompress(packed, MAX_JSON_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error):
        raise ShareError("the link is damaged (it may have been cut short when it was copied)") from None
    if len(raw) > MAX_JSON_BYTES or inflater.unconsumed_tail:
        raise ShareError(f"the workflow in this link is larger than {MAX_JSON_BYTES // 2**20} MB")
    if not inflater.eof:
        raise ShareError("the link is damaged (it may have been cut short when it was copied)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ShareError("the link is damaged (its workflow is not UTF-8 text)") from None


def share_url(page_url: str, graph: Graph) -> str:
    """The page URL (its own fragment replaced) with the graph in the fragment."""
    base = page_url.split("#", 1)[0]
    return f"{base}#{FRAGMENT_KEY}{encode(portable_text(graph))}"


def fragment_workflow(fragment: str) -> str | None:
    """The workflow text a URL fragment carries (with or without its '#'), or None if it carries none."""
    fragment = fragment.removeprefix("#")
    if not fragment.startswith(FRAGMENT_KEY):
        return None
    return decode(fragment[len(FRAGMENT_KEY) :])


def too_long(url: str) -> bool:
    return len(url) > MAX_URL_CHARS
