"""Live preview: one strict build (a broken link or bad data stops here with
its message), then the engine's own server with live reload, Arabic at
http://127.0.0.1:8000/ and English at /en/. ``make serve`` runs this."""

from __future__ import annotations

import os
import sys

from guide.engine import ROOT, EngineError, add_engine_argument, build_site, engine_command


def add_arguments(parser) -> None:
    parser.add_argument("--address", default="127.0.0.1:8000", help="host:port to serve on (default: 127.0.0.1:8000)")
    add_engine_argument(parser)


def main(args) -> int:
    try:
        proc = build_site(ROOT / "site", engine=args.engine)
        command = engine_command(["serve", "--strict", "-a", args.address], args.engine)
    except EngineError as exc:
        print(f"serve: error: {exc}", file=sys.stderr)
        return 2
    sys.stderr.write(proc.stderr)
    if proc.returncode:
        print(f"serve: the strict build failed (exit {proc.returncode}); fix the error above", file=sys.stderr)
        return proc.returncode
    os.chdir(ROOT)
    os.execv(command[0], command)  # the engine's server takes over this process (Ctrl-C stops it)
