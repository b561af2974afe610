"""How many Gemini calls a run will make, when the Studio must ask first, and a meter that holds it to that.

The Studio's promises about money, in one place:
- never call Gemini unasked: an automatic run (after an edit, an open, a restore) is offline and
  makes no call; only Run, Run again, a follow-up or a confirmed dialog do;
- never bill twice: a recorded step whose basis (params and inputs) still holds is replayed, not
  re-asked (`plan_turns` in studio/nodes/conversation.py: the AI node's body follows that same rule);
- never more than it said: before a run the Studio announces `Plan.total` calls, asks first when
  that is more than one or re-makes steps already paid for (`Plan.must_ask`), and the `Meter`
  refuses any call beyond the announced number.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import StudioError
from ..core.executor import Planned
from ..core.graph import Graph, Node
from ..core.recording import recorded_under
from ..gemini.pricing import Estimate, estimate
from ..nodes.ai import priced_calls
from ..nodes.conversation import RECORDS, TURNS, plan_turns

AI_PREFIX = "ai."
OVER_ALLOWANCE = (
    "not sent: this run would have asked Gemini more times than the Studio announced. "
    "Press Run to see the count and confirm."
)


@dataclass(frozen=True)
class NodeCalls:
    """What one AI node will ask of Gemini in a run."""

    node: str
    calls: int  # generateContent requests (each billed)
    repeats: int = 0  # of those, steps already answered once whose answer no longer fits (re-paid)

    def describe(self, name: str | None = None) -> str:
        what = f"{name or self.node}: {plural(self.calls, 'Gemini call')}"
        if self.repeats:
            what += f" (re-makes {plural(self.repeats, 'step')} already paid for)"
        return what


@dataclass(frozen=True)
class Plan:
    """The Gemini calls of one run, per AI node (only nodes that will call are listed)."""

    nodes: tuple[NodeCalls, ...] = ()

    @property
    def total(self) -> int:
        return sum(n.calls for n in self.nodes)

    @property
    def repeats(self) -> int:
        return sum(n.repeats for n in self.nodes)

    def calls_of(self, node_id: str) -> int:
        return next((n.calls for n in self.nodes if n.node == node_id), 0)

    def must_ask(self, trusted: Collection[str] = ()) -> bool:
        """Ask before running: more than one call, or a call that re-makes a paid step, unless
        every node that would call was marked "don't ask again"."""
        asking = [n for n in self.nodes if n.node not in trusted]
        return bool(asking) and (self.total > 1 or any(n.repeats for n in asking))

    def label(self) -> str:
        """The Run button's count: "" when the run calls nothing."""
        return plural(self.total, "Gemini call") if self.total else ""

    def estimate(self, graph: Graph, runs: int = 1) -> Estimate:
        """The estimated price of this plan's calls (each node's model, size and thinking level),
        made `runs` times (a batch): what the confirmation says before anything is sent."""
        calls = []
        for node_calls in self.nodes:
            node = graph.nodes.get(node_calls.node)
            if node is not None:
                calls += priced_calls(node.params, node_calls.calls * runs)
        return estimate(calls)


@dataclass(frozen=True)
class Consent:
    """The person's answer to "this run will make N Gemini calls"."""

    run: bool
    trust: bool = False  # don't ask again for the nodes of this run (kept by the page, not the file)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def is_ai_node(node: Node) -> bool:
    return node.type.startswith(AI_PREFIX)


def node_calls(node: Node, basis: str, *, force: bool) -> NodeCalls:
    """The calls an AI node's body will make under `basis` (see `plan_turns`).

    Repeats are follow-up steps answered before (same instructions) whose answers no longer fit
    (the input or a reference changed, or the file kept only their texts): sending them again
    replays the conversation and bills each step again. The first step asked afresh is a new
    question; a "run again" re-asks the step the user named: neither is a repeat."""
    prompt = str(node.params.get("prompt", ""))
    recorded = recorded_under(node.data, RECORDS, basis)
    wanted, kept = plan_turns(prompt, node.data, recorded, force=False)
    calls = len(wanted) - len(kept) + (1 if force and len(kept) == len(wanted) else 0)
    answered = 0  # recorded turns, under any basis, that answered these same instructions
    turns = node.data.get(TURNS)
    for turn, instruction in zip(turns if isinstance(turns, list) else (), wanted, strict=False):
        if not isinstance(turn, dict) or turn.get("prompt") != instruction:
            break
        answered += 1
    return NodeCalls(node.id, calls, max(0, answered - max(len(kept), 1)))


def plan_run(
    graph: Graph, planned: Mapping[str, Planned], *, force: Collection[str] = (), offline: bool = False
) -> Plan:
    """The Gemini calls a run of `graph` will make; `planned` is `Executor.preview` of that run.
    An offline run makes none: its AI nodes replay what they recorded or wait for Run."""
    if offline:
        return Plan()
    out = []
    for node_id, node in graph.nodes.items():
        seen = planned.get(node_id)
        if seen is None or seen.cached or not is_ai_node(node):
            continue
        calls = node_calls(node, seen.basis, force=node_id in force)
        if calls.calls:
            out.append(calls)
    return Plan(tuple(out))


# --- the meter: the Gemini service as a session's runs see it ------------------------------------


@dataclass(frozen=True)
class Asking:
    """A generateContent request left for Gemini (`call` of the run's `of`, None when unannounced)."""

    node: str | None
    call: int
    of: int | None


@dataclass(frozen=True)
class Waiting:
    """The client waits `seconds` before retrying (error: the GeminiError that made it wait)."""

    node: str | None
    seconds: float
    error: Exception
    attempt: int


MeterEvent = Asking | Waiting


@dataclass
class Meter:
    """Stands in for the Gemini client in a session: counts generate calls, refuses any beyond the
    run's allowance, and tells listeners when a request leaves and when the client waits to retry
    (the client's own `on_retry` still gets every retry)."""

    client: Any
    allowance: int | None = None  # None: no announced count (the command line, automation hooks)
    calls: int = 0
    node: str | None = None  # the node running now (the executor runs one at a time)
    listeners: list[Callable[[MeterEvent], Any]] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:  # list_models and the rest pass through
        if name == "client":
            raise AttributeError(name)
        return getattr(self.client, name)

    def start(self, allowance: int | None) -> None:
        self.allowance, self.calls, self.node = allowance, 0, None

    async def generate(self, **kwargs: Any) -> Any:
        if self.allowance is not None and self.calls >= self.allowance:
            raise StudioError(OVER_ALLOWANCE)
        self.calls += 1
        node = self.node
        inner = kwargs.get("on_retry")

        def on_retry(error: Exception, seconds: float, attempt: int) -> None:
            if inner is not None:
                inner(error, seconds, attempt)
            self._tell(Waiting(node, seconds, error, attempt))

        kwargs["on_retry"] = on_retry
        self._tell(Asking(node, self.calls, self.allowance))
        return await self.client.generate(**kwargs)

    def _tell(self, event: MeterEvent) -> None:
        for listener in list(self.listeners):
            listener(event)
