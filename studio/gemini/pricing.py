"""What a Gemini image call costs, estimated from a dated price table, and what an answer's usageMetadata says.

Pure and table-driven: the page and the nodes show what these functions return.

PRICES: USD per generated image, by model and image size, plus a thinking surcharge where one is
published. Source: the per-image price badges of ComfyUI's Gemini nodes (Comfy.org proxy), as
collected in GEMINI_API.md §9.3, compiled 2026-11-25. Google's own price page
(ai.google.dev/gemini-api/docs/pricing) is the authority and was not reachable when this table was
written: the figures are estimates, and Google's bill is authoritative. Input tokens (the prompt and
input images) are billed too and are not in these figures; interim "thought images" are not
charged (Google's docs), thinking tokens are (hence the surcharge).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

PRICES_DATE = "2026-11-25"
PRICES_SOURCE = "ComfyUI's Gemini price badges (GEMINI_API.md §9.3)"
DISCLAIMER = "estimate — Google's bill is authoritative"

# model id -> {image size -> USD per image}. A model taking no size uses the "1K" entry.
PRICES: dict[str, dict[str, float]] = {
    "gemini-nano-banana-2.1": {"1K": 0.048, "2K": 0.072, "4K": 0.162},
    "gemini-3.1-flash-image": {"1K": 0.0835, "2K": 0.1217, "4K": 0.1848},
    "gemini-3-pro-image": {"1K": 0.1608, "2K": 0.1608, "4K": 0.288},
    "nano-banana-pro-preview": {"1K": 0.1608, "2K": 0.1608, "4K": 0.288},
    "gemini-3.1-flash-lite-image": {"1K": 0.0408},
}
# Extra USD per image for a thinking level, where published (2.1 only).
THINKING_SURCHARGE: dict[str, dict[str, float]] = {
    "gemini-nano-banana-2.1": {"MEDIUM": 0.0107, "HIGH": 0.0177},
}
# Sizes below the table's smallest are estimated at the smallest price (never under-quoted).
_SIZE_ORDER = ("512", "1K", "2K", "4K")

# What a failed call may have cost. Only a blocked prompt is documented as not billed; a call
# that was never sent cannot be; anything else (a timeout, a 5xx, a safety stop after
# generating) may have been.
NOT_SENT = "not sent"
NOT_BILLED = "not billed"
MAY_BE_BILLED = "may be billed"


def _size(image_size: str | None) -> str:
    text = (image_size or "1K").strip().upper().removesuffix("PX")
    return text if text in _SIZE_ORDER else "1K"


def price_per_image(model: str, image_size: str | None = None, thinking_level: str | None = None) -> float | None:
    """USD for one generated image, or None when the table has no price for the model."""
    model = model.strip().removeprefix("models/")
    table = PRICES.get(model)
    if table is None:
        return None
    size = _size(image_size)
    if size not in table:
        # 512 on a model priced from 1K, or a size the model does not make: the next size up.
        larger = [s for s in _SIZE_ORDER[_SIZE_ORDER.index(size) :] if s in table]
        size = larger[0] if larger else max(table, key=_SIZE_ORDER.index)
    level = (thinking_level or "").strip().upper()
    return table[size] + THINKING_SURCHARGE.get(model, {}).get(level, 0.0)


@dataclass(frozen=True)
class Estimate:
    """An estimated cost of `calls` calls; `usd` None when some call has no known price."""

    calls: int
    usd: float | None
    unpriced: tuple[str, ...] = ()  # models without a price in the table

    def describe(self) -> str:
        if self.calls == 0:
            return "no Gemini call"
        noun = "call" if self.calls == 1 else "calls"
        if self.usd is None:
            return f"{self.calls} Gemini {noun}; no price known for {', '.join(self.unpriced)}"
        return f"≈ {format_usd(self.usd)} for {self.calls} Gemini {noun} ({DISCLAIMER})"

    def to_json(self) -> dict[str, Any]:
        return {"calls": self.calls, "usd": self.usd, "unpriced": list(self.unpriced), "text": self.describe()}


def estimate(calls: Iterable[tuple[str, str | None, str | None]]) -> Estimate:
    """The estimate for calls given as (model, image size, thinking level)."""
    count, total, unpriced = 0, 0.0, []
    for model, image_size, thinking_level in calls:
        count += 1
        price = price_per_image(model, image_size, thinking_level)
        if price is None:
            if model not in unpriced:
                unpriced.append(model)
        else:
            total += price
    return Estimate(count, None if unpriced else round(total, 6), tuple(unpriced))


def format_usd(usd: float) -> str:
    """ "$0.048", "$1.20": cents for larger sums, a tenth of a cent for single calls."""
    return f"${usd:.2f}" if usd >= 1 else f"${usd:.3f}".rstrip("0").rstrip(".") if usd else "$0"


def _count(usage: dict[str, Any], name: str) -> int:
    value = usage.get(name)
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 else 0


@dataclass(frozen=True)
class UsageSummary:
    """One answer's usageMetadata in the Studio's words, with its estimated price."""

    model: str
    prompt_tokens: int
    candidate_tokens: int
    thought_tokens: int
    total_tokens: int
    usd: float | None

    def describe(self) -> str:
        tokens = f"{self.prompt_tokens:,} prompt + {self.candidate_tokens:,} output + {self.thought_tokens:,} thinking tokens"
        price = f" · ≈ {format_usd(self.usd)} ({DISCLAIMER})" if self.usd is not None else " · no price known"
        return tokens + price

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "prompt_tokens": self.prompt_tokens,
            "candidate_tokens": self.candidate_tokens,
            "thought_tokens": self.thought_tokens,
            "total_tokens": self.total_tokens,
            "usd": self.usd,
            "text": self.describe(),
        }


def usage_summary(
    usage: dict[str, Any] | None, model: str, *, image_size: str | None = None, thinking_level: str | None = None
) -> UsageSummary:
    """The summary of one answer's usageMetadata (missing counts are 0) and its price estimate."""
    usage = usage if isinstance(usage, dict) else {}
    prompt = _count(usage, "promptTokenCount")
    candidates = _count(usage, "candidatesTokenCount")
    thoughts = _count(usage, "thoughtsTokenCount")
    total = _count(usage, "totalTokenCount") or prompt + candidates + thoughts
    return UsageSummary(model, prompt, candidates, thoughts, total, price_per_image(model, image_size, thinking_level))


