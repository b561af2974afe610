"""The AI nodes' part of the Studio: their inspector section (steps, follow-up, text, key prompt),
the Gemini key section of Settings, the model suggestions and the autosave of AI images.

`install(studio)` wires it all into a Studio (studio/browser/ui/shell.py) with a few hooks:
inspector.extras, settings.add_section, runner.on_finished, editor changes, autosave.media.
After a run the autosave is asked to save (new turns are worth keeping at once), and an undo to
a snapshot older than a run gets the recorded conversation back (no second bill for it).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import js  # browser-only
from pyodide.ffi import JsException, JsNull, to_js

from ...app import ai_history, events
from ...app.events import Change
from ...backend.image_header import checked_header
from ...core.errors import ImageError
from ...core.graph import Node
from ...core.run_result import CACHED, DONE, RUNNING, NodeEvent, RunResult
from .. import keystore
from .ai_images import AiImages
from .api_key import ApiKeySection
from .dom import Listeners, h, report, spawn

if TYPE_CHECKING:
    from ...gemini import GeminiClient

THUMB_SIDE = 72  # px, the longer side of a step's thumbnail in the strip
THUMBS_KEPT = 48


class ModelChoices:
    """The model ids the AI nodes' `model` field suggests. The catalog's list until the user's key
    was tested or saved; then the models that key may use (retired ones are gone)."""

    def __init__(self) -> None:
        self.ids: list[str] | None = None
        self.datalist: Any = None  # the shown model field's suggestions, if an AI node is shown
        self.on_change: list[Callable[[list[str]], Any]] = []

    def set(self, ids: list[str]) -> None:
        self.ids = list(ids)
        self.apply(self.datalist)
        for callback in list(self.on_change):
            callback(self.ids)

    def apply(self, datalist: Any) -> None:
        self.datalist = datalist
        if datalist is None or not self.ids:
            return
        datalist.replaceChildren(*[h("option", {"value": model_id}) for model_id in self.ids])


class Thumbnails:
    """Small PNG blob URLs of step images, made natively (createImageBitmap with a resize)."""

    def __init__(self) -> None:
        self._urls: dict[str, str] = {}  # base64 text -> blob URL (the str's hash is cached by Python)

    def seed(self, b64: str | None, url: str | None) -> None:
        """Use a thumbnail made elsewhere (the runner's, of the node's output) for this image."""
        if b64 and url and b64 not in self._urls:
            self._urls[b64] = url

    def show(self, img: Any, step: ai_history.Step) -> None:
        if not step.image_b64:
            return
        url = self._urls.get(step.image_b64)
        if url is not None:
            img.src = url
        else:
            spawn(self._make(img, step.image_b64), "AI step thumbnail")

    async def _make(self, img: Any, b64: str) -> None:
        try:
            data = base64.b64decode(b64)
            header = checked_header(data)
            width, height = header.width, header.height
            scale = min(1.0, THUMB_SIDE / max(width, height, 1))
            options = {
                "resizeWidth": max(1, round(width * scale)),
                "resizeHeight": max(1, round(height * scale)),
                "resizeQuality": "medium",
            }
            blob = js.Blob.new(js.Array.of(to_js(data)), _js_object({"type": header.mime_type}))
            bitmap = await js.createImageBitmap(blob, _js_object(options))
            canvas = js.OffscreenCanvas.new(bitmap.width, bitmap.height)
            canvas.getContext("2d").drawImage(bitmap, 0, 0)
            bitmap.close()
            small = await canvas.convertToBlob(_js_object({"type": "image/png"}))
        except (ImageError, JsException, ValueError) as exc:
            img.alt = "(no preview)"
            report("AI step thumbnail", exc)
            return
        url = js.URL.createObjectURL(small)
        self._urls[b64] = url
        while len(self._urls) > THUMBS_KEPT:
            js.URL.revokeObjectURL(self._urls.pop(next(iter(self._urls))))
        img.src = url


def _js_object(value: dict[str, Any]) -> Any:
    return to_js(value, dict_converter=js.Object.fromEntries)


def _found(element: Any) -> Any:
    """querySelector's result, with JS null as None (Pyodide may give jsnull)."""
    return None if element is None or isinstance(element, JsNull) else element


