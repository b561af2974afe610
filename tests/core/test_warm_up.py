"""The idle warm-up (core/warm_up.py): its graph runs whole on real pixels, calls no service and reads
nothing from outside, keeps nothing in anyone's cache, and stops at the next node when told."""

from __future__ import annotations

import asyncio

from studio.backend.pillow_backend import PillowBackend
from studio.core.warm_up import ROUNDS, WARM_UP_WORKFLOW, WarmUp
from studio.core.workflow import workflow_from_dict
from studio.nodes import default_catalog

CATALOG = default_catalog()


class CountingBackend(PillowBackend):
    """Pillow, counting the operations asked of it; `on_call` runs before each."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self.on_call = lambda: None

    def __getattribute__(self, name: str):
        attr = super().__getattribute__(name)
        if name in ("gradient", "solid", "encode"):

            async def counted(*args, **kwargs):
                self.calls += 1
                self.on_call()
                return await attr(*args, **kwargs)

            return counted
        return attr


def test_every_round_runs_every_node_on_real_pixels():
    backend = CountingBackend()
    warm = WarmUp(CATALOG, backend)
    assert asyncio.run(warm.run()) == ROUNDS == warm.done
    # 2 sources and 2 exports per round: each round ran on a fresh executor, nothing cached
    assert backend.calls == 4 * ROUNDS


def test_the_graph_calls_no_service_and_reads_no_upload():
    graph = workflow_from_dict(WARM_UP_WORKFLOW, CATALOG)
    specs = [CATALOG[node.type] for node in graph.nodes.values()]
    assert not [spec.id for spec in specs if spec.services or spec.external_input or not spec.deterministic]
    assert any(spec.produces_file for spec in specs)  # the encoders are part of what a run takes


def test_stop_before_it_starts_runs_nothing():
    backend = CountingBackend()
    warm = WarmUp(CATALOG, backend)
    warm.stop()
    assert asyncio.run(warm.run()) == 0
    assert backend.calls == 0


def test_stop_during_a_round_ends_it_at_the_next_node():
    backend = CountingBackend()
    warm = WarmUp(CATALOG, backend)
    backend.on_call = warm.stop  # a real run arrives while the first source is being made
    assert asyncio.run(warm.run()) == 0
    assert backend.calls == 1 and warm.stopped


def test_a_failing_round_ends_the_warm_up_quietly():
    class Broken(CountingBackend):
        async def encode(self, *args, **kwargs):
            raise OSError("no encoder here")

    backend = Broken()
    assert asyncio.run(WarmUp(CATALOG, backend).run()) == 0
    assert backend.calls == 4  # one round, not three: a failure is never worth repeating
