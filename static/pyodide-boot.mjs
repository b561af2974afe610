// Pyodide as the Studio starts it (pyscript.toml's interpreter, and the engine's worker): the same
// runtime (./vendor/pyodide/), started from the memory snapshot `studio build` made of its freshly
// started Python (python.snapshot.gz, made by studio/site/snapshot.py), which skips most of Python's
// own start (2.3 s -> 0.6 s in Chromium here). Without the file (a dev server that could not make
// one) or if the runtime refuses it, Python starts as usual. `<html data-snapshot>` (on the page)
// says which: "used", "none" or "refused".
import { loadPyodide as loadRuntime, version } from "./vendor/pyodide/pyodide.mjs";

export { version };

const INDEX_URL = new URL("./vendor/pyodide/", import.meta.url).href;
const SNAPSHOT_URL = new URL("./python.snapshot.gz", import.meta.url).href;

function tell(state) {
  if (typeof document !== "undefined") document.documentElement.dataset.snapshot = state;
}

// The snapshot as it streams in and is un-gzipped (6 MB on the wire instead of 31 MB): {bytes: a
// Promise}, or null when there is none. Pyodide waits for it before it instantiates the wasm; the
// built page preloads both files, so their downloads overlap.
async function snapshotStream() {
  if (typeof DecompressionStream !== "function") return null;
  try {
    const response = await fetch(SNAPSHOT_URL);  // resolves with the headers: the body still streams
    if (!response.ok || !response.body) return null;
    // Wrapped: an async function would otherwise wait for the whole body before returning.
    return { bytes: new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer() };
  } catch (error) {
    return null;
  }
}

export async function loadPyodide(options = {}) {
  const settings = { ...options, indexURL: INDEX_URL };
  const snapshot = await snapshotStream();
  if (snapshot === null) {
    tell("none");
    return loadRuntime(settings);
  }
  try {
    const pyodide = await loadRuntime({ ...settings, _loadSnapshot: snapshot.bytes });
    // The snapshot's `random` was seeded once, at build time: every page would draw the same numbers
    // (the engine's first picture handle, retry jitter). Seed it afresh from the browser's entropy.
    pyodide.runPython("import random\nrandom.seed()");
    tell("used");
    return pyodide;
  } catch (error) {
    // A damaged download, or a snapshot of another build of the runtime: start Python the usual way.
    console.warn("Pyodide refused the memory snapshot; starting Python without it:", error);
    tell("refused");
    return loadRuntime(settings);
  }
}
