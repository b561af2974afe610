"""The crossings every browser module needs: is a JS value null or undefined, bytes as a Uint8Array, a dict as a JS object."""

from __future__ import annotations

from typing import Any

import js  # browser-only
from pyodide.ffi import JsNull, to_js


def is_missing(value: Any) -> bool:
    """True for JS null and undefined: Pyodide turns null into a JsNull object, not None."""
    return value is None or isinstance(value, JsNull)


def js_bytes(data: bytes) -> Any:
    """The bytes as a Uint8Array of their own (its buffer may be transferred to a worker)."""
    array = js.Uint8Array.new(len(data))
    array.assign(data)
    return array


def js_object(value: Any) -> Any:
    """A Python dict (nested ones too) as a plain JS object, not a Map: what DOM and canvas
    options, fetch's init and the page's hooks expect."""
    return to_js(value, dict_converter=js.Object.fromEntries)
