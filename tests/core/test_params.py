"""Params check JSON values and command-line text, with messages that say what was expected."""

from __future__ import annotations

import pytest

from studio.core.params import BoolParam, ChoiceParam, ColorParam, FloatParam, IntParam, ParamError, TextParam

INT = IntParam("n", 5, min=1, max=10)
FLOAT = FloatParam("f", 1.0, min=0, max=4)
CHOICE = ChoiceParam("c", "a", choices=("a", "b"))
COLOR = ColorParam("col", "#ffffff")
OPTIONAL_COLOR = ColorParam("bg", None, optional=True)
TEXT = TextParam("t", "", max_length=5)
BOOL = BoolParam("b", True)


@pytest.mark.parametrize(
    "param, value, expected",
    [
        (INT, 3, 3),
        (INT, 3.0, 3),
        (FLOAT, 2, 2.0),
        (FLOAT, 0.5, 0.5),
        (CHOICE, "b", "b"),
        (COLOR, "#AABBCC", "#aabbcc"),
        (COLOR, "#aabbcc80", "#aabbcc80"),
        (OPTIONAL_COLOR, None, None),
        (TEXT, "hey", "hey"),
        (BOOL, False, False),
    ],
)
def test_accepts(param, value, expected):
    assert param.coerce(value) == expected


@pytest.mark.parametrize(
    "param, value, message",
    [
        (INT, 0, "at least 1"),
        (INT, 11, "at most 10"),
        (INT, 2.5, "whole number"),
        (INT, "3", "whole number"),
        (INT, True, "whole number"),
        (FLOAT, float("nan"), "finite"),
        (FLOAT, 5, "at most 4"),
        (FLOAT, None, "number"),
        (CHOICE, "z", "one of a, b"),
        (COLOR, "red", "#rrggbb"),
        (COLOR, "#abc", "#rrggbb"),
        (COLOR, None, "#rrggbb"),
        (TEXT, "toolong", "at most 5"),
        (TEXT, 5, "expected text"),
        (BOOL, "yes", "true or false"),
    ],
)
def test_refuses_with_reason(param, value, message):
    with pytest.raises(ParamError, match=message):
        param.coerce(value)


@pytest.mark.parametrize(
    "param, text, expected",
    [
        (INT, "7", 7),
        (FLOAT, "2.5", 2.5),
        (BOOL, "false", False),
        (BOOL, "on", True),
        (CHOICE, "b", "b"),
        (COLOR, "#102030", "#102030"),
        (OPTIONAL_COLOR, "none", None),
        (TEXT, "a b", "a b"),
    ],
)
def test_parses_command_line_text(param, text, expected):
    assert param.parse_text(text) == expected


@pytest.mark.parametrize("param, text", [(INT, "seven"), (FLOAT, "x"), (BOOL, "maybe"), (INT, "99")])
def test_command_line_text_refused(param, text):
    with pytest.raises(ParamError):
        param.parse_text(text)
