"""Reading the files the command line is given: regular files only, never more than a cap."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..core.quoting import clip
from .errors import UsageError

CHUNK = 1024 * 1024


def shown(path: Path | str) -> str:
    """A path as messages show it (a path can be as long as the command line allows)."""
    return clip(str(path), 200)


def read_capped(path: Path, limit: int, what: str) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or UsageError naming `what`.

    A FIFO or a device is refused before it is opened (opening a FIFO blocks until someone
    writes; /dev/zero never ends), a large file from its size without reading it, and the read
    itself stops past `limit` (a file may grow while it is read)."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise UsageError(f"{what}: cannot read {shown(path)}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a pipe or a device?)"
        raise UsageError(f"{what}: {shown(path)} is {kind}; give the path of a file")
    if info.st_size > limit:
        raise UsageError(f"{what}: {shown(path)} is {info.st_size:,} bytes; the limit is {_mb(limit)}")
    try:
        with open(path, "rb") as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        raise UsageError(f"{what}: cannot read {shown(path)}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise UsageError(f"{what}: {shown(path)} is larger than {_mb(limit)}")
    return data


def _mb(limit: int) -> str:
    return f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit:,} bytes"
