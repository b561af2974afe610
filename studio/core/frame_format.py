"""Frames in a workflow file: each checked at load (naming the frame and field), written in a stable order."""

from __future__ import annotations

import math
from typing import Any

from .format_values import color_problem, field_name, kind, tidy_number, title_problem
from .graph import DEFAULT_FRAME_COLOR, Frame, Graph, is_node_id
from .limits import MAX_COORDINATE, MAX_FRAMES, MAX_ID_LENGTH, MAX_NODES
from .problems import Problem
from .quoting import quote

_FRAME_KEYS = {"id", "title", "color", "x", "y", "width", "height", "nodes", "collapsed"}
# A frame's size: finite, from 0 to the width of the whole coordinate range.
MAX_FRAME_SIZE = 2 * MAX_COORDINATE


def frame_to_dict(frame: Frame) -> dict[str, Any]:
    # Frames keep their list order (it is the drawing order); the ids inside are sorted, as their
    # order means nothing and a save must be stable.
    item: dict[str, Any] = {
        "id": frame.id,
        "title": frame.title,
        "color": frame.color,
        "x": tidy_number(frame.x),
        "y": tidy_number(frame.y),
        "width": tidy_number(frame.width),
        "height": tidy_number(frame.height),
        "nodes": sorted(set(frame.nodes)),
    }
    if frame.collapsed:
        item["collapsed"] = True
    return item


def frames_from_list(
    value: Any, graph: Graph, problems: list[Problem], declared: set[str] | None = None
) -> list[Frame]:
    """The file's frames, checked; each problem added to `problems`. `declared` are the node ids
    the file lists (some perhaps refused): only an id among none of them is reported missing."""
    known = set(graph.nodes) if declared is None else declared | set(graph.nodes)
    if not isinstance(value, list):
        problems.append(Problem("$.frames", f"expected a list of frames, got {kind(value)}", field="frames"))
        return []
    if len(value) > MAX_FRAMES:
        problems.append(
            Problem("$.frames", f"has {len(value)} frames; at most {MAX_FRAMES} are supported", field="frames")
        )
        return []
    frames: list[Frame] = []
    taken: set[str] = set()
    for index, item in enumerate(value):
        frame = _frame(item, f"$.frames[{index}]", known, problems)
        if frame is None:
            continue
        if frame.id in taken:
            problems.append(Problem(f"$.frames[{index}].id", f"frame id {frame.id!r} is used twice", field="id"))
            continue
        taken.add(frame.id)
        frames.append(frame)
    return frames


def _frame(item: Any, path: str, known: set[str], problems: list[Problem]) -> Frame | None:
    if not isinstance(item, dict):
        problems.append(Problem(path, f"expected a frame object, got {kind(item)}"))
        return None
    frame_id = item.get("id")
    if not isinstance(frame_id, str) or not is_node_id(frame_id):
        problems.append(
            Problem(
                f"{path}.id",
                f"expected an id of 1 to {MAX_ID_LENGTH} letters, digits, '_' or '-', got {quote(frame_id)}",
                field="id",
            )
        )
        return None
    before = len(problems)
    where = f"frame {frame_id!r}"
    for key in sorted(set(item) - _FRAME_KEYS, key=str):
        problems.append(Problem(f"{path}.{field_name(key)}", f"{where}: unknown field", field=field_name(key)))
    title = item.get("title", "Frame")
    if (why := title_problem(title)) is not None:
        problems.append(Problem(f"{path}.title", f"{where}: {why}", field="title"))
    color = item.get("color", DEFAULT_FRAME_COLOR)
    if (why := color_problem(color)) is not None:
        problems.append(Problem(f"{path}.color", f"{where}: {why}", field="color"))
    numbers: dict[str, float] = {}
    for key, low, high in (
        ("x", -MAX_COORDINATE, MAX_COORDINATE),
        ("y", -MAX_COORDINATE, MAX_COORDINATE),
        ("width", 0, MAX_FRAME_SIZE),
        ("height", 0, MAX_FRAME_SIZE),
    ):
        number = _number(item.get(key), low, high)
        if number is None:
            problems.append(
                Problem(
                    f"{path}.{key}",
                    f"{where}: {key} must be a finite number from {low:,} to {high:,}, got {quote(item.get(key))}",
                    field=key,
                )
            )
        else:
            numbers[key] = number
    members = item.get("nodes", [])
    if not isinstance(members, list):
        problems.append(
            Problem(f"{path}.nodes", f"{where}: expected a list of node ids, got {kind(members)}", field="nodes")
        )
        members = []
    elif len(members) > MAX_NODES:
        problems.append(
            Problem(f"{path}.nodes", f"{where}: holds {len(members)} ids; at most {MAX_NODES}", field="nodes")
        )
        members = []
    # Refused, not dropped, like an edge to a missing node: a hand-edited id that names nothing
    # is a mistake the user should see, and dropping it silently would change the file on save.
    missing = [n for n in members if not isinstance(n, str) or n not in known]
    if missing:
        shown = ", ".join(quote(n, 40) for n in missing[:5]) + (
            f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        )
        problems.append(Problem(f"{path}.nodes", f"{where}: no node with id {shown}", field="nodes"))
    collapsed = item.get("collapsed", False)
    if type(collapsed) is not bool:
        problems.append(
            Problem(f"{path}.collapsed", f"{where}: expected true or false, got {quote(collapsed)}", field="collapsed")
        )
    if len(problems) > before:
        return None
    return Frame(
        frame_id,
        numbers["x"],
        numbers["y"],
        numbers["width"],
        numbers["height"],
        title,
        color,
        list(dict.fromkeys(members)),  # a repeated id is merged, like a repeated edge
        collapsed,
    )


def _number(value: Any, low: float, high: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, int) and not low <= value <= high:
        return None  # before float(): an int of over 309 digits raises OverflowError
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        return None
    return number
