"""The issue-12 nodes through the real executor and Pillow: what each node decides (bounds,
boxes, layout, seeds, QR modules) on real pictures, and the errors a user can meet."""

from __future__ import annotations

import asyncio
import sys

import pytest
import segno
from PIL import Image, ImageChops

from studio.backend.pillow_backend import PillowBackend
from studio.core.executor import Executor
from studio.core.graph import Graph, Node
from studio.nodes import MORE_NODES, default_catalog
from studio.nodes.drawing import qr_matrix
from tests.browser.parity_cases import PHOTO, png_data_url

CATALOG = default_catalog()


def graph_of(*nodes: tuple[str, str, dict], edges: tuple[tuple[str, str], ...] = ()) -> Graph:
    graph = Graph()
    for node_id, kind, params in nodes:
        graph.add_node(Node(node_id, kind, params))
    for source, target in edges:
        graph.connect(source, target)
    return graph


def run(graph: Graph, executor: Executor | None = None):
    executor = executor or Executor(CATALOG, PillowBackend())
    result = asyncio.run(executor.run(graph))
    failed = {n: r.error for n, r in result.nodes.items() if r.status == "failed"}
    return result, failed


def image_of(result, node_id) -> Image.Image:
    return result.nodes[node_id].outputs["image"]


def same(a: Image.Image, b: Image.Image) -> bool:
    # alpha_only=False: by default getbbox() of an RGBA image looks at alpha alone.
    return ImageChops.difference(a, b).getbbox(alpha_only=False) is None


PHOTO_NODE = ("photo", "source.image", {"image": png_data_url(PHOTO)})


def one(kind: str, params: dict, source=PHOTO_NODE):
    result, failed = run(graph_of(source, ("n", kind, params), edges=((f"{source[0]}.image", "n.image"),)))
    assert not failed, failed
    return result, image_of(result, "n")


def test_every_new_node_is_declared_with_help_and_param_help():
    ids = {spec.id for spec in MORE_NODES}
    assert len(ids) == 17 and "canvas.note" in ids
    for spec in MORE_NODES:
        assert CATALOG[spec.id] is spec and spec.help
        assert all(param.help for param in spec.params), spec.id


