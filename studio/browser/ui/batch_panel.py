"""Batch in the page: a picture node holds many pictures; Run batch runs the graph once per picture
with a progress bar and Cancel, and downloads every export in one ZIP named after the workflow."""

from __future__ import annotations

from typing import Any

from ...app.batch import BatchResult, Picture, Progress, batch_plan, run_batch, zip_name
from ...app.pictures import SOURCE_IMAGE
from ...core.context import CancelToken
from ...core.graph import Node
from ...gemini.pricing import Estimate
from .dom import Listeners, h, spawn
from .downloads import download, is_image_file, read_bytes

IMAGE_TYPES = "image/png,image/jpeg,image/webp,image/gif,image/bmp"


class BatchPanel:
    """Inspector section for picture nodes, and the progress dialog of a batch run."""

    def __init__(self, session: Any, notices: Any, run_lock: Any = None) -> None:
        self.session = session
        self.notices = notices
        self.pictures: dict[str, list[Picture]] = {}  # node id -> the batch's pictures (kept in memory only)
        self._listeners = Listeners()
        self._cancel: CancelToken | None = None
        self._run_lock = run_lock
        self.bar = h("progress", {"cls": "batch-bar", "testid": "batch-progress", "max": "1", "value": "0"})
        self.status = h("p", {"cls": "batch-status", "testid": "batch-status", "aria-live": "polite"})
        self.failures = h("ul", {"cls": "batch-failures", "testid": "batch-failures"})
        self.cancel_btn = h("button", {"cls": "btn danger", "text": "Cancel batch", "testid": "batch-cancel"})
        self.close_btn = h("button", {"cls": "btn", "text": "Close", "testid": "batch-close", "hidden": True})
        self.confirm = h("div", {"cls": "batch-confirm", "hidden": True})
        self.el = h(
            "div",
            {"cls": "batch-dialog", "role": "dialog", "aria-label": "Batch", "testid": "batch-dialog", "hidden": True},
            h("h2", {"text": "Run batch"}),
            self.confirm,
            self.bar,
            self.status,
            self.failures,
            h("div", {"cls": "batch-actions"}, self.cancel_btn, self.close_btn),
        )
        self._listeners.on(self.cancel_btn, "click", lambda e: self.cancel())
        self._listeners.on(self.close_btn, "click", lambda e: self._close())

    # --- pictures ---

    async def add_files(self, node_id: str, files: Any) -> int:
        """Add every picture among `files` (a FileList) to the node's batch; returns how many."""
        added = 0
        for i in range(files.length):
            file = files.item(i)
            if is_image_file(file):
                self.pictures.setdefault(node_id, []).append(Picture(str(file.name), await read_bytes(file)))
                added += 1
        return added

    def section(self, node: Node, fields: Any) -> Any:
        """The inspector's Batch section for a picture node (inspector.extras)."""
        if node.type != SOURCE_IMAGE:
            return None
        count = len(self.pictures.get(node.id, []))
        picker = h("input", {"type": "file", "accept": IMAGE_TYPES, "multiple": True, "cls": "file-input",
                             "id": "batch-pictures", "testid": "batch-pictures"})  # fmt: skip
        add = h("label", {"cls": "btn file-btn", "for": "batch-pictures", "text": "Add pictures…"})
        run = h("button", {"cls": "btn primary", "testid": "batch-run", "disabled": count == 0,
                           "text": f"Run batch ({count} picture{'s' if count != 1 else ''})"})  # fmt: skip
        clear = h("button", {"cls": "btn", "text": "Clear", "disabled": count == 0})
        node_id = node.id

        async def chosen(event: Any) -> None:
            if picker.files is not None and picker.files.length:
                await self.add_files(node_id, picker.files)
                picker.value = ""
                self._refresh(node_id)

        self._listeners.on(picker, "change", lambda e: spawn(chosen(e), "batch pictures"))
        self._listeners.on(run, "click", lambda e: spawn(self.start(node_id), "batch"))
        self._listeners.on(clear, "click", lambda e: self._clear(node_id))
        names = ", ".join(p.name for p in self.pictures.get(node_id, [])[:3])
        more = f" and {count - 3} more" if count > 3 else ""
        return h(
            "section",
            {"cls": "inspector-section batch-section", "testid": "batch-section"},
            h("h3", {"text": "Batch"}),
            h(
                "p",
                {
                    "cls": "field-help",
                    "testid": "batch-count",
                    "text": f"{count} picture{'s' if count != 1 else ''}{': ' + names + more if count else ''}. "
                    "Run batch runs the whole graph once per picture and downloads every export in one ZIP.",
                },
            ),  # fmt: skip
            h("div", {"cls": "field-row"}, add, picker, run, clear),
        )

    def _clear(self, node_id: str) -> None:
        self.pictures.pop(node_id, None)
        self._refresh(node_id)

    def _refresh(self, node_id: str) -> None:
        self.on_changed(node_id)

    def on_changed(self, node_id: str) -> None:
        """Set by the Studio: re-render the inspector when the batch's pictures change."""

    # --- running ---

    async def start(self, node_id: str) -> BatchResult | None:
        pictures = list(self.pictures.get(node_id, []))
        if not pictures or self._cancel is not None:
            return None
        graph = self.session.graph.copy()
        plan = batch_plan(graph)
        calls = plan.total * len(pictures)
        self._open()
        if calls and not await self._ask(calls, plan.estimate(graph, runs=len(pictures))):
            self._close()
            return None
        self._cancel = token = CancelToken()

        async def run_one(inputs: dict[str, bytes]) -> Any:
            return await self.session.executor.run(graph, inputs=inputs, cancel=token)

        try:
            result = await run_batch(
                graph, node_id, pictures, run_one,
                base_inputs=dict(self.session.inputs), on_progress=self._show, is_cancelled=lambda: token.cancelled,
            )  # fmt: skip
        finally:
            self._cancel = None
        self._finished(graph.name or "workflow", result)
        return result

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.cancel()
            self.status.textContent = "Cancelling…"

    def _show(self, progress: Progress) -> None:
        self.bar.max = str(max(1, progress.total))
        self.bar.value = str(progress.done + len(progress.failed))
        self.status.textContent = progress.text() + (f" · now: {progress.current}" if progress.current else "")
        self.failures.replaceChildren(*[h("li", {"text": f"{name}: {why}"}) for name, why in progress.failed])

    def _finished(self, name: str, result: BatchResult) -> None:
        self.cancel_btn.hidden = True
        self.close_btn.hidden = False
        said = f"{result.done} of {result.total} pictures done"
        if result.failed:
            said += f", {len(result.failed)} failed (listed below)"
        if result.cancelled:
            said += " — cancelled"
        if result.done:
            download(result.zip_bytes, zip_name(name), "application/zip")
            said += f"; downloaded {zip_name(name)}"
        self.status.textContent = said

    async def _ask(self, calls: int, price: Estimate) -> bool:
        """A batch that would call Gemini says how many calls first, and goes on only on Yes."""
        import asyncio

        answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        yes = h("button", {"cls": "btn primary", "text": f"Make {calls} Gemini calls", "testid": "batch-confirm"})
        no = h("button", {"cls": "btn", "text": "Don't run", "testid": "batch-decline"})
        self.confirm.replaceChildren(
            h(
                "p",
                {
                    "text": f"This batch will make {calls} Gemini call{'s' if calls != 1 else ''}, "
                    "and each may be billed to your key."
                },
            ),  # fmt: skip
            h("p", {"cls": "batch-estimate", "testid": "batch-estimate", "text": price.describe()}),
            h("div", {"cls": "batch-actions"}, yes, no),
        )
        self.confirm.hidden = False
        self._listeners.on(yes, "click", lambda e: answer.done() or answer.set_result(True))
        self._listeners.on(no, "click", lambda e: answer.done() or answer.set_result(False))
        try:
            return await answer
        finally:
            self.confirm.hidden = True

    def _open(self) -> None:
        self.bar.value, self.bar.max = "0", "1"
        self.status.textContent = "Starting…"
        self.failures.replaceChildren()
        self.cancel_btn.hidden, self.close_btn.hidden = False, True
        self.el.hidden = False

    def _close(self) -> None:
        self.el.hidden = True
