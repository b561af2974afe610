"""One check for runs through the engine: every output equals the direct run's, pictures pixel for pixel."""

from __future__ import annotations

import asyncio

from PIL import Image

from studio.backend.pillow_backend import PillowBackend
from studio.core.run_result import RunResult
from studio.engine.remote import RemoteImage


def compare_outputs(through: RunResult, direct: RunResult, engine) -> int:
    """Asserts each output of `direct` (Pillow) is in `through` (RemoteImages of `engine`); returns how
    many pictures were compared."""
    compared = 0
    for node_id, result in direct.nodes.items():
        for port, value in result.outputs.items():
            other = through.nodes[node_id].outputs[port]
            if isinstance(value, Image.Image):
                assert isinstance(other, RemoteImage) and other.size == value.size
                same = asyncio.run(engine.pixels(other)) == asyncio.run(PillowBackend().pixels(value))
                assert same, (node_id, port)
                compared += 1
            else:
                assert other == value, (node_id, port)
    return compared
