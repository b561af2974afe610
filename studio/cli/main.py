"""Argument parsing and dispatch for `python -m studio`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import __version__


class UsageError(Exception):
    """Bad usage or a bad input file: exit code 2 with one clear message."""


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
        if args.command == "run":
            from .run_command import run_command

            return run_command(args)
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
