"""The Gemini API key in this browser: localStorage ("remember on this device") or sessionStorage ("this session only").

One entry name in one of the two storages, never both. The key is read from here for each
Gemini call (GeminiClient takes `get`), and goes nowhere else: not into workflows, the
autosave, the console or messages. Nothing in this module prints or formats the key.
"""

from __future__ import annotations

import js  # browser-only: this module lives in studio.browser

KEY_NAME = "pyxis.gemini-api-key"
DEVICE = "device"  # localStorage
SESSION = "session"  # sessionStorage


def _storage(kind: str):
    """The Storage object, or None when the browser refuses it (blocked cookies, sandboxing)."""
    try:
        return getattr(js.window, "localStorage" if kind == DEVICE else "sessionStorage", None)
    except Exception:  # a SecurityError from the getter itself
        return None


def _read(kind: str) -> str | None:
    storage = _storage(kind)
    if storage is None:
        return None
    try:
        value = storage.getItem(KEY_NAME)
    except Exception:
        return None
    if value is None or not isinstance(value, str):  # JS null arrives as None or jsnull
        return None
    return value.strip() or None


def get() -> str | None:
    """The key for this session (a session-only key wins: it is the newer choice), or None."""
    return _read(SESSION) or _read(DEVICE)


def where() -> str | None:
    """DEVICE, SESSION or None: which storage holds the key, for the Settings status line."""
    if _read(SESSION):
        return SESSION
    if _read(DEVICE):
        return DEVICE
    return None


class KeyStoreError(Exception):
    """The browser refused to store the key (storage disabled or full). Never holds the key."""


def save(key: str, session_only: bool = False) -> str:
    """Keep `key` in one storage and remove it from the other; returns where it went."""
    key = key.strip()
    if not key:
        raise KeyStoreError("Paste a key first.")
    kind = SESSION if session_only else DEVICE
    other = DEVICE if session_only else SESSION
    storage = _storage(kind)
    if storage is None:
        raise KeyStoreError(f"This browser does not allow {_label(kind)} here.")
    try:
        storage.setItem(KEY_NAME, key)
    except Exception as exc:
        # The exception's text is the browser's (quota, security); it never contains the value.
        raise KeyStoreError(f"This browser refused to keep the key in {_label(kind)} ({type(exc).__name__}).") from None
    _remove(other)
    return kind


def forget() -> None:
    """Remove the key from both storages."""
    _remove(DEVICE)
    _remove(SESSION)


def _remove(kind: str) -> None:
    storage = _storage(kind)
    if storage is None:
        return
    try:
        storage.removeItem(KEY_NAME)
    except Exception:
        pass


def _label(kind: str) -> str:
    return "localStorage" if kind == DEVICE else "sessionStorage"
