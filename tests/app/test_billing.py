"""Gemini calls per user action, table-driven: what the Studio announces (`Session.plan`), whether it
asks first, and what the wire receives, through the real executor, AI node and client (issue 7, items 3-5)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from studio.app import ai_conversation, billing
from studio.app.editor import Editor
from studio.app.session import Session
from studio.backend.pillow_backend import PillowBackend
from studio.core.graph import Graph, Node
from studio.core.workflow import dump_workflow
from studio.gemini import GeminiClient
from studio.gemini.errors import RateLimited
from studio.nodes import default_catalog
from tests.app.helpers import ai_graph
from tests.gemini.wire import KEY, FakeClock, FakeGemini, image_answer, inline, picture, reply

SOURCE = picture("PNG", size=(8, 6), color=(200, 0, 0))


_answered = iter(range(10**6))


def fresh_answer(request):
    """Every request gets its own signed image (a follow-up must echo it)."""
    image = picture("PNG", size=(8, 6), color=(0, next(_answered) % 256, 200))
    return reply(200, image_answer({"text": "done", "thoughtSignature": "s"}, inline(image, thoughtSignature="s")))


@dataclass
class Studio:
    """The app layer as the browser UI drives it: a session, its editor, Gemini at the wire."""

    wire: FakeGemini = field(default_factory=lambda: FakeGemini(*[fresh_answer] * 40))
    chain: bool = False
    session: Session = field(init=False)
    editor: Editor = field(init=False)
    recorder: ai_conversation.Recorder = field(default_factory=ai_conversation.Recorder)
    plans: list[billing.Plan] = field(default_factory=list)  # what each run announced

    def __post_init__(self) -> None:
        client = GeminiClient(self.wire, lambda: KEY, sleep=FakeClock().sleep, rng=lambda: 0.0)
        self.session = Session(default_catalog(), PillowBackend(), services={"gemini": client})
        self.editor = Editor(self.session)
        self.session.graph = ai_graph(2 if self.chain else 1)

    # --- what a person does, as the UI does it ---

    def run(self, force: tuple[str, ...] = ()) -> billing.Plan:
        """Run (the button): announce, then run held to the announced count."""
        plan = self.session.plan(force=force)
        self.plans.append(plan)
        result = asyncio.run(self.session.run(force=force, allowance=plan.total))
        assert not result.failed, result.to_json()
        self.recorder.after_run(self.session.graph, result.ran)
        return plan

    def auto_run(self) -> billing.Plan:
        """The run after an edit, an open or a restore: offline."""
        plan = self.session.plan(offline=True)
        self.plans.append(plan)
        asyncio.run(self.session.run(offline=True))
        return plan

    def follow_up(self, text: str = "warmer") -> None:
        node = self.session.graph.nodes["edit"]
        followups, selected = ai_conversation.followups_from(node, text)
        self.editor.set_data("edit", {"followups": followups, "selected": selected}, "follow-up")

    def step_to(self, index: int) -> None:
        self.editor.set_data("edit", {"selected": index}, "step back")

    def run_again(self) -> billing.Plan:
        node = self.session.graph.nodes["edit"]
        if changes := ai_conversation.run_again_data(node):
            self.editor.set_data("edit", changes, "run again")
        return self.run(force=("edit",))

    def three_steps(self) -> None:
        self.run()
        for text in ("blue", "yellow"):
            self.follow_up(text)
            self.run()

    def add_reference(self) -> None:
        ref = self.editor.add_node("source.solid", (0, 200), {"width": 8, "height": 6})
        self.editor.connect(f"{ref}.image", "edit.references")

    def reload(self, text: str | None = None) -> None:
        """A new page (autosave restore or Open of a saved file) with the same Gemini."""
        text = text if text is not None else self.session.workflow_text()
        wire, plans = self.wire, self.plans
        self.__init__(wire=wire, chain=self.chain, plans=plans)  # type: ignore[misc]
        self.session.load_text(text)

    def calls(self) -> int:
        return len(self.wire.requests)


def action(fn: Callable[[Studio], object]) -> Callable[[Studio], object]:
    return fn


# (what the person does, setup before, the action, calls announced and made, asks first)
ROWS: list[tuple[str, Callable[[Studio], object], Callable[[Studio], object], int, bool]] = [
    ("Run with a fresh AI node", lambda s: None, Studio.run, 1, False),
    ("Run a second time, nothing changed (replayed from the cache)", Studio.run, Studio.run, 0, False),
    (
        "Run after a param change downstream is free",
        Studio.run,
        lambda s: (s.editor.set_param("small", "width", 3), s.run()),
        0,
        False,
    ),
    ("automatic run after an edit, AI node never run", lambda s: None, Studio.auto_run, 0, False),
    (
        "automatic run after an upstream edit (the node's turns no longer fit)",
        lambda s: (s.three_steps(), s.editor.set_param("src", "color", "#0000ff")),
        Studio.auto_run,
        0,
        False,
    ),
    ("Follow-up on the latest step", Studio.run, lambda s: (s.follow_up(), s.run()), 1, False),
    ("Step back (step 1 of 3)", Studio.three_steps, lambda s: (s.step_to(0), s.run()), 0, False),
    (
        "Step back then follow-up: continues from step 1",
        Studio.three_steps,
        lambda s: (s.step_to(0), s.follow_up(), s.run()),
        1,
        False,
    ),
    ("Run again on the latest step (3 of 3)", Studio.three_steps, Studio.run_again, 1, False),
    (
        "Run again on step 1 of 3: re-asks step 1 only",
        Studio.three_steps,
        lambda s: (s.step_to(0), s.run_again()),
        1,
        False,
    ),
    ("Run again on step 2 of 3", Studio.three_steps, lambda s: (s.step_to(1), s.run_again()), 1, False),
    (
        "Run after an upstream change, 1 step",
        Studio.run,
        lambda s: (s.editor.set_param("src", "color", "#0000ff"), s.run()),
        1,
        False,
    ),
    (
        "Run after an upstream change, 3 steps: the conversation is replayed",
        Studio.three_steps,
        lambda s: (s.editor.set_param("src", "color", "#0000ff"), s.run()),
        3,
        True,
    ),
    (
        "Run after adding a reference image, 3 steps",
        Studio.three_steps,
        lambda s: (s.add_reference(), s.run()),
        3,
        True,
    ),
    (
        "Run after editing the prompt, 3 steps",
        Studio.three_steps,
        lambda s: (s.editor.set_param("edit", "prompt", "red"), s.run()),
        3,
        True,
    ),
    (
        "open a file with recorded turns: the automatic run",
        Studio.three_steps,
        lambda s: (s.reload(), s.auto_run()),
        0,
        False,
    ),
    ("open a file with recorded turns, then Run", Studio.three_steps, lambda s: (s.reload(), s.run()), 0, False),
    (
        "open a graph-only file (texts, no images), then Run",
        Studio.three_steps,
        lambda s: (s.reload(dump_workflow(ai_conversation.graph_only(s.session.graph))), s.auto_run(), s.run()),
        3,
        True,
    ),
    (
        "Start over, then Run",
        Studio.three_steps,
        lambda s: (s.editor.set_data("edit", dict(ai_conversation.START_OVER), "start over"), s.run()),
        1,
        False,
    ),
    (
        "undo an edit made before the run, reload, Run (the conversation was carried back)",
        lambda s: (s.editor.set_param("small", "width", 3), s.run()),
        lambda s: (s.editor.undo(), s.recorder.after_undo(s.session.graph), s.reload(), s.run()),
        0,
        False,
    ),
]


@pytest.mark.parametrize(("setup", "act", "expected", "asks"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_calls_per_action(setup, act, expected, asks):
    studio = Studio()
    setup(studio)
    before = studio.calls()
    act(studio)
    made = studio.calls() - before
    announced = studio.plans[-1]
    assert made == expected, f"the wire got {made} calls"
    assert announced.total == expected, f"the Studio announced {announced.total}"
    assert announced.must_ask() is asks


CHAIN_ROWS = [
    # The second AI node's input is the first one's output: a change there replays it all.
    ("Run with two fresh AI nodes", lambda s: None, Studio.run, 2, True),
    ("follow-up on the first node of two: the second replays", Studio.run, lambda s: (s.follow_up(), s.run()), 2, True),
    (
        "step back on the first node of two: the second is asked again",
        lambda s: (s.run(), s.follow_up(), s.run()),
        lambda s: (s.step_to(0), s.run()),
        1,
        False,
    ),
    (
        "automatic run after a follow-up upstream: nothing",
        Studio.run,
        lambda s: (s.follow_up(), s.auto_run()),
        0,
        False,
    ),
]


@pytest.mark.parametrize(
    ("setup", "act", "expected", "asks"), [r[1:] for r in CHAIN_ROWS], ids=[r[0] for r in CHAIN_ROWS]
)
def test_calls_per_action_with_two_ai_nodes(setup, act, expected, asks):
    studio = Studio(chain=True)
    setup(studio)
    before = studio.calls()
    act(studio)
    assert studio.calls() - before == expected
    plan = studio.plans[-1]
    assert plan.total == expected and plan.must_ask() is asks


def test_a_follow_up_before_the_first_result_is_not_possible():
    studio = Studio()
    node = studio.session.graph.nodes["edit"]
    assert not ai_conversation.has_result(node, "idle", False)
    studio.run()
    assert ai_conversation.has_result(node, "done", False)
    assert not ai_conversation.has_result(node, "done", True)  # its input changed since: run first


def test_run_again_on_a_step_cuts_the_later_steps_and_replaces_that_one():
    studio = Studio()
    studio.three_steps()
    old = [t["model"] for t in studio.session.graph.nodes["edit"].data["turns"]]
    studio.step_to(0)
    assert ai_conversation.replaced_steps(studio.session.graph.nodes["edit"]) == (2, 3)
    studio.run_again()
    data = studio.session.graph.nodes["edit"].data
    assert [t["prompt"] for t in data["turns"]] == ["green"]
    assert data["turns"][0]["model"] != old[0] and data["followups"] == []
    assert len(studio.wire.body()["contents"]) == 1  # step 1 asked alone, not the whole conversation
    assert ai_conversation.replaced_steps(studio.session.graph.nodes["edit"]) is None
    studio.editor.undo()  # the cut steps come back
    assert [t["prompt"] for t in studio.session.graph.nodes["edit"].data["turns"]] == ["green", "blue", "yellow"]


def test_dont_ask_again_covers_only_the_nodes_marked():
    plan = billing.Plan((billing.NodeCalls("a", 3, 2), billing.NodeCalls("b", 1)))
    assert plan.must_ask() and plan.must_ask({"a"}) and not plan.must_ask({"a", "b"})
    assert plan.label() == "4 Gemini calls" and billing.Plan().label() == ""
    assert billing.Plan((billing.NodeCalls("a", 1),)).label() == "1 Gemini call"


def test_the_meter_refuses_a_call_beyond_the_announced_count():
    studio = Studio()
    asyncio.run(studio.session.run(allowance=0))
    result = studio.session.last_run.nodes["edit"]
    assert result.status == "failed" and "more times than the Studio announced" in result.error
    assert studio.calls() == 0


def test_the_meter_reports_each_request_and_each_wait():
    clock = FakeClock()
    from tests.gemini.wire import quota_429

    wire = FakeGemini(
        reply(429, quota_429("GenerateRequestsPerMinutePerProjectPerModel", retry_delay="7s")), fresh_answer
    )
    studio = Studio(wire=wire)
    meter = studio.session.meter
    meter.client = GeminiClient(wire, lambda: KEY, sleep=clock.sleep, rng=lambda: 0.0)
    events: list[billing.MeterEvent] = []
    meter.listeners.append(events.append)
    asyncio.run(studio.session.run(allowance=1))
    assert [type(e).__name__ for e in events] == ["Asking", "Waiting"]
    assert events[0] == billing.Asking("edit", 1, 1)
    assert (
        events[1].node == "edit" and events[1].seconds == pytest.approx(7) and isinstance(events[1].error, RateLimited)
    )
    notes = studio.session.last_run.nodes["edit"].notes
    assert any(note.startswith("retry 1") for note in notes)  # the node's own note still comes


def test_nothing_is_counted_behind_an_image_node_waiting_for_its_picture():
    studio = Studio()
    graph = Graph()
    graph.add_node(Node("pic", "source.image", {}))
    graph.add_node(Node("edit", "ai.edit", {"prompt": "green"}))
    graph.connect("pic.image", "edit.image")
    studio.session.graph = graph
    assert studio.session.plan().total == 0
    asyncio.run(studio.session.run(allowance=0))
    assert studio.calls() == 0
    studio.editor.set_picture("pic", SOURCE, "red.png")
    assert studio.session.plan().total == 1


def test_the_preview_sees_the_basis_and_cache_the_run_will_use():
    studio = Studio()
    before = studio.session.executor.preview(studio.session.graph)
    assert set(before) == {"src", "edit", "small"} and not before["edit"].cached
    studio.run()
    assert studio.session.graph.nodes["edit"].data["basis"] == before["edit"].basis
    after = studio.session.executor.preview(studio.session.graph)
    assert after["edit"].cached and after["small"].cached
    forced = studio.session.executor.preview(studio.session.graph, force=("edit",))
    assert not forced["edit"].cached and not forced["small"].cached  # run again: downstream too
    studio.session.graph.nodes["small"].params["fit"] = "nope"  # a problem: that node will not run
    assert "small" not in studio.session.executor.preview(studio.session.graph)


def test_the_estimate_before_a_run_prices_each_nodes_calls_at_its_own_model_and_size():
    """Issue 10: the confirmation's price is each AI node's calls at its model, size and thinking
    level, from the dated table; a batch multiplies it by its pictures."""
    from studio.app.batch import batch_plan
    from studio.gemini.models import DEFAULT_MODEL
    from studio.gemini.pricing import price_per_image

    graph = Graph()
    graph.nodes["a"] = Node("a", "ai.generate", {"prompt": "x", "image_size": "4K"})
    graph.nodes["b"] = Node("b", "ai.generate", {"prompt": "y", "image_size": "1K"}, data={"followups": ["z"]})
    plan = billing.Plan((billing.NodeCalls("a", 1), billing.NodeCalls("b", 2)))
    four_k = price_per_image(DEFAULT_MODEL, "4K")
    one_k = price_per_image(DEFAULT_MODEL, "1K")
    assert four_k is not None and one_k is not None and four_k > one_k
    assert plan.estimate(graph).usd == pytest.approx(four_k + 2 * one_k)
    assert plan.estimate(graph).calls == 3
    batch = batch_plan(graph)
    assert batch.total == 3
    assert batch.estimate(graph, runs=5).usd == pytest.approx(5 * (four_k + 2 * one_k))
    assert "for 15 Gemini calls (estimate" in batch.estimate(graph, runs=5).describe()
