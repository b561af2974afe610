"""Starts the Studio in the page: the session on the canvas backend, the hooks, the UI."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from ..app.session import Session
from ..app.tasks import spawn
from ..core.warm_up import WarmUp
from ..engine.run_client import RemoteExecutor
from ..nodes import default_catalog
from . import hooks
from .canvas_backend import CanvasBackend

WARM_UP_AFTER_S = 0.5  # quiet this long after the boot (and its run) before the warm-up begins


class _OnFirstUse:
    """Stands for the object make() returns, made at its first attribute access: the Gemini client's
    imports are not paid at boot, only by the first AI run."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._made: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._made is None:
            self._made = self._make()
        return getattr(self._made, name)


async def start(root: Any = None, *, services: dict[str, Any] | None = None) -> Any:
    """Build the session and the UI, install window.studio, restore or open the first workflow.
    Returns the Studio (its `.session` is the Session the hooks drive)."""
    from js import document  # browser-only, imported late so the module imports under CPython tools

    from .ui.shell import Studio

    services = dict(services or {})
    backend, link = _backend(document)
    if "gemini" not in services:
        from . import keystore
        from .ui import ai_wiring as ai

        # The key is read from the browser's storage at each call, never kept elsewhere.
        services["gemini"] = _OnFirstUse(lambda: ai.make_client(keystore.get, ai.gemini_transport(backend)))
    session = Session(default_catalog(), backend, services=services, executor_class=RemoteExecutor)
    studio = Studio(session)  # it installs the AI panel itself (ui/ai_wiring.install)
    studio.mount(root if root is not None else document.getElementById("studio-root"))
    hooks.install(studio.app)
    if link is not None:
        from .ui.engine_notice import EngineNotice

        link.on_state.append(EngineNotice(studio).state)
        link.start()  # now: Python and the package are loaded; the worker starts while the Studio draws
    await studio.boot()
    if _asked("warm-up") != "off":  # ?warm-up=off: benchmarks/warm_up.py compares without it
        spawn(_warm_up_when_idle(session, backend, link), "warm-up")
    return studio


async def _warm_up_when_idle(session: Session, backend: Any, link: Any) -> None:
    """Once the boot's own run is over and the page has been quiet for a moment, warm up the code a
    run takes where runs run (core/warm_up.py): the worker, or this page when it makes the pictures."""
    while True:
        await asyncio.sleep(WARM_UP_AFTER_S)
        if not session.running:
            break
    from . import engine_link  # browser-only, as in _backend

    if link is not None:
        await link.started()
        if link.state == engine_link.READY:
            link.warm_up()
            return
    session.warm_up = WarmUp(session.catalog, backend.local if link is not None else backend)
    engine_link.warmed(await session.warm_up.run())


def _asked(name: str) -> Any:
    """The page address's ?name= value (None when absent)."""
    from js import URLSearchParams, location

    return URLSearchParams.new(location.search).get(name)


def _backend(document: Any) -> tuple[Any, Any]:
    """The engine in its Web Worker, unless the address asks for the page's own canvas (?engine=page)."""
    from . import engine_link

    if _asked("engine") == "page":
        document.documentElement.dataset.engine = engine_link.IN_PAGE
        return CanvasBackend(), None
    link = engine_link.EngineLink()
    return engine_link.PageEngine(link), link
