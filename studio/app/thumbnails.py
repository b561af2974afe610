"""Each node's small picture: one per picture made, published as ThumbnailChanged."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
from typing import Any

from ..core.fit import THUMB_SIDE
from ..core.graph import Graph
from ..core.run_result import CACHED, DONE, RunResult
from .messages import Event, ThumbnailChanged
from .tasks import report


async def thumbnail_url(backend: Any, image: Any, side: int = THUMB_SIDE) -> str:
    """A small PNG data: URL of the image (scaled down to `side` px, never up)."""
    data = await backend.thumbnail_png(image, side)
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


class Thumbnails:
    """Node id → (picture, data URL). A picture gets one thumbnail: a node's "done" starts it, the
    run's end waits for that one, and an export shows the one its input node has of the same picture."""

    def __init__(self, session: Any, publish: Callable[[Event], None]) -> None:
        self.session = session
        self.publish = publish
        self._shown: dict[str, tuple[Any, str]] = {}
        self._making: dict[str, tuple[Any, asyncio.Future[str]]] = {}

    def url(self, node_id: str) -> str | None:
        known = self._shown.get(node_id)
        return known[1] if known else None

    def forget_missing(self, graph: Graph) -> None:
        for node_id in [n for n in self._shown if n not in graph.nodes]:
            del self._shown[node_id]

    async def of_outputs(self, node_id: str, outputs: dict[str, Any]) -> None:
        """A node is done: its thumbnail now, not when the whole run ends."""
        image = self.session.image_in(node_id, outputs)
        if image is not None:
            try:
                await self._show(node_id, image)
            except Exception as exc:  # a thumbnail must never break a run
                report("thumbnail", exc)

    async def refresh(self, result: RunResult) -> None:
        """After a run: every node's thumbnail as its result is (none where it has none)."""
        for node_id, node_result in result.nodes.items():
            if node_result.status not in (DONE, CACHED) and not node_result.outputs:
                self._shown.pop(node_id, None)
                self.publish(ThumbnailChanged(node_id, None))
                continue
            image = self.session.image_output(node_id)
            if image is None:
                continue
            await self._show(node_id, image)
            await asyncio.sleep(0)  # keep the page responsive between encodes

    async def _show(self, node_id: str, image: Any) -> None:
        backend = self.session.backend
        known = self._shown.get(node_id)
        if known is not None and known[0] is image:
            self.publish(ThumbnailChanged(node_id, known[1], backend.size(image)))
            return
        making = self._making.get(node_id)
        if making is None or making[0] is not image:
            making = self._made_of(image) or (image, asyncio.ensure_future(thumbnail_url(backend, image)))
            self._making[node_id] = making
        try:
            url = await making[1]
        finally:
            if self._making.get(node_id) is making:
                del self._making[node_id]
        if self._shown.get(node_id, (None,))[0] is image:
            return  # the other waiter showed it
        self._shown[node_id] = (image, url)
        self.publish(ThumbnailChanged(node_id, url, backend.size(image)))

    def _made_of(self, image: Any) -> tuple[Any, asyncio.Future[str]] | None:
        """The thumbnail another node has (or is making) of this very picture."""
        for made in self._making.values():
            if made[0] is image:
                return made
        for picture, url in self._shown.values():
            if picture is image:
                done: asyncio.Future[str] = asyncio.get_event_loop().create_future()
                done.set_result(url)
                return image, done
        return None
