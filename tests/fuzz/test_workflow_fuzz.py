"""The sweep of issue 13 as a test: mutated example workflows through the loader and `studio run`.

Every case must end as one of: loaded (and saved back unchanged: nothing lost), refused with a
WorkflowError / exit 2 and a message under 1 kB, or run (exit 0 with every export written, or 1
naming the failed node). Anything else (a traceback, another exception, a long message, a case
over its time bound) fails the test. Bounded: fixed, derandomized examples (tally.py).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given

from studio.core.workflow import WorkflowError, dump_workflow, load_workflow
from studio.nodes import default_catalog

from .mutations import example, workflow_bytes
from .runner import MESSAGE_LIMIT, exports_written, run_in_process, source_image_ids
from .tally import fuzz_settings, record

ROOT = Path(__file__).parents[2]
CATALOG = default_catalog()
# Per case, in CPU seconds (time.process_time), so that a busy shared machine does not fail them.
LOAD_SECONDS = 2.0
RUN_SECONDS = 10.0
PICTURE = Path(tempfile.mkdtemp(prefix="pyxis-fuzz-")) / "small.png"


@pytest.fixture(autouse=True)
def no_gemini_key(monkeypatch):
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)  # AI nodes fail with "no key", never call out


def _picture() -> Path:
    if not PICTURE.exists():
        from PIL import Image

        Image.new("RGBA", (40, 30), (200, 100, 50, 255)).save(PICTURE)
    return PICTURE


@fuzz_settings(400)
@given(workflow_bytes())
def test_the_loader_loads_or_refuses_every_mutation(case):
    kind, data = case
    for complete in (True, False):
        started = time.process_time()
        try:
            graph = load_workflow(data, CATALOG, complete=complete)
        except WorkflowError as exc:
            seconds = time.process_time() - started
            message = str(exc)
            clear = len(message) < MESSAGE_LIMIT and exc.problems and all(p.message for p in exc.problems)
            record(f"loader (complete={complete})", "refused" if clear else "crashed", kind)
            assert clear, f"{kind}: a refusal of {len(message)} characters: {message[:300]}"
        except Exception as exc:
            record(f"loader (complete={complete})", "crashed", kind)
            raise AssertionError(f"{kind}: {type(exc).__name__} escaped the loader") from exc
        else:
            seconds = time.process_time() - started
            text = dump_workflow(graph)
            again = load_workflow(text, CATALOG, complete=complete)
            kept = dump_workflow(again) == text and dump_workflow(graph, compact=True) == dump_workflow(
                load_workflow(dump_workflow(graph, compact=True), CATALOG, complete=complete), compact=True
            )
            record(f"loader (complete={complete})", "loaded" if kept else "lost", kind)
            assert kept, f"{kind}: saving and loading again changed the workflow"
        assert seconds < LOAD_SECONDS, f"{kind}: {seconds:.1f} s"


@fuzz_settings(150)
@given(case=workflow_bytes())
def test_studio_run_exits_0_1_or_2_cleanly_for_every_mutation(tmp_path_factory, case):
    kind, data = case
    folder = tmp_path_factory.mktemp("run")
    path = folder / "wf.json"
    path.write_bytes(data)
    args = [str(path), "--out", str(folder / "out")]
    for node_id in source_image_ids(data):
        args += ["--input", f"{node_id}={_picture()}"]
    outcome = run_in_process(args)
    wrong = outcome.problems()
    if not wrong and outcome.code == 0:
        graph = load_workflow(data, CATALOG)
        exports = [n.id for n in graph.nodes.values() if n.type == "output.export"]
        if not exports_written(folder / "out", exports):
            record("studio run (in-process)", "lost", kind)
            raise AssertionError(f"{kind}: exit 0 but an export is missing")
    if outcome.seconds >= RUN_SECONDS:
        wrong.append(f"took {outcome.seconds:.1f} s")
    record("studio run (in-process)", "crashed" if wrong else ("refused" if outcome.code == 2 else "ran"), kind)
    assert not wrong, f"{kind}: {wrong}\n{outcome.stderr[:600]}"


# A handful through a real process: the exit code, stderr and no traceback as a shell sees them.
SUBPROCESS_CASES = {
    "deep edges": b'{"format":"pyxis.workflow","version":1,"nodes":[],"edges":' + b"[" * 10_000 + b"]" * 10_000 + b"}",
    "invalid utf-8": b'{"format":"pyxis.workflow","version":1,"name":"\xff","nodes":[]}',
    "bom": b"\xef\xbb\xbf" + json.dumps(example("poster.json")).encode(),
    "huge int position": b'{"format":"pyxis.workflow","version":1,"nodes":[{"id":"a","type":"source.solid","position":[1'
    + b"0" * 400
    + b",0]}]}",
    "ten thousand dangling edges": json.dumps(
        {
            "format": "pyxis.workflow",
            "version": 1,
            "nodes": [],
            "edges": [{"from": f"n{i}.image", "to": f"m{i}.image"} for i in range(10_000)],
        }
    ).encode(),
}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@pytest.mark.parametrize("name", sorted(SUBPROCESS_CASES))
def test_real_studio_run_processes(name, tmp_path):
    path = tmp_path / "wf.json"
    path.write_bytes(SUBPROCESS_CASES[name])
    started = _children_cpu()
    done = subprocess.run(
        [sys.executable, "-m", "studio", "run", str(path), "--out", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    seconds = _children_cpu() - started
    ok = done.returncode in (0, 2) and "Traceback" not in done.stderr and len(done.stderr) < MESSAGE_LIMIT
    record("studio run (subprocess)", ("refused" if done.returncode == 2 else "ran") if ok else "crashed", name)
    assert ok, done.stderr[:600]
    assert seconds < 20, f"{seconds:.1f} CPU seconds"
    if done.returncode == 0:
        assert any((tmp_path / "out").glob("*.png"))
