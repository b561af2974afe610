"""Answer parsing alone, in Pyodide under Node.js: the page's native path against json.loads + base64.

Runs the exact JavaScript of studio/browser/fetch_transport.py (PARSE_NATIVELY) and the same Python
steps the page takes afterwards, interleaved with the old path (the body's bytes copied into Python,
json.loads, base64 decode), on the 1K and 4K answers of benchmarks/ai_browser.py. Node's V8 lacks
Uint8Array.fromBase64 (Chromium 140+ has it), so Buffer's native base64 decoder stands in for it.

Run: .venv/bin/python benchmarks/ai_parse.py [-n RUNS]   (needs node)
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ai_browser import answer_body, picture  # noqa: E402

SCRIPT = r"""
import { loadPyodide } from %(pyodide)s;
import { readFileSync } from "node:fs";
if (typeof Uint8Array.fromBase64 !== "function") {
  Uint8Array.fromBase64 = s => new Uint8Array(Buffer.from(s, "base64"));  // stand-in, see the docstring
}
const py = await loadPyodide({ indexURL: %(index)s });
const parse = new Function(%(js)s)();
py.runPython(%(python)s);
const oldPath = py.globals.get("old_path"), newFinish = py.globals.get("new_finish");
const median = a => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const out = {};
for (const [name, file] of Object.entries(%(files)s)) {
  const buffer = readFileSync(file).buffer;
  const rows = {python: [], native: []};
  for (let i = 0; i < %(runs)d; i++) {
    let t0 = performance.now();
    oldPath(new Uint8Array(buffer));
    rows.python.push(performance.now() - t0);
    t0 = performance.now();
    newFinish(parse(buffer));
    rows.native.push(performance.now() - t0);
  }
  out[name] = {python: median(rows.python), native: median(rows.native)};
}
console.log(JSON.stringify(out));
"""

PYTHON = r"""
import base64, json
def old_path(array):
    body = array.to_bytes()
    data = json.loads(body.decode("utf-8"))
    parts = data["candidates"][0]["content"]["parts"]
    return [base64.b64decode(p["inlineData"]["data"]) for p in parts if "inlineData" in p]
def new_finish(parsed):
    data = parsed.data.to_py()
    body = parsed.bytes.to_bytes()
    parts = data["candidates"][0]["content"]["parts"]
    decoded = {}
    for e in parsed.cut:
        parts[int(e[0])]["inlineData"]["data"] = body[int(e[1]):int(e[2])].decode("utf-8")
        decoded[int(e[0])] = e[3].to_bytes()
    return decoded
"""


def native_js() -> str:
    tree = ast.parse((ROOT / "studio/browser/fetch_transport.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PARSE_NATIVELY":
            return ast.literal_eval(node.value)
    raise SystemExit("PARSE_NATIVELY not found in studio/browser/fetch_transport.py")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--runs", type=int, default=7)
    args = parser.parse_args()
    vendor = ROOT / "static/vendor/pyodide"
    with tempfile.TemporaryDirectory(prefix="pyxis-parse-") as tmp:
        files = {}
        for name, side in (("1K", 1024), ("4K", 4096)):
            path = Path(tmp) / f"{name}.json"
            path.write_bytes(answer_body(picture(side)))
            files[name] = str(path)
        script = Path(tmp) / "parse.mjs"
        script.write_text(
            SCRIPT
            % {
                "pyodide": json.dumps((vendor / "pyodide.mjs").as_uri()),
                "index": json.dumps(str(vendor) + "/"),
                "js": json.dumps(native_js()),
                "python": json.dumps(PYTHON),
                "files": json.dumps(files),
                "runs": args.runs,
            }
        )
        done = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=1800)
        if done.returncode != 0:
            raise SystemExit(done.stderr[-2000:])
        result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"answer parsing in Pyodide (Node.js), medians of {args.runs} interleaved runs (ms)")
    print(f"{'answer':<8}{'json.loads + base64':>22}{'native (this page)':>20}{'ratio':>8}")
    for name, row in result.items():
        print(f"{name:<8}{row['python']:>22.0f}{row['native']:>20.0f}{row['native'] / row['python']:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
