"""The page's Web Storage (localStorage and sessionStorage) in one place: reads that never raise,
writes that say why they failed. The key store and the UI's storage helpers both sit on this."""

from __future__ import annotations

from typing import Any

import js  # browser-only: this module lives in studio.browser

from .ffi import is_missing

DEVICE = "device"  # localStorage: kept on this device
SESSION = "session"  # sessionStorage: this tab only, survives its reloads
_AREAS = {DEVICE: "localStorage", SESSION: "sessionStorage"}


class StorageRefused(Exception):
    """The browser refused a write (storage full or disabled). `reason` is the browser's exception
    type; the message adds the browser's own text, which never holds the value written."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def area(kind: str) -> Any | None:
    """The Storage object, or None when the browser refuses it (blocked cookies, sandboxing)."""
    try:
        storage = getattr(js.window, _AREAS[kind], None)
    except Exception:  # a SecurityError from the getter itself
        return None
    return None if storage is None or is_missing(storage) else storage


def area_name(kind: str) -> str:
    return _AREAS[kind]


def read(kind: str, name: str) -> str | None:
    storage = area(kind)
    if storage is None:
        return None
    try:
        value = storage.getItem(name)
    except Exception:
        return None
    return value if isinstance(value, str) else None  # JS null arrives as None or jsnull


def write(kind: str, name: str, value: str) -> None:
    storage = area(kind)
    if storage is None:
        raise StorageRefused("unavailable", f"this browser does not allow {_AREAS[kind]} here")
    try:
        storage.setItem(name, value)
    except Exception as exc:  # QuotaExceededError, or storage disabled
        raise StorageRefused(type(exc).__name__, str(getattr(exc, "message", "") or "")) from None


def remove(kind: str, name: str) -> None:
    storage = area(kind)
    if storage is None:
        return
    try:
        storage.removeItem(name)
    except Exception:
        pass


def names(kind: str, prefix: str) -> list[str]:
    """The names starting with `prefix` (none when storage is refused)."""
    storage = area(kind)
    if storage is None:
        return []
    try:
        found = [storage.key(i) for i in range(storage.length)]
    except Exception:
        return []
    return [str(n) for n in found if isinstance(n, str) and n.startswith(prefix)]
