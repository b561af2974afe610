// Makes the memory snapshot the page starts Python from (static/pyodide-boot.mjs): Pyodide's own
// CPython, started under Node exactly as the page would start it, written out as its memory.
// `node snapshot_make.mjs <pyodide dir> <out file> <modules>`; run by studio/site/snapshot.py at build
// time (modules: its PRELOADED, comma-separated);
// prints one JSON line: {"bytes": n, "ms": start-up time}.
import { pathToFileURL } from "node:url";
import { writeFileSync } from "node:fs";
import path from "node:path";

const [pyodideDir, out, modules] = process.argv.slice(2);
// Emscripten names the program after this script (its path lands in the environment's `_`, which the
// snapshot keeps): give it the name a browser gives, so no path of the building machine is published.
process.argv[1] = "./this.program";
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const started = Date.now();
const py = await loadPyodide({
  indexURL: pyodideDir + path.sep,
  _makeSnapshot: true,
  stdout: () => {},
  stderr: (s) => console.error(s),
});
// The standard library modules the Studio imports that Python's own start does not (snapshot.py
// says which and why): imported here, they come with the snapshot instead of out of the zip at each boot.
py.runPython(`import ${modules.split(",").join(", ")}`);
const ms = Date.now() - started;
const snapshot = py.makeMemorySnapshot();
writeFileSync(out, snapshot);
console.log(JSON.stringify({ bytes: snapshot.length, ms }));
