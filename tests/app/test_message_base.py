"""Messages are frozen records: fields by position or name, defaults, equality by type and values,
and a clear TypeError for a missing or unknown field (what dataclasses gave, without their cost)."""

from __future__ import annotations

import pytest

from studio.app.commands import Move, SetParam
from studio.app.messages import DocumentOpened, Run, RunTo


def test_fields_by_position_or_name_with_their_defaults():
    assert Run() == Run((), False) == Run(force=(), automatic=False)
    assert SetParam("blur", "radius", 7).gesture is None
    assert Move(("a",), 1, 2, gesture="g")._fields == ("nodes", "dx", "dy", "gesture")
    assert repr(RunTo("out")) == "RunTo(node='out')"


def test_equal_only_to_the_same_type_with_the_same_values_and_frozen():
    assert DocumentOpened(scripted=True) != DocumentOpened()
    assert RunTo("a") != SetParam("a", "x", 1) and hash(RunTo("a")) == hash(RunTo("a"))
    with pytest.raises(AttributeError, match="frozen"):
        RunTo("a").node = "b"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda: RunTo(), "RunTo needs 'node'"),
        (lambda: RunTo("a", "b"), "RunTo takes 1 fields, 2 were given"),
        (lambda: RunTo("a", node="b"), "unexpected or repeated field 'node'"),
        (lambda: Run(fast=True), "unexpected or repeated field 'fast'"),
    ],
)
def test_a_wrong_field_is_named(make, says):
    with pytest.raises(TypeError, match=says):
        make()
