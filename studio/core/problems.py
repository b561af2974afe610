"""A problem found in a graph or workflow file: where it is and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import StudioError

# A message listing problems stays under about this many characters (a banner, a stderr line).
BUDGET = 900


@dataclass(frozen=True)
class Problem:
    """`where` is a JSON path (`nodes[2].params.width`) or a graph place; `node` and `field`
    name the node id and the param/port/field when known, so the UI can point at them."""

    where: str
    message: str
    node: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message

    def to_json(self) -> dict[str, str | None]:
        return {"where": self.where, "message": self.message, "node": self.node, "field": self.field}


def describe(problems: list[Problem], limit: int = 20, budget: int = BUDGET) -> str:
    """One message listing the first problems: at most `limit` of them and about `budget`
    characters (each problem quotes at most ~80 characters of the file)."""
    lines: list[str] = []
    used = 0
    for problem in problems[:limit]:
        line = str(problem)
        if lines and used + len(line) > budget:
            break
        lines.append(line[:budget])
        used += len(line) + 1
    if len(problems) > len(lines):
        lines.append(f"… and {len(problems) - len(lines)} more problems")
    return "\n".join(lines)


class WorkflowError(StudioError):
    """The file is not a usable workflow; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("This workflow cannot be loaded:\n" + describe(problems))
