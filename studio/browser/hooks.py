"""`window.studio`: the page's automation hooks (CONTRACT.md §4): load and run are commands on the
application layer (studio/app/application.py), the rest read its session."""

from __future__ import annotations

from typing import Any

import js  # browser-only: this module lives in studio.browser
from pyodide.ffi import create_proxy

from ..app.application import Application
from ..app.messages import Load, RunNow
from ..core.errors import StudioError
from .ffi import js_object

# A Python exception crossing into JS becomes a PythonError whose message is the whole
# traceback. So each hook returns [ok, value] and this JS shim throws (or rejects with) a plain
# Error carrying only the message the user would see (CONTRACT §4).
_SHIM = """
return function (fn, isAsync) {
  const settle = (r) => { if (!r[0]) throw new Error(r[1]); return r[1]; };
  return isAsync ? (...args) => Promise.resolve(fn(...args)).then(settle) : (...args) => settle(fn(...args));
};
"""


def message(exc: BaseException) -> str:
    """What a refusal says: the loader's own message, or a plain sentence (never a traceback)."""
    if isinstance(exc, StudioError):
        return str(exc)
    if isinstance(exc, RecursionError):
        return "the workflow is nested too deeply to read"
    if isinstance(exc, MemoryError):
        return "the workflow is too large to read"
    return f"unexpected error ({type(exc).__name__}): {str(exc)[:200]}"


def _ok(value: Any) -> Any:
    return js.Array.of(True, value)


def _failed(exc: BaseException) -> Any:
    return js.Array.of(False, message(exc))


def install(app: Application) -> None:
    """Expose load/run/output/workflow/file/shareUrl on window.studio."""
    session = app.session

    def load(text: Any) -> Any:
        try:
            app.send(Load(str(text), scripted=True))
        except Exception as exc:  # a refusal leaves the open graph as it was (load_text is atomic)
            return _failed(exc)
        return _ok(None)

    async def run() -> Any:
        try:
            result = await app.send(RunNow())
        except Exception as exc:
            return _failed(exc)
        return _ok(js_object(result.to_json()))

    async def output(node_id: Any) -> Any:
        try:
            return _ok(await session.output_png_data_url(str(node_id)))
        except Exception as exc:
            return _failed(exc)

    def workflow() -> Any:
        try:
            return _ok(session.workflow_text())
        except Exception as exc:
            return _failed(exc)

    def file(node_id: Any) -> Any:
        # An export's encoded file (output() shows its picture), for embedders and tests.
        try:
            return _ok(session.file_data_url(str(node_id)))
        except Exception as exc:
            return _failed(exc)

    def share_url() -> Any:
        # The Share button's link: the graph in the URL fragment, never a key, picture or AI result.
        from .ui.share import link_for

        try:
            return _ok(link_for(session.graph))
        except Exception as exc:
            return _failed(exc)

    wrap = js.Function.new(_SHIM)()
    hooks = js.Object.new()
    for name, fn, is_async in (
        ("load", load, True),  # a promise, as the contract says, though loading itself is synchronous
        ("run", run, True),
        ("output", output, True),
        ("workflow", workflow, False),
        ("file", file, False),
        ("shareUrl", share_url, False),
    ):
        # The proxies live as long as the page: they are never destroyed.
        setattr(hooks, name, wrap(create_proxy(fn), is_async))
    js.window.studio = hooks
