"""Input as a person gives it: find a control by what it shows, make sure it is what sits under the
pointer (not clipped, covered or off screen), then press there with the real mouse.

STYLE.md, "Test what a person sees": hooks set up state and read results; these do the clicking.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

# The three window sizes every UI flow is tried at (README screenshots use the same).
VIEWPORTS: dict[str, dict[str, int]] = {
    "1920x1080": {"width": 1920, "height": 1080},
    "1280x720": {"width": 1280, "height": 720},
    "900x700": {"width": 900, "height": 700},
}

_HIT_TEST = """(el, [x, y]) => {
  const hit = document.elementFromPoint(x, y);
  if (hit && (hit === el || el.contains(hit))) return "";
  if (!hit) return "nothing (off screen)";
  const id = hit.dataset && hit.dataset.testid ? `[data-testid=${hit.dataset.testid}]` : "";
  return `${hit.tagName.toLowerCase()}${id}.${[...hit.classList].join(".")} "${(hit.textContent || "").trim().slice(0, 40)}"`;
}"""


def centre(locator: Locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None, f"{locator} has no box on the page (not rendered)"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def what_covers(locator: Locator) -> str:
    """'' when the element itself (or a child) is under the pointer at its centre, else what is."""
    x, y = centre(locator)
    return locator.evaluate(_HIT_TEST, [x, y])


def assert_reachable(locator: Locator) -> None:
    """Visible, inside the window, and the topmost thing at its centre."""
    expect(locator).to_be_visible()
    locator.scroll_into_view_if_needed()
    if what_covers(locator):
        # A person scrolls until the control is in plain view (a pinned box can hide the very edge
        # its panel was scrolled to); then it must be what lies under the pointer.
        locator.evaluate("el => el.scrollIntoView({block: 'center', inline: 'center'})")
    page = locator.page
    x, y = centre(locator)
    size = page.viewport_size or {"width": 10**6, "height": 10**6}
    assert 0 <= x < size["width"] and 0 <= y < size["height"], f"{locator} is outside the window at ({x:.0f}, {y:.0f})"
    covered = what_covers(locator)
    assert not covered, f"{locator}: a click at its centre would land on {covered}"


def click(locator: Locator, *, button: str = "left") -> None:
    """Check the control is reachable, then click its centre with the mouse."""
    assert_reachable(locator)
    x, y = centre(locator)
    locator.page.mouse.click(x, y, button=button)  # type: ignore[arg-type]


def button(page: Page, label: str, *, exact: bool = True) -> Locator:
    """A button by its accessible name (visible label, or aria-label for icon buttons)."""
    return page.get_by_role("button", name=label, exact=exact)


def menu_item(page: Page, label: str) -> Locator:
    return page.get_by_role("menuitem", name=label, exact=True)


def press_button(page: Page, label: str) -> None:
    click(button(page, label))
