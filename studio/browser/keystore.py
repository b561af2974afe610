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
from . import web_storage
from .web_storage import DEVICE, SESSION, StorageRefused

KEY_NAME = "pyxis.gemini-api-key"
MODELS_NAME = "pyxis.gemini-models"  # {"models": [ids], "checked": ISO time}, beside the key
TIMEOUT_NAME = "pyxis.gemini-timeout"  # seconds, in localStorage
MAX_REMEMBERED = 200


def _read(kind: str) -> str | None:
    value = web_storage.read(kind, KEY_NAME)
    return (value.strip() or None) if value is not None else None


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
    if web_storage.area(kind) is None:
        raise KeyStoreError(f"This browser does not allow {_label(kind)} here.")
    try:
        web_storage.write(kind, KEY_NAME, key)
    except StorageRefused as exc:
        # Only the browser's exception type (quota, security) is said; never the value.
        raise KeyStoreError(f"This browser refused to keep the key in {_label(kind)} ({exc.reason}).") from None
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
    web_storage.remove(kind, name)


# --- the key's model list ----------------------------------------------------------------------


def remember_models(ids: list[str]) -> None:
    """Keep the tested key's model ids beside the key (same storage); silently skipped if refused."""
    kind = where()
    if kind is None:
        return
    record = {"models": [str(i) for i in ids][:MAX_REMEMBERED], "checked": str(js.Date.new().toISOString())}
    try:
        web_storage.write(kind, MODELS_NAME, json.dumps(record))
    except StorageRefused:
        pass  # a full storage only costs a Test key after the next reload


def remembered_models() -> list[str] | None:
    """The model ids the current key slot's last test returned, or None (never tested / unreadable)."""
    kind = where()
    if kind is None:
        return None
    try:
        record = json.loads(web_storage.read(kind, MODELS_NAME) or "null")
    except ValueError:
        return None
    models = record.get("models") if isinstance(record, dict) else None
    if not isinstance(models, list) or not all(isinstance(m, str) for m in models):
        return None
    return models[:MAX_REMEMBERED]


# --- the request timeout ----------------------------------------------------------------------


def timeout() -> float:
    """Seconds a Gemini request may take (Settings), DEFAULT_TIMEOUT when unset or unreadable."""
    raw = web_storage.read(DEVICE, TIMEOUT_NAME)
    try:
        return parse_timeout(raw) if raw else DEFAULT_TIMEOUT
    except SettingError:
        return DEFAULT_TIMEOUT


def save_timeout(text: str) -> float:
    """Check and keep the timeout; raises SettingError (a message for the user) when it is wrong."""
    seconds = parse_timeout(text, "The timeout")
    if web_storage.area(DEVICE) is None:
        raise SettingError("This browser does not allow localStorage here, so the timeout cannot be kept.")
    try:
        web_storage.write(DEVICE, TIMEOUT_NAME, f"{seconds:g}")
    except StorageRefused as exc:
        raise SettingError(f"This browser refused to keep the timeout ({exc.reason}).") from None
    return seconds


def _label(kind: str) -> str:
    return web_storage.area_name(kind)
