"""Executor: order, caching, failure isolation, cancellation, events."""

from __future__ import annotations

import asyncio

import pytest

from studio.core.context import CancelToken
from studio.core.executor import Executor
from studio.core.graph import Graph, Node
from tests.core.builders import CALLS, chain, test_catalog


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()


def run(executor, graph, **kwargs):
    return asyncio.run(executor.run(graph, **kwargs))


def test_runs_in_dependency_order_whatever_the_node_order():
    graph = Graph()
    graph.add_node(Node("c", "test.append", {"suffix": "C"}))
    graph.add_node(Node("b", "test.append", {"suffix": "B"}))
    graph.add_node(Node("a", "test.const", {"value": "A"}))
    graph.connect("a.text", "b.text")
    graph.connect("b.text", "c.text")
    result = run(Executor(test_catalog(), backend=None), graph)
    assert CALLS == ["a", "b", "c"]
    assert result.nodes["c"].outputs["text"] == "ABC"
    assert result.ran == {"a", "b", "c"} and result.ok


def test_second_run_is_fully_cached():
    executor = Executor(test_catalog(), backend=None)
    graph = chain(("a", "test.const", {}), ("b", "test.append", {}), ("c", "test.append", {}))
    run(executor, graph)
    CALLS.clear()
    result = run(executor, graph)
    assert CALLS == []
    assert result.cached == {"a", "b", "c"}
    assert result.nodes["c"].outputs["text"] == "a++"


@pytest.mark.parametrize(
    "changed, expected_ran",
    [
        ("a", ["a", "b", "c", "d"]),
        ("b", ["b", "c", "d"]),
        ("c", ["c", "d"]),
        ("d", ["d"]),
    ],
)
def test_param_change_reruns_only_downstream(changed, expected_ran):
    executor = Executor(test_catalog(), backend=None)
    graph = chain(("a", "test.const", {}), ("b", "test.append", {}), ("c", "test.append", {}), ("d", "test.append", {}))
    run(executor, graph)
    CALLS.clear()
    param = "value" if changed == "a" else "suffix"
    graph.set_param(changed, param, "X")
    result = run(executor, graph)
    assert CALLS == expected_ran
    assert result.cached == {"a", "b", "c", "d"} - set(expected_ran)


def test_changing_back_hits_the_cache_again():
    executor = Executor(test_catalog(), backend=None)
    graph = chain(("a", "test.const", {}), ("b", "test.append", {"suffix": "1"}))
    run(executor, graph)
    graph.set_param("b", "suffix", "2")
    run(executor, graph)
    CALLS.clear()
    graph.set_param("b", "suffix", "1")
    result = run(executor, graph)
    assert CALLS == [] and result.nodes["b"].outputs["text"] == "a1"


def test_failure_skips_descendants_and_unrelated_branch_finishes():
    graph = Graph()
    for node_id, type_id in [
        ("src", "test.const"),
        ("bad", "test.fail"),
        ("after", "test.append"),
        ("good", "test.append"),
    ]:
        graph.add_node(Node(node_id, type_id, {}))
    graph.connect("src.text", "bad.text")
    graph.connect("bad.text", "after.text")
    graph.connect("src.text", "good.text")
    result = run(Executor(test_catalog(), backend=None), graph)
    assert result.nodes["bad"].status == "failed"
    assert result.nodes["bad"].error == "this node always fails"
    assert result.nodes["after"].status == "skipped"
    assert "bad" in result.nodes["after"].error
    assert result.nodes["good"].status == "done" and result.nodes["good"].outputs["text"] == "a+"
    assert "after" not in CALLS


def test_a_bug_in_a_node_becomes_a_failure_not_a_crash():
    graph = chain(("a", "test.const", {}), ("x", "test.crash", {}))
    result = run(Executor(test_catalog(), backend=None), graph)
    assert result.nodes["x"].status == "failed"
    assert "IndexError" in result.nodes["x"].error


def test_invalid_nodes_fail_with_their_problem_and_the_rest_runs():
    graph = chain(("a", "test.const", {}), ("b", "test.append", {"suffix": 5}))
    graph.add_node(Node("lonely", "test.append", {}))  # required input not connected
    graph.add_node(Node("ok", "test.const", {"value": "fine"}))
    result = run(Executor(test_catalog(), backend=None), graph)
    assert result.nodes["b"].status == "failed" and "suffix" in result.nodes["b"].error
    assert result.nodes["lonely"].status == "failed" and "not connected" in result.nodes["lonely"].error
    assert result.nodes["ok"].status == "done"


