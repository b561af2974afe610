"""Browser fixtures: one site build, one static server and one Chromium per session; a fresh context per test."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

from studio.site.build import build_site

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BOOT_TIMEOUT_MS = 90_000  # generous: a cold boot is ~3 s here, CI machines can be much slower
BOOTED = "() => ['ready', 'error'].includes(document.documentElement.dataset.studio)"


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The site exactly as `python -m studio build` writes it, built once per session."""
    return build_site(tmp_path_factory.mktemp("build") / "site")


@pytest.fixture(scope="session")
def site_url(site_dir, tmp_path_factory) -> str:
    """A plain `python -m http.server` on the built site, as a user would host it; ended by its PID."""
    log = (tmp_path_factory.mktemp("server") / "http.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(site_dir)],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        # Port 0 lets the OS pick a free port; http.server prints it: "Serving HTTP on 127.0.0.1 port N …"
        line = proc.stdout.readline()
        if " port " not in line:
            pytest.fail(f"http.server did not start: {line!r}")
        port = int(line.split(" port ")[1].split()[0])
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def chromium() -> Browser:
    """One headless Chromium: Debian's when present (Playwright's downloads are not possible here)."""
    with sync_playwright() as pw:
        path = CHROMIUM if os.path.exists(CHROMIUM) else None
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def studio_context(chromium) -> BrowserContext:
    # No service worker: each fresh context would precache the whole site (~15 MB) in the
    # background. The offline and update tests use pwa_context, where it registers as for a user.
    # 1920×1080: a whole example fits at Frame all's legible zoom, so flows can click any node
    # (tests/browser/test_layout.py tries 1280×720 and 900×700 on purpose).
    context = chromium.new_context(service_workers="block", viewport={"width": 1920, "height": 1080})
    yield context
    context.close()


@pytest.fixture
def pwa_context(chromium) -> BrowserContext:
    """A context where the Studio's service worker registers, installs and serves (issue 9)."""
    context = chromium.new_context(viewport={"width": 1920, "height": 1080})
    yield context
    context.close()


@dataclass
class OpenedPage:
    """A page plus everything it asked for and said: tests assert on these."""

    page: Page
    url: str
    requests: list[str] = field(default_factory=list)
    console: list[ConsoleMessage] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def state(self) -> str | None:
        return self.page.evaluate("document.documentElement.dataset.studio")

    def wait_booted(self) -> str:
        """Wait (never a fixed sleep) until Python marked the page ready or boot.js marked an error."""
        self.page.wait_for_function(BOOTED, timeout=BOOT_TIMEOUT_MS)
        return self.state()

    def boot_error(self) -> str:
        box = self.page.locator('[data-testid="boot-error"]')
        return box.inner_text() if box.is_visible() else ""

    def console_tail(self, n: int = 15) -> str:
        return "\n".join(f"[{m.type}] {m.text}" for m in self.console[-n:])


@pytest.fixture
def open_page(studio_context, site_url) -> Callable[..., OpenedPage]:
    """Open a page of the built site (recording requests and console) without waiting for boot.

    `setup(page)` runs before navigation, e.g. to add page.route() handlers."""

    def open_(path: str = "/", setup: Callable[[Page], object] | None = None) -> OpenedPage:
        page = studio_context.new_page()
        opened = OpenedPage(page, site_url + path)
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("console", lambda m: opened.console.append(m))
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        if setup is not None:
            setup(page)
        page.goto(opened.url)
        return opened

    return open_


@pytest.fixture
def studio_page(open_page) -> OpenedPage:
    """The Studio, booted and ready; fails fast with the page's own boot error if it could not start."""
    opened = open_page("/")
    if opened.wait_booted() != "ready":
        pytest.fail(f"the Studio did not boot:\n{opened.boot_error()}\nconsole:\n{opened.console_tail()}")
    return opened
