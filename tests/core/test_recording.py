"""Recordings: a body hands what it keeps to `ctx.record`; the executor passes it on, stamped with
the basis, and gives it back only under the same basis; the graph a run reads is never written."""

from __future__ import annotations

import asyncio
import copy

import pytest

from studio.core.catalog import TEXT, Catalog, CatalogError, PortSpec, check_spec, node
from studio.core.errors import StudioError
from studio.core.executor import Executor
from studio.core.graph import Graph, Node
from studio.core.params import TextParam
from studio.core.recording import keep, recorded_under

SEEN: list[dict] = []  # what each run of test.tally was handed back


@node(
    "test.tally",
    title="Tally",
    category="Test",
    help="Counts its runs under the same word; fails after recording when the word is 'fail'.",
    outputs=(PortSpec("text", TEXT),),
    params=(TextParam("word", "a"),),
    deterministic=False,
    state_keys=("mode",),
    records=("tally",),
)
async def tally(ctx, *, word):
    SEEN.append(dict(ctx.recorded))
    count = int(ctx.recorded.get("tally", 0)) + 1
    ctx.record(tally=count)
    if word == "fail":
        raise StudioError("failed after recording")
    if word == "stray":
        ctx.record(other=1)
    return {"text": f"{word} x{count}"}


def graph_of(word: str = "a") -> Graph:
    graph = Graph()
    graph.add_node(Node("t", "test.tally", {"word": word}))
    return graph


def run(executor: Executor, graph: Graph, **kwargs):
    """Run as the document's owner does: what the node recorded goes into its data."""
    result = asyncio.run(executor.run(graph, **kwargs))
    for node_id, node_result in result.nodes.items():
        if node_result.recorded:
            keep(graph, node_id, graph.nodes[node_id].type, node_result.recorded)
    return result


@pytest.fixture(autouse=True)
def _reset():
    SEEN.clear()


def executor() -> Executor:
    return Executor(Catalog([tally]), backend=None)


def test_the_graph_a_run_reads_is_never_written_and_the_result_carries_the_recording():
    graph = graph_of()
    before = copy.deepcopy(graph.nodes["t"])
    result = asyncio.run(executor().run(graph))
    assert graph.nodes["t"] == before and graph.nodes["t"].data == {}
    recorded = result.nodes["t"].recorded
    assert recorded["tally"] == 1 and isinstance(recorded["basis"], str) and len(recorded["basis"]) == 64


def test_the_recording_comes_back_under_the_same_basis_and_not_under_another():
    graph, ex = graph_of(), executor()
    run(ex, graph)
    assert run(ex, graph, force=["t"]).nodes["t"].outputs["text"] == "a x2"  # handed back: counts on
    graph.set_param("t", "word", "b")  # another basis: the recording no longer applies
    assert run(ex, graph).nodes["t"].outputs["text"] == "b x1"
    assert SEEN[-1] == {}


def test_what_was_recorded_before_a_failure_is_kept():
    graph = graph_of("fail")
    result = run(executor(), graph)
    assert result.nodes["t"].status == "failed" and result.nodes["t"].recorded["tally"] == 1
    assert graph.nodes["t"].data["tally"] == 1


def test_recording_an_undeclared_key_fails_the_node_naming_it():
    result = run(executor(), graph_of("stray"))
    assert result.nodes["t"].status == "failed" and "['other']" in result.nodes["t"].error


def test_the_recording_is_not_part_of_the_cache_key():
    graph, ex = graph_of(), executor()
    run(ex, graph)
    graph.nodes["t"].data["tally"] = 99  # the recording changes: the result is still the cached one
    assert run(ex, graph).nodes["t"].status == "cached"
    graph.nodes["t"].data["mode"] = "other"  # a state key changes: it runs
    assert run(ex, graph).nodes["t"].status == "done"


@pytest.mark.parametrize(
    "data, basis, expected",
    [
        ({"tally": 3, "basis": "B"}, "B", {"tally": 3}),
        ({"tally": 3, "basis": "B"}, "C", {}),
        ({"tally": 3}, "B", {}),  # no basis (a graph-only save): nothing to replay
        ({"tally": 3, "basis": "B"}, None, {"tally": 3}),  # None: under any basis
        ({"mode": "x", "basis": "B"}, "B", {}),  # state is not a recording
    ],
)
def test_recorded_under(data, basis, expected):
    assert recorded_under(data, ("tally",), basis) == expected


@pytest.mark.parametrize(
    "state_keys, records, message",
    [
        (None, ("tally",), "names its state_keys"),
        (("tally",), ("tally",), "both recorded and state"),
        ((), ("basis",), "both recorded and state (or the basis)"),
    ],
)
def test_the_catalog_refuses_a_recording_that_would_be_state(state_keys, records, message):
    spec = node("test.bad", title="Bad", category="Test", help="", state_keys=state_keys, records=records)(tally.fn)
    with pytest.raises(CatalogError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_spec(spec)


def test_keep_skips_a_node_deleted_or_retyped_meanwhile():
    graph = graph_of()
    assert not keep(graph, "gone", "test.tally", {"tally": 1})
    assert not keep(graph, "t", "test.other", {"tally": 1}) and graph.nodes["t"].data == {}
    assert keep(graph, "t", "test.tally", {"tally": 1}) and graph.nodes["t"].data == {"tally": 1}
