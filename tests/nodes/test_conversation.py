"""The one rule of which recorded AI turns a run replays (the node follows it; the cost preview counts by it)."""

from __future__ import annotations

import pytest

from studio.nodes.conversation import Turn, plan_turns

A = {"prompt": "a", "user": {"role": "user"}, "model": {"role": "model"}, "text": None}
B = {**A, "prompt": "b"}
LIGHT_B = {"prompt": "b", "text": "kept by a graph-only save"}


@pytest.mark.parametrize(
    "followups, turns, force, asked",
    [
        ([], [], False, ["a"]),  # nothing recorded: ask
        ([], [A], False, []),  # answered: replay, no call
        ([], [A], True, ["a"]),  # run again: ask the latest afresh
        (["b"], [A], False, ["b"]),  # a follow-up: only it is asked
        (["b"], [A, B], True, ["b"]),  # run again after a follow-up: the follow-up only
        (["c"], [A, B], False, ["c"]),  # the follow-up changed: the changed step on
        (["b"], [B, A], False, ["a", "b"]),  # out of order: nothing matches
        (["b"], [A, LIGHT_B], False, ["b"]),  # a light turn cannot be replayed
        (["b"], ["junk", B], False, ["a", "b"]),  # not a turn: nothing after it counts
        ([], [A, B], False, []),  # a follow-up removed: the first step still answers
    ],
)
def test_plan_turns(followups, turns, force, asked):
    wanted, kept = plan_turns("a", {"followups": followups}, {"turns": turns}, force=force)
    assert wanted[len(kept) :] == asked


def test_a_turn_round_trips_keeping_what_a_newer_studio_wrote():
    value = {**A, "usage": {"total_tokens": 3}, "rating": 5}
    turn = Turn.from_json(value)
    assert turn is not None and turn.replayable and turn.extra == {"rating": 5}
    assert turn.to_json() == value
    assert Turn.from_json({"text": "no prompt"}) is None and not Turn.from_json(LIGHT_B).replayable