class AiPanel:
    """The inspector section of ai.* nodes; it re-fills itself after runs and edits of its node."""

    def __init__(self, session: Any, editor: Any, runner: Any, board: Any, open_settings: Callable[[], Any]) -> None:
        self.session = session
        self.editor = editor
        self.runner = runner
        self.board = board
        self.open_settings = open_settings
        self.models = ModelChoices()
        self.thumbs = Thumbnails()
        self.on_recorded: list[Callable[[], Any]] = []  # an AI node ran: its data has new turns
        # The latest conversation each AI node recorded in this page (references, not copies):
        # an undo to a snapshot older than a run gets it back (see ai_history.carry_turns).
        self._recorded: dict[str, dict[str, Any]] = {}
        self.el: Any = None
        self.node_id: str | None = None
        self.status: Any = None
        self.followup: Any = None
        self._listeners = Listeners()
        runner.on_finished.append(self._finished)
        editor.subscribe(self._on_change)
        session.listeners.append(self._on_event)

    # --- the inspector calls this for every node it shows ---

    def render(self, node: Node, fields: dict[str, Any]) -> Any:
        self._listeners.clear()
        if not ai_history.is_ai_node(node):
            self.el = self.node_id = self.status = self.followup = None
            self.models.datalist = None
            return None
        if node.id != self.node_id:
            self.followup = None  # a draft belongs to its node
        self.node_id = node.id
        model = fields.get("model")
        self.models.apply(_found(model.el.querySelector("datalist")) if model is not None else None)
        self.el = h("section", {"cls": "ai-panel", "testid": "ai-panel", "aria-label": "Gemini conversation"})
        self.fill()
        return self.el

    def fill(self) -> None:
        """Rebuild the section from the node's data and its last run state."""
        if self.el is None:
            return
        node = self.editor.graph.nodes.get(self.node_id)
        if node is None:
            return
        # A follow-up being typed survives a refill (a run finishing meanwhile).
        old = self.followup
        draft = str(old.value or "") if old is not None else ""
        refocus = old is not None and bool(old.isSameNode(js.document.activeElement))
        self._listeners.clear()
        on = self._listeners.on
        steps = ai_history.steps(node)
        shown = ai_history.selected_index(node)
        state = self.board.get(node.id)
        error = state.error if state.state == "failed" else None
        parts = []

        has_key = keystore.get() is not None
        if ai_history.points_to_settings(error) or not has_key:
            button = h(
                "button",
                {"cls": "btn primary", "type": "button", "testid": "ai-open-settings", "text": "Open Settings"},
            )
            on(button, "click", lambda e: self.open_settings())
            text = (
                error
                if ai_history.points_to_settings(error)
                else ("AI nodes use your own Gemini API key, and none is set in this browser yet.")
            )
            parts.append(
                h(
                    "div",
                    {"cls": "ai-cta", "testid": "ai-key-cta", "role": "alert" if error else None},
                    h("p", {"text": text}),
                    button,
                )
            )

        self.status = h(
            "div",
            {
                "cls": "ai-status muted",
                "testid": "ai-status",
                "aria-live": "polite",
                "text": "Asking Gemini…" if state.state == RUNNING else "",
            },
        )
        parts.append(self.status)

        if steps:
            strip = h("div", {"cls": "ai-steps", "testid": "ai-steps", "role": "group", "aria-label": "Steps"})
            for step in steps:
                img = h("img", {"alt": f"Step {step.index + 1}", "draggable": "false"})
                selected = step.index == shown
                button = h(
                    "button",
                    {
                        "cls": "ai-step" + (" selected" if selected else ""),
                        "type": "button",
                        "testid": f"ai-step-{step.index}",
                        "aria-pressed": "true" if selected else "false",
                        "title": f"Step {step.index + 1}: {step.prompt}"[:300],
                    },
                    img,
                    h("span", {"cls": "ai-step-n", "text": str(step.index + 1)}),
                )
                on(button, "click", lambda e, i=step.index: self.step_to(i))
                self.thumbs.show(img, step)
                strip.append(button)
            parts.append(
                h(
                    "div",
                    {"cls": "field"},
                    h("div", {"cls": "field-label", "text": "Steps"}),
                    strip,
                    h("div", {"cls": "field-help", "text": "Click a step to use its image downstream."}),
                )
            )
            text = next((s.text for s in steps if s.index == shown), "")
            parts.append(
                h(
                    "div",
                    {"cls": "field"},
                    h("div", {"cls": "field-label", "text": "Gemini said"}),
                    h(
                        "div",
                        {
                            "cls": "ai-text" + ("" if text else " muted"),
                            "testid": "ai-text",
                            "text": text or "(no text with this image)",
                        },
                    ),
                )
            )

        self.followup = h(
            "textarea",
            {
                "cls": "ai-followup",
                "testid": "ai-followup",
                "rows": "2",
                "id": "ai-followup",
                "spellcheck": "true",
                "placeholder": "Refine the result, e.g. “make the sky warmer”",
            },
        )
        send = h(
            "button",
            {
                "cls": "btn",
                "type": "button",
                "testid": "ai-followup-send",
                "text": "Send",
                "title": "Send as a follow-up (Ctrl/Cmd+Enter)",
            },
        )
        on(send, "click", lambda e: self.send())
        on(self.followup, "keydown", self._followup_key)
        if draft:
            self.followup.value = draft
        latest = len(steps) - 1
        help_text = (
            "Gemini continues from the step shown."
            if shown is None or shown == latest
            else f"Continues from step {shown + 1}: the steps after it are replaced (Undo brings them back)."
        )
        parts.append(
            h(
                "div",
                {"cls": "field"},
                h("label", {"cls": "field-label", "for": "ai-followup", "text": "Follow-up"}),
                self.followup,
                h("div", {"cls": "btn-row ai-send-row"}, send),
                h("div", {"cls": "field-help", "text": help_text}),
            )
        )
        self.el.replaceChildren(*parts)
        if refocus:
            self.followup.focus()

    # --- actions ---

    def _followup_key(self, event: Any) -> None:
        if event.key == "Enter" and (event.ctrlKey or event.metaKey):
            event.preventDefault()
            event.stopPropagation()  # the Studio's Ctrl+Enter would start a second run
            self.send()

    def send(self) -> None:
        node = self.editor.graph.nodes.get(self.node_id)
        text = str(self.followup.value or "").strip() if self.followup is not None else ""
        if node is None or not text:
            return
        self.followup.value = ""
        followups, selected = ai_history.followups_from(node, text)
        self.editor.set_data(node.id, {"followups": followups, "selected": selected}, "follow-up")
        self.runner.run()

    def step_to(self, index: int) -> None:
        """Show step `index` downstream (None-equivalent for the latest), then run."""
        node = self.editor.graph.nodes.get(self.node_id)
        if node is None:
            return
        latest = len(node.data.get("turns") or ()) - 1
        value = None if index >= latest else index
        if node.data.get("selected") != value:
            self.editor.set_data(node.id, {"selected": value}, "step back" if value is not None else "latest step")
        self.runner.run()

    # --- listening ---

    def _on_event(self, event: NodeEvent) -> None:
        if self.status is not None and event.node == self.node_id:
            self.status.textContent = "Asking Gemini…" if event.state == RUNNING else ""

    def _on_change(self, change: Change) -> None:
        if change.kind == events.REPLACED:
            if change.label.startswith(("undo ", "redo ")):
                self._carry_recorded()
            else:
                self._recorded.clear()  # another workflow was opened
        if self.el is not None and self.node_id in change.nodes and change.kind in (events.PARAM, events.REPLACED):
            self.fill()

    def _carry_recorded(self) -> None:
        for node_id, recorded in self._recorded.items():
            node = self.editor.graph.nodes.get(node_id)
            if node is not None and ai_history.is_ai_node(node):
                ai_history.carry_turns(recorded, node.data)

    def _finished(self, result: RunResult) -> None:
        graph = self.editor.graph
        ran_ai = [n for n in result.with_status(DONE) if n in graph.nodes and ai_history.is_ai_node(graph.nodes[n])]
        for node_id in ran_ai:
            data = graph.nodes[node_id].data
            if data.get("turns"):
                self._recorded[node_id] = {"turns": data["turns"], "basis": data.get("basis")}
        if ran_ai:
            for callback in list(self.on_recorded):
                callback()
        if self.node_id in result.nodes:
            node = graph.nodes.get(self.node_id)
            shown = ai_history.selected_index(node) if node is not None else None
            if shown is not None and result.nodes[self.node_id].status in (DONE, CACHED):
                # The runner already drew the node's output small: no second decode of a 4K image.
                step = next((s for s in ai_history.steps(node) if s.index == shown), None)
                self.thumbs.seed(step.image_b64 if step else None, self.runner.thumbnail(self.node_id))
            self.fill()
            cta = _found(self.el.querySelector(".ai-cta")) if self.el is not None else None
            if cta is not None and result.nodes[self.node_id].status == "failed":
                cta.scrollIntoView(_js_object({"block": "nearest"}))  # below the params otherwise


