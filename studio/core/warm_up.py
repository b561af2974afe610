"""A few runs of a small built-in graph on the engine's backend while the Studio is idle after start-up.

Why: in the browser, V8 first runs Pyodide's WebAssembly with its baseline compiler and compiles the
functions a run uses with its optimising one only once they have run for a while, on background
threads. Since Python starts from a memory snapshot, nothing has run much before the user's first
run: that run paid for the slow code and for the compiling (up to ~200 ms of the 2 cores, traced).
These runs pay for it in idle time instead. They use a fresh executor (nothing enters the Studio's
cache), send no events, and touch neither the document nor Gemini; any real run stops them.
"""

from __future__ import annotations

from typing import Any

from .catalog import Catalog
from .context import CancelToken
from .executor import Executor
from .run_result import DONE
from .workflow import workflow_from_dict

ROUNDS = 3  # traced: after 3-5 rounds little was left to compile during the first real run

# The nodes the examples use most, at small sizes (the code a run takes hardly depends on the size).
WARM_UP_WORKFLOW: dict[str, Any] = {
    "format": "pyxis.workflow",
    "version": 1,
    "name": "Warm-up",
    "nodes": [
        {"id": "sky", "type": "source.gradient",
         "params": {"width": 96, "height": 64, "start": "#3a86ff", "end": "#ffd6a5", "angle": 90}},
        {"id": "sun", "type": "source.solid", "params": {"width": 32, "height": 32, "color": "#ffbe0b"}},
        {"id": "round", "type": "transform.round_corners", "params": {"radius": 16}},
        {"id": "glow", "type": "transform.blur", "params": {"radius": 2}},
        {"id": "place", "type": "compose.overlay", "params": {"x": 40, "y": 8, "opacity": 0.9}},
        {"id": "title", "type": "compose.text", "params": {"text": "Pyxis", "size": 14, "color": "#ffffff"}},
        {"id": "warm", "type": "transform.tint", "params": {"amount": 0.15, "color": "#ff7b00"}},
        {"id": "frame", "type": "transform.pad", "params": {"top": 4, "bottom": 4, "left": 4, "right": 4}},
        {"id": "png", "type": "output.export", "params": {"format": "png"}},
        {"id": "webp", "type": "output.export", "params": {"format": "webp", "quality": 85}},
    ],
    "edges": [
        {"from": "sun.image", "to": "round.image"},
        {"from": "round.image", "to": "glow.image"},
        {"from": "sky.image", "to": "place.base"},
        {"from": "glow.image", "to": "place.overlay"},
        {"from": "place.image", "to": "title.image"},
        {"from": "title.image", "to": "warm.image"},
        {"from": "warm.image", "to": "frame.image"},
        {"from": "frame.image", "to": "png.image"},
        {"from": "frame.image", "to": "webp.image"},
    ],
}  # fmt: skip


class WarmUp:
    """Runs the warm-up graph up to `rounds` times; stop() ends it at the next node."""

    def __init__(self, catalog: Catalog, backend: Any, rounds: int = ROUNDS) -> None:
        self.catalog = catalog
        self.backend = backend
        self.rounds = rounds
        self.done = 0  # rounds finished
        self._cancel = CancelToken()

    @property
    def stopped(self) -> bool:
        return self._cancel.cancelled

    def stop(self) -> None:
        self._cancel.cancel()

    async def run(self) -> int:
        """The rounds finished. A round that does not finish every node ends the warm-up: it is
        never worth a failure the user could see."""
        graph = workflow_from_dict(WARM_UP_WORKFLOW, self.catalog)
        while self.done < self.rounds and not self.stopped:
            executor = Executor(self.catalog, self.backend)  # its own cache: nothing of it is kept
            try:
                result = await executor.run(graph, cancel=self._cancel)
            except Exception:  # noqa: BLE001  (nobody asked for this run: it must never fail out loud)
                break
            if result.cancelled or any(node.status != DONE for node in result.nodes.values()):
                break
            self.done += 1
        return self.done
