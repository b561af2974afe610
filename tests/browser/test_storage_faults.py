"""Persistence under faults (issue 13): a quick reload, a full disk, cleared IndexedDB, no IndexedDB, two tabs.

Faults are made in the page itself by an init script (Storage.prototype.setItem and
IDBObjectStore.prototype.put throwing QuotaExceededError, IndexedDB taken away); the Studio's
own code runs unchanged. Each test boots the page once or twice: keep them few.
"""

from __future__ import annotations

import io
import json
import random
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from .editor_helpers import node, png_bytes, tid, wait_first_run, workflow
from .person import button, click

pytestmark = pytest.mark.browser

SAVED = "() => document.documentElement.dataset.autosave === 'saved'"
TEXT_KEPT = "() => ['saved', 'off'].includes(document.documentElement.dataset.autosave)"
READY = "() => document.documentElement.dataset.studio === 'ready'"

# Switched on and off from the test through window.__full / window.__hangPictures.
FAULTS = """
(() => {
  const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    if (window.__full && String(key).startsWith('pyxis.doc.')) throw quota();
    return setItem.call(this, key, value);
  };
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (value, key) {
    if (window.__full) throw quota();
    if (window.__hangPictures && this.name === 'pictures') {
      // Keep the transaction busy for ever: the picture never commits (a page closed mid-write).
      const store = this;
      const spin = () => { store.count().onsuccess = spin; };
      spin();
    }
    return put.call(this, value, key);
  };
})();
"""


def boot(open_page, script: str | None = FAULTS):
    opened = open_page("/", setup=(lambda page: page.add_init_script(script)) if script else None)
    assert opened.wait_booted() == "ready", f"{opened.boot_error()}\n{opened.console_tail()}"
    wait_first_run(opened.page)
    opened.page.wait_for_function(SAVED)
    return opened


def reload(page) -> None:
    page.evaluate("() => { delete document.documentElement.dataset.lastRun; }")
    page.reload()
    page.wait_for_function(READY, timeout=90_000)
    wait_first_run(page)


def pick_picture(page, data: bytes, name: str) -> None:
    click(page.locator(tid("palette-item-source.image")))
    expect(node(page, "image")).to_be_visible()
    page.locator(tid("param-image")).set_input_files(files=[{"name": name, "mimeType": "image/png", "buffer": data}])
    expect(page.locator(tid("picture-name"))).to_have_text(name)


def rename(page, name: str) -> None:
    field = page.locator(tid("workflow-name"))
    click(field)
    field.fill(name)
    field.press("Enter")


def noise_png(width: int, height: int) -> bytes:
    rng = random.Random(7)
    image = Image.frombytes("RGB", (width, height), bytes(rng.getrandbits(8) for _ in range(width * height * 3)))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=0)
    return out.getvalue()


def test_hooks_reject_with_the_message_the_user_sees(open_page):
    page = boot(open_page, None).page
    before = workflow(page)
    message = page.evaluate("() => window.studio.load('{not json').then(() => 'resolved', e => e.message)")
    assert "Traceback" not in message and "JsException" not in message
    assert "not valid JSON" in message and len(message) < 300
    deep = '{"format":"pyxis.workflow","version":1,"nodes":[{"id":"a","type":"source.solid","params":{"width":"x"}}]}'
    message = page.evaluate("(t) => window.studio.load(t).then(() => 'resolved', e => e.message)", deep)
    assert "Traceback" not in message and "'a'" in message
    assert workflow(page) == before  # refused loads change nothing


def test_an_edit_and_a_rename_survive_an_immediate_reload(open_page):
    page = boot(open_page).page
    rename(page, "Renamed then F5")
    page.locator(tid("node-poster")).locator(".node-title").click()
    page.keyboard.press("Delete")
    expect(node(page, "poster")).to_have_count(0)
    page.reload()  # at once: well inside the 400 ms autosave delay
    page.wait_for_function(READY, timeout=90_000)
    saved = workflow(page)
    assert saved["name"] == "Renamed then F5"
    assert "poster" not in {n["id"] for n in saved["nodes"]}

    # A name typed but not confirmed (no Enter, no blur) is kept too.
    page.locator(tid("workflow-name")).fill("Typed only")
    page.reload()
    page.wait_for_function(READY, timeout=90_000)
    assert workflow(page)["name"] == "Typed only"


def test_a_full_disk_keeps_warning_until_a_save_works_and_offers_a_copy(open_page):
    page = boot(open_page).page
    page.evaluate("() => { window.__full = true; }")
    rename(page, "Full disk")
    banner = page.locator(tid("autosave-banner"))
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Autosave failed")
    page.locator(tid("autosave-banner-dismiss")).click()
    expect(banner).to_be_hidden()
    rename(page, "Full disk 2")  # the second failure warns again (it used to stay quiet)
    expect(banner).to_be_visible()
    assert page.evaluate("document.documentElement.dataset.autosave") == "failed"

    # Opening a bad file now: its error and the autosave warning are both shown.
    page.locator(tid("workflow-open")).set_input_files(
        files=[{"name": "bad.json", "mimeType": "application/json", "buffer": b"{nope"}]
    )
    expect(page.locator(tid("banner"))).to_contain_text("Could not open bad.json")
    expect(banner).to_be_visible()

    with page.expect_download() as info:
        click(banner.get_by_role("button", name="Download a copy"))
    assert json.loads(open(info.value.path(), encoding="utf-8").read())["name"] == "Full disk 2"

    # Opening something else now would lose the unsaved work: the Studio asks first.
    before = workflow(page)
    click(button(page, "New"))
    leave = page.locator(tid("leave-banner"))
    expect(leave).to_contain_text("is not saved in this browser")
    click(leave.get_by_role("button", name="Cancel"))
    expect(leave).to_be_hidden()
    assert workflow(page) == before

    page.evaluate("() => { window.__full = false; }")
    rename(page, "Room again")
    page.wait_for_function(SAVED)
    expect(banner).to_be_hidden()
    reload(page)
    assert workflow(page)["name"] == "Room again"