def test_cycle_nodes_fail_and_name_the_cycle():
    graph = Graph()
    for node_id in ("a", "b", "c"):
        graph.add_node(Node(node_id, "test.append", {}))
    graph.connect("a.text", "b.text")
    graph.connect("b.text", "c.text")
    graph.connect("c.text", "a.text")
    result = run(Executor(test_catalog(), backend=None), graph)
    for node_id in "abc":
        assert result.nodes[node_id].status == "failed"
        assert "cycle" in result.nodes[node_id].error and "a -> b -> c -> a" in result.nodes[node_id].error
    assert CALLS == []


def test_multiple_input_gets_values_in_edge_order():
    graph = Graph()
    graph.add_node(Node("x", "test.const", {"value": "x"}))
    graph.add_node(Node("y", "test.const", {"value": "y"}))
    graph.add_node(Node("j", "test.join", {}))
    graph.connect("y.text", "j.parts")
    graph.connect("x.text", "j.parts")
    result = run(Executor(test_catalog(), backend=None), graph)
    assert result.nodes["j"].outputs["text"] == "y|x"


def test_events_per_node_in_order():
    events = []
    graph = chain(("a", "test.const", {}), ("b", "test.append", {}))
    executor = Executor(test_catalog(), backend=None)
    run(executor, graph, on_event=events.append)
    assert [(e.node, e.state) for e in events] == [
        ("a", "queued"),
        ("b", "queued"),
        ("a", "running"),
        ("a", "done"),
        ("b", "running"),
        ("b", "done"),
    ]
    assert all(e.ms >= 0 for e in events)
    events.clear()
    run(executor, graph, on_event=events.append)
    assert [(e.node, e.state) for e in events if e.state != "queued"] == [("a", "cached"), ("b", "cached")]


def test_cancel_inside_a_long_node_stops_it_and_skips_the_rest():
    graph = chain(("a", "test.const", {}), ("s", "test.slow", {"steps": 10_000}), ("after", "test.append", {}))
    token = CancelToken()

    async def scenario():
        executor = Executor(test_catalog(), backend=None)
        task = asyncio.create_task(executor.run(graph, cancel=token))
        while "s" not in CALLS:
            await asyncio.sleep(0.001)
        token.cancel()
        return await asyncio.wait_for(task, timeout=2)

    result = asyncio.run(scenario())
    assert result.cancelled
    assert result.nodes["s"].status == "failed" and result.nodes["s"].error == "cancelled"
    assert result.nodes["after"].status == "skipped"
    assert result.nodes["a"].status == "done"


def test_cancel_between_nodes():
    graph = chain(("a", "test.const", {}), ("b", "test.append", {}))
    token = CancelToken()

    def on_event(event):
        if event.node == "a" and event.state == "done":
            token.cancel()

    result = run(Executor(test_catalog(), backend=None), graph, cancel=token, on_event=on_event)
    assert result.cancelled and result.nodes["b"].status == "skipped" and CALLS == ["a"]


def test_cancelled_node_is_not_cached():
    graph = chain(("a", "test.const", {}), ("s", "test.slow", {"steps": 3}))
    executor = Executor(test_catalog(), backend=None)
    token = CancelToken()
    token.cancel()
    run(executor, graph, cancel=token)
    CALLS.clear()
    result = run(executor, graph)
    assert result.ran == {"a", "s"}


def test_non_deterministic_node_is_cached_until_run_again():
    executor = Executor(test_catalog(), backend=None)
    graph = chain(("a", "test.const", {}), ("r", "test.random", {}), ("after", "test.append", {}))
    first = run(executor, graph).nodes["after"].outputs["text"]
    second = run(executor, graph)
    assert second.cached == {"a", "r", "after"}
    CALLS.clear()
    third = run(executor, graph, force=["r"])
    assert CALLS == ["r", "after"]
    assert third.nodes["a"].status == "cached"
    assert third.nodes["after"].outputs["text"] != first


def test_two_identical_random_nodes_are_separate_results():
    executor = Executor(test_catalog(), backend=None)
    graph = Graph()
    graph.add_node(Node("a", "test.const", {}))
    for node_id in ("r1", "r2"):
        graph.add_node(Node(node_id, "test.random", {}))
        graph.connect("a.text", f"{node_id}.text")
    result = run(executor, graph)
    assert result.ran == {"a", "r1", "r2"}
    assert result.nodes["r1"].outputs["text"] != result.nodes["r2"].outputs["text"]


