"""When each file last changed, according to git (plain logic, no MkDocs).

One ``git log`` call covers every file, so a build stays fast however many pages
there are. Files with uncommitted changes (modified, added or untracked) count as
changed *now*: an editor who edits a page and rebuilds sees the effect at once.

Without usable history (no git, not a work tree, a tarball, or a shallow clone
whose single commit would make every file look changed on the same day)
``last_changed`` returns ``None`` and callers fall back to showing no dates.
"""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path

# Separates commits in the log output; cannot occur in a path or a date.
_COMMIT_MARK = "\x01commit "


class NoHistory(Exception):
    """The tree has no usable git history; ``str()`` says why."""


def _git(root: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-c", "core.quotepath=off", *args],
        cwd=root, text=True, capture_output=True, encoding="utf-8",
    )
    if proc.returncode:
        raise NoHistory(proc.stderr.strip() or f"git {args[0]} failed (exit {proc.returncode})")
    return proc.stdout


def repo_root(path: Path) -> Path:
    """Top of the git work tree containing ``path``; ``NoHistory`` if there is none."""
    try:
        return Path(_git(path, "rev-parse", "--show-toplevel").strip())
    except FileNotFoundError as exc:  # git itself is not installed
        raise NoHistory("git is not installed") from exc


def parse_log(output: str) -> dict[str, datetime]:
    """Parse ``git log --format=<mark>%cI --name-only -z`` output.

    Commits come newest first, so the first date seen for a path is the date of
    the last commit that touched it.
    """
    dates: dict[str, datetime] = {}
    for chunk in output.split(_COMMIT_MARK):
        if not chunk.strip("\x00\n"):
            continue
        header, _, names = chunk.partition("\n")
        when = datetime.fromisoformat(header.strip("\x00 \n"))
        for name in names.split("\x00"):
            name = name.strip("\n")
            if name and name not in dates:
                dates[name] = when
    return dates


def dirty_paths(root: Path, pathspecs: tuple[str, ...]) -> set[str]:
    """Paths (relative to the repository root) with uncommitted changes or untracked."""
    out = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *pathspecs)
    paths: set[str] = set()
    entries = out.split("\x00")
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        status, path = entry[:2], entry[3:]
        if "D" in status:  # a deleted file has no date to show
            continue
        paths.add(path)
        if "R" in status or "C" in status:  # -z puts the old name in the next entry
            i += 1
    return paths


def last_changed(
    root: Path, pathspecs: tuple[str, ...] = ("docs", "data"), now: datetime | None = None
) -> dict[str, datetime]:
    """``{path relative to the repository root: date of its last change}``.

    ``pathspecs`` are relative to ``root`` (the project may sit in a
    subfolder of the repository). Raises ``NoHistory`` when the dates cannot
    be known (see the module doc).
    """
    root = Path(root)
    repo_root(root)  # NoHistory outside a work tree
    if _git(root, "rev-parse", "--is-shallow-repository").strip() == "true":
        raise NoHistory("shallow clone: file dates would all be the date of its one commit")
    try:
        log = _git(root, "log", f"--format={_COMMIT_MARK}%cI", "--name-only", "-z", "--no-renames",
                   "--", *pathspecs)
    except NoHistory as exc:
        if "does not have any commits" in str(exc):
            log = ""
        else:
            raise
    dates = parse_log(log)
    now = now or datetime.now(timezone.utc)
    for path in dirty_paths(root, pathspecs):
        dates[path] = now
    return dates


def relative_to_repo(path: Path, root: Path) -> str:
    """``path`` as the key ``last_changed`` uses (POSIX, relative to the repository)."""
    return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
