"""The built page boots in a real Chromium, stays on its own origin, keeps its CSP, and reports a broken runtime."""

from __future__ import annotations

import gzip
import io
import re
import zipfile
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

CSP_DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'",
    "connect-src 'self' https://generativelanguage.googleapis.com",
    "img-src 'self' blob: data:",
    # The service worker and the manifest: the page's own origin only (issue 9).
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
]


def test_page_boots_and_is_ready(studio_page):
    page = studio_page.page
    assert not page.locator('[data-testid="boot-error"]').is_visible()
    assert not page.locator('[data-testid="boot-loading"]').is_visible()
    assert studio_page.errors == []
    # CONTRACT §4: once ready, the automation hooks are there.
    assert page.evaluate(
        "() => ['load', 'run', 'output', 'workflow'].every(k => typeof window.studio[k] === 'function')"
    )


def test_no_request_leaves_the_origin_during_boot(studio_page):
    origin = urlsplit(studio_page.url)
    outside = [u for u in studio_page.requests if urlsplit(u)[:2] != origin[:2]]
    assert outside == [], f"requests outside {origin.netloc}: {outside}"
    # The runtime really came from the page's own vendor folder.
    assert any(u.endswith("/static/vendor/pyodide/pyodide.asm.wasm") for u in studio_page.requests)
    # The package archive is preloaded, and PyScript's own fetch of it takes the preload: one request.
    assert sum(u.endswith("/studio.zip") for u in studio_page.requests) == 1


def test_python_starts_from_the_builds_memory_snapshot(studio_page):
    # static/pyodide-boot.mjs fetched the snapshot `studio build` made and Pyodide started from it.
    page = studio_page.page
    assert page.evaluate("document.documentElement.dataset.snapshot") == "used"
    # Preloaded by index.html and taken by the page's fetch: one request for the page, one for the
    # engine's worker (which starts from it too); an unused preload would make it three.
    for name in ("/static/python.snapshot.gz", "/static/vendor/pyodide/pyodide.asm.wasm"):
        assert 1 <= sum(u.endswith(name) for u in studio_page.requests) <= 2, name
    # Every other browser test runs on a page started this way (and its engine worker too).


DRAW = """import js, random
js.document.documentElement.dataset.draw = str(random.getrandbits(64))"""


def test_each_page_started_from_the_snapshot_draws_its_own_random_numbers(open_page):
    # The snapshot holds `random` as seeded at build time; the page seeds it again from the browser.
    draws = []
    for _ in range(2):
        opened = open_page("/")
        assert opened.wait_booted() == "ready"
        page = opened.page
        assert page.evaluate("document.documentElement.dataset.snapshot") == "used"
        page.evaluate(
            "code => { const s = document.createElement('script'); s.type = 'py'; s.textContent = code; "
            "document.body.append(s); }",
            DRAW,
        )
        page.wait_for_function("() => !!document.documentElement.dataset.draw", timeout=30_000)
        draws.append(page.evaluate("document.documentElement.dataset.draw"))
        page.close()
    assert draws[0] != draws[1]


@pytest.mark.parametrize(
    "answer, state",
    [
        ({"status": 404, "body": "gone"}, "none"),  # a host without the file: Python starts as usual
        ({"status": 200, "body": gzip.compress(b"not a snapshot" * 1000)}, "refused"),  # damaged
    ],
)
def test_without_a_usable_snapshot_python_starts_as_usual(open_page, answer, state):
    opened = open_page(
        "/", setup=lambda page: page.route("**/python.snapshot.gz", lambda route: route.fulfill(**answer))
    )
    assert opened.wait_booted() == "ready", opened.boot_error()
    assert opened.page.evaluate("document.documentElement.dataset.snapshot") == state
    assert not opened.page.locator('[data-testid="boot-error"]').is_visible()


