"""Runs `studio run` in-process through its main() and classifies what came back."""

from __future__ import annotations

import contextlib
import io
import json
import time
from dataclasses import dataclass
from pathlib import Path

from studio.cli.main import main

MESSAGE_LIMIT = 1024  # a refusal's whole stderr, and any one line of a run's progress


@dataclass
class Outcome:
    code: int
    stderr: str
    seconds: float  # CPU time of this process: the bound holds on a busy CI machine too

    def problems(self) -> list[str]:
        """What makes this a crash: anything but a clean 0/1/2 with short messages."""
        wrong = []
        if self.code not in (0, 1, 2):
            wrong.append(f"exit code {self.code}")
        if "Traceback" in self.stderr or "internal error" in self.stderr:
            wrong.append("a traceback / internal error")
        if self.code == 2 and (len(self.stderr) >= MESSAGE_LIMIT or not self.stderr.startswith("error: ")):
            wrong.append(f"a refusal of {len(self.stderr)} characters")
        if any(len(line) >= MESSAGE_LIMIT for line in self.stderr.splitlines()):
            wrong.append("a message line over 1 kB")
        if self.code == 1 and "error: node" not in self.stderr:
            wrong.append("exit 1 without naming a node")
        return wrong


def run_in_process(args: list[str]) -> Outcome:
    err = io.StringIO()
    started = time.process_time()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(["run", *args])
        except BaseException as exc:  # noqa: BLE001 - anything escaping main() is a crash
            code = -1
            err.write(f"Traceback: {type(exc).__name__}: {exc}"[:500])
    return Outcome(code, err.getvalue(), time.process_time() - started)


def source_image_ids(data: bytes) -> list[str]:
    """Ids of source.image nodes, best effort (the file may not parse), to pass them a picture."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
        return [
            n["id"]
            for n in doc["nodes"]
            if isinstance(n, dict)
            and n.get("type") == "source.image"
            and isinstance(n.get("id"), str)
            and "=" not in n["id"]
            and n["id"]
        ]
    except Exception:  # noqa: BLE001 - a broken file simply gets no --input
        return []


def exports_written(out: Path, ids: list[str]) -> bool:
    return all(any(out.glob(f"{node_id}.*")) for node_id in ids)
