"""Strict build of the whole site (both languages).

Builds into a temporary directory next to the target and swaps it in only when
the build succeeded, so a failed build never leaves a half-written site/.
``mkdocs build`` is run without ``-q`` and ``-v`` on purpose: in MkDocs 1.6
``-q`` hides the warnings that strict mode counts, and ``-v`` skips anchor checks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def add_arguments(parser) -> None:
    parser.add_argument("--site-dir", default="site", help="output directory (default: site)")
    parser.add_argument("--config", default="mkdocs.yml", help="MkDocs config (default: mkdocs.yml)")


def build_site(site_dir: Path, config: str = "mkdocs.yml", env: dict | None = None) -> subprocess.CompletedProcess:
    """Build into ``site_dir`` atomically; return the finished mkdocs process."""
    site_dir = site_dir.resolve()
    # Editor input first (tools/editorcheck.py): a mistake fails in about a
    # second with one line, before MkDocs starts; the hook then skips it.
    from tools import editorcheck
    problem = editorcheck.first_problem(ROOT)
    if problem:
        return subprocess.CompletedProcess([], 1, "", f"ERROR    -  {problem}\n")
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-", dir=site_dir.parent))
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
             "--config-file", str(ROOT / config), "--site-dir", str(staging)],
            cwd=ROOT, env={**os.environ, **(env or {}), "GUIDE_EDITOR_CHECKED": "1"}, text=True, capture_output=True,
        )
        if proc.returncode and not os.environ.get("GUIDE_BUILD_VERBOSE"):
            proc.stderr = summarise_failure(proc.stderr, ROOT)
        if proc.returncode == 0:
            if site_dir.exists():
                shutil.rmtree(site_dir)
            staging.rename(site_dir)
        return proc
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


_LINK_WARNING = re.compile(r"Doc file '([^']+)' contains a link '([^']+)'")


def summarise_failure(stderr: str, root: Path) -> str:
    """A failed MkDocs run as its INFO lines plus one ERROR line naming the
    file and line where MkDocs' message allows it (strict-mode warnings come
    once per language and without lines). GUIDE_BUILD_VERBOSE=1 shows it raw."""
    lines = stderr.splitlines()
    info = [line for line in lines if line.startswith("INFO")]
    problems: list[str] = []
    for line in lines:
        match = re.match(r"^(WARNING|ERROR)\s+-\s+(.*)$", line)
        if match and match.group(2) not in problems and not match.group(2).startswith("Aborted"):
            problems.append(match.group(2))
    if not problems:
        tail = [line for line in lines if line.strip() and not line.startswith(("INFO", " "))]
        problems = [f"MkDocs failed: {tail[-1] if tail else 'no message'} (GUIDE_BUILD_VERBOSE=1 shows its output)"]
    first = problems[0]
    link = _LINK_WARNING.search(first)
    if link:
        page = root / "docs" / link.group(1)
        number = 1
        if page.is_file():
            number = next((i for i, text in enumerate(page.read_text(encoding="utf-8").split("\n"), 1)
                           if link.group(2) in text), 1)
        first = f"docs/{link.group(1)}:{number}: {first}"
    more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
    return "\n".join(info + [f"ERROR    -  {first}{more}"]) + "\n"


def main(args) -> int:
    proc = build_site(ROOT / args.site_dir, args.config)
    sys.stderr.write(proc.stderr)
    if proc.returncode:
        print(f"build failed (exit {proc.returncode}); {args.site_dir}/ left unchanged", file=sys.stderr)
    else:
        print(f"built {args.site_dir}/")
    return proc.returncode
