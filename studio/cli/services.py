"""Services the command line gives to nodes (the Gemini client, keyed from GEMINI_API_KEY)."""

from __future__ import annotations

import os
from typing import Any


def command_line_services() -> dict[str, Any]:
    try:
        from ..gemini.client import GeminiClient
        from ..gemini.urllib_transport import UrllibTransport
    except ImportError:  # the Gemini client is optional for non-AI workflows
        return {}
    return {"gemini": GeminiClient(UrllibTransport(), lambda: os.environ.get("GEMINI_API_KEY") or None)}
