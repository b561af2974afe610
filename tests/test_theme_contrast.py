"""Both themes pass WCAG AA for text: the colours are read from static/studio.css itself (its
`light-dark(light, dark)` custom properties) and every text/background pair is measured."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[1] / "static" / "studio.css"
# Sheets whose text colours are checked too (they use studio.css's custom properties).
SHEETS = (CSS, CSS.with_name("history.css"))
AA = 4.5

# Text colour -> the backgrounds it is drawn on (a pair "--x over --y" is a translucent --x on --y).
PAIRS: dict[str, tuple[str, ...]] = {
    "--fg": ("--bg", "--bg-2", "--panel", "--panel-2", "--hover", "--danger-bg", "--info-bg", "--hint-bg"),
    "--fg-2": ("--bg-2", "--panel", "--panel-2", "--danger-bg", "--info-bg"),
    "--muted": ("--bg", "--bg-2", "--panel", "--panel-2", "--status-bg over --bg", "--status-bg over --panel"),
    "--port-label": ("--panel",),
    "--on-accent": ("--accent-bg", "--accent-bg-hover"),
    "--danger-fg": ("--danger-bg", "--danger-hover", "--panel", "--panel-2", "--bg-2"),
    "--warn-fg": ("--hint-bg",),
    "--accent": ("--bg-2", "--panel"),
    "--accent-2": ("--bg-2", "--panel"),
    "--ok": ("--bg-2", "--panel"),
}
# Non-text uses of `color:` (icons take their category colour; `inherit` takes the parent's).
NOT_TEXT = {"inherit", "var(--cat, var(--accent))"}

Color = tuple[float, float, float, float]  # r, g, b in 0..255, alpha in 0..1


def root_properties(css: str) -> dict[str, str]:
    block = re.search(r":root\s*\{(.*?)\n\}", css, re.S)
    assert block, "no :root block in studio.css"
    body = re.sub(r"/\*.*?\*/", "", block.group(1), flags=re.S)
    return {name: value.strip() for name, value in re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", body)}


def split_light_dark(value: str) -> tuple[str, str]:
    """`light-dark(a, b)` -> (a, b); a plain value is the same in both themes."""
    match = re.fullmatch(r"light-dark\((.*)\)", value)
    if not match:
        return value, value
    inner, depth, parts, start = match.group(1), 0, [], 0
    for i, char in enumerate(inner):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    assert len(parts) == 2, f"light-dark() needs two colours: {value}"
    return parts[0].strip(), parts[1].strip()


def parse_color(text: str) -> Color:
    text = text.strip().lower()
    if text.startswith("#"):
        hexes = text[1:]
        if len(hexes) in (3, 4):
            hexes = "".join(c * 2 for c in hexes)
        r, g, b = (int(hexes[i : i + 2], 16) for i in (0, 2, 4))
        a = int(hexes[6:8], 16) / 255 if len(hexes) == 8 else 1.0
        return r, g, b, a
    match = re.fullmatch(r"rgba?\(([^)]*)\)", text)
    assert match, f"not a colour this test reads: {text!r}"
    numbers = [float(n) for n in re.split(r"[\s,/]+", match.group(1).strip()) if n]
    return numbers[0], numbers[1], numbers[2], numbers[3] if len(numbers) > 3 else 1.0


def over(top: Color, base: Color) -> Color:
    a = top[3]
    return tuple(top[i] * a + base[i] * (1 - a) for i in range(3)) + (1.0,)  # type: ignore[return-value]


def luminance(color: Color) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in color[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: Color, bg: Color) -> float:
    lighter, darker = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def theme(index: int) -> dict[str, str]:
    return {name: split_light_dark(value)[index] for name, value in root_properties(CSS.read_text()).items()}


def background(colors: dict[str, str], spec: str) -> Color:
    names = spec.split(" over ")
    result = parse_color(colors[names[-1]])
    assert result[3] == 1, f"{names[-1]} is translucent: say what it lies over"
    for name in reversed(names[:-1]):
        result = over(parse_color(colors[name]), result)
    return result


CASES = [(t, fg, bg) for t in ("light", "dark") for fg, bgs in PAIRS.items() for bg in bgs]


@pytest.mark.parametrize(("name", "fg", "bg"), CASES, ids=[f"{t}:{f}-on-{b}" for t, f, b in CASES])
def test_text_contrast_is_aa(name, fg, bg):
    colors = theme(0 if name == "light" else 1)
    text = parse_color(colors[fg])
    assert text[3] == 1, f"{fg} is translucent"
    ratio = contrast(text, background(colors, bg))
    assert ratio >= AA, f"{name} theme: {fg} on {bg} is {ratio:.2f}:1, below {AA}:1"


def test_the_two_themes_differ_and_follow_the_system():
    css = CSS.read_text()
    light, dark = theme(0), theme(1)
    assert luminance(parse_color(light["--bg"])) > 0.7 > 0.05 > luminance(parse_color(dark["--bg"]))
    assert "color-scheme: light dark" in css  # light-dark() follows prefers-color-scheme by itself
    assert re.search(r':root\[data-theme="light"\]\s*\{\s*color-scheme: light;', css)
    assert re.search(r':root\[data-theme="dark"\]\s*\{\s*color-scheme: dark;', css)


def test_every_text_colour_in_the_stylesheet_is_one_that_is_checked():
    css = re.sub(r"/\*.*?\*/", "", "\n".join(sheet.read_text() for sheet in SHEETS), flags=re.S)
    used = {value.strip() for value in re.findall(r"(?<![\w-])color\s*:\s*([^;}]+)", css)}
    unchecked = {v for v in used - NOT_TEXT if re.fullmatch(r"var\((--[\w-]+)\)", v) is None}
    assert unchecked == set(), f"text colours not taken from a checked custom property: {unchecked}"
    names = {re.fullmatch(r"var\((--[\w-]+)\)", v).group(1) for v in used - NOT_TEXT}  # type: ignore[union-attr]
    assert names <= set(PAIRS), f"text colours with no contrast check: {names - set(PAIRS)}"
