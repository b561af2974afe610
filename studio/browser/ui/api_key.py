"""The Gemini section of Settings: the key (paste, keep, test, forget), the request timeout, the session's cost.

The key appears in the DOM only as the value of the password input (set as a property, never
as an attribute); status lines and messages never quote it.

`client_options()` is what every Gemini client of the page is made with: the timeout from
Settings and the note listener that keeps the session total (and tells `note_listeners`, e.g.
the AI panel showing a retry countdown on its node).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...gemini.errors import GeminiError
from ...gemini.models import default_model
from ...gemini.notes import FAILED, USAGE, Note
from ...gemini.pricing import PRICES_DATE, SessionUsage
from ...gemini.settings import MAX_TIMEOUT, MIN_TIMEOUT, SettingError
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
KEY_KINDS = (
    "Keys from Google AI Studio are auth keys (they start with AQ.) since 2026; older standard keys "
    "start with AIza. Both work here. Google rejects unrestricted standard keys since 2026-06-19 "
    "and announced it would reject all standard keys from September 2026: if yours starts with AIza, "
    "create a new key. Restrict a key to the Generative Language API and set a spending cap on its "
    "project. Whether auth keys can also be limited to this website (HTTP referrers) is not "
    "confirmed by Google's documentation."
)
COST_NOTE = (
    f"Prices are estimates from a table dated {PRICES_DATE}; Google's bill is authoritative. A call "
    "that failed may still be billed unless Gemini blocked the prompt."
)

# This page's running total, and who else hears the Gemini clients' notes.
SESSION = SessionUsage()
note_listeners: list[Callable[[Note], Any]] = []


def hear(note: Note) -> None:
    """The note listener of every Gemini client in the page."""
    if note.kind == USAGE:
        SESSION.add_usage(note.data)
    elif note.kind == FAILED:
        SESSION.add_failure(str(note.data.get("billing", "")))
    for listener in list(note_listeners):
        listener(note)


def client_options() -> dict[str, Any]:
    """Keyword arguments for GeminiClient: the Settings timeout (read per call) and `hear`."""
    return {"timeout": keystore.timeout, "on_note": hear}


def describe_models(ids: list[str]) -> str:
    """The test result for a working key."""
    if not ids:
        return "The key works, but it offers no Gemini image models. Check the project in Google AI Studio."
    shown = ", ".join(ids[:MAX_LISTED]) + (f" and {len(ids) - MAX_LISTED} more" if len(ids) > MAX_LISTED else "")
    noun = "model" if len(ids) == 1 else "models"
    return f"OK — {len(ids)} image {noun} available: {shown}. Recommended: {default_model(ids)}."


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
        self.timeout = self.timeout_note = self.total = None
        SESSION.listeners.append(self._show_total)
        # The list the key's last test returned, from before a reload: the picker needs no new test.
        remembered = keystore.remembered_models()
        if remembered is not None:
            self.on_models(remembered)

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
        self.timeout = h(
            "input",
            {
                "type": "number",
                "id": "api-timeout",
                "testid": "api-timeout",
                "min": f"{MIN_TIMEOUT:g}",
                "max": f"{MAX_TIMEOUT:g}",
                "step": "1",
                "cls": "api-timeout",
            },
        )
        self.timeout_note = h("span", {"testid": "api-timeout-note", "cls": "muted", "role": "status"})
        on(self.timeout, "change", lambda e: self._save_timeout())
        self.total = h("p", {"cls": "api-total", "testid": "gemini-session-total", "aria-live": "polite"})
        self._show_total(SESSION)
        return h(
            "div",
            {"cls": "api-key", "testid": "api-key"},
            h("p", {"cls": "api-key-privacy", "testid": "api-key-privacy", "text": WHERE_AND_WHERE_TO}),
            h("p", {"cls": "api-key-kinds muted", "testid": "api-key-kinds", "text": KEY_KINDS}),
            h("div", {"cls": "field-row api-key-row"}, self.input, self.reveal),
            h(
                "label",
                {"cls": "toggle"},
                self.session_only,
                h("span", {"text": "This session only (forgotten when the tab closes)"}),
            ),
            h("div", {"cls": "btn-row"}, save, test, forget),
            status,
            h(
                "div",
                {"cls": "field"},
                h("label", {"cls": "field-label", "for": "api-timeout", "text": "Request timeout (seconds)"}),
                h("div", {"cls": "field-row"}, self.timeout, self.timeout_note),
                h(
                    "div",
                    {
                        "cls": "field-help",
                        "text": "A request with no answer by then is reported and not sent again by itself: "
                        "Gemini may still make (and bill) that image.",
                    },
                ),
            ),
            self.total,
            h("p", {"cls": "api-cost muted", "text": COST_NOTE}),
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
        if self.timeout is not None:
            self.timeout.value = f"{keystore.timeout():g}"
        self._show_total(SESSION)

    def _show_total(self, session: SessionUsage) -> None:
        if self.total is not None:
            self.total.textContent = session.describe()

    def _save_timeout(self) -> None:
        try:
            seconds = keystore.save_timeout(str(self.timeout.value or ""))
        except SettingError as exc:
            self.timeout_note.textContent = str(exc)
            self.timeout_note.className = "api-timeout-note bad"
            return
        self.timeout.value = f"{seconds:g}"
        self.timeout_note.textContent = "Saved."
        self.timeout_note.className = "api-timeout-note ok"

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
        if saved:
            keystore.remember_models(ids)  # beside the key, for the next reload
        self.on_models(ids)
        self._say(describe_models(ids) + ("" if saved else " Not saved yet: press Save."), "ok")
