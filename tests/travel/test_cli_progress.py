"""The single-run progress: a line per finished node, a long node's elapsed time live or in the log."""

from __future__ import annotations

import io

from studio.cli.progress import RunProgress
from studio.core.graph import Graph, Node
from studio.core.run_result import DONE, RUNNING, NodeEvent


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def graph() -> Graph:
    g = Graph()
    g.add_node(Node("blur", "transform.blur"))
    g.add_node(Node("out", "output.export"))
    return g


def test_in_a_log_a_long_node_is_reported_at_5_10_20_seconds_then_its_line():
    clock, stream = Clock(), io.StringIO()
    progress = RunProgress(graph(), stream, clock=clock)
    progress(NodeEvent("blur", RUNNING))
    for t in (1, 4, 6, 9, 11, 19, 21):
        clock.now = 100.0 + t
        progress.tick()
    progress(NodeEvent("blur", DONE, ms=21000))
    lines = stream.getvalue().splitlines()
    assert lines == [
        "  … blur (transform.blur) still running, 6 s",
        "  … blur (transform.blur) still running, 11 s",
        "  … blur (transform.blur) still running, 21 s",
        "[1/2] done    blur (transform.blur) 21000 ms",
    ]


def test_on_a_terminal_the_running_node_counts_up_and_is_cleared_before_its_line():
    clock, stream = Clock(), Terminal()
    progress = RunProgress(graph(), stream, clock=clock)
    progress(NodeEvent("blur", RUNNING))
    clock.now += 0.5
    progress.tick()
    assert stream.getvalue() == ""  # short nodes do not flicker a status line
    clock.now += 2.0
    progress.tick()
    assert stream.getvalue().endswith("\r  running blur (transform.blur) 2.5 s\x1b[K")
    progress(NodeEvent("blur", DONE, ms=2600))
    assert stream.getvalue().endswith("\r\x1b[K[1/2] done    blur (transform.blur) 2600 ms\n")
