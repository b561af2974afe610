"""Progress of a single `studio run` on stderr: a line per finished node, and the elapsed time of a long one.

On a terminal the node that is running shows a live "running … 3.2 s" line after a second; in a
log, a long node is reported at 5, 10, 20, 40 … seconds, so logs stay short. A thread does the
ticking because a Pillow call holds the event loop while it works.
"""

from __future__ import annotations

import threading
import time
from typing import Any, TextIO

from ..core.graph import Graph
from ..core.run_result import CACHED, DONE, FAILED, RUNNING, SKIPPED, NodeEvent

LIVE_AFTER_S = 1.0
TICK_S = 0.25


class RunProgress:
    def __init__(self, graph: Graph, stream: TextIO, *, clock: Any = time.monotonic) -> None:
        self.graph = graph
        self.stream = stream
        self.total = len(graph.nodes)
        self.finished = 0
        self._clock = clock
        self._live = bool(getattr(stream, "isatty", lambda: False)())
        self._lock = threading.Lock()
        self._running: dict[str, float] = {}  # node id -> when it started
        self._next_report: dict[str, float] = {}  # logs: when to mention a long node next
        self._status_shown = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> RunProgress:
        self._thread = threading.Thread(target=self._tick_loop, name="studio-run-progress", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1)
        with self._lock:
            self._clear_status()

    def __call__(self, event: NodeEvent) -> None:
        with self._lock:
            if event.state == RUNNING:
                self._running[event.node] = self._clock()
                self._next_report[event.node] = 5.0
                return
            if event.state not in (DONE, CACHED, FAILED, SKIPPED):
                return
            self._running.pop(event.node, None)
            self._clear_status()
            self.finished += 1
            node_type = self.graph.nodes[event.node].type if event.node in self.graph.nodes else "?"
            line = f"[{self.finished}/{self.total}] {event.state:<7} {event.node} ({node_type})"
            if event.state in (DONE, FAILED) and event.ms:
                line += f" {event.ms:.0f} ms"
            if event.error:
                line += f": {event.error}"
            print(line, file=self.stream, flush=True)

    def tick(self) -> None:
        """One look at the running nodes (the thread calls it; tests call it with a fake clock)."""
        with self._lock:
            now = self._clock()
            for node_id, started in self._running.items():
                elapsed = now - started
                node_type = self.graph.nodes[node_id].type if node_id in self.graph.nodes else "?"
                if self._live and elapsed >= LIVE_AFTER_S:
                    self.stream.write(f"\r  running {node_id} ({node_type}) {elapsed:.1f} s\x1b[K")
                    self.stream.flush()
                    self._status_shown = True
                elif not self._live and elapsed >= self._next_report[node_id]:
                    print(f"  … {node_id} ({node_type}) still running, {elapsed:.0f} s", file=self.stream, flush=True)
                    self._next_report[node_id] *= 2
                break  # the executor runs one node at a time

    def _tick_loop(self) -> None:
        while not self._stop.wait(TICK_S):
            self.tick()

    def _clear_status(self) -> None:
        if self._status_shown:
            self.stream.write("\r\x1b[K")
            self._status_shown = False
