"""The dated price table, usage summaries, failure billing and the session total, table-driven."""

from __future__ import annotations

import pytest

from studio.gemini import pricing
from studio.gemini.errors import (
    InvalidInput,
    MissingKey,
    OutputBlocked,
    PromptBlocked,
    RateLimited,
    RequestTimeout,
    ServerBusy,
)
from studio.gemini.pricing import (
    MAY_BE_BILLED,
    NOT_BILLED,
    NOT_SENT,
    SessionUsage,
    billing_of_failure,
    estimate,
    format_usd,
    price_per_image,
    usage_summary,
)


@pytest.mark.parametrize(
    "model, size, thinking, usd",
    [
        ("gemini-nano-banana-2.1", "1K", None, 0.048),
        ("gemini-nano-banana-2.1", "2K", "MINIMAL", 0.072),
        ("gemini-nano-banana-2.1", "4K", "MEDIUM", 0.162 + 0.0107),
        ("gemini-nano-banana-2.1", "4k", "high", 0.162 + 0.0177),
        ("gemini-3.1-flash-image", "2K", "HIGH", 0.1217),  # no published surcharge
        ("gemini-3.1-flash-image", "512", None, 0.0835),  # below the table: the next size up
        ("gemini-3-pro-image", "1K", None, 0.1608),
        ("gemini-3-pro-image", "4K", None, 0.288),
        ("models/gemini-3-pro-image", "2K", None, 0.1608),
        ("gemini-3.1-flash-lite-image", "1K", None, 0.0408),
        ("gemini-3.1-flash-lite-image", "4K", None, 0.0408),  # 1K only
        ("gemini-3.1-flash-image", None, None, 0.0835),  # no size sent: the 1K default
        ("my-tuned-image-model", "1K", None, None),
    ],
)
def test_price_per_image(model, size, thinking, usd):
    got = price_per_image(model, size, thinking)
    assert got == (pytest.approx(usd) if usd is not None else None)


def test_the_table_is_dated_and_sourced():
    assert pricing.PRICES_DATE == "2026-11-25"
    assert "§9.3" in pricing.PRICES_SOURCE and "2026-11-25" in pricing.__doc__
    assert "Google's bill is authoritative" in pricing.DISCLAIMER


@pytest.mark.parametrize(
    "calls, text",
    [
        ([], "no Gemini call"),
        (
            [("gemini-nano-banana-2.1", "1K", None)],
            "≈ $0.048 for 1 Gemini call (estimate — Google's bill is authoritative)",
        ),
        ([("gemini-3-pro-image", "4K", None)] * 5, "≈ $1.44 for 5 Gemini calls"),
        (
            [("gemini-nano-banana-2.1", "1K", None), ("x-image", "1K", None)],
            "2 Gemini calls; no price known for x-image",
        ),
    ],
)
def test_estimates_of_several_calls(calls, text):
    assert estimate(calls).describe().startswith(text)


@pytest.mark.parametrize(
    "usd, text", [(0, "$0"), (0.048, "$0.048"), (0.0655, "$0.066"), (0.5, "$0.5"), (12.345, "$12.35")]
)
def test_format_usd(usd, text):
    assert format_usd(usd) == text


def test_usage_summary_reads_usage_metadata():
    usage = {"promptTokenCount": 258, "candidatesTokenCount": 1120, "thoughtsTokenCount": 311, "totalTokenCount": 1689}
    summary = usage_summary(usage, "gemini-nano-banana-2.1", image_size="2K", thinking_level="HIGH")
    assert (summary.prompt_tokens, summary.candidate_tokens, summary.thought_tokens, summary.total_tokens) == (
        258,
        1120,
        311,
        1689,
    )
    assert summary.usd == pytest.approx(0.0897)
    assert summary.describe() == (
        "258 prompt + 1,120 output + 311 thinking tokens · ≈ $0.09 (estimate — Google's bill is authoritative)"
    )


@pytest.mark.parametrize(
    "usage", [None, {}, {"promptTokenCount": "12", "totalTokenCount": -3, "thoughtsTokenCount": True}]
)
def test_usage_summary_of_missing_or_odd_counts_is_zero(usage):
    summary = usage_summary(usage, "gemini-3-pro-image")
    assert (summary.prompt_tokens, summary.thought_tokens, summary.total_tokens) == (0, 0, 0)


@pytest.mark.parametrize(
    "error, billing",
    [
        (PromptBlocked(reason="SAFETY"), NOT_BILLED),
        (InvalidInput("bad ratio"), NOT_SENT),
        (MissingKey(), NOT_SENT),
        (InvalidInput("payload", http_status=400), MAY_BE_BILLED),
        (OutputBlocked(reason="IMAGE_SAFETY"), MAY_BE_BILLED),
        (RequestTimeout(), MAY_BE_BILLED),
        (ServerBusy(http_status=503), MAY_BE_BILLED),
        (RateLimited(http_status=429), MAY_BE_BILLED),
    ],
)
def test_failures_are_not_billed_only_where_the_api_says_so(error, billing):
    assert billing_of_failure(error) == billing


def test_session_total_adds_calls_and_failures():
    session = SessionUsage()
    heard = []
    session.listeners.append(heard.append)
    assert session.describe() == "No Gemini calls in this session yet."
    session.add_usage(usage_summary({"totalTokenCount": 1500}, "gemini-nano-banana-2.1").to_json())
    session.add_usage(usage_summary({"totalTokenCount": 1000}, "gemini-3-pro-image", image_size="4K").to_json())
    session.add_usage(usage_summary({"totalTokenCount": 10}, "x-image").to_json())
    session.add_failure(NOT_BILLED)
    session.add_failure(MAY_BE_BILLED)
    assert session.describe() == (
        "This session: 3 Gemini calls, ≈ $0.336 (+1 without a known price), 2,510 tokens; 1 failed that may be "
        "billed (estimate — Google's bill is authoritative; prices of 2026-11-25)."
    )
    assert len(heard) == 4
