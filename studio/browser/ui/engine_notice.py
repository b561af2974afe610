"""What the page says about its image engine: <html data-engine>, and a notice when the worker could
not start or stopped, kept until a run has made the pictures again."""

from __future__ import annotations

from typing import Any

import js  # browser-only

from ...app.messages import RunFinished
from ...core.run_result import RunResult
from .. import engine_link

KEY = "engine"  # the notice's key: its banner is data-testid="engine-banner"


class EngineNotice:
    def __init__(self, studio: Any) -> None:
        self.studio = studio
        self._stopped: str | None = None  # why the worker stopped, until a run succeeds after it
        studio.app.subscribe(RunFinished, lambda e: self._finished(e.result))

    def state(self, state: str, why: str) -> None:
        """The link's state changed (tests and embedders read data-engine); a stop clears the results
        that lived in the worker and says so."""
        js.document.documentElement.dataset.engine = state
        notices = self.studio.notices
        if state == engine_link.STOPPED:
            self._stopped = why
            self.studio.session.executor.cache.clear()  # its pictures were in the worker
            text = f"Its worker stopped ({why}). The next run starts a new one."
            notices.panel(KEY, "The image engine stopped", text, self._run_again())
        elif state == engine_link.IN_PAGE and why:
            text = f"The image engine's worker could not start ({why}). A heavy step may hold the page while it runs."
            notices.panel(KEY, "Pictures are made on this page", text, kind="info")
        elif state == engine_link.READY and self._stopped is not None:
            # A call after the stop (a thumbnail, the preview) started the new worker before any run:
            # the pictures are still gone, so the notice stays and says what to do.
            text = f"Its worker stopped ({self._stopped}). A new one is ready: Run makes the pictures again."
            notices.panel(KEY, "The image engine stopped", text, self._run_again())
        elif state == engine_link.READY:
            notices.close(KEY)

    def _run_again(self) -> list[tuple[str, Any]]:
        """The way out, on the notice itself: the same as pressing Run (Gemini calls asked first)."""
        return [("Run again", self.studio.run)]

    def _finished(self, result: RunResult) -> None:
        if self._stopped is not None and result.ok and self.studio.session.backend.link.state == engine_link.READY:
            self._stopped = None
            self.studio.notices.close(KEY)
