"""The wires: an SVG layer of cubic Bézier curves between ports, coloured by port type."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...core.graph import Edge
from .dom import s

Point = tuple[float, float]


def curve(a: Point, b: Point) -> str:
    """A left-to-right S-curve from an output (a) to an input (b); the handles grow with the
    distance so short wires stay tight and backward wires loop around instead of crossing."""
    (x1, y1), (x2, y2) = a, b
    reach = max(40.0, min(160.0, abs(x2 - x1) * 0.5 + abs(y2 - y1) * 0.15))
    if x2 < x1:
        reach = max(reach, 80.0)
    return f"M {x1:.1f} {y1:.1f} C {x1 + reach:.1f} {y1:.1f}, {x2 - reach:.1f} {y2:.1f}, {x2:.1f} {y2:.1f}"


def edge_key(edge: Edge) -> str:
    return f"{edge.source}>{edge.target}"


class EdgesView:
    def __init__(self) -> None:
        self.svg = s("svg", {"cls": "edges", "width": "1", "height": "1", "aria-hidden": "true"})
        self.group = s("g")
        self.wire = s("path", {"cls": "wire-temp", "d": ""})
        self.svg.append(self.group, self.wire)
        self._paths: dict[str, tuple[Any, Any]] = {}  # edge key -> (hit path, visible path) on screen

    def render(self, items: Iterable[tuple[Edge, Point, Point, str, bool]]) -> None:
        """Draw every edge: (edge, from point, to point, port type, selected)."""
        children = []
        paths = {}
        for edge, a, b, port_type, selected in items:
            d = curve(a, b)
            key = edge_key(edge)
            group = s(
                "g",
                {
                    "cls": "edge" + (" selected" if selected else ""),
                    "data-type": port_type,
                    "data-edge": key,
                    "testid": f"edge-{edge.source.node}-{edge.target.node}-{edge.target.port}",
                },
            )
            # A wide invisible stroke under the visible one makes thin wires easy to click.
            hit, line = (
                s("path", {"cls": "edge-hit", "d": d, "data-edge": key}),
                s("path", {"cls": "edge-line", "d": d}),
            )
            group.append(hit, line)
            children.append(group)
            paths[key] = (hit, line)
        self.group.replaceChildren(*children)
        self._paths = paths

    def move(self, moved: Iterable[tuple[Edge, Point, Point]]) -> bool:
        """Redraw only these edges where they now run (their nodes moved; nothing else changed).
        False if one of them is not on screen (then render everything)."""
        found = []
        for edge, a, b in moved:
            paths = self._paths.get(edge_key(edge))
            if paths is None:
                return False
            found.append((paths, curve(a, b)))
        for (hit, line), d in found:
            hit.setAttribute("d", d)
            line.setAttribute("d", d)
        return True

    def show_wire(self, a: Point, b: Point, port_type: str) -> None:
        self.wire.setAttribute("d", curve(a, b))
        self.wire.setAttribute("data-type", port_type)
        self.wire.classList.add("active")

    def hide_wire(self) -> None:
        self.wire.setAttribute("d", "")
        self.wire.classList.remove("active")
