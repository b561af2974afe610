"""Workflows and pictures in and out: Open, Save, examples, dropped files and the clipboard."""

from __future__ import annotations

import json
from typing import Any

import js  # browser-only; fetch directly: pyodide.http (and its urllib.parse) costs ~0.1 s at boot

from ...app import ai_conversation, library, pictures, saving
from ...app.clipboard import looks_like_workflow
from ...app.commands import AddPicture, Paste, SetPicture
from ...app.messages import Load
from ...app.ports import EditError
from ...core.errors import StudioError
from ...core.workflow import dump_workflow
from . import incoming
from .downloads import download, is_image_file, is_workflow_file, read_bytes
from .notices import Notices

EXAMPLES = "./static/examples/"
DROP_STEP = (30.0, 30.0)  # several dropped pictures fan out instead of stacking exactly


class Files:
    def __init__(self, app: Any, notices: Notices, after_open: Any) -> None:
        self.app = app
        self.session = app.session
        self.editor = app.editor
        self.notices = notices
        self.after_open = after_open  # frame and run the newly opened graph
        # Set by the Studio: (node id, FileList) -> add the pictures to that node's batch.
        self.on_batch: Any = None
        # The last copy inside the Studio: its text, and the pictures of the copied nodes.
        self.clip_text: str | None = None
        self.clip_pictures: dict[str, bytes] = {}
        # The workflow library (ui/documents.py): an opened file becomes a document of its own.
        self.library: Any = None

    # --- workflows ---

    async def open_text(self, text: str | bytes, source: str, origin: str = library.FILE) -> bool:
        """Open a workflow as a new document (the open one is kept); a bad one shows the
        loader's message and changes nothing."""
        if self.library is not None:
            return bool(await self.library.open_text(text, source, origin))
        try:
            self.app.send(Load(text))
        except StudioError as exc:
            self.notices.error(f"Could not open {source}", str(exc))
            return False
        self.notices.dismiss()
        self.after_open()
        return True

    async def open_file(self, file: Any, at: tuple[float, float] | None = None) -> bool:
        name = str(getattr(file, "name", "") or "the file")
        try:
            data = await read_bytes(file)
        except Exception as exc:
            self.notices.error(f"Could not read {name}", str(exc))
            return False
        carried = incoming.png_workflow(data)
        if carried is not None:
            answer = await incoming.ask_png(name)
            if answer == incoming.OPEN_WORKFLOW:
                return await self.open_text(carried, f"the workflow inside {name}")
            if answer == incoming.USE_PICTURE:
                self.app.send(AddPicture(data, name, at))
                return True
            return False
        text = data.decode("utf-8-sig", errors="replace")
        if incoming.looks_like_floimg(text):
            return await self.open_floimg(text, name)
        what = saving.not_a_workflow(data, name)
        if what is not None:
            self.notices.error(f"Could not open {name}", what)
            return False
        return await self.open_text(data, name)

    async def open_floimg(self, text: str, name: str) -> bool:
        """A FloImg pipeline or Studio template, converted; what did not map is listed, never dropped silently."""
        from ...floimg.steps import FloimgError

        try:
            conversion = await incoming.floimg_workflow(text)
        except FloimgError as exc:
            self.notices.error(f"Could not open {name}", str(exc))
            return False
        if not await self.open_text(json.dumps(conversion.workflow), name):
            return False
        if conversion.left_out or conversion.notes:
            title = f"Opened {name} from FloImg" + (
                f": {len(conversion.left_out)} step(s) have no Pyxis equivalent" if conversion.left_out else ""
            )
            self.notices.info(title, conversion.report())
        return True

    def save(self, embed: bool = True) -> None:
        graph = self.editor.graph
        dropped = None
        if embed:
            graph = pictures.embed(graph, self.session.inputs)
        else:
            dropped = saving.graph_only_drops(graph, self.session.inputs)
            graph = ai_conversation.graph_only(graph)  # AI steps keep their prompts and texts, not images
        text = dump_workflow(graph)
        download(text.encode("utf-8"), saving.file_name(graph.name, embed=embed), "application/json")
        if dropped:
            self.notices.info("Saved the graph only", dropped.message())

    async def examples(self) -> list[dict[str, str]]:
        response = await js.fetch(EXAMPLES + "index.json")
        if not response.ok:
            raise StudioError(f"could not read the examples list (HTTP {response.status})")
        data = json.loads(await response.text())
        return [e for e in data.get("examples", []) if isinstance(e, dict) and "file" in e]

    async def open_example(self, file: str) -> bool:
        response = await js.fetch(EXAMPLES + file)
        if not response.ok:
            self.notices.error(f"Could not open the example {file}", f"HTTP {response.status}")
            return False
        return await self.open_text(await response.text(), file, library.EXAMPLE)

    # --- dropped files ---

    async def add_files(self, files: Any, point: tuple[float, float], node_id: str | None) -> None:
        """Files dropped on the canvas: a workflow opens; pictures become source.image nodes
        (or, dropped on one, replace its picture)."""
        items = [files.item(i) for i in range(files.length)]
        target = self.editor.graph.nodes.get(node_id) if node_id else None
        many = [f for f in items if is_image_file(f)]
        if target is not None and target.type == pictures.SOURCE_IMAGE and len(many) > 1 and self.on_batch:
            # Several pictures dropped on one picture node: it holds them all for Run batch,
            # and shows the first.
            self.app.send(SetPicture(target.id, await read_bytes(many[0]), str(many[0].name)))
            await self.on_batch(target.id, files)
            return
        offset = 0
        for file in items:
            if is_workflow_file(file) or str(file.name).lower().endswith((".yaml", ".yml")):
                await self.open_file(file)
                return
            if not is_image_file(file):
                self.notices.hint(f"{file.name} is neither a picture nor a workflow file")
                continue
            data = await read_bytes(file)
            carried = incoming.png_workflow(data)
            if carried is not None and len(items) == 1:
                answer = await incoming.ask_png(str(file.name))
                if answer == incoming.OPEN_WORKFLOW:
                    await self.open_text(carried, f"the workflow inside {file.name}")
                    return
                if answer is None:
                    return
            if target is not None and target.type == pictures.SOURCE_IMAGE:
                self.app.send(SetPicture(target.id, data, str(file.name)))
                target = None
            else:
                at = (point[0] + offset * DROP_STEP[0], point[1] + offset * DROP_STEP[1])
                self.app.send(AddPicture(data, str(file.name), at))
                offset += 1

    async def set_picture(self, node_id: str, file: Any) -> None:
        try:
            self.app.send(SetPicture(node_id, await read_bytes(file), str(file.name)))
        except EditError as exc:
            self.notices.hint(str(exc))

    # --- clipboard ---

    def copy(self) -> str | None:
        text = self.editor.copy()
        if text is None:
            return None
        self.clip_text = text
        self.clip_pictures = {
            n: self.session.inputs[n] for n in self.editor.selection.nodes if n in self.session.inputs
        }
        count = len(self.editor.selection.nodes)
        self.notices.hint(f"copied {count} node{'s' if count != 1 else ''}", kind="info")
        return text

    def paste_text(self, text: str, at: tuple[float, float] | None) -> bool:
        if not looks_like_workflow(text):
            return False
        pictures_by_id = self.clip_pictures if text == self.clip_text else {}
        try:
            self.app.send(Paste(text, at, pictures_by_id))
        except EditError as exc:
            self.notices.hint(str(exc))
        return True

    async def paste_picture(self, file: Any, at: tuple[float, float]) -> None:
        name = str(getattr(file, "name", "") or "pasted.png")
        self.app.send(AddPicture(await read_bytes(file), name, at))
