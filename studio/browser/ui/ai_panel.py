"""The AI nodes' part of the Studio: their inspector section (the conversation as a transcript, the
follow-up box, Start over, what Gemini is waiting on, the key prompt), the question before a costly
run, the Gemini key section of Settings, the model suggestions and the autosave of AI images.

`install(studio)` wires it all into a Studio (studio/browser/ui/shell.py) with a few hooks:
inspector.extras, settings.add_section, the run controller's confirm, toolbar.set_calls,
autosave.media; it hears the application's events and sends it commands (FollowUp, StepBack). After a run the autosave is asked to save (new turns are worth
keeping at once), and an undo to a snapshot older than a run gets the recorded conversation back
(ai_conversation.Recorder: no second bill for it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import js  # browser-only

from ...app import ai_conversation, events
from ...app.messages import DocumentChanged, FollowUp, NodeNote, NodeStateChanged, RunFinished, StartOver, StepBack
from ...core.graph import Node
from ...core.run_result import CACHED, DONE, FAILED, QUEUED, RUNNING
from .. import keystore
from ..ffi import is_missing, js_object
from .ai_models import ModelChoices
from .ai_thumbnails import Thumbnails
from .dom import Listeners, h

if TYPE_CHECKING:
    pass


def _found(element: Any) -> Any:
    """querySelector's result, with JS null as None (Pyodide may give jsnull)."""
    return None if is_missing(element) else element


