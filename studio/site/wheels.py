"""The pure-Python wheels the Studio ships (pinned by hash): the page and the engine's worker both
import them; studio/site/runtime.py fetches and checks them, pyscript.toml lists them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WheelPin:
    """One wheel: exact version, its file name and the file's sha256."""

    name: str
    version: str
    filename: str
    sha256: str


WHEELS: tuple[WheelPin, ...] = (
    WheelPin(
        "segno",
        "1.6.6",
        "segno-1.6.6-py3-none-any.whl",
        "28c7d081ed0cf935e0411293a465efd4d500704072cdb039778a2ab8736190c7",
    ),
    # Markdown in canvas.note (studio/browser/ui/note_markdown.py).
    WheelPin(
        "mistune",
        "3.4.0",
        "mistune-3.4.0-py3-none-any.whl",
        "d03cec4c8620f21517a996d82d14f3b59c30d79bda2cc6c56bd32b839f18ce6b",
    ),
)
