"""`window.studio`: the page's automation hooks (CONTRACT.md §4), backed by a Session."""

from __future__ import annotations

import js  # browser-only: this module lives in studio.browser
from pyodide.ffi import create_proxy, to_js

from ..app.session import Session
from ..core.errors import StudioError


def _js_object(value):
    return to_js(value, dict_converter=js.Object.fromEntries)


def install(session: Session, *, on_change=None) -> None:
    """Expose load/run/output/workflow on window.studio. `on_change` is called after a load
    or a run so the UI can re-render."""

    async def load(text):
        try:
            session.load_text(str(text))
        except StudioError as exc:
            # Rejects the promise with the very message the user sees.
            raise js.Error.new(str(exc)) from None
        if on_change:
            on_change("load")

    async def run():
        result = await session.run()
        if on_change:
            on_change("run")
        return _js_object(result.to_json())

    async def output(node_id):
        return await session.output_png_data_url(str(node_id))

    def workflow():
        return session.workflow_text()

    def file(node_id):
        # An export's encoded file (output() shows its picture), for embedders and tests.
        return session.file_data_url(str(node_id))

    def share_url():
        # The Share button's link: the graph in the URL fragment, never a key, picture or AI result.
        from .ui.share import link_for

        return link_for(session.graph)

    hooks = js.Object.new()
    named = (("load", load), ("run", run), ("output", output), ("workflow", workflow), ("file", file))
    for name, fn in (*named, ("shareUrl", share_url)):
        # The proxies live as long as the page: they are never destroyed.
        setattr(hooks, name, create_proxy(fn))
    js.window.studio = hooks
