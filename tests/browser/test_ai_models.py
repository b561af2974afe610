"""Gemini in the page, December 2026: choices per model, usage per step and the session total,
the request timeout (a hung request is not resent), and the key's model list kept across reloads."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from .editor_helpers import tid, wait_first_run
from .gemini_fake import (
    GREEN,
    KEY,
    FakeGemini,
    answer,
    close_settings,
    load,
    open_settings,
    run,
    select,
    set_key,
    storage_dump,
    workflow_json,
)
from .person import click

pytestmark = pytest.mark.browser

RATIOS_10 = ["auto", "1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"]
RATIOS_14 = [*RATIOS_10, "1:4", "4:1", "1:8", "8:1"]


@pytest.fixture
def studio(studio_page):
    page = studio_page.page
    gemini = FakeGemini(page)
    wait_first_run(page)
    return studio_page, page, gemini


def options(page, name: str) -> list[str]:
    return page.locator(tid(f"param-{name}")).locator("option").evaluate_all("os => os.map(o => o.value)")


def type_model(page, model: str) -> None:
    field = page.locator(tid("param-model"))
    click(field)
    field.fill(model)
    field.press("Enter")


def test_the_inspector_offers_only_what_the_model_takes_and_marks_what_it_does_not(studio):
    _, page, _ = studio
    load(page, workflow_json())
    select(page, "edit")
    assert page.locator(tid("param-model")).input_value() == "gemini-nano-banana-2.1"
    assert options(page, "aspect_ratio") == RATIOS_14
    assert options(page, "image_size") == ["1K", "2K", "4K"]
    assert options(page, "thinking_level") == ["default", "minimal", "medium", "high"]
    page.locator(tid("param-aspect_ratio")).select_option("8:1")
    type_model(page, "gemini-3-pro-image")
    expect(page.locator(tid("param-thinking_level")).locator("option")).to_have_count(1)
    assert options(page, "aspect_ratio") == [*RATIOS_10, "8:1"]  # the current value, shown as it is
    expect(page.locator(tid("param-error-aspect_ratio"))).to_have_text(
        f"gemini-3-pro-image does not take 8:1; pick one of {', '.join(RATIOS_10)}"
    )
    assert page.locator(tid("param-model")).evaluate("el => el === document.activeElement")  # typing kept
    type_model(page, "gemini-3.1-flash-image")
    assert options(page, "image_size") == ["512", "1K", "2K", "4K"]
    assert options(page, "thinking_level") == ["default", "minimal", "high"]
    expect(page.locator(tid("param-error-aspect_ratio"))).to_be_hidden()


def test_each_step_keeps_its_usage_and_settings_show_the_session_total(studio):
    _, page, gemini = studio
    set_key(page)
    open_settings(page)
    expect(page.locator(tid("gemini-session-total"))).to_have_text("No Gemini calls in this session yet.")
    expect(page.locator(tid("api-key-kinds"))).to_contain_text("AQ.")
    expect(page.locator(tid("api-key-kinds"))).to_contain_text("not confirmed")
    close_settings(page)
    reply = answer(GREEN)
    # A JSON null inside the model turn: parsed in JavaScript, it must still save as null.
    reply["candidates"][0]["content"]["parts"][1]["videoMetadata"] = None
    gemini.answer((200, reply))
    load(page, workflow_json())
    cost = page.locator(tid("node-cost-edit"))
    expect(cost).to_have_text("≈ $0.048 per call (estimate)")  # before Run
    result = run(page)
    assert result["edit"]["status"] == "done", result["edit"]
    turns = next(n for n in json.loads(page.evaluate("() => window.studio.workflow()"))["nodes"] if n["id"] == "edit")[
        "data"
    ]["turns"]
    assert turns[0]["model"]["parts"][1]["videoMetadata"] is None
    usage = turns[0]["usage"]
    assert (usage["prompt_tokens"], usage["candidate_tokens"], usage["total_tokens"]) == (15, 1318, 1333)
    assert usage["usd"] == pytest.approx(0.048)
    expect(cost).to_have_text("≈ $0.048 per call (estimate) · last: 15 + 1,318 + 0 tokens")
    open_settings(page)
    expect(page.locator(tid("gemini-session-total"))).to_have_text(
        "This session: 1 Gemini call, ≈ $0.048, 1,333 tokens (estimate — Google's bill is authoritative; "
        "prices of 2026-11-25)."
    )


def test_a_request_that_never_answers_times_out_once_and_is_not_sent_again(studio):
    _, page, gemini = studio
    set_key(page)
    open_settings(page)
    timeout = page.locator(tid("api-timeout"))
    expect(timeout).to_have_value("120")
    click(timeout)
    timeout.fill("5")
    timeout.press("Enter")
    expect(page.locator(tid("api-timeout-note"))).to_contain_text("between 10 and 600 seconds")
    timeout.fill("10")
    timeout.press("Enter")
    expect(page.locator(tid("api-timeout-note"))).to_have_text("Saved.")
    assert storage_dump(page)["local"]["pyxis.gemini-timeout"] == "10"
    close_settings(page)
    gemini.answer(gemini.hold)
    load(page, workflow_json())
    result = run(page)
    assert result["edit"]["status"] == "failed"
    assert "did not answer within 10 s" in result["edit"]["error"]
    assert "may still make (and bill)" in result["edit"]["error"]
    assert len(gemini.generate_calls) == 1  # never resent without the user's word
    open_settings(page)
    expect(page.locator(tid("gemini-session-total"))).to_contain_text("1 failed that may be billed")


def test_the_keys_model_list_is_remembered_beside_the_key_across_a_reload(studio):
    opened, page, gemini = studio
    set_key(page)
    assert len(gemini.model_calls) == 1
    stores = storage_dump(page)
    remembered = json.loads(stores["local"]["pyxis.gemini-models"])["models"]
    assert remembered == ["gemini-3-pro-image", "gemini-3.1-flash-image", "gemini-3.1-flash-lite-image"]
    assert KEY not in stores["local"]["pyxis.gemini-models"]
    page.reload()
    page.wait_for_function("document.documentElement.dataset.studio === 'ready'", timeout=90_000)
    wait_first_run(page)
    load(page, workflow_json())
    select(page, "edit")
    suggested = page.locator('[data-testid="inspector"] datalist option').evaluate_all("os => os.map(o => o.value)")
    assert suggested == remembered
    assert len(gemini.model_calls) == 1  # no new test was needed
    open_settings(page)
    click(page.locator(tid("api-key-forget")))
    assert "pyxis.gemini-models" not in storage_dump(page)["local"]


def with_references(count: int, model: str | None = None) -> str:
    doc = json.loads(workflow_json())
    edit = next(n for n in doc["nodes"] if n["id"] == "edit")
    if model:
        edit["params"]["model"] = model
    for i in range(count):
        doc["nodes"].append(
            {
                "id": f"ref{i}",
                "type": "source.solid",
                "params": {"width": 8, "height": 8},
                "position": [0, 200 + 90 * i],
            }
        )
        doc["edges"].append({"from": f"ref{i}.image", "to": "edit.references"})
    return json.dumps(doc)


def test_the_node_counts_its_images_against_the_models_limit(studio):
    _, page, _ = studio
    slots = page.locator(tid("node-slots-edit"))
    load(page, with_references(0))
    expect(slots).to_have_text("1 of 14 images")
    load(page, with_references(2))
    expect(slots).to_have_text("3 of 14 images")
    load(page, with_references(3, model="gemini-2.5-flash-image"))
    expect(slots).to_have_text("4 of 3 images — too many for this model")
    assert page.locator(tid("port-edit-references")).evaluate("el => el.classList.contains('full')")


def wire_end(page, edge: str) -> tuple[float, float]:
    """Where a wire's line ends on screen."""
    return tuple(
        page.locator(f'path.edge-hit[data-edge="{edge}"]').evaluate(
            """p => { const at = p.getPointAtLength(p.getTotalLength()), m = p.getScreenCTM();
                      return [at.x * m.a + at.y * m.c + m.e, at.x * m.b + at.y * m.d + m.f]; }"""
        )
    )


