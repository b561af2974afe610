"""`python -m studio import floimg FILE --out WORKFLOW.json`: a FloImg pipeline or Studio workflow as a Pyxis workflow."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .errors import UsageError

MAX_IMPORT_BYTES = 16 * 1024 * 1024


def import_command(args: Any) -> int:
    from ..core.workflow import WorkflowError, dump_workflow, workflow_from_dict
    from ..floimg.convert import convert_text
    from ..floimg.steps import FloimgError
    from ..nodes import default_catalog

    path: Path = args.file
    try:
        if not path.is_file():
            raise UsageError(f"{path}: not a file")
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise UsageError(f"{path}: larger than {MAX_IMPORT_BYTES // 2**20} MB, not a FloImg workflow")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
    try:
        conversion = convert_text(text)
    except FloimgError as exc:
        raise UsageError(f"{path}: {exc}") from None
    try:
        graph = workflow_from_dict(conversion.workflow, default_catalog(), complete=False)
    except WorkflowError as exc:
        print(f"error: {path}: the converted workflow does not load:\n{exc}", file=sys.stderr)
        return 1
    out: Path = args.out
    try:
        out.write_text(dump_workflow(graph), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror or exc}") from None
    if conversion.report():
        print(conversion.report(), file=sys.stderr)
    mapped = len(conversion.workflow["nodes"])
    print(f"wrote {out}: {mapped} node{'s' if mapped != 1 else ''}", file=sys.stderr)
    if conversion.left_out:
        print(f"{len(conversion.left_out)} step(s) had no Pyxis equivalent (listed above)", file=sys.stderr)
        return 1
    return 0