class AiPanel:
    """The inspector section of ai.* nodes; it re-fills itself after runs and edits of its node."""

    def __init__(self, app: Any, open_settings: Callable[[], Any]) -> None:
        self.app = app
        self.session = app.session
        self.editor = app.editor
        self.runs = app.runs
        self.board = app.board
        self.open_settings = open_settings
        self.models = ModelChoices()
        self.thumbs = Thumbnails()
        self.on_recorded: list[Callable[[], Any]] = []  # an AI node ran: its data has new turns
        self.on_compare: Callable[[str], Any] = lambda node_id: None  # "Compare steps" (run_history_strip.py)
        self.recorder = ai_conversation.Recorder()
        self.el: Any = None
        self.node_id: str | None = None
        self.status: Any = None
        self.followup: Any = None
        self.send_button: Any = None
        self.send_help: Any = None
        self._listeners = Listeners()
        app.subscribe(RunFinished, self._finished)
        app.subscribe(NodeNote, self._waiting)
        app.subscribe(DocumentChanged, self._on_change)
        app.subscribe(NodeStateChanged, self._on_event)

    # --- the inspector calls this for every node it shows ---

    def render(self, node: Node, fields: dict[str, Any]) -> Any:
        self._listeners.clear()
        if not ai_conversation.is_ai_node(node):
            self.el = self.node_id = self.status = self.followup = self.send_button = None
            self.models.datalist = None
            return None
        if node.id != self.node_id:
            self.followup = None  # a draft belongs to its node
        self.node_id = node.id
        model = fields.get("model")
        self.models.apply(_found(model.el.querySelector("datalist")) if model is not None else None)
        # display: contents (ai.css): the follow-up box can stick to the inspector's bottom edge.
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
        state = self.board.get(node.id)
        error = state.error if state.state == FAILED else None
        parts = [self._key_prompt(error)] if ai_conversation.points_to_settings(error) or keystore.get() is None else []
        steps = ai_conversation.steps(node)
        parts.append(self._heading(bool(steps), sum(1 for s in steps if s.image_b64) >= 2))
        waiting = self.runs.waits.text(node.id) if state.state == RUNNING else ""
        self.status = h(
            "div",
            {
                "cls": "ai-status muted",
                "testid": "ai-status",
                "aria-live": "polite",
                "text": waiting or ("Asking Gemini…" if state.state == RUNNING else ""),
            },
        )
        notes = self.runs.notes.get(node.id) or []
        if notes:
            parts.append(
                h(
                    "ul",
                    {"cls": "ai-notes", "testid": "ai-notes", "aria-label": "Notes of the last run"},
                    *[h("li", {"text": note}) for note in notes],
                )
            )
        if steps:
            parts.append(self._transcript(node, steps))
        else:
            parts.append(
                h("p", {"cls": "ai-empty muted", "text": "No steps yet: Run asks Gemini for the first one (1 call)."})
            )
        replaced = ai_conversation.replaced_steps(node)
        if replaced is not None:
            first, last = replaced
            which = f"step {first}" if first == last else f"steps {first}–{last}"
            shown = ai_conversation.selected_index(node)
            parts.append(
                h(
                    "p",
                    {
                        "cls": "ai-replaces",
                        "testid": "ai-replaces",
                        "text": f"Step {(shown or 0) + 1} of {len(steps)} is shown. Run again or a follow-up asks "
                        f"from here: {which} will be replaced (Undo brings them back).",
                    },
                )
            )
        parts.append(self._composer(draft))
        self.el.replaceChildren(*parts)
        self.sync_send()
        if refocus:
            self.followup.focus()

    def _key_prompt(self, error: str | None) -> Any:
        button = h(
            "button",
            {"cls": "btn primary", "type": "button", "testid": "ai-open-settings", "text": "Open Settings"},
        )
        self._listeners.on(button, "click", lambda e: self.open_settings())
        text = (
            error
            if ai_conversation.points_to_settings(error)
            else "AI nodes use your own Gemini API key, and none is set in this browser yet."
        )
        return h(
            "div",
            {"cls": "ai-cta", "testid": "ai-key-cta", "role": "alert" if error else None},
            h("p", {"text": text}),
            button,
        )

    def _heading(self, has_steps: bool, comparable: bool) -> Any:
        row = h("div", {"cls": "ai-head"}, h("div", {"cls": "field-label", "text": "Conversation"}))
        if comparable:
            node_id = self.node_id
            button = h("button", {"cls": "btn", "type": "button", "testid": "ai-compare", "text": "Compare",
                                  "title": "Compare two steps, with a slider or side by side"})  # fmt: skip
            self._listeners.on(button, "click", lambda e: self.on_compare(node_id) if node_id else None)
            row.append(button)
        if has_steps:
            again = h(
                "button",
                {
                    "cls": "btn ai-start-over",
                    "type": "button",
                    "testid": "ai-start-over",
                    "text": "Start over",
                    "title": "Forget the steps; the next Run asks the prompt afresh (Undo brings them back)",
                },
            )
            self._listeners.on(again, "click", lambda e: self.start_over())
            row.append(again)
        return row

    def _transcript(self, node: Node, steps: list[ai_conversation.Step]) -> Any:
        """Each step: its thumbnail (click: use it downstream), what was asked, what Gemini said."""
        shown = ai_conversation.selected_index(node)
        items = []
        for step in steps:
            selected = step.index == shown
            img = h("img", {"alt": f"Step {step.index + 1}", "draggable": "false"})
            button = h(
                "button",
                {
                    "cls": "ai-step" + (" selected" if selected else ""),
                    "type": "button",
                    "testid": f"ai-step-{step.index}",
                    "aria-pressed": "true" if selected else "false",
                    "title": f"Use step {step.index + 1} downstream",
                },
                img,
                h("span", {"cls": "ai-step-n", "text": str(step.index + 1)}),
            )
            self._listeners.on(button, "click", lambda e, i=step.index: self.step_to(i))
            self.thumbs.show(img, step)
            said = h(
                "p",
                {
                    "cls": "ai-said" + ("" if step.text else " muted"),
                    "testid": "ai-text" if selected else f"ai-text-{step.index}",
                    "text": step.text or "(no text with this image)",
                },
            )
            items.append(
                h(
                    "li",
                    {"cls": "ai-turn" + (" selected" if selected else ""), "testid": f"ai-turn-{step.index}"},
                    button,
                    h(
                        "div",
                        {"cls": "ai-turn-body"},
                        h("p", {"cls": "ai-asked"}, h("b", {"text": "You "}), h("span", {"text": step.prompt})),
                        h("div", {"cls": "ai-said-row"}, h("b", {"text": "Gemini "}), said),
                        *self._drafts(step),
                    ),
                )
            )
        return h("ol", {"cls": "ai-steps", "testid": "ai-steps", "aria-label": "Steps"}, *items)

    def _drafts(self, step: ai_conversation.Step) -> list[Any]:
        """The step's thought images, small, after what Gemini said: how it got there (not its result)."""
        if not step.thoughts:
            return []
        images = []
        for number, b64 in enumerate(step.thoughts, start=1):
            img = h(
                "img",
                {
                    "cls": "ai-draft",
                    "alt": f"Draft {number} of step {step.index + 1}",
                    "title": f"Draft {number} while thinking — not the result, not charged",
                    "draggable": "false",
                    "testid": f"ai-draft-{step.index}-{number - 1}",
                },
            )
            self.thumbs.show_image(img, b64)
            images.append(img)
        noun = "draft" if len(images) == 1 else "drafts"
        return [
            h(
                "div",
                {"cls": "ai-drafts", "testid": f"ai-drafts-{step.index}"},
                h("span", {"cls": "muted", "text": f"Thinking: {len(images)} {noun} (not charged)"}),
                *images,
            )
        ]

    def _composer(self, draft: str) -> Any:
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
        self.send_button = h(
            "button",
            {
                "cls": "btn",
                "type": "button",
                "testid": "ai-followup-send",
                "text": "Send",
                "title": "Send as a follow-up: 1 Gemini call (Ctrl/Cmd+Enter)",
            },
        )
        self._listeners.on(self.send_button, "click", lambda e: self.send())
        self._listeners.on(self.followup, "keydown", self._followup_key)
        if draft:
            self.followup.value = draft
        self.send_help = h("div", {"cls": "field-help", "testid": "ai-followup-help"})
        return h(
            "div",
            {"cls": "field ai-compose", "testid": "ai-compose"},
            self.status,  # in the box that stays in view: what Gemini is doing now, with its countdown
            h("label", {"cls": "field-label", "for": "ai-followup", "text": "Follow-up"}),
            h("div", {"cls": "ai-compose-row"}, self.followup, self.send_button),
            self.send_help,
        )

    def sync_send(self) -> None:
        """Send only continues a result on screen: never a follow-up stored for later."""
        node = self.editor.graph.nodes.get(self.node_id) if self.node_id else None
        if node is None or self.send_button is None:
            return
        state = self.board.get(node.id)
        ready = ai_conversation.has_result(node, state.state, state.stale)
        self.send_button.disabled = not ready
        if ready:
            shown, latest = ai_conversation.selected_index(node), len(ai_conversation.steps(node)) - 1
            text = "Gemini continues from the step shown." if shown == latest else f"Continues from step {shown + 1}."
        elif state.state in (QUEUED, RUNNING):
            text = "Send is available when this run has finished."
        elif ai_conversation.steps(node):
            text = "The input or settings changed since: press Run, then refine the new result."
        else:
            text = "Send is available once the node has a result: press Run first."
        self.send_help.textContent = text

    # --- actions ---

    def _followup_key(self, event: Any) -> None:
        if event.key == "Enter" and (event.ctrlKey or event.metaKey):
            event.preventDefault()
            event.stopPropagation()  # the Studio's Ctrl+Enter would start a second run
            self.send()

    def send(self) -> None:
        node = self.editor.graph.nodes.get(self.node_id)
        text = str(self.followup.value or "").strip() if self.followup is not None else ""
        if node is None or not text or self.send_button is None or self.send_button.disabled:
            return  # the draft stays in the box, visible; nothing is stored
        self.followup.value = ""
        self.app.send(FollowUp(node.id, text))

    def step_to(self, index: int) -> None:
        """Show step `index` downstream (None-equivalent for the latest); the run that follows
        costs nothing (a node downstream that would ask Gemini waits for Run)."""
        if self.node_id is not None:
            self.app.send(StepBack(self.node_id, index))

    def start_over(self) -> None:
        """Forget the conversation (one undo step); the next Run asks the prompt afresh (1 call)."""
        if self.node_id is not None:
            self.app.send(StartOver(self.node_id))

    # --- listening ---

    def _on_event(self, event: NodeStateChanged) -> None:
        # A node's step within the run (not a wait's tick: that comes as a NodeNote).
        if event.during_run and self.status is not None and self.node_id in event.nodes:
            running = self.board.get(self.node_id).state == RUNNING
            self.status.textContent = "Asking Gemini…" if running else ""
        if self.node_id is not None:
            self.sync_send()

    def _waiting(self, note: NodeNote) -> None:
        if self.status is not None and note.node == self.node_id:
            self.status.textContent = note.text

    def _on_change(self, event: DocumentChanged) -> None:
        change = event.change
        if change.kind == events.REPLACED:
            if change.label.startswith(("undo ", "redo ")):
                self.recorder.after_undo(self.editor.graph)
            else:
                self.recorder.forget()  # another workflow was opened
                self.runs.trusted.clear()
        if self.el is not None and self.node_id in change.nodes and change.kind in (events.PARAM, events.REPLACED):
            self.fill()
        elif self.el is not None and change.affects_results:
            self.sync_send()  # an edit upstream makes the result out of date

    def _finished(self, event: RunFinished) -> None:
        result = event.result
        graph = self.editor.graph
        ran_ai = self.recorder.after_run(graph, result.with_status(DONE))
        if ran_ai:
            for callback in list(self.on_recorded):
                callback()
        if self.node_id in result.nodes:
            node = graph.nodes.get(self.node_id)
            shown = ai_conversation.selected_index(node) if node is not None else None
            if shown is not None and result.nodes[self.node_id].status in (DONE, CACHED):
                # The run controller already drew the node's output small: no second decode of a 4K image.
                step = next((s for s in ai_conversation.steps(node) if s.index == shown), None)
                self.thumbs.seed(step.image_b64 if step else None, self.runs.thumbnails.url(self.node_id))
            self.fill()
            cta = _found(self.el.querySelector(".ai-cta")) if self.el is not None else None
            if cta is not None and result.nodes[self.node_id].status == FAILED:
                cta.scrollIntoView(js_object({"block": "nearest"}))  # below the params otherwise
        else:
            self.sync_send()
