"""Build helpers that run Pyodide's own CPython under Node (bytecode, the memory snapshot): one way to run them.

Each helper is an .mjs script that prints one JSON line when it is done. Node is optional: without
it, or when a script fails, the build goes on without what the script makes and says so."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any


def run_script(
    script: Path, *args: str, timeout: float, without: str, log: Callable[[str], object] = print
) -> dict[str, Any] | None:
    """The script's last output line as JSON, or None (logged: "<what failed>; <without>")."""
    node = shutil.which("node")
    if node is None:
        log(f"note: node not found, so {without} (slower boot)")
        return None
    try:
        done = subprocess.run([node, str(script), *args], capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log(f"note: {script.name} did not run ({exc}), so {without}")
        return None
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        log(f"note: {script.name} failed, so {without}\n  " + "\n  ".join(tail))
        return None
    report: dict[str, Any] = json.loads(lines[-1])
    return report
