// The image engine's Web Worker (studio/browser/engine_link.py starts it): Pyodide on its own, the
// studio package the page sends, and the canvas backend on OffscreenCanvas answering calls, so a heavy
// canvas operation never holds the page's main thread. Messages (all from or to the page):
//   in:  {kind: "start", archive: Uint8Array, wasm: the page's compiled WebAssembly.Module or null,
//         wheels: the pinned wheels' file names in ./vendor/wheels/ (node bodies import them)}   {kind: "call", id, data: Uint8Array, attached}
//        {kind: "fetch", id, request: {method, url, headers, timeout, native}, body}: a Gemini request
//        to make here (studio/browser/worker_fetch.py; the key is in its headers and is kept nowhere)
//        {kind: "fetch-abort", id}: the page cancelled that request
//        {kind: "early-drop", number}: nobody will take the picture a Gemini answer began decoding here
//        {kind: "run", id, data}: a whole run (studio/engine/run_server.py)   {kind: "cancel", id}: cancel that run
//        {kind: "answer", id, data}: the page ran a body this worker asked for
//        {kind: "warm"}: the page is idle after its start: run the warm-up (studio/core/warm_up.py)
//   out: {kind: "ready"}   {kind: "failed", message}   {kind: "reply", id, data: Uint8Array, attached}
//        {kind: "event", id, data}: a run's node event   {kind: "ask", id, run, data}: a body for the page
//        {kind: "fetched", id, status, headers, buffer, parsed} or {kind: "fetched", id, failure, message}
//        {kind: "warmed", rounds}: the warm-up's rounds that ran whole (a run stops it)
import { loadPyodide } from "./pyodide-boot.mjs";  // the runtime, from its memory snapshot when there is one

let answer = null;
let answerNow = null;
let dropEarly = null;
let fetchForPage = null;
let abortFetch = null;
let starting = null;
let run = null;
let cancelRun = null;
let answerAsk = null;
let warmUp = null;

// A pure-Python wheel is a zip: on sys.path as it is, zipimport reads it (no unpacking, no micropip).
async function fetchWheel(name) {
  const response = await fetch(new URL(`./vendor/wheels/${name}`, import.meta.url));
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return [name, new Uint8Array(await response.arrayBuffer())];
}

async function start(archive, wasm, wheelNames) {
  const wheels = Promise.all((wheelNames || []).map(fetchWheel));  // while the runtime starts
  if (wasm instanceof WebAssembly.Module) {
    // The page sent the runtime it compiled already: instantiate that, once, instead of compiling the
    // same 9 MB again on this machine's few cores (Pyodide asks through instantiateStreaming).
    const streaming = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = async (source, imports) => {
      WebAssembly.instantiateStreaming = streaming;
      Promise.resolve(source).then((response) => response.body && response.body.cancel()).catch(() => {});
      return { instance: await WebAssembly.instantiate(wasm, imports), module: wasm };
    };
  }
  const pyodide = await loadPyodide({ indexURL: new URL("./vendor/pyodide/", import.meta.url).href });
  pyodide.FS.writeFile("/home/pyodide/studio-engine.zip", archive);
  pyodide.runPython("import sys; sys.path.insert(0, '/home/pyodide/studio-engine.zip')");
  for (const [name, bytes] of await wheels) {
    pyodide.FS.writeFile(`/home/pyodide/${name}`, bytes);
    pyodide.runPython(`import sys; sys.path.append('/home/pyodide/${name}')`);
  }
  const engine = pyodide.pyimport("studio.browser.engine_worker");
  answer = engine.answer;
  answerNow = engine.answer_now;
  dropEarly = engine.drop_early;
  fetchForPage = engine.fetch_for_page;
  abortFetch = engine.abort_fetch;
  run = engine.run;
  cancelRun = engine.cancel_run;
  answerAsk = engine.answer_ask;
  warmUp = engine.warm_up;
}

// Messages that need no reply, once the engine has started.
const NOTICES = {
  "fetch-abort": (message) => abortFetch(message.id),
  "early-drop": (message) => dropEarly(message.number),
  cancel: (message) => cancelRun(message.id),
  answer: (message) => answerAsk(message.id, message.data),
  warm: async () => self.postMessage({ kind: "warmed", rounds: await warmUp() }),
};

self.onmessage = async (event) => {
  const message = event.data;
  if (message.kind === "start") {
    starting = start(message.archive, message.wasm, message.wheels);
    try {
      await starting;
      self.postMessage({ kind: "ready" });
    } catch (error) {
      self.postMessage({ kind: "failed", message: String((error && error.message) || error) });
    }
    return;
  }
  const notice = NOTICES[message.kind];
  if (notice) {
    await starting;
    notice(message);
    return;
  }
  if (message.kind === "fetch") {
    try {
      await starting;
      await fetchForPage(message);  // it posts the answer itself, its buffers transferred
    } catch (error) {
      // Not the request's failure (Python names those): this worker failing. No detail: the message
      // held the key, and nothing of it may travel in an error.
      self.postMessage({ kind: "fetched", id: message.id, failure: "network", message: "The image engine could not make the request." });
    }
    return;
  }
  if (message.kind === "run") {
    try {
      await starting;
      const data = await run(message.id, message.data);
      self.postMessage({ kind: "reply", id: message.id, data }, [data.buffer]);
    } catch (error) {
      self.postMessage({ kind: "reply", id: message.id, error: String((error && error.message) || error) });
    }
    return;
  }
  if (message.kind !== "call") return;
  try {
    await starting;
    // Most operations answer at once; those that wait for the browser (decoding, encoding) go async.
    const now = answerNow(message.data, message.attached ?? null);
    const [data, attached] = now ?? (await answer(message.data, message.attached ?? null));
    self.postMessage({ kind: "reply", id: message.id, data, attached }, attached ? [data.buffer, attached] : [data.buffer]);
  } catch (error) {
    // Python answers its own failures inside the reply; this is the worker itself failing.
    self.postMessage({ kind: "reply", id: message.id, error: String((error && error.message) || error) });
  }
};