def make_client(api_key: Callable[[], str | None], *, in_settings: bool = False) -> GeminiClient:
    """A client for the AI nodes, or (in_settings) for Test key (the typed key, not yet saved)."""
    # Imported here, not at boot: the client and its imports (urllib.parse…) cost ~0.15 s in the browser.
    from ...gemini.client import GeminiClient
    from ...gemini.errors import SETTINGS_KEY, KeyHint
    from ..fetch_transport import FetchTransport

    # Test key's messages show inside Settings, by the key field: "in Settings" would send the
    # user where they already are.
    here = KeyHint(
        where="in the box above",
        how_to_add="Paste your Gemini API key in the box above (create one in Google AI Studio).",
    )
    return GeminiClient(FetchTransport(), api_key, key_hint=here if in_settings else SETTINGS_KEY)


def install(studio: Any) -> AiPanel:
    """Wire the AI parts into a Studio; returns the panel."""
    panel = AiPanel(studio.session, studio.editor, studio.runner, studio.board, studio.settings.open)
    studio.inspector.extras.append(panel.render)
    studio.autosave.media = AiImages()

    def save_soon() -> None:
        spawn(studio.autosave.save(), "autosave after an AI run")

    panel.on_recorded.append(save_soon)
    section = ApiKeySection(
        lambda key: make_client(key, in_settings=True), on_models=panel.models.set, on_key_change=panel.fill
    )
    studio.settings.add_section("Gemini API key", section.build)
    studio.settings.on_open.append(section.refresh)
    return panel
