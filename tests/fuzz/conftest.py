"""Prints the fuzz tally after the run (and writes it to $PYXIS_FUZZ_REPORT when set)."""

from __future__ import annotations

from .tally import COUNTS, summary, write_report


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if COUNTS:
        terminalreporter.section("fuzz tally")
        terminalreporter.write_line(summary())
        write_report()
