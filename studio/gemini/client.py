"""The Gemini client: typed call → JSON body → HTTP request → injected transport → typed result or error."""

from __future__ import annotations

import asyncio
import functools
import random
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any, TypeVar
from urllib.parse import quote

from .api_errors import error_from_api, parse_error
from .errors import (
    SETTINGS_KEY,
    GeminiError,
    InvalidInput,
    InvalidKey,
    KeyHint,
    MalformedResponse,
    MissingKey,
    NetworkError,
    RequestTimeout,
    redact,
)
from .http import HttpRequest, HttpResponse, Transport
from .models import DEFAULT_MODEL, bare_model_id, filter_image_models, is_valid_model_id, resolve_model
from .request import build_generate_body, build_user_turn, encode_body
from .response import GeminiResult, load_json, parse_generate_response
from .retry import CheckCancelled, OnRetry, RetryPolicy, Sleep, with_retries

T = TypeVar("T")

DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta/"
# models.list pages: the API's maximum page size, and a bound in case a page token repeats.
_PAGE_SIZE = 1000
_MAX_PAGES = 20


class GeminiClient:
    """Talks to the Gemini API with the user's own key, through an injected transport.

    `api_key` is called once per operation, so a key changed in Settings applies to the next
    run. The key travels only in the x-goog-api-key header: never in a URL, a message or a repr.
    `key_hint` says where the user keeps the key (SETTINGS_KEY in the Studio, ENV_KEY for
    `studio run`), so that key errors say where to fix it.
    """

    def __init__(
        self,
        transport: Transport | Callable[[HttpRequest], Awaitable[HttpResponse]],
        api_key: Callable[[], str | None],
        *,
        base_url: str = DEFAULT_BASE_URL,
        sleep: Sleep = asyncio.sleep,
        rng: Callable[[], float] = random.random,
        timeout: float = 120.0,
        retry: RetryPolicy = RetryPolicy(),
        key_hint: KeyHint = SETTINGS_KEY,
    ) -> None:
        # Accept a Transport object or a plain async function (what tests pass).
        self._send_http = getattr(transport, "send", transport)
        self._api_key = api_key
        self._base_url = base_url if base_url.endswith("/") else base_url + "/"
        self._sleep = sleep
        self._rng = rng
        self._timeout = timeout
        self._retry = retry
        self._key_hint = key_hint

    def __repr__(self) -> str:
        return f"GeminiClient(base_url={self._base_url!r})"

    async def generate(
        self,
        *,
        prompt: str,
        images: Sequence[bytes] = (),
        model: str = DEFAULT_MODEL,
        aspect_ratio: str | None = "auto",
        image_size: str | None = None,
        history: Iterable[dict[str, Any]] = (),
        check_cancelled: CheckCancelled | None = None,
        on_retry: OnRetry | None = None,
    ) -> GeminiResult:
        """Edit `images` (or, with none, generate) following `prompt`; returns the final image.

        Raises a GeminiError subclass (see errors.py) or core Cancelled. `history` is the previous
        `GeminiResult.history()` for a follow-up turn. `check_cancelled` raises Cancelled once the
        user cancels: it is polled while a request is in flight (which is then aborted) and during
        retry waits. `on_retry(error, seconds, n)` is told before each automatic retry.
        """
        key = self._read_key()
        try:
            spec = resolve_model(self._model_id(model))
            user_turn = build_user_turn(prompt, images, spec)
            turns = list(history)
            body = build_generate_body(spec, user_turn, history=turns, aspect_ratio=aspect_ratio, image_size=image_size)
            request = HttpRequest(
                method="POST",
                url=f"{self._base_url}models/{quote(spec.id, safe='')}:generateContent",
                headers={"Content-Type": "application/json", "x-goog-api-key": key},
                body=encode_body(body, history_turns=len(turns)),
                timeout=self._timeout,
            )

            # AI Generate sends no picture: its messages must not speak of input images.
            with_images = bool(images) or _sends_images(turns)

            async def attempt() -> GeminiResult:
                response = await self._exchange(request, check_cancelled)
                if response.status != 200:
                    raise self._error(response, key, spec.id, with_images=with_images)
                return parse_generate_response(
                    response.body, secret=key, model=spec.id, key_hint=self._key_hint, with_images=with_images
                )

            result = await self._with_retries(attempt, key, check_cancelled, on_retry)
        except GeminiError as error:
            raise error.scrubbed(key) from None
        return replace(result, user_content=user_turn)

    async def list_models(
        self, *, check_cancelled: CheckCancelled | None = None, on_retry: OnRetry | None = None
    ) -> list[str]:
        """Image-capable model ids this key can use (GET models, all pages). Also the key test:
        it succeeds only with a working key, and costs no tokens."""
        key = self._read_key()
        entries: list[dict[str, Any]] = []
        token: str | None = None
        try:
            for _ in range(_MAX_PAGES):
                url = f"{self._base_url}models?pageSize={_PAGE_SIZE}"
                if token:
                    url += f"&pageToken={quote(token, safe='')}"
                request = HttpRequest("GET", url, {"x-goog-api-key": key}, None, self._timeout)
                get_page = functools.partial(self._get_json, request, key)
                page = await self._with_retries(get_page, key, check_cancelled, on_retry)
                entries.extend(entry for entry in page.get("models") or () if isinstance(entry, dict))
                next_token = page.get("nextPageToken")
                if not isinstance(next_token, str) or not next_token or next_token == token:
                    break
                token = next_token
        except GeminiError as error:
            raise error.scrubbed(key) from None
        return filter_image_models(entries)

    # --- steps -------------------------------------------------------------------------------

    def _read_key(self) -> str:
        key = (self._api_key() or "").strip()
        if not key:
            raise MissingKey(f"No Gemini API key is set. {self._key_hint.how_to_add}")
        # A header value with a line break or non-ASCII text is not a key (a paste gone wrong),
        # and sending it would fail obscurely or split the header. Never quote it back.
        if not key.isascii() or not key.isprintable() or " " in key:
            raise InvalidKey(
                f"The Gemini API key {self._key_hint.where} contains spaces or characters an API "
                "key never has. Copy it again from Google AI Studio and paste it whole."
            )
        return key

    @staticmethod
    def _model_id(model: str) -> str:
        model_id = bare_model_id(model or "")
        if not is_valid_model_id(model_id):
            raise InvalidInput(f"{model!r} is not a Gemini model id (like {DEFAULT_MODEL}). Pick a model in the node.")
        return model_id

    async def _with_retries(
        self,
        attempt: Callable[[], Awaitable[T]],
        key: str,
        check_cancelled: CheckCancelled | None,
        on_retry: OnRetry | None,
    ) -> T:
        async def scrubbed_attempt() -> T:
            # Scrub each failure as it happens: on_retry shows errors before the final raise.
            try:
                return await attempt()
            except GeminiError as error:
                raise error.scrubbed(key) from None

        return await with_retries(
            scrubbed_attempt,
            policy=self._retry,
            sleep=self._sleep,
            rng=self._rng,
            check_cancelled=check_cancelled,
            on_retry=on_retry,
        )

    async def _get_json(self, request: HttpRequest, key: str) -> dict[str, Any]:
        response = await self._exchange(request, None)
        if response.status != 200:
            raise self._error(response, key, None)
        data = load_json(response.body, "a model list")
        if not isinstance(data, dict):
            raise MalformedResponse("Gemini's model list was not the expected JSON object. Run again.")
        return data

    def _error(self, response: HttpResponse, key: str, model: str | None, *, with_images: bool = True) -> GeminiError:
        return error_from_api(
            parse_error(response.status, response.body, key),
            model=model,
            key_hint=self._key_hint,
            with_images=with_images,
        )

    async def _exchange(self, request: HttpRequest, check_cancelled: CheckCancelled | None) -> HttpResponse:
        """One transport call; with `check_cancelled`, the request is abandoned (its task
        cancelled, so the browser transport aborts the fetch) as soon as the user cancels."""
        if check_cancelled is None:
            return await self._send_checked(request)
        check_cancelled()
        task = asyncio.ensure_future(self._send_checked(request))
        try:
            while True:
                done, _ = await asyncio.wait({task}, timeout=self._retry.poll_interval)
                if done:
                    return task.result()
                check_cancelled()
        finally:
            if not task.done():
                task.cancel()
                # Give the transport its turn to abort (asyncio.wait never raises the task's error).
                await asyncio.wait({task}, timeout=1.0)

    async def _send_checked(self, request: HttpRequest) -> HttpResponse:
        """The transport call, with stray OS-level errors mapped to the documented ones."""
        try:
            return await self._send_http(request)
        except TimeoutError:  # builtin; also asyncio.TimeoutError and socket.timeout since 3.11
            raise RequestTimeout() from None
        except OSError as exc:
            raise NetworkError(f"{NetworkError.default_message} ({type(exc).__name__}: {redact(str(exc))})") from None


def _sends_images(history: Sequence[dict[str, Any]]) -> bool:
    """Whether earlier user turns of the conversation carried pictures (an AI Edit follow-up)."""
    for content in history:
        parts = content.get("parts") if isinstance(content, dict) and content.get("role") == "user" else None
        if isinstance(parts, list) and any(isinstance(p, dict) and "inlineData" in p for p in parts):
            return True
    return False
