"""What an AI node says while it waits for Gemini: elapsed time, the call of how many, a retry countdown."""

from __future__ import annotations

import pytest

from studio.app.ai_wait import Waits
from studio.app.billing import Asking, Waiting
from studio.gemini.errors import NetworkError, RateLimited, ServerBusy


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("events", "after", "expected"),
    [
        ([Asking("edit", 1, 1)], 0.4, "Asking Gemini… 0 s"),
        ([Asking("edit", 1, 1)], 12.7, "Asking Gemini… 12 s"),
        ([Asking("edit", 2, 3)], 3, "Asking Gemini (call 2 of 3)… 3 s"),
        ([Asking("edit", 1, None)], 1, "Asking Gemini… 1 s"),  # an automation run: no announced count
        (
            [Asking("edit", 1, 1), Waiting("edit", 7.0, RateLimited("quota"), 1)],
            0,
            "Gemini asked to wait — retrying in 7 s",
        ),
        (
            [Asking("edit", 1, 1), Waiting("edit", 7.0, RateLimited("quota"), 1)],
            2.5,
            "Gemini asked to wait — retrying in 5 s",
        ),
        ([Asking("edit", 1, 1), Waiting("edit", 2.0, ServerBusy("busy"), 1)], 0, "Gemini is busy — retrying in 2 s"),
        (
            [Asking("edit", 1, 1), Waiting("edit", 1.0, NetworkError("down"), 1)],
            0.5,
            "The connection to Gemini failed — retrying in 1 s",
        ),
        ([Asking("edit", 1, 1), Waiting("edit", 7.0, RateLimited("quota"), 1)], 9, "Asking Gemini again… 2 s"),
    ],
)
def test_what_the_node_says(events, after, expected):
    clock = Clock()
    waits = Waits(clock)
    for event in events:
        assert waits.apply(event) == "edit"
    clock.now += after
    assert waits.text("edit") == expected


def test_unknown_and_ended_nodes_say_nothing():
    waits = Waits(Clock())
    assert waits.apply(Asking(None, 1, 1)) is None
    assert waits.text("edit") == ""
    waits.apply(Asking("edit", 1, 1))
    waits.end("edit")
    assert waits.text("edit") == ""
