"""Frame all keeps node text legible: it never zooms out past LEGIBLE_ZOOM, and then shows the graph's start."""

from __future__ import annotations

import pytest

from studio.app.viewport import LEGIBLE_ZOOM, Viewport

SMALLEST_NODE_TEXT_PX = 11.5  # static/studio.css: port labels and summaries


def test_frame_all_stops_at_a_legible_zoom():
    assert SMALLEST_NODE_TEXT_PX * LEGIBLE_ZOOM >= 9  # no 5–9 px text after Frame all
    view = Viewport()
    view.fit((40, 80, 2400, 300), 420, 640)  # a long graph in the narrow canvas of a 900 px window
    assert view.zoom == pytest.approx(LEGIBLE_ZOOM)
    # Too wide to fit: its left edge (the sources) shows at the margin; it fits vertically: centred.
    assert view.to_screen(40, 80)[0] == pytest.approx(40)
    assert view.to_screen(40 + 1200, 80 + 150)[1] == pytest.approx(320)


@pytest.mark.parametrize(
    ("content", "view_size", "zoom"),
    [
        ((0, 0, 600, 300), (1300, 800), 1.0),  # small graphs are never blown up
        ((0, 0, 1000, 400), (1080, 600), 1.0),
        ((0, 0, 1200, 400), (1080, 600), 0.8333),  # fits at a legible zoom: framed whole
        ((0, 0, 5000, 400), (1080, 600), LEGIBLE_ZOOM),
    ],
)
def test_frame_zoom_table(content, view_size, zoom):
    view = Viewport()
    view.fit(content, *view_size)
    assert view.zoom == pytest.approx(zoom, abs=1e-3)


def test_the_wheel_may_still_zoom_out_further():
    view = Viewport(zoom=LEGIBLE_ZOOM)
    view.zoom_at(0, 0, 0.1)
    assert view.zoom == pytest.approx(0.2)
