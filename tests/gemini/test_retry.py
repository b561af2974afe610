"""Automatic retries on a fake clock: honouring retryDelay, bounded backoff, never for the hopeless, and cancel."""

from __future__ import annotations

import asyncio

import pytest

from studio.core.errors import Cancelled
from studio.gemini import (
    BadRequest,
    GeminiClient,
    InvalidKey,
    KeyRejected,
    ModelNotFound,
    NetworkError,
    OutputBlocked,
    QuotaExhausted,
    RateLimited,
    RequestTimeout,
    RetryPolicy,
    ServerBusy,
    UnsupportedKeyType,
)

from . import wire
from .wire import KEY, PNG, FakeClock, FakeGemini, image_answer, inline, reply, run

OK = reply(200, image_answer(inline(PNG)))


def setup(*answers, rng=0.0, **options):
    clock = FakeClock()
    service = FakeGemini(*answers, clock=clock)
    client = GeminiClient(service, lambda: KEY, sleep=clock.sleep, rng=lambda: rng, **options)
    return clock, service, client


def test_rate_limit_then_success_retries_once_after_the_api_delay():
    clock, service, client = setup(reply(429, wire.RATE_LIMITED), OK)
    result = run(client.generate(prompt="p", images=[PNG]))
    assert result.image == PNG
    assert service.times == [0.0, 47.0]
    assert clock.sleeps == [47.0]


def test_rate_limit_wait_gets_jitter_on_top_never_less():
    clock, service, client = setup(reply(429, wire.PER_MINUTE_FREE), OK, rng=0.5)
    run(client.generate(prompt="p"))
    assert service.times[1] == pytest.approx(45.837906927 + 0.5)


def test_rate_limit_twice_fails_after_waiting_once():
    # Issue 13.11: a 429 "37s" waited twice (75 s). It waits once; the second 429 is reported.
    clock, service, client = setup(*[reply(429, wire.RATE_LIMITED.replace('"47s"', '"37s"'))] * 3)
    with pytest.raises(RateLimited) as caught:
        run(client.generate(prompt="p"))
    assert service.times == [0.0, 37.0]
    assert clock.sleeps == [37.0]
    assert "Wait 37 s" in str(caught.value)


def test_rate_limit_without_a_delay_backs_off():
    clock, service, client = setup(*[reply(429, wire.RATE_LIMITED_BARE)] * 2)
    with pytest.raises(RateLimited):
        run(client.generate(prompt="p"))
    assert service.times == [0.0, 1.0]


def test_rate_limit_asking_for_more_than_a_minute_is_not_retried():
    body = wire.quota_429("GenerateRequestsPerMinutePerProjectPerModel", retry_delay="150s")
    clock, service, client = setup(reply(429, body))
    with pytest.raises(RateLimited) as caught:
        run(client.generate(prompt="p"))
    assert len(service.requests) == 1
    assert clock.sleeps == []
    assert "Wait 3 min" in str(caught.value)
    assert caught.value.retry_delay == 150.0


@pytest.mark.parametrize("body", [wire.PER_DAY, wire.LIMIT_ZERO], ids=["per day", "limit 0"])
def test_quota_that_waiting_cannot_fix_is_never_retried(body):
    clock, service, client = setup(reply(429, body), OK)
    with pytest.raises(QuotaExhausted):
        run(client.generate(prompt="p"))
    assert len(service.requests) == 1 and clock.sleeps == []


def test_server_busy_backs_off_exponentially_and_gives_up_after_three_retries():
    clock, service, client = setup(*[reply(503, wire.OVERLOADED)] * 4)
    with pytest.raises(ServerBusy):
        run(client.generate(prompt="p"))
    assert clock.sleeps == [1.0, 2.0, 4.0]
    assert service.times == [0.0, 1.0, 3.0, 7.0]


def test_backoff_jitter_is_bounded():
    clock, service, client = setup(*[reply(500, wire.INTERNAL)] * 4, rng=0.999)
    with pytest.raises(ServerBusy):
        run(client.generate(prompt="p"))
    assert clock.sleeps == pytest.approx([1.999, 2.999, 4.999])


def test_backoff_is_capped():
    policy = RetryPolicy(transient_retries=6)
    clock, service, client = setup(*[reply(504, wire.DEADLINE)] * 7, retry=policy)
    with pytest.raises(ServerBusy):
        run(client.generate(prompt="p"))
    assert clock.sleeps == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_server_busy_then_success():
    clock, service, client = setup(reply(503, wire.OVERLOADED), reply(500, wire.INTERNAL), OK)
    assert run(client.generate(prompt="p")).image == PNG
    assert service.times == [0.0, 1.0, 3.0]


def test_network_errors_are_retried():
    clock, service, client = setup(NetworkError(), NetworkError(), OK)
    assert run(client.generate(prompt="p")).image == PNG
    assert clock.sleeps == [1.0, 2.0]


