// The image engine's Web Worker (studio/browser/engine_link.py starts it): Pyodide on its own, the
// studio package the page sends, and the canvas backend on OffscreenCanvas answering calls, so a heavy
// canvas operation never holds the page's main thread. Messages (all from or to the page):
//   in:  {kind: "start", archive: Uint8Array, wasm: the page's compiled WebAssembly.Module or null}   {kind: "call", id, data: Uint8Array, attached}
//        {kind: "early", number, blob}: a Gemini answer's PNG to decode at once (adopt_early takes it)
//        {kind: "early-drop", number}: nobody will take that one
//   out: {kind: "ready"}   {kind: "failed", message}   {kind: "reply", id, data: Uint8Array, attached}
import { loadPyodide } from "./pyodide-boot.mjs";  // the runtime, from its memory snapshot when there is one

let answer = null;
let answerNow = null;
let startEarly = null;
let dropEarly = null;
let starting = null;

async function start(archive, wasm) {
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
  const engine = pyodide.pyimport("studio.browser.engine_worker");
  answer = engine.answer;
  answerNow = engine.answer_now;
  startEarly = engine.start_early;
  dropEarly = engine.drop_early;
}

self.onmessage = async (event) => {
  const message = event.data;
  if (message.kind === "start") {
    starting = start(message.archive, message.wasm);
    try {
      await starting;
      self.postMessage({ kind: "ready" });
    } catch (error) {
      self.postMessage({ kind: "failed", message: String((error && error.message) || error) });
    }
    return;
  }
  if (message.kind === "early") {
    await starting;
    startEarly(message.number, message.blob);
    return;
  }
  if (message.kind === "early-drop") {
    await starting;
    dropEarly(message.number);
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
