"""Editing a title where it stands (a frame's, a node's): a text field in its place, Enter keeps it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .dom import Listeners


def edit_in_place(holder: Any, box: Any, listeners: Listeners, finish: Callable[[str | None], Any]) -> None:
    """Put the text field `box` into `holder` and focus it. Enter, or a click elsewhere, ends with
    its text; Escape with None. `finish` is called once, and puts the title back itself. Keys typed
    there are letters, not shortcuts; a press on it is not the start of a drag."""
    holder.replaceChildren(box)
    box.focus()
    box.select()
    ended = [False]

    def end(keep: bool) -> None:
        if not ended[0]:
            ended[0] = True
            finish(str(box.value) if keep else None)

    def key(e: Any) -> None:
        e.stopPropagation()  # Delete, F, M, … in a title are text
        if e.key in ("Enter", "Escape"):
            e.preventDefault()
            end(e.key == "Enter")

    listeners.on(box, "keydown", key)
    listeners.on(box, "blur", lambda e: end(True))
    listeners.on(box, "pointerdown", lambda e: e.stopPropagation())
