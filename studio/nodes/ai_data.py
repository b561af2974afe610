"""The shape of an AI node's `data` (its conversation, see studio/nodes/ai.py), checked at load.

`{"followups": 5}` used to load and then fail inside the node as "unexpected error (TypeError)";
now the file is refused with the node and the key named. Unknown keys are left alone (a newer
Studio may record more), and a light turn (a graph-only save keeps only `prompt` and `text`) is
fine: the node asks Gemini again for it.
"""

from __future__ import annotations

from typing import Any

from ..core.quoting import quote

MAX_FOLLOWUPS = 100
MAX_INSTRUCTION = 8000  # as the prompt param


def check_ai_data(data: dict[str, Any]) -> list[str]:
    """One message per problem in an AI node's data, each starting with where it is."""
    problems: list[str] = []
    followups = data.get("followups")
    if followups is not None:
        if not isinstance(followups, list):
            problems.append(f"data.followups: expected a list of instructions (text), got {_kind(followups)}")
        elif len(followups) > MAX_FOLLOWUPS:
            problems.append(f"data.followups: at most {MAX_FOLLOWUPS} instructions, got {len(followups)}")
        else:
            for i, item in enumerate(followups):
                if not isinstance(item, str):
                    problems.append(f"data.followups[{i}]: expected an instruction (text), got {_kind(item)}")
                elif len(item) > MAX_INSTRUCTION:
                    problems.append(f"data.followups[{i}]: at most {MAX_INSTRUCTION} characters, got {len(item)}")
    selected = data.get("selected")
    if selected is not None and (isinstance(selected, bool) or not isinstance(selected, int) or selected < 0):
        problems.append(f"data.selected: expected a turn number from 0 or null, got {quote(selected)}")
    basis = data.get("basis")
    if basis is not None and not isinstance(basis, str):
        problems.append(f"data.basis: expected text, got {_kind(basis)}")
    turns = data.get("turns")
    if turns is not None:
        if not isinstance(turns, list):
            problems.append(f"data.turns: expected a list of turns, got {_kind(turns)}")
        else:
            for i, turn in enumerate(turns):
                problems.extend(_turn_problems(turn, f"data.turns[{i}]"))
    return problems[:10]


def _turn_problems(turn: Any, where: str) -> list[str]:
    if not isinstance(turn, dict):
        return [f"{where}: expected a turn (an object), got {_kind(turn)}"]
    problems = []
    if not isinstance(turn.get("prompt"), str):
        problems.append(f"{where}.prompt: expected text, got {_kind(turn.get('prompt'))}")
    if turn.get("text") is not None and not isinstance(turn.get("text"), str):
        problems.append(f"{where}.text: expected text or null, got {_kind(turn.get('text'))}")
    for role in ("user", "model"):
        content = turn.get(role)
        if content is None:
            continue
        if not isinstance(content, dict):
            problems.append(f"{where}.{role}: expected a Gemini content object, got {_kind(content)}")
        elif "parts" in content and not isinstance(content["parts"], list):
            problems.append(f"{where}.{role}.parts: expected a list, got {_kind(content['parts'])}")
    return problems


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool) or value is None:
        return quote(value)
    if isinstance(value, int | float):
        return f"a number ({quote(value)})"
    return f"text ({quote(value, 40)})" if isinstance(value, str) else type(value).__name__
