"""Change events: what an edit touched, sent to the views that subscribe to the editor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# Kinds of change. Views decide what to redraw from the kind; the run controller decides what to re-run.
STRUCTURE = "structure"  # nodes or edges added/removed
MOVED = "moved"  # positions only
PARAM = "param"  # a param value changed
PICTURE = "picture"  # an uploaded picture changed
NAME = "name"  # the workflow was renamed
REPLACED = "replaced"  # the whole graph changed (load, undo, redo)
SELECTION = "selection"  # what is selected (not an edit)
FRAMES = "frames"  # a frame's place, size, title or collapse (nodes moved with it come as MOVED)
LOOKS = "looks"  # a node's own title or colour

# Kinds after which results may differ: the run controller marks nodes stale and auto-run starts.
RESULT_KINDS = frozenset({STRUCTURE, PARAM, PICTURE, REPLACED})
# Kinds that change the saved document: autosave listens to these.
DOCUMENT_KINDS = frozenset({STRUCTURE, MOVED, PARAM, PICTURE, NAME, REPLACED, FRAMES, LOOKS})


@dataclass(frozen=True)
class Change:
    kind: str
    nodes: frozenset[str] = field(default_factory=frozenset)
    label: str = ""

    @property
    def affects_results(self) -> bool:
        return self.kind in RESULT_KINDS

    @property
    def affects_document(self) -> bool:
        return self.kind in DOCUMENT_KINDS


Listener = Callable[[Change], None]


class Emitter:
    """A list of listeners; a listener that raises does not stop the others."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self.errors: list[BaseException] = []  # kept for tests and the console

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def emit(self, change: Change) -> None:
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception as exc:  # one broken view must not break editing
                self.errors.append(exc)
                print(f"pyxis: a view failed on {change.kind}: {type(exc).__name__}: {exc}")
