"""When and how long to wait before trying a failed Gemini request again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from .errors import GeminiError, NetworkError, RateLimited, RequestTimeout, ServerBusy

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]
CheckCancelled = Callable[[], None]  # raises core Cancelled when the user has cancelled
OnRetry = Callable[[GeminiError, float, int], None]  # (error, seconds to wait, retry number)


@dataclass(frozen=True)
class RetryPolicy:
    """Bounds for automatic retries. Everything not listed here (4xx, safety blocks, daily
    quota, unreadable replies) fails at once: trying again cannot change the answer."""

    # Per-minute rate limits: wait what the API says (RetryInfo.retryDelay) once, and not at all
    # when it asks for more than a minute: a second 429 means the user is better told to come back
    # (waiting twice on "37s" kept a node busy 75 s for nothing).
    rate_limit_retries: int = 1
    max_rate_limit_wait: float = 60.0
    # Overloaded / internal / network: exponential backoff 1, 2, 4 s (+ jitter), capped.
    transient_retries: int = 3
    # A timed-out image request may still be generated (and billed) on Google's side, and each try
    # can take the whole timeout: never sent again without the user's word (Run again). Free calls
    # (the model list) may set this higher.
    timeout_retries: int = 0
    base_delay: float = 1.0
    max_delay: float = 8.0
    # Up to this many seconds are added at random, so parallel requests don't retry in lockstep.
    jitter: float = 1.0
    # While waiting, check for cancellation at least this often (seconds).
    poll_interval: float = 0.25


@dataclass
class RetryState:
    """How many retries of each kind were spent on one call."""

    rate_limit: int = 0
    transient: int = 0
    timeout: int = 0

    @property
    def total(self) -> int:
        return self.rate_limit + self.transient + self.timeout


def retry_delay(error: GeminiError, state: RetryState, policy: RetryPolicy, rng: Callable[[], float]) -> float | None:
    """Seconds to wait before the next try, or None to give up. Counts the retry in `state`."""
    if not error.retryable:
        return None
    jitter = policy.jitter * rng()
    if isinstance(error, RateLimited):
        if state.rate_limit >= policy.rate_limit_retries:
            return None
        if error.retry_delay is not None:
            if error.retry_delay > policy.max_rate_limit_wait:
                return None
            state.rate_limit += 1
            return max(0.0, error.retry_delay) + jitter
        state.rate_limit += 1
        return _backoff(state.rate_limit - 1, policy) + jitter
    if isinstance(error, RequestTimeout):
        if state.timeout >= policy.timeout_retries or state.transient >= policy.transient_retries:
            return None
        state.timeout += 1
        state.transient += 1
        return _backoff(state.transient - 1, policy) + jitter
    if isinstance(error, (ServerBusy, NetworkError)):
        if state.transient >= policy.transient_retries:
            return None
        state.transient += 1
        return _backoff(state.transient - 1, policy) + jitter
    return None


def _backoff(attempt: int, policy: RetryPolicy) -> float:
    return float(min(policy.max_delay, policy.base_delay * 2**attempt))


async def wait(seconds: float, sleep: Sleep, check_cancelled: CheckCancelled | None, poll_interval: float) -> None:
    """Sleep `seconds`, checking for cancellation first and then every `poll_interval`."""
    if check_cancelled is None:
        await sleep(seconds)
        return
    remaining = seconds
    check_cancelled()
    while remaining > 0:
        step = min(poll_interval, remaining)
        await sleep(step)
        remaining -= step
        check_cancelled()


async def with_retries(
    attempt: Callable[[], Awaitable[T]],
    *,
    policy: RetryPolicy,
    sleep: Sleep,
    rng: Callable[[], float],
    check_cancelled: CheckCancelled | None = None,
    on_retry: OnRetry | None = None,
) -> T:
    """Run `attempt` until it succeeds or fails in a way `retry_delay` won't retry.

    Only GeminiErrors are considered; Cancelled (and anything else) propagates at once, also
    from `check_cancelled` during a wait. The last error is raised as is.
    """
    state = RetryState()
    while True:
        if check_cancelled is not None:
            check_cancelled()
        try:
            return await attempt()
        except GeminiError as error:
            delay = retry_delay(error, state, policy, rng)
            if delay is None:
                raise
            if on_retry is not None:
                on_retry(error, delay, state.total)
            await wait(delay, sleep, check_cancelled, policy.poll_interval)
