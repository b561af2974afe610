"""Saving bytes to the user's disk through the browser's download, and reading picked files."""

from __future__ import annotations

from typing import Any

import js  # browser-only
from pyodide.ffi import to_js

from .dom import h, later


def blob_of(data: bytes, mime: str) -> Any:
    options = js.Object.new()
    options.type = mime
    return js.Blob.new(js.Array.of(to_js(bytes(data))), options)


def download(data: bytes, filename: str, mime: str) -> None:
    """Offer `data` as a file download named `filename`."""
    url = js.URL.createObjectURL(blob_of(data, mime))
    link = h("a", {"href": url, "download": filename, "hidden": True})
    js.document.body.append(link)
    link.click()
    link.remove()
    # The browser reads the blob after the click returns: revoke a little later.
    later(30_000, lambda: js.URL.revokeObjectURL(url))


async def read_bytes(file: Any) -> bytes:
    """The contents of a File/Blob from a picker, a drop or the clipboard."""
    buffer = await file.arrayBuffer()
    return js.Uint8Array.new(buffer).to_bytes()


def is_image_file(file: Any) -> bool:
    kind = str(getattr(file, "type", "") or "")
    name = str(getattr(file, "name", "") or "").lower()
    return kind.startswith("image/") or name.endswith((".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"))


def is_workflow_file(file: Any) -> bool:
    kind = str(getattr(file, "type", "") or "")
    name = str(getattr(file, "name", "") or "").lower()
    return name.endswith(".json") or kind == "application/json"
