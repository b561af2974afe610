// Compiles Python sources to bytecode with Pyodide's own CPython (the page's interpreter) under Node:
// `node pyc_compile.mjs <pyodide dir> <folder> <prefix>` writes <folder>/**/X.pyc beside each X.py, as
// PEP 552 unchecked-hash pycs whose code names <prefix>/<path> as its file (where the page keeps it).
// Run by studio/site/bytecode.py at build time; prints one JSON line: {"compiled": n, "magic": "..."}.
import { pathToFileURL } from "node:url";
import path from "node:path";

const [pyodideDir, folder, prefix] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: pyodideDir + path.sep, stdout: () => {}, stderr: (s) => console.error(s) });
py.FS.mkdir("/src");
py.FS.mount(py.FS.filesystems.NODEFS, { root: path.resolve(folder) }, "/src");
py.globals.set("PREFIX", prefix);
const started = Date.now();
const result = py.runPython(`
import importlib._bootstrap_external as ext, importlib.util, json, os
count, skipped = 0, []
for base, dirs, files in os.walk("/src"):
    dirs.sort()
    for name in sorted(files):
        if not name.endswith(".py"):
            continue
        source_path = os.path.join(base, name)
        with open(source_path, "rb") as f:
            source = f.read()
        relative = os.path.relpath(source_path, "/src")
        try:
            code = compile(source, PREFIX + "/" + relative, "exec", dont_inherit=True)
        except SyntaxError:  # main.py: top-level await, run by PyScript itself, never imported
            skipped.append(relative)
            continue
        data = ext._code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False)
        with open(source_path + "c", "wb") as f:
            f.write(data)
        count += 1
json.dumps({"compiled": count, "skipped": skipped, "magic": importlib.util.MAGIC_NUMBER.hex()})
`);
console.log(result.slice(0, -1) + `, "ms": ${Date.now() - started}}`);
