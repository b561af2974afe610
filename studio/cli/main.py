"""Argument parsing and dispatch for `python -m studio`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import __version__
from .errors import UsageError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m studio", description="Pyxis Studio: image pipelines in the browser and on the command line."
    )
    parser.add_argument("--version", action="version", version=f"Pyxis Studio {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = sub.add_parser("serve", help="serve the Studio on 127.0.0.1 and open it in the browser")
    serve.add_argument("--port", type=int, default=None, help="port to listen on (default 8765, or a free one)")
    serve.add_argument("--no-open", action="store_true", help="do not open a browser")

    build = sub.add_parser("build", help="write a self-contained static site (for GitHub Pages)")
    build.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site)")

    run = sub.add_parser("run", help="run a workflow headless with Pillow")
    run.add_argument("workflow", type=Path, help="the workflow .json file")
    run.add_argument("--out", type=Path, required=True, help="folder for the exported files")
    run.add_argument(
        "--input", action="append", default=[], metavar="NODE=PATH", help="picture for a source.image node"
    )
    run.add_argument("--set", action="append", default=[], metavar="NODE.PARAM=VALUE", help="override a param")
    batch = run.add_argument_group("batch", "run the workflow once per picture")
    batch.add_argument("--batch", metavar="GLOB", help="pictures to run it on, e.g. 'photos/*.jpg' (quote it)")
    batch.add_argument("--input-node", metavar="NODE", help="the source.image node each picture goes to")
    batch.add_argument("--jobs", type=int, default=None, metavar="N", help="local processes (default: one per core)")
    batch.add_argument(
        "--scheduler", metavar="tcp://HOST:PORT", help="run the pictures on this existing Dask cluster instead"
    )
    batch.add_argument("--yes", action="store_true", help="go ahead when the batch would call Gemini")

    imports = sub.add_parser("import", help="convert another tool's workflow into a Pyxis workflow")
    imports.add_argument("tool", choices=("floimg",), help="the tool the file comes from")
    imports.add_argument("file", type=Path, help="a FloImg pipeline (.yaml) or FloImg Studio workflow/template (.json)")
    imports.add_argument("--out", type=Path, required=True, help="the Pyxis workflow .json to write")

    nodes = sub.add_parser("nodes", help="list the node catalog")
    nodes.add_argument("--json", action="store_true", help="print the catalog as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        if args.command == "run" and (args.batch or args.scheduler or args.input_node):
            if not args.batch:
                raise UsageError("--scheduler and --input-node go with --batch GLOB")
            if args.input:
                raise UsageError("--input does not go with --batch: each picture goes to --input-node")
            from .batch_command import batch_command

            return batch_command(args)
        if args.command == "run":
            from .run_command import run_command

            return run_command(args)
        if args.command == "import":
            from .import_command import import_command

            return import_command(args)
        if args.command == "nodes":
            from .nodes_command import nodes_command

            return nodes_command(args)
        if args.command == "serve":
            from ..site.server import serve

            return serve(port=args.port, open_browser=not args.no_open)
        if args.command == "build":
            from ..site.build import build_site

            out = build_site(args.out.resolve())
            print(f"built the Studio into {out}")
            return 0
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RuntimeError as exc:  # runtime fetch or build refused (npm missing, integrity, unsafe folder)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: one line instead of a traceback (the fuzz tests look for this)
        print(f"error: internal error ({type(exc).__name__}): {str(exc)[:200]}; please report it", file=sys.stderr)
        return 1
    parser.print_help()
    return 2
