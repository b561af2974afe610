"""Dialogs under the fake browser: Settings builds its sections once, on first open; Compare shows
two picks with their labels and what differs, switches between slider and side by side, and a
picture that is gone says so instead of failing."""

from __future__ import annotations

import asyncio
import types

from studio.app.compare import Pick

from .fake_browser import Event


def test_settings_builds_each_section_on_first_open_and_keeps_it(page):
    from studio.browser.ui.settings import SettingsDialog

    dialog = SettingsDialog()
    built: list[str] = []
    opened: list[bool] = []
    dialog.add_section("Gemini API key", lambda: built.append("key") or page.document.createElement("div"))
    dialog.on_open.append(lambda: opened.append(True))
    assert built == [] and not dialog.el.open
    dialog.open()
    dialog.open()
    assert built == ["key"] and dialog.el.open and opened == [True, True]
    assert dialog.body.querySelector("h3").textContent == "Gemini API key"
    dialog.el.querySelector('[data-testid="settings-close"]').click()
    assert not dialog.el.open


def test_an_empty_settings_dialog_says_so(page):
    from studio.browser.ui.settings import SettingsDialog

    dialog = SettingsDialog()
    dialog.open()
    assert dialog.body.textContent == "Nothing to set yet."


class Picture:
    def __init__(self, width: int, height: int) -> None:
        self.size = (width, height)
        self.canvas = object()


def picks() -> list[Pick]:
    async def load(picture):
        return picture

    def differs(other: Pick) -> list[str] | None:
        return ["blur.radius: 2 → 6"] if other.key == "run-1" else None

    return [
        Pick("run-2", "Run 2 · 12:01", "blur.radius: 2 → 6", lambda: load(Picture(40, 24)), differs),
        Pick("run-1", "Run 1 · 12:00", "first run", lambda: load(Picture(32, 24))),
        Pick("gone", "Run 0 · 11:59", "first run", lambda: load(None)),
    ]


def test_compare_labels_both_sides_says_what_differs_and_switches_modes(page):
    from studio.browser.ui.compare_view import CompareDialog

    async def scenario():
        async def drawable(image):  # the canvas backend draws a picture's own canvas
            return image.canvas

        backend = types.SimpleNamespace(size=lambda image: image.size, drawable=drawable)
        dialog = CompareDialog(lambda: backend)
        page.document.body.append(dialog.el)
        dialog.open("Compare · out", picks(), "run-2", "run-1")
        await asyncio.sleep(0.01)
        assert dialog.el.open and dialog.el.dataset.loaded == "true"
        labels = [label.textContent for label in dialog.labels]
        assert labels == ["Run 2 · 12:01 · 40 × 24 px", "Run 1 · 12:00 · 32 × 24 px"]
        assert dialog.diff.textContent == "blur.radius: 2 → 6"
        # Slider first: the left side is clipped at the handle; side by side: no clip, no slider.
        dialog.range.value = "30"
        dialog.range.dispatchEvent(Event("input"))
        assert dialog.panes[0].style.clipPath == "inset(0 70% 0 0)"
        dialog.el.querySelector('[data-testid="compare-mode-side"]').click()
        assert dialog.stage.classList.contains("side") and dialog.range.hidden
        assert dialog.panes[0].style.clipPath == ""
        # A picture no longer stored: its side says so; two picks with no common recipe list both.
        dialog.choose[1].value = "gone"
        dialog.choose[1].dispatchEvent(Event("change"))
        await asyncio.sleep(0.01)
        assert dialog.labels[1].textContent == "Run 0 · 11:59 · picture not kept"
        assert dialog.diff.textContent == "Run 2 · 12:01: blur.radius: 2 → 6Run 0 · 11:59: first run"
        dialog.el.querySelector('[data-testid="compare-close"]').click()
        assert not dialog.el.open

    asyncio.run(scenario())
