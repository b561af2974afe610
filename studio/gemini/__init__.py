"""The Gemini image client: pure Python, with the HTTP transport injected (fetch, urllib or a test fake).

The CPython transport lives in `studio.gemini.urllib_transport` and is imported only where used,
so this package stays light in the browser. The names below are loaded on first use (PEP 562):
importing a light submodule (models, errors) does not pull in the client and its imports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import GeminiClient
    from .errors import (
        ENV_KEY,
        SETTINGS_KEY,
        AnswerLost,
        BadRequest,
        GeminiError,
        GenerationFailed,
        InvalidInput,
        InvalidKey,
        KeyHint,
        KeyProblem,
        KeyRejected,
        LocationUnsupported,
        MalformedResponse,
        MissingKey,
        ModelNotFound,
        NetworkError,
        NoImageReturned,
        OutputBlocked,
        PayloadTooLarge,
        PromptBlocked,
        QuotaExhausted,
        RateLimited,
        RequestTimeout,
        ServerBusy,
        ServiceError,
        TooManyImages,
        UnsupportedImageType,
        UnsupportedKeyType,
        redact,
    )
    from .http import DEFAULT_BASE_URL, HttpRequest, HttpResponse, Transport
    from .models import (
        ASPECT_RATIOS_10,
        ASPECT_RATIOS_14,
        DEFAULT_MODEL,
        PICKER_MODELS,
        ImageModel,
        filter_image_models,
        resolve_model,
    )
    from .request import ACCEPTED_MIME_TYPES, MAX_REQUEST_BYTES
    from .response import GeminiResult
    from .retry import RetryPolicy

# Each public name -> the submodule that defines it.
_SOURCES = {
    "AnswerLost": "errors",
    "ACCEPTED_MIME_TYPES": "request",
    "ASPECT_RATIOS_10": "models",
    "ASPECT_RATIOS_14": "models",
    "BadRequest": "errors",
    "DEFAULT_BASE_URL": "http",
    "DEFAULT_MODEL": "models",
    "ENV_KEY": "errors",
    "GeminiClient": "client",
    "GeminiError": "errors",
    "GeminiResult": "response",
    "GenerationFailed": "errors",
    "HttpRequest": "http",
    "HttpResponse": "http",
    "ImageModel": "models",
    "InvalidInput": "errors",
    "InvalidKey": "errors",
    "KeyHint": "errors",
    "KeyProblem": "errors",
    "KeyRejected": "errors",
    "LocationUnsupported": "errors",
    "MAX_REQUEST_BYTES": "request",
    "MalformedResponse": "errors",
    "MissingKey": "errors",
    "ModelNotFound": "errors",
    "NetworkError": "errors",
    "NoImageReturned": "errors",
    "OutputBlocked": "errors",
    "PICKER_MODELS": "models",
    "PayloadTooLarge": "errors",
    "PromptBlocked": "errors",
    "QuotaExhausted": "errors",
    "RateLimited": "errors",
    "RequestTimeout": "errors",
    "RetryPolicy": "retry",
    "SETTINGS_KEY": "errors",
    "ServerBusy": "errors",
    "ServiceError": "errors",
    "TooManyImages": "errors",
    "Transport": "http",
    "UnsupportedImageType": "errors",
    "UnsupportedKeyType": "errors",
    "filter_image_models": "models",
    "redact": "errors",
    "resolve_model": "models",
}


def __getattr__(name: str) -> Any:
    try:
        module = _SOURCES[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # once loaded, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "ACCEPTED_MIME_TYPES",
    "ASPECT_RATIOS_10",
    "ASPECT_RATIOS_14",
    "AnswerLost",
    "BadRequest",
    "DEFAULT_BASE_URL",
    "DEFAULT_MODEL",
    "ENV_KEY",
    "GeminiClient",
    "GeminiError",
    "GeminiResult",
    "GenerationFailed",
    "HttpRequest",
    "HttpResponse",
    "ImageModel",
    "InvalidInput",
    "InvalidKey",
    "KeyHint",
    "KeyProblem",
    "KeyRejected",
    "LocationUnsupported",
    "MAX_REQUEST_BYTES",
    "MalformedResponse",
    "MissingKey",
    "ModelNotFound",
    "NetworkError",
    "NoImageReturned",
    "OutputBlocked",
    "PICKER_MODELS",
    "PayloadTooLarge",
    "PromptBlocked",
    "QuotaExhausted",
    "RateLimited",
    "RequestTimeout",
    "RetryPolicy",
    "SETTINGS_KEY",
    "ServerBusy",
    "ServiceError",
    "TooManyImages",
    "Transport",
    "UnsupportedImageType",
    "UnsupportedKeyType",
    "filter_image_models",
    "redact",
    "resolve_model",
]