def test_a_big_picture_being_stored_is_shown_and_its_loss_is_said_after_a_reload(open_page):
    opened = boot(open_page)
    page = opened.page
    page.on("dialog", lambda dialog: dialog.accept())  # "leave the page?" while the picture saves
    page.evaluate("() => { window.__hangPictures = true; }")
    pick_picture(page, noise_png(700, 520), "big.png")
    saving = page.locator(tid("saving-banner"))
    expect(saving).to_be_visible()
    expect(saving).to_contain_text("Saving picture big.png")
    page.reload()
    page.wait_for_function(READY, timeout=90_000)
    expect(page.locator(tid("lost-banner"))).to_contain_text("big.png")
    expect(node(page, "image")).to_be_visible()  # the graph itself was kept


def test_cleared_indexeddb_is_noticed_and_the_pictures_are_stored_again(open_page):
    page = boot(open_page).page
    pick_picture(page, png_bytes((24, 12)), "kept.png")
    page.wait_for_function(SAVED)
    page.evaluate(
        """() => new Promise((resolve, reject) => {
        const r = indexedDB.deleteDatabase('pyxis');
        r.onsuccess = resolve; r.onerror = reject; r.onblocked = () => reject(new Error('blocked'));
    })"""
    )
    page.wait_for_function(
        """() => new Promise(resolve => {
        const r = indexedDB.open('pyxis');
        r.onsuccess = () => {
          const db = r.result;
          if (!db.objectStoreNames.contains('pictures')) { db.close(); return resolve(false); }
          const q = db.transaction('pictures').objectStore('pictures').count();
          q.onsuccess = () => { db.close(); resolve(q.result > 0); };
        };
        r.onerror = () => resolve(false);
    })"""
    )
    page.wait_for_function(SAVED)
    reload(page)
    expect(node(page, "image")).to_have_attribute("data-state", re.compile("done|cached"))
    expect(page.locator(tid("lost-banner"))).to_have_count(0)


NO_INDEXEDDB = {
    "undefined": "Object.defineProperty(window, 'indexedDB', {value: undefined, configurable: true});",
    "throwing": "Object.defineProperty(window, 'indexedDB', {configurable: true, get() {"
    " throw new DOMException('The user denied permission to access the database.', 'SecurityError'); }});",
    "refused": """IDBFactory.prototype.open = function () {
      const r = new EventTarget();
      r.readyState = 'done';
      r.error = new DOMException('Internal error opening backing store', 'UnknownError');
      setTimeout(() => r.onerror && r.onerror.call(r, {type: 'error', target: r}), 0);
      return r;
    };""",
}


@pytest.mark.parametrize("mode", list(NO_INDEXEDDB))
def test_without_indexeddb_the_studio_starts_and_says_autosave_is_limited(open_page, mode):
    opened = open_page("/", setup=lambda page: page.add_init_script(NO_INDEXEDDB[mode]))
    assert opened.wait_booted() == "ready", opened.boot_error()
    page = opened.page
    wait_first_run(page)
    expect(page.locator(tid("storage-banner"))).to_contain_text("not autosaved in this browser")
    assert "static/vendor" not in page.locator("body").inner_text()
    rename(page, "Still kept")
    # The workflow text goes to localStorage ("saved"); the first visit's example also holds a photo and AI
    # images, which have nowhere to go ("off", said by the banner): either way the rename is kept.
    page.wait_for_function(TEXT_KEPT)
    reload(page)
    assert workflow(page)["name"] == "Still kept"


def test_two_tabs_follow_each_other_keep_pictures_and_never_drop_work(open_page):
    a = boot(open_page, None).page
    pick_picture(a, png_bytes((30, 20)), "shared.png")
    a.wait_for_function(SAVED)
    b = boot(open_page).page  # a second tab of the same browser opens the same workflow
    expect(node(b, "image")).to_be_visible()

    rename(b, "Renamed in B")  # A has nothing unsaved: it follows
    expect(a.locator(tid("workflow-name"))).to_have_value("Renamed in B")

    reload(b)  # B's start-up clean-up must not delete A's picture
    reload(a)
    expect(node(a, "image")).to_have_attribute("data-state", re.compile("done|cached"))

    # B has work it could not save (its storage was full) when A saves: B keeps its work as a
    # copy and says so; A's version stays as it is.
    b.evaluate("() => { window.__full = true; }")
    rename(b, "Edited in B")
    b.wait_for_function("() => document.documentElement.dataset.autosave === 'failed'")
    b.evaluate("() => { window.__full = false; }")
    rename(a, "Edited in A")
    banner = b.locator(tid("tabs-banner"))
    expect(banner).to_contain_text("also changed in another tab")
    expect(b.locator(tid("workflow-name"))).to_have_value("Edited in B (this tab)")
    b.wait_for_function(SAVED)
    expect(a.locator(tid("workflow-name"))).to_have_value("Edited in A")

    click(banner.get_by_role("button", name="Keep both"))
    expect(banner).to_be_hidden()
    click(button(b, "Recent"))
    expect(b.locator(tid("recent-menu"))).to_contain_text("Edited in A")