def test_os_errors_from_a_transport_become_network_errors():
    clock, service, client = setup(*[ConnectionRefusedError(111, "Connection refused")] * 4)
    with pytest.raises(NetworkError, match="Check your internet connection"):
        run(client.generate(prompt="p"))
    assert len(service.requests) == 4


def test_a_timed_out_generation_is_never_sent_again():
    # Issue 13.11: a request that never answered was sent again (242 s, maybe billed twice).
    clock, service, client = setup(RequestTimeout(), OK, timeout=90.0)
    with pytest.raises(RequestTimeout) as caught:
        run(client.generate(prompt="p"))
    assert len(service.requests) == 1 and clock.sleeps == []
    message = str(caught.value)
    assert "within 90 s" in message and "may still make (and bill)" in message and "Run again" in message
    assert "timeout in Settings" in message


def test_builtin_timeout_error_from_a_transport_becomes_request_timeout():
    clock, service, client = setup(TimeoutError(), OK)
    with pytest.raises(RequestTimeout):
        run(client.generate(prompt="p"))
    assert len(service.requests) == 1


def test_a_timed_out_model_list_is_tried_once_more_it_is_free():
    clock, service, client = setup(RequestTimeout(), reply(200, {"models": []}))
    assert run(client.list_models()) == []
    assert len(service.requests) == 2


def test_kinds_have_separate_budgets():
    answers = [
        reply(429, wire.RATE_LIMITED),
        reply(503, wire.OVERLOADED),
        NetworkError(),
        OK,
    ]
    clock, service, client = setup(*answers)
    assert run(client.generate(prompt="p")).image == PNG
    assert clock.sleeps == [47.0, 1.0, 2.0]


@pytest.mark.parametrize(
    "status, body, error_type",
    [
        (400, wire.INVALID_KEY, InvalidKey),
        (400, wire.MULTIPLE_CANDIDATES, BadRequest),
        (401, wire.AUTH_KEY_UNSUPPORTED, UnsupportedKeyType),
        (403, wire.LEAKED_KEY, KeyRejected),
        (404, wire.MODEL_NOT_FOUND, ModelNotFound),
        (200, image_answer(finish="IMAGE_SAFETY"), OutputBlocked),
    ],
)
def test_client_errors_and_safety_blocks_are_never_retried(status, body, error_type):
    clock, service, client = setup(reply(status, body), OK)
    with pytest.raises(error_type):
        run(client.generate(prompt="p"))
    assert len(service.requests) == 1 and clock.sleeps == []


def test_on_retry_is_told_each_wait():
    seen = []
    clock, service, client = setup(reply(429, wire.RATE_LIMITED), reply(503, wire.OVERLOADED), OK)
    run(client.generate(prompt="p", on_retry=lambda error, delay, n: seen.append((type(error), delay, n))))
    assert seen == [(RateLimited, 47.0, 1), (ServerBusy, 1.0, 2)]


# --- cancellation ----------------------------------------------------------------------------------


def test_cancel_during_a_retry_wait_stops_at_once():
    clock, service, client = setup(reply(429, wire.RATE_LIMITED), OK)

    def check_cancelled():
        if clock.now >= 10:
            raise Cancelled()

    with pytest.raises(Cancelled):
        run(client.generate(prompt="p", check_cancelled=check_cancelled))
    assert len(service.requests) == 1
    assert clock.now == pytest.approx(10.0)  # not 47: the wait was cut short


def test_cancel_before_the_first_request_sends_nothing():
    clock, service, client = setup(OK)

    def check_cancelled():
        raise Cancelled()

    with pytest.raises(Cancelled):
        run(client.generate(prompt="p", check_cancelled=check_cancelled))
    assert service.requests == []


def test_cancelled_raised_by_the_transport_propagates_without_retry():
    clock, service, client = setup(Cancelled(), OK)
    with pytest.raises(Cancelled):
        run(client.generate(prompt="p"))
    assert len(service.requests) == 1 and clock.sleeps == []


def test_cancel_aborts_the_request_in_flight():
    aborted = []
    cancelled = []

    async def hanging(request):
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            aborted.append(True)  # the browser transport calls AbortController.abort() here
            raise

    def check_cancelled():
        if cancelled:
            raise Cancelled()

    async def scenario():
        client = GeminiClient(hanging, lambda: KEY, retry=RetryPolicy(poll_interval=0.01))
        asyncio.get_running_loop().call_later(0.05, cancelled.append, True)
        await client.generate(prompt="p", check_cancelled=check_cancelled)

    with pytest.raises(Cancelled):
        run(asyncio.wait_for(scenario(), 5))
    assert aborted == [True]


def test_task_cancellation_propagates_to_the_transport():
    aborted = []

    async def hanging(request):
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            aborted.append(True)
            raise

    async def scenario():
        task = asyncio.ensure_future(GeminiClient(hanging, lambda: KEY).generate(prompt="p"))
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(scenario())
    assert aborted == [True]
