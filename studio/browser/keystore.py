"""The Gemini API key in this browser: localStorage ("remember on this device") or sessionStorage ("this session only").

One entry name in one of the two storages, never both. The key is read from here for each
Gemini call (GeminiClient takes `get`), and goes nowhere else: not into workflows, the
autosave, the console or messages. Nothing in this module prints or formats the key.

Beside it: the model list the key's last test returned, kept in the same storage as the key
(per key *slot*, not per key: nothing derived from the key is stored, not even a hash) and
dropped when another key takes the slot or the key is forgotten; and the request timeout.
"""

from __future__ import annotations

import json

import js  # browser-only: this module lives in studio.browser

from ..gemini.settings import DEFAULT_TIMEOUT, SettingError, parse_timeout

KEY_NAME = "pyxis.gemini-api-key"
MODELS_NAME = "pyxis.gemini-models"  # {"models": [ids], "checked": ISO time}, beside the key
TIMEOUT_NAME = "pyxis.gemini-timeout"  # seconds, in localStorage
MAX_REMEMBERED = 200
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
    previous = get()
    models = remembered_models() if previous == key else None  # a new key: its list is unknown
    storage = _storage(kind)
    if storage is None:
        raise KeyStoreError(f"This browser does not allow {_label(kind)} here.")
    try:
        storage.setItem(KEY_NAME, key)
    except Exception as exc:
        # The exception's text is the browser's (quota, security); it never contains the value.
        raise KeyStoreError(f"This browser refused to keep the key in {_label(kind)} ({type(exc).__name__}).") from None
    _remove(other)
    _remove(DEVICE, MODELS_NAME)
    _remove(SESSION, MODELS_NAME)
    if models is not None:
        remember_models(models)  # the same key, moved: its list moves with it
    return kind


def forget() -> None:
    """Remove the key (and the model list it had) from both storages."""
    for kind in (DEVICE, SESSION):
        _remove(kind)
        _remove(kind, MODELS_NAME)


def _remove(kind: str, name: str = KEY_NAME) -> None:
    storage = _storage(kind)
    if storage is None:
        return
    try:
        storage.removeItem(name)
    except Exception:
        pass


# --- the key's model list ----------------------------------------------------------------------


def remember_models(ids: list[str]) -> None:
    """Keep the tested key's model ids beside the key (same storage); silently skipped if refused."""
    kind = where()
    storage = _storage(kind) if kind else None
    if storage is None:
        return
    record = {"models": [str(i) for i in ids][:MAX_REMEMBERED], "checked": str(js.Date.new().toISOString())}
    try:
        storage.setItem(MODELS_NAME, json.dumps(record))
    except Exception:
        pass  # a full storage only costs a Test key after the next reload


def remembered_models() -> list[str] | None:
    """The model ids the current key slot's last test returned, or None (never tested / unreadable)."""
    kind = where()
    storage = _storage(kind) if kind else None
    if storage is None:
        return None
    try:
        record = json.loads(storage.getItem(MODELS_NAME) or "null")
    except Exception:
        return None
    models = record.get("models") if isinstance(record, dict) else None
    if not isinstance(models, list) or not all(isinstance(m, str) for m in models):
        return None
    return models[:MAX_REMEMBERED]


# --- the request timeout ----------------------------------------------------------------------


def timeout() -> float:
    """Seconds a Gemini request may take (Settings), DEFAULT_TIMEOUT when unset or unreadable."""
    storage = _storage(DEVICE)
    try:
        raw = storage.getItem(TIMEOUT_NAME) if storage is not None else None
        return parse_timeout(raw) if isinstance(raw, str) and raw else DEFAULT_TIMEOUT
    except Exception:  # SettingError, or a storage that throws
        return DEFAULT_TIMEOUT


def save_timeout(text: str) -> float:
    """Check and keep the timeout; raises SettingError (a message for the user) when it is wrong."""
    seconds = parse_timeout(text, "The timeout")
    storage = _storage(DEVICE)
    if storage is None:
        raise SettingError("This browser does not allow localStorage here, so the timeout cannot be kept.")
    try:
        storage.setItem(TIMEOUT_NAME, f"{seconds:g}")
    except Exception as exc:
        raise SettingError(f"This browser refused to keep the timeout ({type(exc).__name__}).") from None
    return seconds


def _label(kind: str) -> str:
    return "localStorage" if kind == DEVICE else "sessionStorage"
