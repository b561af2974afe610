"""The command line's one error type: bad usage or a bad input file (exit code 2, one clear line)."""

from __future__ import annotations


class UsageError(Exception):
    """Bad usage or a bad input file: exit code 2 with one clear message."""
