"""The AI parts wired into a Studio: the panel in the inspector, the Run confirmation, the key's
Settings section, the AI image store of the autosave, and the Gemini client the nodes call."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import js  # browser-only

from ...app.messages import KeyChanged, PlanChanged
from .. import keystore
from .ai_confirm import RunConfirm
from .ai_images import AiImages
from .ai_panel import AiPanel
from .api_key import ApiKeySection
from .dom import spawn

if TYPE_CHECKING:
    from ...gemini import GeminiClient


def make_client(api_key: Callable[[], str | None], transport: Any, *, in_settings: bool = False) -> GeminiClient:
    """A client for the AI nodes, or (in_settings) for Test key (the typed key, not yet saved);
    `transport` (engine_fetch.transport_for) makes its requests: in the engine's worker if it is up."""
    # Imported here, not at boot: the client and its imports (urllib.parse…) cost ~0.15 s in the browser.
    from ...gemini.client import GeminiClient
    from ...gemini.errors import SETTINGS_KEY, KeyHint
    from .api_key import client_options  # the Settings timeout and the session total's listener

    # Test key's messages show inside Settings, by the key field: "in Settings" would send the
    # user where they already are.
    here = KeyHint(
        where="in the box above",
        how_to_add="Paste your Gemini API key in the box above (create one in Google AI Studio).",
    )
    return GeminiClient(transport, api_key, key_hint=here if in_settings else SETTINGS_KEY, **client_options())


def gemini_transport(backend: Any) -> Any:
    """Where the Gemini requests go: the engine's worker if the backend has one, else the page's fetch."""
    from ..engine_fetch import transport_for  # at the first request, not at boot (the Gemini errors' imports)

    return transport_for(backend)


def install(studio: Any) -> AiPanel:
    """Wire the AI parts into a Studio; returns the panel."""
    panel = AiPanel(studio.app, studio.settings.open)
    studio.inspector.extras.append(panel.render)

    def name_of(node_id: str) -> str:
        node = studio.editor.graph.nodes.get(node_id)
        spec = studio.session.catalog.get(node.type) if node is not None else None
        return f"{spec.title} “{node_id}”" if spec is not None else node_id

    confirm = RunConfirm(name_of, lambda plan: plan.estimate(studio.editor.graph))
    js.document.body.append(confirm.el)  # a modal: where it sits in the page does not matter
    studio.runs.confirm = confirm.ask
    studio.app.subscribe(PlanChanged, lambda e: studio.toolbar.set_calls(e.plan.label()))
    studio.runs.announce()
    studio.autosave.media = AiImages()
    panel.on_compare = lambda node_id: studio.history_strip.open_compare(node_id, steps_first=True)

    def save_soon() -> None:
        # "pending" until this save ends: whoever waits for "saved" then sees the new turns.
        js.document.documentElement.dataset.autosave = "pending"
        spawn(studio.autosave.save(), "autosave after an AI run")

    panel.on_recorded.append(save_soon)
    section = ApiKeySection(
        lambda key: make_client(key, gemini_transport(studio.session.backend), in_settings=True),
        on_models=panel.models.set,
        on_key_change=lambda: studio.app.stream.publish(KeyChanged(present=keystore.get() is not None)),
    )
    studio.app.subscribe(KeyChanged, lambda e: panel.fill())
    # A node that said "needs a Gemini key" says so no longer (and the other way round) at once.
    studio.app.subscribe(KeyChanged, lambda e: studio.canvas.refresh_states())
    studio.settings.add_section("Gemini API key", section.build)
    studio.settings.on_open.append(section.refresh)
    return panel
