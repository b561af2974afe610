"""Gemini played at the wire for browser tests: page.route answers with API-shaped bodies, records
every request, and helpers for the AI workflow, the Settings panel and reading pixels."""

from __future__ import annotations

import base64
import io
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PIL import Image
from playwright.sync_api import Page, Route, expect

from tests.gemini.wire import image_answer, inline, picture

from .editor_helpers import RUN_TIMEOUT_MS, tid

GEMINI_HOST = "generativelanguage.googleapis.com"
GEMINI = f"https://{GEMINI_HOST}/**"
# Not shaped like a real key on purpose (the client scrubs key shapes too): finding this exact
# string anywhere proves a leak.
KEY = "pyxis-test-key-5b1e9d07c3"

SOURCE = picture("PNG", size=(40, 30), color=(200, 0, 0))
GREEN = picture("PNG", size=(64, 48), color=(0, 200, 0))
BLUE = picture("PNG", size=(64, 48), color=(0, 0, 220))
YELLOW = picture("PNG", size=(64, 48), color=(230, 220, 0))
MODELS = {
    "models": [
        {
            "name": "models/gemini-3.1-flash-image",
            "displayName": "Nano Banana 2",
            "supportedGenerationMethods": ["generateContent", "countTokens"],
        },
        {
            "name": "models/gemini-3-pro-image",
            "displayName": "Nano Banana Pro",
            "supportedGenerationMethods": ["generateContent", "countTokens"],
        },
        {"name": "models/gemini-3.1-flash-lite-image", "supportedGenerationMethods": ["generateContent"]},
        {"name": "models/gemini-2.5-flash", "supportedGenerationMethods": ["generateContent"]},  # text only
        {"name": "models/text-embedding-004", "supportedGenerationMethods": ["embedContent"]},
    ]
}


def answer(image: bytes, text: str = "Here you go.", signature: str = "sig-1") -> dict[str, Any]:
    """A generateContent answer with a thought, a signed text part and a signed final image."""
    return image_answer(
        {"text": "thinking about it", "thought": True},
        {"text": text, "thoughtSignature": signature},
        inline(image, thoughtSignature=signature),
    )


@dataclass
class Call:
    url: str
    method: str
    headers: dict[str, str]
    body: bytes | None

    def json(self) -> Any:
        return json.loads(self.body)


Answer = tuple[int, Any] | Callable[[Route], Any]


class FakeGemini:
    """Routes every Gemini request of a page. `generate` answers are used in order (the last one
    repeats); GET models answers `models` (a (status, body) pair)."""

    def __init__(self, page: Page) -> None:
        self.calls: list[Call] = []
        self.generate: list[Answer] = []
        self.models: Answer = (200, MODELS)
        self.held: list[Route] = []
        self._lock = threading.Lock()
        page.route(GEMINI, self._handle)

    def answer(self, *answers: Answer) -> FakeGemini:
        self.generate = list(answers)
        return self

    @property
    def generate_calls(self) -> list[Call]:
        return [c for c in self.calls if c.url.endswith(":generateContent")]

    @property
    def model_calls(self) -> list[Call]:
        return [c for c in self.calls if "/models?" in c.url]

    def _handle(self, route: Route) -> None:
        request = route.request
        with self._lock:
            self.calls.append(Call(request.url, request.method, request.all_headers(), request.post_data_buffer))
            if ":generateContent" in request.url:
                reply = (
                    self.generate[0] if len(self.generate) == 1 else (self.generate.pop(0) if self.generate else None)
                )
            else:
                reply = self.models
        if reply is None:
            route.fulfill(
                status=500,
                content_type="application/json",
                body=json.dumps({"error": {"code": 500, "message": "unexpected request", "status": "INTERNAL"}}),
            )
        elif callable(reply):
            reply(route)
        else:
            status, body = reply
            route.fulfill(
                status=status,
                content_type="application/json; charset=UTF-8",
                body=body if isinstance(body, (str, bytes)) else json.dumps(body),
            )

    def hold(self, route: Route) -> None:
        """An answer that never comes (until the test fulfils or the page aborts it)."""
        self.held.append(route)


# --- the page ---


