"""Issue 9: installed once, the Studio works offline under a subpath, updates without losing the
document, and meets Chromium's install criteria."""

from __future__ import annotations

import json
import os
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from studio.site import service_worker
from studio.site.build import build_site

from .conftest import BOOT_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS
from .editor_helpers import tid
from .person import button, click
from .pwa_helpers import served_under_subpath, wait_worker_active

pytestmark = pytest.mark.browser

READY = "document.documentElement.dataset.studio === 'ready'"
OFFLINE_AI = "offline — AI Edit needs a connection to Gemini"


def boot(page, url=None):
    if url is not None:
        page.goto(url)
    page.wait_for_function(READY, timeout=BOOT_TIMEOUT_MS)


def open_example(page, label: str) -> None:
    """The Examples menu, then the example: Enter on the item (how a keyboard user picks it)."""
    page.evaluate("document.documentElement.dataset.lastRun = ''")
    click(button(page, "Examples"))
    item = page.get_by_role("menuitem", name=re.compile(label))
    item.focus()
    item.press("Enter")
    page.wait_for_function("!!document.documentElement.dataset.lastRun", timeout=BOOT_TIMEOUT_MS)


def test_offline_reload_under_a_subpath_runs_examples_and_says_ai_is_offline(pwa_context, site_dir):
    with served_under_subpath(site_dir) as url:
        origin = urlsplit(url)[:2]
        requests: list[str] = []
        pwa_context.on("request", lambda r: requests.append(r.url))  # pages and the worker alike
        page = pwa_context.new_page()
        boot(page, url)
        assert wait_worker_active(page) == url + "sw.js"

        pwa_context.set_offline(True)
        page.reload()
        boot(page)
        assert page.evaluate("!!navigator.serviceWorker.controller")  # served by the worker, not the network
        expect(page.get_by_role("status").filter(has_text="Offline")).to_be_visible()

        open_example(page, "Composite")
        assert page.evaluate("document.documentElement.dataset.lastRun") == "ok"
        click(page.locator(tid("node-composite")).locator(".node-title"))
        with page.expect_download() as info:
            click(page.locator(tid("download")))
        assert info.value.suggested_filename == "composite.webp"
        assert open(info.value.path(), "rb").read(12)[8:12] == b"WEBP"

        # An AI node cannot reach Gemini: it says so, neutral, and Run still runs the rest.
        click(page.locator(tid("palette-item-ai.edit")))
        ai = page.locator(".node[data-state='offline']")
        expect(ai).to_have_count(1)
        expect(ai.locator(".node-status")).to_have_text(OFFLINE_AI)
        page.evaluate("document.documentElement.dataset.lastRun = ''")
        click(button(page, "Run"))
        page.wait_for_function("!!document.documentElement.dataset.lastRun", timeout=BOOT_TIMEOUT_MS)
        expect(ai.locator(".node-status")).to_have_text(OFFLINE_AI)
        assert page.locator(".node.state-failed").count() == 0

        outside = [u for u in requests if urlsplit(u)[:2] != origin and not u.startswith(("data:", "blob:"))]
        assert outside == [], f"requests left the origin: {outside}"
        pwa_context.set_offline(False)
        expect(page.get_by_role("status").filter(has_text="Offline")).to_be_hidden()
        expect(ai).to_have_count(0)  # back online: the AI node is ready to run again


def test_a_new_build_is_announced_and_reload_keeps_the_document(pwa_context, tmp_path):
    site = build_site(tmp_path / "site")
    before = service_worker.manifest_of((site / "sw.js").read_text(encoding="utf-8"))
    with served_under_subpath(site) as url:
        page = pwa_context.new_page()
        boot(page, url)
        wait_worker_active(page)
        page.close()

        # Build B: one file changed; its sw.js differs in exactly that file's revision.
        build_site(site)
        with (site / "static/app.css").open("a", encoding="utf-8") as css:
            css.write(':root { --pyxis-build: "B"; }\n')
        after = service_worker.write(site)
        changed = [a["url"] for a, b in zip(after, before, strict=True) if a != b]
        assert changed == ["static/app.css"]

        page = pwa_context.new_page()
        boot(page, url)  # still version A, from the worker's cache
        name = page.get_by_role("textbox", name="Workflow name")
        assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--pyxis-build')") == ""
        notice = page.get_by_role("status").filter(has_text="A new version is ready")
        expect(notice).to_be_visible(timeout=BOOT_TIMEOUT_MS)
        # An edit right before Reload (inside the autosave's delay) must survive it.
        click(name)
        name.fill("Kept across the update")
        name.press("Enter")
        with page.expect_navigation(timeout=BOOT_TIMEOUT_MS):
            click(button(page, "Reload"))
        boot(page)
        assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--pyxis-build')") == '"B"'
        expect(name).to_have_value("Kept across the update")
        assert json.loads(page.evaluate("window.studio.workflow()"))["name"] == "Kept across the update"
        expect(notice).to_be_hidden()


def test_manifest_and_worker_pass_chromiums_install_check(chromium, site_url, tmp_path):
    # Installability is not checked in incognito-like contexts: this one has a profile of its own.
    context = chromium.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM if os.path.exists(CHROMIUM) else None,
        args=CHROMIUM_ARGS,
        headless=True,
    )
    try:
        page = context.new_page()
        boot(page, site_url + "/")
        wait_worker_active(page)
        page.reload()
        boot(page)
        assert page.evaluate("!!navigator.serviceWorker.controller")
        cdp = context.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        manifest = cdp.send("Page.getAppManifest")
        assert manifest["errors"] == []
        fields = json.loads(manifest["data"])
        assert fields["display"] == "standalone" and fields["start_url"] == "./" and fields["scope"] == "./"
        sizes = {(i["sizes"], i.get("purpose", "any")) for i in fields["icons"]}
        assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    finally:
        context.close()
