"""A problem found in a graph or workflow file: where it is and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass


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


def describe(problems: list[Problem], limit: int = 20) -> str:
    """One message listing the problems (the first `limit` of them)."""
    lines = [str(p) for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"… and {len(problems) - limit} more problems")
    return "\n".join(lines)
