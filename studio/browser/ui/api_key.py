"""The Gemini API key section of Settings: paste, keep (device or session), test, forget.

The key appears in the DOM only as the value of the password input (set as a property, never
as an attribute); status lines and messages never quote it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...gemini.errors import GeminiError
from .. import keystore
from .dom import Listeners, h

if TYPE_CHECKING:
    from ...gemini.client import GeminiClient

DOC_URL = "./docs/gemini-api-key.html"
WHERE_AND_WHERE_TO = (
    "Your key stays in this browser (localStorage, or sessionStorage with “this session only”) and is "
    "sent only to Google's Gemini API (generativelanguage.googleapis.com), in a request header."
)
STATUS = {
    keystore.DEVICE: "Key saved on this device.",
    keystore.SESSION: "Key kept for this session only.",
    None: "No key set.",
}
MAX_LISTED = 4  # model ids named in the test result; the rest are counted


def describe_models(ids: list[str]) -> str:
    """The test result for a working key."""
    if not ids:
        return "The key works, but it offers no Gemini image models. Check the project in Google AI Studio."
    shown = ", ".join(ids[:MAX_LISTED]) + (f" and {len(ids) - MAX_LISTED} more" if len(ids) > MAX_LISTED else "")
    noun = "model" if len(ids) == 1 else "models"
    return f"OK — {len(ids)} image {noun} available: {shown}."


class ApiKeySection:
    """`build()` makes the section (Settings builds it once); `refresh()` runs on each open.
    `make_client(key_fn)` gives a client for Test key; `on_models(ids)` hears each model list;
    `on_key_change()` is told when the key was saved, moved or forgotten."""

    def __init__(
        self,
        make_client: Callable[[Callable[[], str | None]], GeminiClient],
        on_models: Callable[[list[str]], Any],
        on_key_change: Callable[[], Any] = lambda: None,
    ) -> None:
        self.make_client = make_client
        self.on_models = on_models
        self.on_key_change = on_key_change
        self._listeners = Listeners()
        self._check_seq = 0
        self.input = self.session_only = self.where = self.check = self.reveal = None

    def build(self) -> Any:
        on = self._listeners.on
        self.input = h(
            "input",
            {
                "type": "password",
                "testid": "api-key-input",
                "id": "api-key-input",
                "cls": "api-key-input",
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "off",
                "placeholder": "Paste your Gemini API key",
                "aria-label": "Gemini API key",
            },
        )
        self.reveal = h(
            "button",
            {
                "cls": "btn",
                "type": "button",
                "testid": "api-key-reveal",
                "text": "Show",
                "aria-pressed": "false",
                "title": "Show or hide the key",
            },
        )
        self.session_only = h("input", {"type": "checkbox", "testid": "api-key-session-only"})
        save = h("button", {"cls": "btn primary", "type": "button", "testid": "api-key-save", "text": "Save"})
        test = h("button", {"cls": "btn", "type": "button", "testid": "api-key-test", "text": "Test key"})
        forget = h("button", {"cls": "btn danger", "type": "button", "testid": "api-key-forget", "text": "Forget key"})
        self.where = h("span", {"testid": "api-key-where"})
        self.check = h("span", {"testid": "api-key-check"})
        status = h(
            "div",
            {"cls": "api-key-status", "testid": "api-key-status", "role": "status", "aria-live": "polite"},
            self.where,
            " ",
            self.check,
        )
        on(self.reveal, "click", lambda e: self._toggle_reveal())
        on(self.input, "keydown", lambda e: self.save() if e.key == "Enter" else None)
        on(self.session_only, "change", lambda e: self._move())
        on(save, "click", lambda e: self.save())
        on(test, "click", lambda e: self.test())
        on(forget, "click", lambda e: self.forget())
        link = h(
            "a",
            {
                "href": DOC_URL,
                "target": "_blank",
                "rel": "noopener",
                "testid": "api-key-doc",
                "text": "How to get, restrict and forget a key",
            },
        )
        return h(
            "div",
            {"cls": "api-key", "testid": "api-key"},
            h("p", {"cls": "api-key-privacy", "testid": "api-key-privacy", "text": WHERE_AND_WHERE_TO}),
            h("div", {"cls": "field-row api-key-row"}, self.input, self.reveal),
            h(
                "label",
                {"cls": "toggle"},
                self.session_only,
                h("span", {"text": "This session only (forgotten when the tab closes)"}),
            ),
            h("div", {"cls": "btn-row"}, save, test, forget),
            status,
            h("p", {"cls": "api-key-doc muted"}, link),
        )

    # --- state ---

    def refresh(self) -> None:
        """Each time Settings opens: the stored key masked in the input, where it is kept."""
        if self.input is None:
            return
        self._mask(True)
        self.input.value = keystore.get() or ""  # a property: no attribute, no markup holds it
        self.session_only.checked = keystore.where() == keystore.SESSION
        self._show_where()

    def _show_where(self) -> None:
        self.where.textContent = STATUS[keystore.where()]

    def _say(self, text: str, kind: str = "") -> None:
        self.check.textContent = text
        self.check.className = f"api-key-check {kind}".strip()

    def _mask(self, masked: bool) -> None:
        self.input.type = "password" if masked else "text"
        self.reveal.textContent = "Show" if masked else "Hide"
        self.reveal.setAttribute("aria-pressed", "false" if masked else "true")

    def _toggle_reveal(self) -> None:
        self._mask(self.input.type != "password")

    # --- actions ---

    async def save(self) -> None:
        key = str(self.input.value or "").strip()
        if not key:
            self._say("Paste a key first.", "bad")
            return
        try:
            keystore.save(key, bool(self.session_only.checked))
        except keystore.KeyStoreError as exc:
            self._say(str(exc), "bad")
            return
        self._mask(True)
        self._show_where()
        self.on_key_change()
        await self._check(keystore.get, saved=True)

    async def test(self) -> None:
        typed = str(self.input.value or "").strip()
        key = typed or keystore.get()
        await self._check(lambda: key, saved=bool(key) and key == keystore.get())

    def _move(self) -> None:
        """Ticking or unticking "this session only" moves a saved key at once."""
        key = keystore.get()
        if key:
            try:
                keystore.save(key, bool(self.session_only.checked))
            except keystore.KeyStoreError as exc:
                self._say(str(exc), "bad")
        self._show_where()
        self.on_key_change()

    def forget(self) -> None:
        keystore.forget()
        self.input.value = ""
        self._mask(True)
        self.session_only.checked = False
        self._show_where()
        self._say("Forgotten in this browser. To revoke the key itself, delete it in Google AI Studio.")
        self.on_key_change()

    async def _check(self, key_fn: Callable[[], str | None], *, saved: bool) -> None:
        """Ask Gemini for the models this key may use: the key test, and fresh model suggestions."""
        self._check_seq += 1
        seq = self._check_seq
        self._say("Checking the key with Google…", "busy")
        try:
            ids = await self.make_client(key_fn).list_models()
        except GeminiError as exc:
            if seq == self._check_seq:
                self._say(str(exc), "bad")  # already scrubbed of the key by the client
            return
        except Exception as exc:  # a bug must not leave "Checking…" forever; the type says enough
            if seq == self._check_seq:
                self._say(f"The check failed unexpectedly ({type(exc).__name__}). Try again.", "bad")
            return
        if seq != self._check_seq:
            return
        self.on_models(ids)
        self._say(describe_models(ids) + ("" if saved else " Not saved yet: press Save."), "ok")
