"""The installable, offline Studio in the toolbar: the offline indicator, Install, and "A new version is ready — Reload".

static/pwa.js registers the service worker and reports the browser's side (network, waiting update,
install prompt) as "pyxis:*" events and window.pyxisApp; this module shows it and acts on it."""

from __future__ import annotations

import asyncio
from typing import Any

import js  # browser-only

from ...app.messages import RunFinished
from ...app.offline import OFFLINE, needs_network
from ...app.run_state import CACHED, DONE, IDLE, QUEUED, RUNNING
from .dom import Listeners, h, missing, report, spawn

SAVE_WAIT_S = 5.0  # how long Reload waits for the autosave to finish writing before it gives up


class AppStatus:
    def __init__(self, studio: Any) -> None:
        self.studio = studio
        self._listeners = Listeners()
        on = self._listeners.on
        self.offline_badge = h(
            "span",
            {
                "cls": "offline-badge",
                "testid": "offline-indicator",
                "role": "status",
                "title": "No network: everything works except AI nodes, which need Gemini",
                "text": "Offline",
                "hidden": True,
            },
        )
        self.install = h(
            "button",
            {"cls": "btn", "type": "button", "testid": "install-app", "title": "Install Pyxis Studio as an app"},
            h("span", {"cls": "btn-icon", "aria-hidden": "true", "text": "⊕"}),
            h("span", {"text": "Install"}),
        )
        self.install.hidden = True
        on(self.install, "click", lambda e: spawn(self._install(), "install"))
        self.reload = h("button", {"cls": "btn primary", "type": "button", "testid": "update-reload", "text": "Reload"})
        on(self.reload, "click", lambda e: spawn(self.apply_update(), "update"))
        self.update = h(
            "div",
            {"cls": "update-notice", "role": "status", "aria-live": "polite", "testid": "update-notice"},
            h("span", {"text": "A new version is ready — "}),
            self.reload,
        )
        self.update.hidden = True
        self.el = h("div", {"cls": "tool-group app-status"}, self.offline_badge, self.install, self.update)
        for name, handler in (
            ("pyxis:network", self._on_network),
            ("pyxis:update", self._on_update),
            ("pyxis:installable", self._on_installable),
        ):
            on(js.window, name, lambda e, handler=handler: handler())
        studio.runs.is_offline = self.offline
        studio.app.subscribe(RunFinished, lambda e: self.mark_nodes())
        # A node added offline says so at once; online, the network event alone clears the marks, so a
        # slider tick costs nothing here.
        studio.app.on_document(lambda change: self.mark_nodes() if self.offline() else None)
        self._on_network()
        self._on_update()
        self._on_installable()

    @property
    def _app(self) -> Any:
        app = getattr(js.window, "pyxisApp", None)
        return None if missing(app) else app

    def offline(self) -> bool:
        return not bool(js.navigator.onLine)

    # --- network ---

    def _on_network(self) -> None:
        self.offline_badge.hidden = not self.offline()
        self.mark_nodes()

    def mark_nodes(self) -> None:
        """While offline, AI nodes that would have to ask Gemini say so (neutral); back online they are
        ready again. Nodes that recorded their turns replay them and are left alone."""
        studio = self.studio
        offline = self.offline()
        waiting = needs_network(studio.editor.graph, studio.session.catalog, studio.board)
        for node_id, status in list(studio.board.nodes.items()) + [(n, studio.board.get(n)) for n in waiting]:
            changed = False
            # A run offline leaves such a node skipped or failed for want of Gemini: offline says why.
            if offline and node_id in waiting and status.state not in (QUEUED, RUNNING, DONE, CACHED):
                changed = status.state != OFFLINE or status.neutral != waiting[node_id]
                status.state, status.neutral = OFFLINE, waiting[node_id]
            elif status.state == OFFLINE and not (offline and node_id in waiting):
                status.state, status.neutral, changed = IDLE, None, True
            if changed:
                studio.canvas.update_status(node_id)

    # --- updates ---

    def _on_update(self) -> None:
        app = self._app
        self.update.hidden = not (app is not None and bool(app.updateReady))

    async def apply_update(self) -> None:
        """Save the document, then let the new version take over and reload into it. If the save fails
        the page stays: a reload must never lose an edit."""
        autosave = self.studio.autosave
        self.reload.disabled = True
        try:
            autosave.flush()
            root = js.document.documentElement
            loop = asyncio.get_event_loop()
            deadline = loop.time() + SAVE_WAIT_S
            while root.dataset.autosave == "pending" and loop.time() < deadline:
                await asyncio.sleep(0.02)
            if root.dataset.autosave in ("pending", "failed"):
                self.studio.notices.error(
                    "Not reloaded: your work is not saved yet",
                    "The autosave did not finish. Use Save to download the workflow, then press Reload again.",
                )
                return
        except Exception as exc:
            report("update", exc)
            return
        finally:
            self.reload.disabled = False
        app = self._app
        if app is not None:
            app.applyUpdate()
        else:
            js.location.reload()

    # --- install ---

    def _on_installable(self) -> None:
        app = self._app
        self.install.hidden = not (app is not None and bool(app.installable))

    async def _install(self) -> None:
        app = self._app
        if app is not None:
            await app.install()
        self._on_installable()
