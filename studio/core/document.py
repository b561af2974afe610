"""Workflow text before it is parsed: size and nesting checked first, then strict JSON.

The limits are checked on the text, not on a parsed value: `json.loads` of 10,000 `[` kills the
page's Python (the browser's stack overflows before CPython's recursion limit), and a file of
hundreds of megabytes would be parsed whole before anything looked at it.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from .limits import MAX_DEPTH, MAX_DOCUMENT_BYTES
from .problems import Problem, WorkflowError

_TOKEN = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"|[\[\]{}]', re.DOTALL)
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_ESCAPE = re.compile(r"\\.", re.DOTALL)
# Every byte but brackets and quotes, to delete; and each kept byte's step in depth.
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"')
_STEP_OF_BYTE = [_STEP.get(chr(b), 0) for b in range(256)]


def parse_json(text: str | bytes, *, what: str = "the file") -> Any:
    """The JSON value of a workflow's text, or WorkflowError saying what is wrong and where.
    Refuses text over MAX_DOCUMENT_BYTES and nesting over MAX_DEPTH before parsing it."""
    size = len(text)
    if size > MAX_DOCUMENT_BYTES:
        unit = "bytes" if isinstance(text, bytes) else "characters"
        raise WorkflowError(
            [Problem("", f"{what} is {size:,} {unit}; workflows are at most {MAX_DOCUMENT_BYTES // 2**20} MB")]
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise WorkflowError([Problem("", f"{what} is not UTF-8 text (byte {exc.start})")]) from None
    text = text.removeprefix("\ufeff")  # a byte order mark some editors write
    where = too_deep(text)
    if where is not None:
        line, column = where
        raise WorkflowError(
            [
                Problem(
                    f"line {line} column {column}",
                    f"nested more than {MAX_DEPTH} levels deep (lists and objects inside each other);"
                    f" workflows are at most {MAX_DEPTH} levels deep",
                )
            ]
        )
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise WorkflowError([Problem(f"line {exc.lineno} column {exc.colno}", f"not valid JSON: {exc.msg}")]) from None
    except (RecursionError, ValueError) as exc:  # NaN/Infinity, an integer of over 4,300 digits
        raise WorkflowError([Problem("", f"not valid JSON: {str(exc)[:200]}")]) from None


def too_deep(text: str, limit: int = MAX_DEPTH) -> tuple[int, int] | None:
    """(line, column) where the nesting first goes past `limit`, or None if it never does."""
    if _within(text, limit):
        return None
    # Rare (the file is refused): find the place, for the message.
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in _STEP:
            depth += _STEP[token]
            if depth > limit:
                offset = match.start()
                line = text.count("\n", 0, offset) + 1
                return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
    return 1, 1  # unreachable: the fast count said it goes past the limit


def _within(text: str, limit: int) -> bool:
    """Whether lists and objects nest at most `limit` deep outside strings, counted in C where
    it can be: regular expressions over every string of a 5 MB file were a fifth of its load."""
    if "\\" in text:  # escapes first, so an escaped quote does not end its string
        text = _ESCAPE.sub("", text)
    kept = text.encode("utf-8", "surrogatepass").translate(None, _NOT_STRUCTURE)
    # Two adjacent quotes are an empty string, or the end of one and the start of the next with
    # nothing between: dropping them keeps every other quote's side. Most strings hold no bracket
    # and go here; in what is left, between the quotes (odd pieces of a split) is inside strings.
    kept = kept.replace(b'""', b"")
    brackets = b"".join(kept.split(b'"')[::2]) if b'"' in kept else kept
    # Dropping empty pairs ("{}", "[]") lowers the deepest point by at most one level per replace:
    # what is left, plus two, bounds the depth from above. Only if that bound is over, count all.
    shallow = brackets.replace(b"{}", b"").replace(b"[]", b"")
    if _depth(shallow) + 2 <= limit:
        return True
    return _depth(brackets) <= limit


def _depth(brackets: bytes) -> int:
    return max(accumulate(map(_STEP_OF_BYTE.__getitem__, brackets)), default=0)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a workflow file")