def workflow_json(
    prompt: str = "Make it green", embed_source: bool = True, node_type: str = "ai.edit", *, adjust: bool = False
) -> str:
    """source.image → ai.edit → transform.resize (16×16) → output.export; with `adjust`, a
    transform.adjust node "adj" sits between the picture and the AI node (an upstream tweak)."""
    source = "data:image/png;base64," + base64.b64encode(SOURCE).decode() if embed_source else ""
    nodes = [
        {"id": "src", "type": "source.image", "params": {"image": source}, "position": [0, 0]},
        {"id": "edit", "type": node_type, "params": {"prompt": prompt}, "position": [260, 0]},
        {
            "id": "small",
            "type": "transform.resize",
            "params": {"width": 16, "height": 16, "fit": "fill"},
            "position": [520, 0],
        },
        {"id": "out", "type": "output.export", "params": {"format": "png"}, "position": [780, 0]},
    ]
    edges = [{"from": "edit.image", "to": "small.image"}, {"from": "small.image", "to": "out.image"}]
    if node_type == "ai.edit" and adjust:
        nodes.insert(1, {"id": "adj", "type": "transform.adjust", "params": {}, "position": [130, 160]})
        edges[:0] = [{"from": "src.image", "to": "adj.image"}, {"from": "adj.image", "to": "edit.image"}]
    elif node_type == "ai.edit":
        edges.insert(0, {"from": "src.image", "to": "edit.image"})
    return json.dumps({"format": "pyxis.workflow", "version": 1, "name": "AI test", "nodes": nodes, "edges": edges})


def load(page: Page, text: str) -> None:
    page.evaluate("t => window.studio.load(t)", text)


def open_settings(page: Page) -> None:
    page.locator(tid("settings-open")).click()
    expect(page.locator(tid("api-key-input"))).to_be_visible()


def close_settings(page: Page) -> None:
    page.locator(tid("settings-close")).click()
    expect(page.locator(tid("api-key-input"))).to_be_hidden()


def set_key(page: Page, key: str = KEY, *, session_only: bool = False) -> None:
    """Through the Settings panel, as a user: paste, choose, Save, wait for the check, close."""
    open_settings(page)
    page.locator(tid("api-key-input")).fill(key)
    box = page.locator(tid("api-key-session-only"))
    if box.is_checked() != session_only:
        box.click()
    page.locator(tid("api-key-save")).click()
    expected = "Key kept for this session only." if session_only else "Key saved on this device."
    expect(page.locator(tid("api-key-where"))).to_have_text(expected)
    expect(page.locator(tid("api-key-check"))).not_to_have_text("Checking the key with Google…")
    close_settings(page)


def run(page: Page) -> dict[str, Any]:
    """Run through the automation hook; returns each node's {status, ms, error, notes}."""
    return page.evaluate("() => window.studio.run()")


def click_run(page: Page) -> None:
    page.evaluate("() => { delete document.documentElement.dataset.lastRun; }")
    page.locator(tid("run")).click()
    wait_run(page)


def wait_run(page: Page) -> None:
    page.wait_for_function("() => !!document.documentElement.dataset.lastRun", timeout=RUN_TIMEOUT_MS)


def start_waiting_for_run(page: Page) -> None:
    page.evaluate("() => { delete document.documentElement.dataset.lastRun; }")


def select(page: Page, node_id: str) -> None:
    page.locator(tid(f"node-{node_id}")).locator(".node-head").click()
    expect(page.locator(".inspector-type")).to_contain_text(node_id)


def output_pixel(page: Page, node_id: str, xy: tuple[int, int] = (2, 2)) -> tuple[int, int, int]:
    url = page.evaluate("id => window.studio.output(id)", node_id)
    assert url, f"no output for {node_id}"
    image = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    return image.convert("RGB").getpixel(xy)


def output_size(page: Page, node_id: str) -> tuple[int, int]:
    url = page.evaluate("id => window.studio.output(id)", node_id)
    return Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).size


def storage_dump(page: Page) -> dict[str, dict[str, str]]:
    return page.evaluate("""() => {
        const read = s => Object.fromEntries(Object.keys(s).map(k => [k, s.getItem(k)]));
        return {local: read(localStorage), session: read(sessionStorage)};
    }""")


def indexeddb_dump(page: Page) -> str:
    """Every record of every IndexedDB database of the page, as text (ArrayBuffers as latin-1)."""
    return page.evaluate("""async () => {
        const out = [];
        const req = r => new Promise((ok, bad) => { r.onsuccess = () => ok(r.result); r.onerror = () => bad(r.error); });
        for (const info of await indexedDB.databases()) {
            const db = await req(indexedDB.open(info.name));
            for (const name of db.objectStoreNames) {
                const store = db.transaction(name, 'readonly').objectStore(name);
                const keys = await req(store.getAllKeys());
                const values = await req(store.getAll());
                keys.forEach((k, i) => {
                    let v = values[i];
                    if (v instanceof ArrayBuffer) v = new TextDecoder('latin1').decode(v);
                    out.push(`${info.name}/${name}/${k}=` + (typeof v === 'string' ? v : JSON.stringify(v)));
                });
            }
            db.close();
        }
        return out.join('\\n');
    }""")
