"""YAML in the page: js-yaml (pinned, shipped in static/vendor/js-yaml/), loaded on first use.

PyYAML is not part of Pyodide's npm package; the FloImg importer takes any loader of this shape.
"""

from __future__ import annotations

from typing import Any

import js  # browser-only
from pyodide.ffi import JsException

MODULE_URL = "./static/vendor/js-yaml/js-yaml.mjs"
_module: Any = None


async def loader() -> Any:
    """A `text -> plain Python data` function backed by js-yaml's safe default schema."""
    global _module
    if _module is None:
        # A dynamic import from our own origin (CSP script-src 'self'); resolved against the page.
        url = js.URL.new(MODULE_URL, js.document.baseURI).href
        _module = await js.Function.new("url", "return import(url)")(url)

    def load(text: str) -> Any:
        try:
            value = _module.load(text)
        except JsException as exc:
            raise ValueError(str(exc).splitlines()[0]) from None
        return value.to_py() if hasattr(value, "to_py") else value

    return load
