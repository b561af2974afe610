"""The message stream: a command reaches its one handler and its result comes back; an event reaches
every subscriber of its type in order; a broken subscriber is reported and the others still hear."""

from __future__ import annotations

import pytest

from studio.app.messages import Notice, Run, RunTo, ThumbnailChanged
from studio.app.stream import Stream, UnknownCommand


def test_a_command_reaches_its_one_handler_and_its_result_comes_back():
    stream = Stream()
    stream.handle(RunTo, lambda command: f"ran up to {command.node}")
    assert stream.send(RunTo("blur")) == "ran up to blur"
    with pytest.raises(ValueError, match="RunTo has a handler already"):
        stream.handle(RunTo, lambda command: None)
    with pytest.raises(UnknownCommand, match="nothing handles Run"):
        stream.send(Run())


def test_events_reach_every_subscriber_of_their_type_in_order_and_a_broken_one_stops_no_other(capsys):
    stream = Stream()
    heard: list[str] = []

    def broken(event: Notice) -> None:
        raise RuntimeError("this view is broken")

    stream.subscribe(Notice, lambda e: heard.append(f"first: {e.text}"))
    stream.subscribe(Notice, broken)
    stop = stream.subscribe(Notice, lambda e: heard.append(f"last: {e.text}"))
    stream.subscribe(ThumbnailChanged, lambda e: heard.append("a thumbnail"))
    stream.publish(Notice("saved"))
    stop()
    stream.publish(Notice("again"))
    assert heard == ["first: saved", "last: saved", "first: again"]
    assert [str(e) for e in stream.errors] == ["this view is broken"] * 2
    assert "a view failed on Notice: RuntimeError: this view is broken" in capsys.readouterr().err
