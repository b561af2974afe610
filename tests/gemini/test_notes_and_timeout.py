"""What a call tells its listeners (sending, retry countdown, timeout, usage, failure) and the timeout setting."""

from __future__ import annotations

import pytest

from studio.gemini import GeminiClient, InvalidInput, RequestTimeout
from studio.gemini.errors import ENV_KEY, PromptBlocked
from studio.gemini.notes import FAILED, RETRY, SENDING, TIMED_OUT, USAGE, Notes
from studio.gemini.pricing import MAY_BE_BILLED, NOT_BILLED, NOT_SENT
from studio.gemini.settings import DEFAULT_TIMEOUT, SettingError, parse_timeout, timeout_from_env

from . import wire
from .wire import KEY, PNG, FakeClock, FakeGemini, image_answer, inline, reply, run

OK = reply(200, image_answer(inline(PNG)))


def client_with(*answers, **options):
    clock = FakeClock()
    service = FakeGemini(*answers, clock=clock)
    notes = []
    client = GeminiClient(
        service,
        lambda: KEY,
        sleep=clock.sleep,
        rng=lambda: 0.0,
        on_note=notes.append,
        clock=lambda: clock.now,
        **options,
    )
    return clock, service, client, notes


def test_a_rate_limited_call_tells_sending_the_countdown_and_the_usage():
    clock, service, client, notes = client_with(reply(429, wire.RATE_LIMITED), OK, timeout=75.0)
    run(client.generate(prompt="p", source="edit", model="gemini-3.1-flash-image", image_size="2K"))
    assert [n.kind for n in notes] == [SENDING, RETRY, SENDING, USAGE]
    assert all(n.source == "edit" for n in notes)
    assert notes[0].seconds == 75.0 and "gives up after 75 s" in notes[0].text
    retry = notes[1]
    assert retry.seconds == 47.0 and retry.at == 0.0  # counts down to at + seconds
    assert notes[2].at == 47.0
    usage = notes[3].data
    assert (usage["prompt_tokens"], usage["candidate_tokens"], usage["thought_tokens"]) == (15, 1318, 0)
    assert usage["usd"] == pytest.approx(0.1217)
    assert "estimate" in notes[3].text


def test_a_timeout_is_told_and_marked_may_be_billed():
    clock, service, client, notes = client_with(RequestTimeout(), timeout=30.0)
    with pytest.raises(RequestTimeout):
        run(client.generate(prompt="p", source="n1"))
    assert [n.kind for n in notes] == [SENDING, TIMED_OUT, FAILED]
    assert notes[-1].data == {"billing": MAY_BE_BILLED}


def test_a_blocked_prompt_is_not_billed_and_a_refused_input_was_never_sent():
    blocked = {"promptFeedback": {"blockReason": "SAFETY"}, "usageMetadata": {"promptTokenCount": 9}}
    clock, service, client, notes = client_with(reply(200, blocked))
    with pytest.raises(PromptBlocked):
        run(client.generate(prompt="p"))
    assert notes[-1].data == {"billing": NOT_BILLED}
    clock, service, client, notes = client_with()
    with pytest.raises(InvalidInput):
        run(client.generate(prompt="p", aspect_ratio="7:3"))
    assert service.requests == [] and notes[-1].data == {"billing": NOT_SENT}


def test_a_listener_that_raises_does_not_fail_the_call():
    def broken(note):
        raise RuntimeError("display bug")

    clock, service, client, notes = client_with(OK)
    client.notes.add(broken)
    assert run(client.generate(prompt="p")).image == PNG
    assert [n.kind for n in notes] == [SENDING, USAGE]


def test_notes_add_returns_a_remover():
    notes, heard = Notes(), []
    stop = notes.add(heard.append)
    stop()
    notes.tell(object())  # type: ignore[arg-type]
    assert heard == []


def test_the_timeout_may_be_a_function_read_per_call():
    setting = {"s": 40.0}
    service = FakeGemini(OK, OK)
    client = GeminiClient(service, lambda: KEY, timeout=lambda: setting["s"])
    run(client.generate(prompt="p"))
    setting["s"] = 200.0
    run(client.generate(prompt="p"))
    assert [r.timeout for r in service.requests] == [40.0, 200.0]


def test_the_command_line_timeout_message_names_the_environment_variable():
    service = FakeGemini(RequestTimeout())
    client = GeminiClient(service, lambda: KEY, key_hint=ENV_KEY, timeout=45.0)
    with pytest.raises(RequestTimeout, match="GEMINI_TIMEOUT environment variable"):
        run(client.generate(prompt="p"))


@pytest.mark.parametrize(
    "environ, seconds",
    [({}, DEFAULT_TIMEOUT), ({"GEMINI_TIMEOUT": "300"}, 300.0), ({"GEMINI_TIMEOUT": " 45s "}, 45.0)],
)
def test_timeout_from_the_environment(environ, seconds):
    assert timeout_from_env(environ) == seconds


@pytest.mark.parametrize("value", ["soon", "5", "601", "nan", "inf", "-1"])
def test_a_bad_timeout_is_refused_with_a_clear_message(value):
    with pytest.raises(SettingError, match="GEMINI_TIMEOUT environment variable must be"):
        timeout_from_env({"GEMINI_TIMEOUT": value})


def test_parse_timeout_quotes_little_of_a_huge_value():
    with pytest.raises(SettingError) as caught:
        parse_timeout("x" * 10_000)
    assert len(str(caught.value)) < 120


def test_studio_run_refuses_a_bad_gemini_timeout_with_exit_2(tmp_path):
    import json
    import os
    import subprocess
    import sys

    workflow = tmp_path / "w.json"
    workflow.write_text(
        json.dumps(
            {
                "format": "pyxis.workflow",
                "version": 1,
                "nodes": [{"id": "gen", "type": "ai.generate", "params": {"prompt": "a ruby"}}],
                "edges": [],
            }
        )
    )
    env = {**os.environ, "GEMINI_TIMEOUT": "soon", "GEMINI_API_KEY": "not-a-key"}
    done = subprocess.run(
        [sys.executable, "-m", "studio", "run", str(workflow), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "GEMINI_TIMEOUT environment variable must be a number of seconds" in done.stderr
    assert "Traceback" not in done.stderr
