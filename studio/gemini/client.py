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
    ModelNotFound,
    NetworkError,
    RequestTimeout,
    redact,
)
from .http import DEFAULT_BASE_URL, HttpRequest, HttpResponse, Transport
from .models import (
    DEFAULT_MODEL,
    bare_model_id,
    filter_image_models,
    is_valid_model_id,
    picker_ids,
    resolve_model,
)
from .notes import FAILED, RETRY, SENDING, TIMED_OUT, USAGE, Listener, Note, Notes
from .pricing import billing_of_failure, usage_summary
from .request import build_generate_body, build_user_turn, encode_body
from .response import GeminiResult, load_json, parse_generate_response
from .retry import CheckCancelled, OnRetry, RetryPolicy, Sleep, with_retries
from .settings import DEFAULT_TIMEOUT

T = TypeVar("T")

# models.list pages: the API's maximum page size, and a bound in case a page token repeats.
_PAGE_SIZE = 1000
_MAX_PAGES = 20


class GeminiClient:
    """Talks to the Gemini API with the user's own key, through an injected transport.

    `api_key` is called once per operation, so a key changed in Settings applies to the next
    run. The key travels only in the x-goog-api-key header: never in a URL, a message or a repr.
    `key_hint` says where the user keeps the key (SETTINGS_KEY in the Studio, ENV_KEY for
    `studio run`), so that key errors say where to fix it. `timeout` is seconds per request, or a
    function read once per operation (the page's Settings value).

    `notes` tells listeners (`on_note`, or `client.notes.add(fn)`) what a call is doing: a request
    sent and how long it may take, a retry countdown, a timeout, each answer's usage and
    estimate (studio/gemini/notes.py). Notes carry the caller's `source` (the node id).
    """

    def __init__(
        self,
        transport: Transport | Callable[[HttpRequest], Awaitable[HttpResponse]],
        api_key: Callable[[], str | None],
        *,
        base_url: str = DEFAULT_BASE_URL,
        sleep: Sleep = asyncio.sleep,
        rng: Callable[[], float] = random.random,
        timeout: float | Callable[[], float] = DEFAULT_TIMEOUT,
        retry: RetryPolicy = RetryPolicy(),
        key_hint: KeyHint = SETTINGS_KEY,
        on_note: Listener | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        # Accept a Transport object or a plain async function (what tests pass).
        send = transport.send if isinstance(transport, Transport) else transport
        self._send_http: Callable[[HttpRequest], Awaitable[HttpResponse]] = send
        self._api_key = api_key
        self._base_url = base_url if base_url.endswith("/") else base_url + "/"
        self._sleep = sleep
        self._rng = rng
        self._timeout = timeout
        self._retry = retry
        self._key_hint = key_hint
        self.notes = Notes([on_note] if on_note is not None else [])
        self._clock = clock

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
        thinking_level: str | None = None,
        system_prompt: str | None = None,
        include_thoughts: bool = False,
        check_cancelled: CheckCancelled | None = None,
        on_retry: OnRetry | None = None,
        source: str | None = None,
    ) -> GeminiResult:
        """Edit `images` (or, with none, generate) following `prompt`; returns the final image.

        Raises a GeminiError subclass (see errors.py) or core Cancelled. `history` is the previous
        `GeminiResult.history()` for a follow-up turn. `check_cancelled` raises Cancelled once the
        user cancels: it is polled while a request is in flight (which is then aborted) and during
        retry waits. `on_retry(error, seconds, n)` is told before each automatic retry.

        A request that gets no answer in time is not sent again: Gemini may still be making (and
        billing) the image, so trying again is the user's call (RequestTimeout says so).
        """
        key = self._read_key()
        timeout = self._timeout_now()
        try:
            spec = resolve_model(self._model_id(model))
            if spec.status == "retired":
                raise ModelNotFound(
                    f"{spec.id} ({spec.label}) was shut down by Google. Pick another model in the node, "
                    f"for example {DEFAULT_MODEL}. Nothing was sent."
                )
            user_turn = build_user_turn(prompt, images, spec)
            turns = list(history)
            body = build_generate_body(
                spec,
                user_turn,
                history=turns,
                aspect_ratio=aspect_ratio,
                image_size=image_size,
                thinking_level=thinking_level,
                system_prompt=system_prompt,
                include_thoughts=include_thoughts,
            )
            request = HttpRequest(
                method="POST",
                url=f"{self._base_url}models/{quote(spec.id, safe='')}:generateContent",
                headers={"Content-Type": "application/json", "x-goog-api-key": key},
                body=encode_body(body, history_turns=len(turns)),
                timeout=timeout,
            )

            # AI Generate sends no picture: its messages must not speak of input images.
            with_images = bool(images) or _sends_images(turns)

            async def attempt() -> GeminiResult:
                self._tell(SENDING, f"asking {spec.id}; gives up after {timeout:g} s", source, seconds=timeout)
                try:
                    response = await self._exchange(request, check_cancelled)
                except RequestTimeout:
                    self._tell(TIMED_OUT, f"no answer within {timeout:g} s; not sent again", source, seconds=timeout)
                    raise RequestTimeout(self._timeout_message(timeout)) from None
                if response.status != 200:
                    raise self._error(response, key, spec.id, with_images=with_images)
                return parse_generate_response(
                    response.body,
                    secret=key,
                    model=spec.id,
                    key_hint=self._key_hint,
                    data=response.data,
                    decoded=response.decoded,
                    with_images=with_images,
                )

            result = await self._with_retries(attempt, key, check_cancelled, self._retry_teller(on_retry, source))
        except GeminiError as error:
            clean = error.scrubbed(key)
            billing = billing_of_failure(clean)
            self._tell(FAILED, f"{billing}: {clean}", source, data={"billing": billing})
            raise clean from None
        summary = usage_summary(result.usage, spec.id, image_size=image_size, thinking_level=thinking_level)
        self._tell(USAGE, summary.describe(), source, data=summary.to_json())
        return replace(result, user_content=user_turn)

    async def list_models(
        self, *, check_cancelled: CheckCancelled | None = None, on_retry: OnRetry | None = None
    ) -> list[str]:
        """Image-capable model ids this key can use (GET models, all pages). Also the key test:
        it succeeds only with a working key, and costs no tokens."""
        key = self._read_key()
        timeout = self._timeout_now()
        entries: list[dict[str, Any]] = []
        token: str | None = None
        # Listing models is free and changes nothing: a timeout there may be tried once more.
        policy = replace(self._retry, timeout_retries=max(1, self._retry.timeout_retries))
        try:
            for _ in range(_MAX_PAGES):
                url = f"{self._base_url}models?pageSize={_PAGE_SIZE}"
                if token:
                    url += f"&pageToken={quote(token, safe='')}"
                request = HttpRequest("GET", url, {"x-goog-api-key": key}, None, timeout)
                get_page = functools.partial(self._get_json, request, key)
                page = await self._with_retries(get_page, key, check_cancelled, on_retry, policy)
                entries.extend(entry for entry in page.get("models") or () if isinstance(entry, dict))
                next_token = page.get("nextPageToken")
                if not isinstance(next_token, str) or not next_token or next_token == token:
                    break
                token = next_token
        except GeminiError as error:
            raise error.scrubbed(key) from None
        # Shut-down models leave the list even while Google still names them (they are refused).
        return picker_ids(filter_image_models(entries))

    # --- steps -------------------------------------------------------------------------------

    def _timeout_now(self) -> float:
        return float(self._timeout() if callable(self._timeout) else self._timeout)

    def _now(self) -> float:
        if self._clock is not None:
            return self._clock()
        try:
            return asyncio.get_running_loop().time()
        except RuntimeError:
            return 0.0

    def _tell(self, kind: str, text: str, source: str | None, **fields: Any) -> None:
        if self.notes.listeners:
            self.notes.tell(Note(kind, text, source=source, at=self._now(), **fields))

    def note(self, kind: str, text: str, source: str | None = None, **fields: Any) -> None:
        """Tell the listeners something the caller did around a call (e.g. a node downscaled an
        input, or left out a setting the model does not take)."""
        self._tell(kind, text, source, **fields)

    def _retry_teller(self, on_retry: OnRetry | None, source: str | None) -> OnRetry:
        def told(error: GeminiError, seconds: float, attempt: int) -> None:
            self._tell(RETRY, f"retry {attempt} in {seconds:.0f} s: {error}", source, seconds=seconds)
            if on_retry is not None:
                on_retry(error, seconds, attempt)

        return told

    def _timeout_message(self, seconds: float) -> str:
        return (
            f"Gemini did not answer within {seconds:g} s. It may still make (and bill) this image, so "
            "the Studio does not send it again by itself: press Run again to try once more. A smaller "
            f"image size, a lower thinking level or fewer input images is faster; change the timeout "
            f"{self._key_hint.timeout_where}."
        )

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
        policy: RetryPolicy | None = None,
    ) -> T:
        async def scrubbed_attempt() -> T:
            # Scrub each failure as it happens: on_retry shows errors before the final raise.
            try:
                return await attempt()
            except GeminiError as error:
                raise error.scrubbed(key) from None

        return await with_retries(
            scrubbed_attempt,
            policy=policy or self._retry,
            sleep=self._sleep,
            rng=self._rng,
            check_cancelled=check_cancelled,
            on_retry=on_retry,
        )

    async def _get_json(self, request: HttpRequest, key: str) -> dict[str, Any]:
        response = await self._exchange(request, None)
        if response.status != 200:
            raise self._error(response, key, None)
        data = response.data if response.data is not None else load_json(response.body, "a model list")
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
