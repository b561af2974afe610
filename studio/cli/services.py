"""Services the command line gives to nodes: the Gemini client, keyed from GEMINI_API_KEY."""

from __future__ import annotations

import os
from typing import Any

from ..gemini.client import GeminiClient
from ..gemini.errors import ENV_KEY
from ..gemini.settings import SettingError, timeout_from_env
from ..gemini.urllib_transport import UrllibTransport
from .main import UsageError


def command_line_services() -> dict[str, Any]:
    try:
        timeout = timeout_from_env(os.environ)  # GEMINI_TIMEOUT, seconds (docs/gemini-api-key.md)
    except SettingError as exc:
        raise UsageError(str(exc)) from None
    return {
        "gemini": GeminiClient(
            UrllibTransport(), lambda: os.environ.get("GEMINI_API_KEY") or None, key_hint=ENV_KEY, timeout=timeout
        )
    }
