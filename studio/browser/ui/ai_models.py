"""The model ids the AI nodes' `model` field suggests (the catalog's, then those the user's key may use)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .dom import h


class ModelChoices:
    """The model ids the AI nodes' `model` field suggests. The catalog's list until the user's key
    was tested or saved; then the models that key may use (retired ones are gone)."""

    def __init__(self) -> None:
        self.ids: list[str] | None = None
        self.datalist: Any = None  # the shown model field's suggestions, if an AI node is shown
        self.on_change: list[Callable[[list[str]], Any]] = []

    def set(self, ids: list[str]) -> None:
        self.ids = list(ids)
        self.apply(self.datalist)
        for callback in list(self.on_change):
            callback(self.ids)

    def apply(self, datalist: Any) -> None:
        self.datalist = datalist
        if datalist is None or not self.ids:
            return
        datalist.replaceChildren(*[h("option", {"value": model_id}) for model_id in self.ids])
