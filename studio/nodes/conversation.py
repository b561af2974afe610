"""An AI node's conversation: one `Turn` per instruction, and which recorded turns a run replays.

The turns are recorded by the node body (`NodeContext.record`) and kept in `Node.data["turns"]`
as JSON, so a saved file replays them without calling Gemini. The rule of which ones still answer
the instructions lives here alone: the node body follows it and the run's cost preview
(studio/app/billing.py) counts by it, so what the Studio announces is what the node will send.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

TURNS = "turns"
RECORDS = (TURNS,)  # what an AI node records (NodeSpec.records)
STATE_KEYS = ("followups", "selected")  # the user's intent: part of the cache key
_KNOWN = ("prompt", "user", "model", "text", "usage")


@dataclass(frozen=True)
class Turn:
    """One instruction and Gemini's answer: the user and model contents exactly as sent and
    received (thought signatures included), so that a follow-up can echo them."""

    prompt: str
    user: dict[str, Any] | None = None
    model: dict[str, Any] | None = None
    text: str | None = None
    usage: dict[str, Any] | None = None  # what this step cost: usageMetadata in the Studio's words
    extra: dict[str, Any] = field(default_factory=dict)  # keys a newer Studio wrote: kept as they are

    @property
    def replayable(self) -> bool:
        """It holds the whole exchange (a graph-only save keeps only the prompt and text)."""
        return self.user is not None and self.model is not None

    def pictures(self) -> tuple[tuple[str, str] | None, tuple[str, ...]]:
        """(the answer's final image as (base64, mime type) or None, its interim drafts as base64):
        the model's inline images, those marked `thought` being drafts (never the result)."""
        final: tuple[str, str] | None = None
        drafts: list[str] = []
        parts = self.model.get("parts") if self.model is not None else None
        for part in parts if isinstance(parts, list) else ():
            inline = part.get("inlineData") if isinstance(part, dict) else None
            if not isinstance(inline, dict) or not isinstance(inline.get("data"), str):
                continue
            if part.get("thought"):
                drafts.append(inline["data"])
            else:
                final = inline["data"], str(inline.get("mimeType") or "image/png")
        return final, tuple(drafts)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {**self.extra, "prompt": self.prompt}
        for key in ("user", "model", "text", "usage"):
            value = getattr(self, key)
            if value is not None or key == "text":
                out[key] = value
        return out

    @classmethod
    def from_json(cls, value: Any) -> Turn | None:
        """The turn a recorded object holds, or None when it is not one."""
        if not isinstance(value, dict) or not isinstance(value.get("prompt"), str):
            return None
        user, model, text, usage = (value.get(key) for key in ("user", "model", "text", "usage"))
        return cls(
            prompt=value["prompt"],
            user=user if isinstance(user, dict) else None,
            model=model if isinstance(model, dict) else None,
            text=text if isinstance(text, str) else None,
            usage=usage if isinstance(usage, dict) else None,
            extra={k: v for k, v in value.items() if k not in _KNOWN},
        )


def instructions(prompt: str, state: Mapping[str, Any]) -> list[str]:
    """What the user asked, in order: the prompt, then each follow-up."""
    return [prompt, *[str(f) for f in state.get("followups") or ()]]


def replayable(recorded: Any, wanted: Sequence[str]) -> list[Turn]:
    """The recorded turns that still answer `wanted`: the longest prefix whose prompts match, each
    with the whole exchange."""
    kept: list[Turn] = []
    for value, instruction in zip(recorded if isinstance(recorded, list) else (), wanted, strict=False):
        turn = Turn.from_json(value)
        if turn is None or turn.prompt != instruction or not turn.replayable:
            break
        kept.append(turn)
    return kept


def plan_turns(
    prompt: str, state: Mapping[str, Any], recorded: Mapping[str, Any], *, force: bool
) -> tuple[list[str], list[Turn]]:
    """(instructions wanted, recorded turns the run replays): the rest are asked of Gemini, one call
    each. `recorded` is what the node recorded under this run's basis; "run again" (`force`)
    asks afresh for the latest instruction."""
    wanted = instructions(prompt, state)
    kept = replayable(recorded.get(TURNS), wanted)
    if force and kept and len(kept) == len(wanted):
        kept.pop()
    return wanted, kept
