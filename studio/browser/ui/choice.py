"""A question with a few answers, as a modal <dialog>: `await ask(...)` gives the answer picked
(None for Escape or the close button)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import js  # browser-only

from .dom import Listeners, h


async def ask(title: str, message: str, answers: Sequence[tuple[str, str]], *, testid: str = "choice") -> str | None:
    """answers: (label, value) pairs; the first is the default (focused) one."""
    future: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
    listeners = Listeners()
    buttons = []
    for index, (label, value) in enumerate(answers):
        btn = h("button", {"cls": "btn primary" if index == 0 else "btn", "type": "button", "text": label,
                           "testid": f"{testid}-{value}"})  # fmt: skip
        listeners.on(btn, "click", lambda e, v=value: future.done() or future.set_result(v))
        buttons.append(btn)
    close = h("button", {"cls": "icon-btn", "type": "button", "text": "✕", "aria-label": "Close"})
    dialog = h(
        "dialog",
        {"cls": "dialog choice", "testid": testid, "aria-label": title},
        h("div", {"cls": "dialog-head"}, h("h2", {"text": title}), close),
        h("p", {"cls": "choice-text", "text": message}),
        h("div", {"cls": "choice-actions"}, *buttons),
    )
    listeners.on(close, "click", lambda e: future.done() or future.set_result(None))
    # Escape closes a modal dialog by itself ("cancel"), and must not reach the canvas shortcuts.
    listeners.on(dialog, "cancel", lambda e: future.done() or future.set_result(None))
    js.document.body.append(dialog)
    dialog.showModal()
    if buttons:
        buttons[0].focus()
    try:
        return await future
    finally:
        if dialog.open:
            dialog.close()
        dialog.remove()
        listeners.clear()
