"""The minimap's geometry: nodes and the visible area fit in the map, and a click on the map
centres the view on the graph point under it (issue 12)."""

from __future__ import annotations

import pytest

from studio.app.minimap import PADDING, centre_on, map_frame, map_size, visible_area
from studio.app.viewport import Viewport

MAP_W, MAP_H = 200.0, 140.0


def test_every_node_and_the_visible_area_are_inside_the_map_and_round_trip():
    boxes = [(0, 0, 200, 120), (2000, 900, 200, 120), (-400, 300, 200, 80)]
    viewport = Viewport(x=50, y=-20, zoom=0.5)
    visible = visible_area(viewport, 1200, 800)
    assert visible == (-100.0, 40.0, 2400.0, 1600.0)
    frame = map_frame(boxes, visible, MAP_W, MAP_H)
    for box in [*boxes, visible]:
        x, y, w, h = frame.rect(box)
        assert PADDING - 1e-9 <= x and x + w <= MAP_W - PADDING + 1e-9
        assert PADDING - 1e-9 <= y and y + h <= MAP_H - PADDING + 1e-9
    assert frame.to_graph(*frame.to_map(123.0, -45.0)) == pytest.approx((123.0, -45.0))


def test_a_click_on_the_map_centres_the_view_there_at_the_same_zoom():
    viewport = Viewport(x=0, y=0, zoom=0.8)
    frame = map_frame([(0, 0, 200, 120), (3000, 2000, 200, 120)], visible_area(viewport, 1000, 600), MAP_W, MAP_H)
    gx, gy = frame.to_graph(150, 100)
    centre_on(viewport, gx, gy, 1000, 600)
    assert viewport.zoom == 0.8
    assert viewport.to_screen(gx, gy) == pytest.approx((500.0, 300.0))


def test_an_empty_graph_still_draws_the_visible_area():
    viewport = Viewport()
    frame = map_frame([], visible_area(viewport, 800, 600), MAP_W, MAP_H)
    x, y, w, h = frame.rect(visible_area(viewport, 800, 600))
    assert w > 0 and h > 0 and x >= PADDING - 1e-9


@pytest.mark.parametrize(
    ("canvas", "size"),
    [((1440, 1000), (200, 140)), ((820, 620), (200, 140)), ((440, 620), (112, 78)), ((700, 300), (112, 78))],
)
def test_the_map_is_smaller_in_a_narrow_or_low_canvas_but_stays_usable(canvas, size):
    assert map_size(*canvas) == size