def dot_centre(page, test_id: str) -> tuple[float, float]:
    box = page.locator(tid(test_id)).bounding_box()
    assert box is not None, test_id
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_references_connected_by_mouse_take_a_slot_each_up_to_the_models_limit(studio, tmp_path):
    """Issue 10: each reference wire ends on its own dot ("reference 1", "reference 2"), the free
    slot says when the model is full, one too many is refused with the limit named, and picking a
    slot's wire up frees the slot."""
    from .editor_helpers import drag_mouse, workflow

    _, page, _ = studio
    doc = json.loads(with_references(0, model="gemini-2.5-flash-image"))  # 3 images: the picture + 2
    for node in doc["nodes"]:
        if node["id"] == "edit":
            node["position"] = [420, 0]
    for i in range(3):
        doc["nodes"].append({"id": f"ref{i}", "type": "source.solid", "params": {}, "position": [0, 220 + 110 * i]})
    load(page, json.dumps(doc))
    slots, free = page.locator(tid("node-slots-edit")), page.locator(tid("port-edit-references"))
    expect(slots).to_have_text("1 of 3 images")
    expect(free.locator("xpath=following-sibling::span")).to_have_text("references")

    def drag_reference(i: int) -> None:
        drag_mouse(page, page.locator(f'{tid(f"port-ref{i}-image")}[data-dir="out"]'), free)

    drag_reference(0)
    expect(page.locator(tid("port-edit-references-0"))).to_be_visible()
    expect(slots).to_have_text("2 of 3 images")
    expect(free.locator("xpath=following-sibling::span")).to_have_text("+ reference")
    drag_reference(1)
    expect(page.locator(tid("port-edit-references-1"))).to_be_visible()
    expect(slots).to_have_text("3 of 3 images")
    expect(free.locator("xpath=following-sibling::span")).to_have_text("references full")
    assert free.evaluate("el => el.classList.contains('full')")
    for slot, source in ((0, "ref0"), (1, "ref1")):
        end, dot = wire_end(page, f"{source}.image>edit.references"), dot_centre(page, f"port-edit-references-{slot}")
        assert abs(end[0] - dot[0]) < 4 and abs(end[1] - dot[1]) < 4, (slot, end, dot)
    page.screenshot(path=str(tmp_path / "references-full.png"))

    drag_reference(2)  # one too many: refused, said, nothing changed
    expect(page.get_by_text("takes at most 3 images (its picture and 2 references)")).to_be_visible()
    references = [e for e in workflow(page)["edges"] if e["to"] == "edit.references"]
    assert [e["from"] for e in references] == ["ref0.image", "ref1.image"]

    # Picking up reference 1's wire and dropping it on empty canvas frees its slot.
    canvas = page.locator(tid("canvas"))
    drag_mouse(page, page.locator(tid("port-edit-references-0")), canvas, target_position={"x": 300, "y": 40})
    expect(page.locator(tid("port-edit-references-1"))).to_have_count(0)
    expect(slots).to_have_text("2 of 3 images")
    references = [e for e in workflow(page)["edges"] if e["to"] == "edit.references"]
    assert [e["from"] for e in references] == ["ref1.image"]
    end, dot = wire_end(page, "ref1.image>edit.references"), dot_centre(page, "port-edit-references-0")
    assert abs(end[0] - dot[0]) < 4 and abs(end[1] - dot[1]) < 4
