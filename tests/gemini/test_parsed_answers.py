"""Answers a transport parsed where the bytes are (the page's fetch, in JavaScript): used as given, never re-parsed."""

from __future__ import annotations

import json

import pytest

from studio.gemini import GeminiClient, RateLimited
from studio.gemini.http import HttpResponse
from studio.gemini.response import parse_generate_response

from . import wire
from .wire import JPEG, KEY, PNG, FakeGemini, image_answer, inline, run


def parsed(answer, decoded=None) -> HttpResponse:
    # The body is empty on purpose: a client that still read it would fail to parse.
    return HttpResponse(200, {"content-type": "application/json"}, b"", data=answer, decoded=decoded or {})


def test_the_client_uses_the_transports_json_and_decoded_image():
    answer = image_answer({"text": "Here.", "thoughtSignature": "s"}, inline(PNG, thoughtSignature="s2"))
    result = run(GeminiClient(FakeGemini(parsed(answer, {1: PNG})), lambda: KEY).generate(prompt="p"))
    assert result.image == PNG and result.text == "Here."
    assert result.model_content == answer["candidates"][0]["content"]  # kept verbatim for the next turn


def test_decoded_bytes_are_taken_by_part_index_not_redecoded():
    # The base64 in the JSON says JPEG; the transport's decoding of that part says PNG: the
    # client took the decoded bytes (it never decoded the text itself).
    answer = image_answer(inline(JPEG, thought=True), {"text": "Done."}, inline(JPEG))
    result = parse_generate_response(b"", data=answer, decoded={2: PNG})
    assert result.image == PNG and result.mime == "image/png"


def test_parts_the_transport_did_not_decode_are_decoded_as_before():
    answer = image_answer(inline(PNG))
    assert parse_generate_response(b"", data=answer, decoded={}).image == PNG


def test_an_error_inside_a_parsed_200_is_that_error():
    service = FakeGemini(parsed(json.loads(wire.RATE_LIMITED)))
    client = GeminiClient(service, lambda: KEY, retry=wire_no_retry())
    with pytest.raises(RateLimited):
        run(client.generate(prompt="p"))


def test_a_parsed_model_list_is_used_as_given():
    models = {"models": [{"name": "models/gemini-nano-banana-2.1", "supportedGenerationMethods": ["generateContent"]}]}
    service = FakeGemini(parsed(models))
    assert run(GeminiClient(service, lambda: KEY).list_models()) == ["gemini-nano-banana-2.1"]


def test_the_repr_says_parsed_without_the_body():
    assert repr(parsed({"a": 1})) == "HttpResponse(status=200, body=<0 bytes>, parsed)"


def wire_no_retry():
    from studio.gemini import RetryPolicy

    return RetryPolicy(rate_limit_retries=0)
