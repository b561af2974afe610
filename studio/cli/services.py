"""Services the command line gives to nodes: the Gemini client, keyed from GEMINI_API_KEY."""

from __future__ import annotations

import os
from typing import Any

from ..gemini.client import GeminiClient
from ..gemini.errors import ENV_KEY
from ..gemini.urllib_transport import UrllibTransport


def command_line_services() -> dict[str, Any]:
    return {
        "gemini": GeminiClient(UrllibTransport(), lambda: os.environ.get("GEMINI_API_KEY") or None, key_hint=ENV_KEY)
    }
