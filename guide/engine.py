"""The one place that runs the site engine, and the strict build of the whole site.

Every build, preview and benchmark goes through ``engine_command``: the engine
is MkDocs 1.6.1 (``mkdocs``, the default, in the project's own environment) or
ProperDocs (``properdocs``, the maintained fork of MkDocs 1.6, in its own
environment ``.venv-properdocs/``, created on first use from
``requirements/properdocs.txt``, without ``mkdocs``). Choose with ``--engine``,
``GUIDE_ENGINE=properdocs`` or ``make build ENGINE=properdocs``.

``build_site`` builds into a temporary directory next to the target and swaps
it in only when the build succeeded, so a failed build never leaves a
half-written site/. The build runs without ``-q`` and ``-v`` on purpose: in
MkDocs 1.6 ``-q`` hides the warnings that strict mode counts, and ``-v`` skips
anchor checks.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ENGINE_ENV = "GUIDE_ENGINE"
DEFAULT_ENGINE = "mkdocs"
# engine -> (Python module run with -m, environment directory or None for the
# running interpreter's, lock file that environment is installed from)
ENGINES: dict[str, tuple[str, str | None, str | None]] = {
    "mkdocs": ("mkdocs", None, None),
    "properdocs": ("properdocs", ".venv-properdocs", "requirements/properdocs.txt"),
}


class EngineError(Exception):
    """An unknown engine, or its environment could not be made."""


def add_arguments(parser) -> None:
    parser.add_argument("--site-dir", default="site", help="output directory (default: site)")
    parser.add_argument("--config", default="mkdocs.yml", help="MkDocs config (default: mkdocs.yml)")
    add_engine_argument(parser)


def add_engine_argument(parser) -> None:
    parser.add_argument("--engine", choices=sorted(ENGINES), default=None,
                        help=f"site engine (default: ${ENGINE_ENV} or {DEFAULT_ENGINE})")


def selected_engine(engine: str | None = None, env: dict | None = None) -> str:
    """The engine asked for: the argument, else GUIDE_ENGINE (in ``env`` or the
    process environment), else MkDocs."""
    name = engine or (env or {}).get(ENGINE_ENV) or os.environ.get(ENGINE_ENV) or DEFAULT_ENGINE
    if name not in ENGINES:
        raise EngineError(f"{ENGINE_ENV}={name!r}: unknown engine (known: {', '.join(sorted(ENGINES))})")
    return name


def engine_python(engine: str) -> Path:
    """The interpreter that runs ``engine``; makes its environment on first use."""
    _, venv, lock = ENGINES[engine]
    if venv is None:
        return Path(sys.executable)
    return ensure_environment(ROOT / venv, ROOT / lock)


def ensure_environment(venv: Path, lock: Path) -> Path:
    """A virtual environment holding exactly ``lock`` (hash-checked, no
    dependency resolution: the lock is complete), re-made when the lock changes."""
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    stamp = venv / ".installed"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    if python.exists() and stamp.exists() and stamp.read_text().strip() == digest:
        return python
    print(f"engine: making {venv.name}/ from {lock.relative_to(ROOT)} (first use or changed lock)", file=sys.stderr)
    steps = [[sys.executable, "-m", "venv", "--clear", str(venv)],
             [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
              "--require-hashes", "--no-deps", "-r", str(lock)]]
    for step in steps:
        proc = subprocess.run(step, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode:
            raise EngineError(f"{venv.name}: `{' '.join(step[1:4])} ...` failed:\n{proc.stderr[-3000:]}")
    stamp.write_text(digest + "\n")
    return python


def engine_command(args: list[str], engine: str | None = None, env: dict | None = None) -> list[str]:
    """The command line that runs the selected engine with ``args`` (``build ...``, ``serve ...``)."""
    name = selected_engine(engine, env)
    return [str(engine_python(name)), "-m", ENGINES[name][0], *args]


def build_site(site_dir: Path, config: str = "mkdocs.yml", env: dict | None = None,
               engine: str | None = None) -> subprocess.CompletedProcess:
    """Build into ``site_dir`` atomically; return the finished engine process."""
    # Editor input first (guide/editorial/editorcheck.py): a mistake fails in
    # about a second with one line, before the engine starts; the hook then skips it.
    from guide.editorial import editorcheck
    problem = editorcheck.first_problem(ROOT)
    if problem:
        return subprocess.CompletedProcess([], 1, "", f"ERROR    -  {problem}\n")
    command = engine_command(["build", "--strict", "--clean", "--config-file", str(ROOT / config)], engine, env)
    if Path(site_dir).is_symlink():  # replacing it would delete whatever it points to
        return subprocess.CompletedProcess([], 1, "", f"ERROR    -  {site_dir.name}:1: the output folder is a symbolic "
                                                      f"link: remove it (the build replaces the folder)\n")
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-", dir=site_dir.parent))
    try:
        proc = subprocess.run(
            [*command, "--site-dir", str(staging)],
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
    try:
        proc = build_site(ROOT / args.site_dir, args.config, engine=args.engine)
    except EngineError as exc:
        print(f"build: error: {exc}", file=sys.stderr)
        return 2
    sys.stderr.write(proc.stderr)
    if proc.returncode:
        print(f"build failed (exit {proc.returncode}); {args.site_dir}/ left unchanged", file=sys.stderr)
    else:
        print(f"built {args.site_dir}/")
    return proc.returncode