def billing_of_failure(error: BaseException) -> str:
    """NOT_SENT, NOT_BILLED (the API says so: a blocked prompt) or MAY_BE_BILLED."""
    from .errors import InvalidInput, KeyProblem, PromptBlocked

    if isinstance(error, PromptBlocked):
        return NOT_BILLED
    if isinstance(error, InvalidInput) and error.http_status is None:
        return NOT_SENT  # refused by the Studio's own checks before sending
    if isinstance(error, KeyProblem) and error.http_status is None:
        return NOT_SENT  # no key, or one that cannot be sent
    return MAY_BE_BILLED


class SessionUsage:
    """A running total for this session: calls answered, their estimate, tokens, and failed calls
    that may have been billed. Fed from the client's USAGE notes and from failures."""

    def __init__(self) -> None:
        self.calls = 0
        self.usd = 0.0
        self.unpriced_calls = 0
        self.tokens = 0
        self.failed_may_be_billed = 0
        self.listeners: list[Any] = []

    def add_usage(self, summary: dict[str, Any]) -> None:
        """Count one answered call (a USAGE note's data)."""
        self.calls += 1
        usd = summary.get("usd")
        if isinstance(usd, (int, float)):
            self.usd += float(usd)
        else:
            self.unpriced_calls += 1
        total = summary.get("total_tokens")
        self.tokens += int(total) if isinstance(total, int) else 0
        self._changed()

    def add_failure(self, billing: str) -> None:
        if billing == MAY_BE_BILLED:
            self.failed_may_be_billed += 1
            self._changed()

    def describe(self) -> str:
        if not self.calls and not self.failed_may_be_billed:
            return "No Gemini calls in this session yet."
        noun = "call" if self.calls == 1 else "calls"
        text = f"This session: {self.calls} Gemini {noun}, ≈ {format_usd(self.usd)}"
        if self.unpriced_calls:
            text += f" (+{self.unpriced_calls} without a known price)"
        text += f", {self.tokens:,} tokens"
        if self.failed_may_be_billed:
            text += f"; {self.failed_may_be_billed} failed that may be billed"
        return text + f" ({DISCLAIMER}; prices of {PRICES_DATE})."

    def _changed(self) -> None:
        for listener in list(self.listeners):
            listener(self)