def test_normalize_stretches_a_dull_photo_to_the_full_range():
    dull = PHOTO.point(lambda v: 60 + v * 100 // 255)  # tones squeezed into 60..160 (alpha too: kept > 0)
    source = ("dull", "source.image", {"image": png_data_url(dull)})
    _, out = one("transform.normalize", {"cutoff": 0}, source)
    lo, hi = zip(*out.convert("RGB").getextrema(), strict=True)
    assert min(lo) == 0 and max(hi) == 255
    _, per_channel = one("transform.normalize", {"cutoff": 0, "mode": "channels"}, source)
    assert all(extrema == (0, 255) for extrema in per_channel.convert("RGB").getextrema())
    # A flat picture has nothing to stretch and comes back unchanged.
    _, flat = one("transform.normalize", {}, ("flat", "source.solid", {"width": 8, "height": 8, "color": "#808080"}))
    assert flat.getpixel((3, 3)) == (128, 128, 128, 255)


def test_levels_refuses_black_at_or_above_white():
    _, failed = run(
        graph_of(
            PHOTO_NODE, ("n", "transform.levels", {"black": 200, "white": 200}), edges=(("photo.image", "n.image"),)
        )
    )
    assert "black (200) must be below white (200)" in failed["n"]


def test_noise_caches_and_repeats_with_its_seed():
    executor = Executor(CATALOG, PillowBackend())
    graph = graph_of(PHOTO_NODE, ("n", "transform.noise", {"seed": 3}), edges=(("photo.image", "n.image"),))
    first, _ = run(graph, executor)
    second, _ = run(graph, executor)
    assert second.nodes["n"].status == "cached"
    fresh, _ = run(graph)  # another executor, no cache: the same pixels from the same seed
    assert same(image_of(first, "n"), image_of(fresh, "n"))
    graph.nodes["n"].params["seed"] = 4
    other, _ = run(graph, executor)
    assert other.nodes["n"].status == "done"
    assert not same(image_of(first, "n"), image_of(other, "n"))


def test_trim_finds_the_picture_inside_its_padding():
    pad = ("pad", "transform.pad", {"top": 13, "right": 7, "bottom": 21, "left": 30, "color": "#fafafa"})
    graph = graph_of(
        PHOTO_NODE,
        pad,
        ("solid", "source.solid", {"width": 5, "height": 5}),
        ("n", "transform.trim", {"tolerance": 3}),
        ("m", "transform.trim", {"margin": 5}),
        ("u", "transform.trim", {}),
        edges=(
            ("photo.image", "pad.image"),
            ("pad.image", "n.image"),
            ("pad.image", "m.image"),
            ("solid.image", "u.image"),
        ),
    )
    result, failed = run(graph)
    assert not failed, failed
    trimmed = image_of(result, "n")
    # The photo's own transparent corner patch touches no edge, so the box is the photo's.
    assert trimmed.size == PHOTO.size
    assert image_of(result, "m").size == (PHOTO.width + 10, PHOTO.height + 10)
    assert image_of(result, "u").size == (5, 5) and "nothing to trim" in " ".join(result.nodes["u"].notes)


def test_grid_lays_out_cells_in_edge_order():
    colors = ("#ff0000", "#00ff00", "#0000ff", "#ffff00")
    nodes = [(f"s{i}", "source.solid", {"width": 40, "height": 20, "color": c}) for i, c in enumerate(colors)]
    nodes.append(
        ("g", "compose.grid", {"columns": 3, "cell_width": 40, "cell_height": 40, "gap": 10, "background": "#000000"})
    )
    result, failed = run(graph_of(*nodes, edges=tuple((f"s{i}.image", "g.images") for i in range(4))))
    assert not failed, failed
    sheet = image_of(result, "g")
    assert sheet.size == (3 * 40 + 4 * 10, 2 * 40 + 3 * 10)
    # contain: 40 x 20 pictures centred in 40 x 40 cells (10 px above and below).
    assert sheet.getpixel((10 + 20, 10 + 20)) == (255, 0, 0, 255)
    assert sheet.getpixel((60 + 20, 10 + 20)) == (0, 255, 0, 255)
    assert sheet.getpixel((110 + 20, 10 + 20)) == (0, 0, 255, 255)
    assert sheet.getpixel((10 + 20, 60 + 20)) == (255, 255, 0, 255)
    assert sheet.getpixel((10 + 20, 10 + 5)) == (0, 0, 0, 255)  # above the picture, inside the cell
    _, failed = run(graph_of(("g", "compose.grid", {})))
    assert "input 'images': is required" in failed["g"]


def test_mask_stretches_a_smaller_mask_and_says_so():
    mask = ("mask", "source.gradient", {"width": 32, "height": 24, "start": "#ffffff", "end": "#000000"})
    graph = graph_of(
        PHOTO_NODE, mask, ("n", "compose.mask", {}), edges=(("photo.image", "n.image"), ("mask.image", "n.mask"))
    )
    result, failed = run(graph)
    assert not failed, failed
    out = image_of(result, "n")
    assert out.size == PHOTO.size and out.getpixel((2, 100))[3] > 240 and out.getpixel((317, 100))[3] < 15
    assert any("mask stretched" in note for note in result.nodes["n"].notes)


def test_chroma_key_cuts_a_product_off_a_green_screen():
    screen = Image.new("RGBA", (120, 80), (20, 200, 40, 255))
    screen.paste((200, 60, 40, 255), (30, 20, 90, 60))
    _, out = one("compose.chroma_key", {"color": "#14c828"}, ("s", "source.image", {"image": png_data_url(screen)}))
    assert out.getpixel((5, 5))[3] == 0 and out.getpixel((60, 40)) == (200, 60, 40, 255)


def test_shapes_fill_stroke_and_transparent_outside():
    result, failed = run(
        graph_of(
            ("star", "source.shapes", {"shape": "star", "width": 200, "height": 200, "stroke_width": 6}),
            (
                "ring",
                "source.shapes",
                {"shape": "ellipse", "width": 100, "height": 60, "fill": "#00000000", "stroke_width": 5},
            ),
            (
                "hexagon",
                "source.shapes",
                {"shape": "polygon", "sides": 6, "width": 100, "height": 100, "stroke_width": 0},
            ),
            (
                "box",
                "source.shapes",
                {
                    "shape": "rectangle",
                    "width": 30,
                    "height": 20,
                    "fill": "#336699",
                    "stroke": "#ff0000",
                    "stroke_width": 2,
                },
            ),
        )
    )
    assert not failed, failed
    star = image_of(result, "star")
    assert star.getpixel((100, 110)) == (255, 183, 3, 255)  # the fill in the middle
    assert star.getpixel((100, 3)) == (29, 53, 87, 255)  # the stroke at the top point
    assert star.getpixel((3, 3))[3] == 0 and star.getpixel((100, 190))[3] == 0  # between the lower points
    ring = image_of(result, "ring")
    assert ring.getpixel((50, 30))[3] == 0 and ring.getpixel((2, 30)) == (29, 53, 87, 255)
    assert image_of(result, "hexagon").getpixel((50, 50)) == (255, 183, 3, 255)
    box = image_of(result, "box")
    assert box.getpixel((0, 0)) == box.getpixel((29, 19)) == (255, 0, 0, 255)
    assert box.getpixel((2, 2)) == (51, 102, 153, 255) and box.getpixel((1, 10)) == (255, 0, 0, 255)


def test_qr_code_modules_are_segnos_matrix():
    text = "https://pyxis.studio/?q=parity"
    result, failed = run(graph_of(("q", "source.qr", {"text": text, "module": 6, "border": 2, "error": "H"})))
    assert not failed, failed
    code = image_of(result, "q")
    matrix = segno.make(text, error="H", micro=False, boost_error=False).matrix
    assert code.size == ((len(matrix) + 4) * 6,) * 2
    for row, line in enumerate(matrix):
        for column, dark in enumerate(line):
            pixel = code.getpixel(((column + 2) * 6 + 3, (row + 2) * 6 + 3))
            assert pixel == ((0, 0, 0, 255) if dark else (255, 255, 255, 255))
    assert code.getpixel((1, 1)) == (255, 255, 255, 255)  # quiet zone
    assert qr_matrix("a", "L") != qr_matrix("a" * 40, "L")


@pytest.mark.parametrize(
    ("params", "message"), [({"text": ""}, "write the text"), ({"text": "x" * 3000, "error": "H"}, "too long")]
)
def test_qr_code_errors_name_the_problem(params, message):
    _, failed = run(graph_of(("q", "source.qr", params)))
    assert message in failed["q"]


def test_qr_code_without_segno_says_what_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "segno", None)  # import segno raises ImportError
    _, failed = run(graph_of(("q", "source.qr", {})))
    assert "segno" in failed["q"] and "not installed" in failed["q"]


def test_note_runs_without_ports_beside_a_graph():
    result, failed = run(graph_of(("note", "canvas.note", {"text": "# Why\nThis explains the graph."}), PHOTO_NODE))
    assert not failed and result.nodes["note"].status == "done" and result.nodes["note"].outputs == {}
    spec = CATALOG["canvas.note"]
    assert spec.inputs == () and spec.outputs == ()
