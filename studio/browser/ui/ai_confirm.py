"""The question before a costly run: "This run will make 3 Gemini calls", with the reasons per node."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from ...app.billing import Consent, Plan, plural
from ...gemini.pricing import Estimate
from .dom import Listeners, h


class RunConfirm:
    """A modal dialog; `ask(plan)` resolves to the person's Consent. Escape or "Not now" is a no."""

    def __init__(
        self, name_of: Callable[[str], str] = str, estimate_of: Callable[[Plan], Estimate] | None = None
    ) -> None:
        self.name_of = name_of  # a node id as the list shows it ("AI Edit “edit”")
        self.estimate_of = estimate_of  # the plan's price from the nodes' models and sizes
        self._listeners = Listeners()
        self._answer: asyncio.Future[Consent] | None = None
        self.title = h("h2", {"id": "ai-confirm-title"})
        self.items = h("ul", {"cls": "ai-confirm-items", "testid": "ai-confirm-items"})
        self.estimate = h("p", {"cls": "ai-confirm-estimate", "testid": "ai-confirm-estimate"})
        self.trust = h("input", {"type": "checkbox", "id": "ai-confirm-trust", "testid": "ai-confirm-trust"})
        self.trust_label = h("label", {"for": "ai-confirm-trust"})
        self.yes = h("button", {"cls": "btn primary", "type": "button", "testid": "ai-confirm-run"})
        self.no = h("button", {"cls": "btn", "type": "button", "testid": "ai-confirm-cancel", "text": "Not now"})
        self.el = h(
            "dialog",
            {"cls": "dialog ai-confirm", "testid": "ai-confirm", "aria-labelledby": "ai-confirm-title"},
            h("div", {"cls": "dialog-head"}, self.title),
            h(
                "div",
                {"cls": "ai-confirm-body"},
                self.items,
                self.estimate,
                h(
                    "p",
                    {
                        "cls": "muted",
                        "text": "Each call is billed to your Gemini key. "
                        "“Not now” runs only what costs nothing; the AI nodes wait for Run.",
                    },
                ),
                h("div", {"cls": "ai-confirm-trust"}, self.trust, self.trust_label),
                h("div", {"cls": "btn-row ai-confirm-buttons"}, self.no, self.yes),
            ),
        )
        on = self._listeners.on
        on(self.yes, "click", lambda e: self._done(Consent(True, bool(self.trust.checked))))
        on(self.no, "click", lambda e: self._done(Consent(False)))
        on(self.el, "cancel", lambda e: self._done(Consent(False)))  # Escape
        # Escape here is the dialog's: it must not also deselect the node or close other panels.
        on(self.el, "keydown", lambda e: e.stopPropagation() if e.key == "Escape" else None)

    async def ask(self, plan: Plan) -> Consent:
        if self._answer is not None and not self._answer.done():
            self._answer.set_result(Consent(False))
        self.title.textContent = f"This run will make {plural(plan.total, 'Gemini call')}"
        self.items.replaceChildren(
            *[h("li", {"text": calls.describe(self.name_of(calls.node))}) for calls in plan.nodes]
        )
        priced = self.estimate_of(plan) if self.estimate_of is not None else None
        self.estimate.textContent = priced.describe() if priced is not None else ""
        self.estimate.hidden = priced is None
        self.trust.checked = False
        self.trust_label.textContent = (
            "Don’t ask again for this node" if len(plan.nodes) == 1 else "Don’t ask again for these nodes"
        )
        self.yes.textContent = f"Run · {plural(plan.total, 'Gemini call')}"
        self._answer = asyncio.get_event_loop().create_future()
        if not self.el.open:
            self.el.showModal()
        self.no.focus()  # Enter alone never spends money
        return await self._answer

    def _done(self, consent: Consent) -> Any:
        if self.el.open:
            self.el.close()
        if self._answer is not None and not self._answer.done():
            self._answer.set_result(consent)