def test_csp_meta_is_present_and_enforced(studio_page):
    page = studio_page.page
    csp = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    assert csp is not None
    directives = [d.strip() for d in csp.split(";")]
    for directive in CSP_DIRECTIVES:
        assert directive in directives
    # The policy is live: a fetch to a host outside connect-src is refused by the browser itself.
    blocked = page.evaluate(
        "() => fetch('https://example.invalid/').then(() => 'allowed', e => 'blocked: ' + e.message)"
    )
    assert blocked.startswith("blocked")
    assert not [
        m.text for m in studio_page.console if "Content Security Policy" in m.text and "example.invalid" not in m.text
    ]


def test_broken_runtime_shows_a_boot_error(open_page):
    def break_wasm(page):
        page.route("**/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="gone"))

    opened = open_page("/", setup=break_wasm)
    assert opened.wait_booted() == "error"
    error = opened.page.locator('[data-testid="boot-error"]')
    assert error.is_visible()
    assert "pyodide.asm.wasm" in error.inner_text()
    assert not opened.page.locator('[data-testid="boot-loading"]').is_visible()


def test_missing_module_shows_a_boot_error(open_page, site_dir):
    # A module missing from the package archive fails in the browser only: it must show.
    buffer = io.BytesIO()
    with zipfile.ZipFile(site_dir / "studio.zip") as src, zipfile.ZipFile(buffer, "w") as dst:
        for info in src.infolist():
            if info.filename not in ("studio/core/params.py", "studio/core/params.pyc"):
                dst.writestr(info, src.read(info))

    def break_module(page):
        page.route(
            "**/studio.zip",
            lambda route: route.fulfill(
                status=200, body=buffer.getvalue(), headers={"Content-Type": "application/zip"}
            ),
        )

    opened = open_page("/", setup=break_module)
    assert opened.wait_booted() == "error"
    assert "studio.core.params" in opened.boot_error()


def test_missing_archive_shows_a_boot_error(open_page):
    def break_archive(page):
        page.route("**/studio.zip", lambda route: route.fulfill(status=404, body="gone"))

    opened = open_page("/", setup=break_archive)
    assert opened.wait_booted() == "error"
    assert "studio.zip" in opened.boot_error()


STEP_LOG = """(() => {
  // Each step's states in order: a record's oldValue is the state before, so keep those, and the last.
  window.__bootSteps = {};
  new MutationObserver(records => records.forEach(r => {
    const li = r.target;
    if (!li.dataset || !li.dataset.step) return;
    (window.__bootSteps[li.dataset.step] ||= { states: [], el: li }).states.push(r.oldValue);
  })).observe(document, { subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ["data-state"] });
})();"""
STEPS_SEEN = """() => Object.fromEntries(Object.entries(window.__bootSteps).map(([step, {states, el}]) =>
  [step, {states: [...states.filter(Boolean), el.dataset.state], text: el.querySelector(".boot-detail").textContent,
          bar: +el.closest(".boot-loading").querySelector("progress").value}]))"""


def test_loading_screen_walks_through_download_python_and_studio(open_page):
    opened = open_page("/", setup=lambda page: page.add_init_script(script=STEP_LOG))
    assert opened.wait_booted() == "ready"
    seen = opened.page.evaluate(STEPS_SEEN)
    # index.html starts with the download active; the Studio replaces the screen as it draws.
    assert seen["download"]["states"] == ["active", "done"], seen
    assert seen["python"]["states"] == ["active", "done"], seen
    assert seen["studio"]["states"] == ["active"], seen
    # The download says how much came over the network and how long it took; Python its start time.
    assert re.fullmatch(r"\d+\.\d MB · \d+\.\d s", seen["download"]["text"]), seen
    assert re.fullmatch(r"\d+\.\d s", seen["python"]["text"]), seen
    assert seen["studio"]["bar"] == 2  # two of three steps done when the Studio draws
    marks = opened.page.evaluate("window.pyxisBoot")
    assert 0 < marks["download"] < marks["python"] < marks["studio"], marks
    # The wasm and the standard library came over the network (the second file's timing entry can be
    # listed a moment after the first one ended the download step, and the count follows it).
    opened.page.wait_for_function("window.pyxisBoot.bytes > 9000000", timeout=10_000)
    assert re.fullmatch(r"\d+\.\d MB · \d+\.\d s", opened.page.evaluate(STEPS_SEEN)["download"]["text"])