def test_identical_deterministic_nodes_share_one_computation():
    executor = Executor(test_catalog(), backend=None)
    graph = Graph()
    graph.add_node(Node("a", "test.const", {}))
    for node_id in ("b1", "b2"):
        graph.add_node(Node(node_id, "test.append", {}))
        graph.connect("a.text", f"{node_id}.text")
    result = run(executor, graph)
    assert CALLS == ["a", "b1"]
    assert result.nodes["b2"].status == "cached"


def test_targets_run_only_what_they_need():
    graph = chain(("a", "test.const", {}), ("b", "test.append", {}), ("c", "test.append", {}))
    graph.add_node(Node("other", "test.const", {}))
    result = run(Executor(test_catalog(), backend=None), graph, targets=["b"])
    assert set(result.nodes) == {"a", "b"} and CALLS == ["a", "b"]


def test_external_input_bytes_take_part_in_the_cache_key():
    from studio.core.catalog import TEXT, Catalog, PortSpec, node

    @node(
        "test.upload",
        title="Upload",
        category="Test",
        help="Reads bytes.",
        outputs=(PortSpec("text", TEXT),),
        external_input=True,
    )
    async def upload(ctx):
        CALLS.append(ctx.node_id)
        return {"text": ctx.external.decode()}

    executor = Executor(Catalog([upload]), backend=None)
    graph = Graph()
    graph.add_node(Node("u", "test.upload"))
    assert run(executor, graph, inputs={"u": b"one"}).nodes["u"].outputs["text"] == "one"
    assert run(executor, graph, inputs={"u": b"one"}).nodes["u"].status == "cached"
    assert run(executor, graph, inputs={"u": b"two"}).nodes["u"].outputs["text"] == "two"


def test_cache_memory_bound_evicts_oldest():
    from studio.core.cache import ResultCache

    cache = ResultCache(max_bytes=10)
    cache.put("a", {"x": "aaaa"}, 4)
    cache.put("b", {"x": "bbbb"}, 4)
    cache.get("a")  # a is now the most recently used
    cache.put("c", {"x": "cccc"}, 4)
    assert "a" in cache and "c" in cache and "b" not in cache
    assert cache.used_bytes == 8
    cache.put("huge", {"x": "h"}, 11)
    assert "huge" not in cache and len(cache) == 2


def test_executor_respects_its_cache_bound():
    from studio.core.cache import ResultCache

    executor = Executor(test_catalog(), backend=None, cache=ResultCache(max_bytes=3))
    graph = chain(("a", "test.const", {"value": "aa"}), ("b", "test.append", {"suffix": "bb"}))
    run(executor, graph)
    assert executor.cache.used_bytes <= 3
    CALLS.clear()
    result = run(executor, graph)
    assert "b" in CALLS  # "aabb" (4 bytes) could not be kept
    assert result.nodes["b"].outputs["text"] == "aabb"


def test_large_text_params_are_keyed_by_digest_and_still_change_the_key():
    executor = Executor(test_catalog(), backend=None)
    big = "x" * 200_000
    graph = chain(("a", "test.const", {"value": big}), ("b", "test.append", {}))
    assert run(executor, graph).nodes["b"].outputs["text"] == big + "+"
    assert run(executor, graph).cached == {"a", "b"}
    graph.set_param("a", "value", big[:-1] + "y")  # same length, one character different
    CALLS.clear()
    result = run(executor, graph)
    assert CALLS == ["a", "b"] and result.nodes["b"].outputs["text"].endswith("y+")


class ForgetfulBackend:
    """A backend that can lose what it held (the page's image engine when its worker stops)."""

    def __init__(self) -> None:
        self.lost: set[str] = set()

    def holds(self, value) -> bool:
        return value not in self.lost


def test_a_cached_result_whose_pictures_the_backend_no_longer_holds_runs_again():
    backend = ForgetfulBackend()
    executor = Executor(test_catalog(), backend=backend)
    graph = chain(("a", "test.const", {"value": "A"}), ("b", "test.append", {}))
    run(executor, graph)
    assert run(executor, graph).cached == {"a", "b"}
    backend.lost.add("A")  # a's output died with the engine; b's ("A+") is still held
    assert all(p.cached for n, p in executor.preview(graph).items() if n == "b")
    assert not executor.preview(graph)["a"].cached
    again = run(executor, graph)
    assert again.ran == {"a"} and again.cached == {"b"}
