"""Error classes shared by the core, the backends and the nodes."""

from __future__ import annotations


class StudioError(Exception):
    """An error whose message is written for the user and shown as is."""


class ImageError(StudioError):
    """An image could not be decoded, encoded or processed (corrupt, too large, wrong kind)."""


class NodeInputError(StudioError):
    """A node got values it cannot work with (e.g. a crop box outside the image)."""


class Cancelled(StudioError):
    """The run was cancelled by the user."""

    def __init__(self, message: str = "Cancelled") -> None:
        super().__init__(message)
