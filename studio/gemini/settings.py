"""The Gemini client's user settings: the request timeout, its bounds, and reading it from the environment."""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..core.errors import StudioError

# How long one generateContent request may take before the Studio gives up on it. A 4K image with
# high thinking can take over a minute; a request that hangs longer is reported, and never sent
# again automatically (Gemini may still be making, and billing, that image).
DEFAULT_TIMEOUT = 120.0
MIN_TIMEOUT = 10.0
MAX_TIMEOUT = 600.0
# `studio run` reads the timeout from here (seconds); the page keeps it in Settings.
ENV_TIMEOUT = "GEMINI_TIMEOUT"


class SettingError(StudioError):
    """A Gemini setting has a value the Studio cannot use (the message names it)."""


def parse_timeout(value: object, where: str = "The Gemini timeout") -> float:
    """Seconds between MIN_TIMEOUT and MAX_TIMEOUT from a number or text like "90" / "90s"."""
    text = str(value).strip().lower().removesuffix("s").strip() if isinstance(value, str) else value
    try:
        seconds = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        shown = repr(value)[:40]
        raise SettingError(f"{where} must be a number of seconds, got {shown}.") from None
    if not math.isfinite(seconds) or not MIN_TIMEOUT <= seconds <= MAX_TIMEOUT:
        raise SettingError(
            f"{where} must be between {MIN_TIMEOUT:g} and {MAX_TIMEOUT:g} seconds, got {str(value)[:40]}."
        )
    return seconds


def timeout_from_env(environ: Mapping[str, str]) -> float:
    """The timeout `studio run` uses: GEMINI_TIMEOUT if set (checked), else DEFAULT_TIMEOUT."""
    raw = environ.get(ENV_TIMEOUT, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    return parse_timeout(raw, f"The {ENV_TIMEOUT} environment variable")
