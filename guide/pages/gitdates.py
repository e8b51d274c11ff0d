"""When each file last changed, according to git (plain logic, no MkDocs).

One ``git log`` call covers every file, so a build stays fast however many pages
there are. Files with uncommitted changes (modified, added or untracked) count as
changed *now*: an editor who edits a page and rebuilds sees the effect at once.

Without usable history (no git, not a work tree, a tarball, or a shallow clone
whose single commit would make every file look changed on the same day)
``change_dates`` raises ``NoHistory`` and callers fall back to showing no dates.
"""

from __future__ import annotations

import subprocess
from datetime import datetime, timezone
from pathlib import Path

# Separates commits in the log output; cannot occur in a path or a date.
_COMMIT_MARK = "\x01commit "
# A commit whose message carries this trailer changed nothing a translator
# needs to follow (a typo fix): it does not make the other language lag.
TRAILER = "Translation"
NOT_NEEDED = "not-needed"
_LOG_FORMAT = f"--format={_COMMIT_MARK}%cI\x02%(trailers:key={TRAILER},valueonly,separator=%x2C)"


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


def not_needed(trailers: str) -> bool:
    """``Translation: not-needed`` (any case, among other values) in a commit's trailers."""
    return any(v.strip().lower() == NOT_NEEDED for v in trailers.split(","))


def parse_log(output: str, skip_not_needed: bool = False) -> dict[str, datetime]:
    """Parse ``git log <_LOG_FORMAT> --name-only -z`` output (``<mark>%cI`` alone works too).

    Commits come newest first, so the first date seen for a path is the date of
    the last commit that touched it. With ``skip_not_needed``, commits marked
    ``Translation: not-needed`` are left out (the dates translation lag is judged by).
    """
    dates: dict[str, datetime] = {}
    for chunk in output.split(_COMMIT_MARK):
        if not chunk.strip("\x00\n"):
            continue
        header, _, names = chunk.partition("\n")
        stamp, _, trailers = header.strip("\x00 \n").partition("\x02")
        if skip_not_needed and not_needed(trailers):
            continue
        when = datetime.fromisoformat(stamp.strip())
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


def change_dates(
    root: Path, pathspecs: tuple[str, ...] = ("docs", "data"), now: datetime | None = None
) -> tuple[dict[str, datetime], dict[str, datetime]]:
    """``(last change, last change that needs translating)`` per path, from one ``git log``.

    The second map leaves out commits marked ``Translation: not-needed``.
    ``pathspecs`` are relative to ``root`` (the project may sit in a
    subfolder of the repository). Raises ``NoHistory`` when the dates cannot
    be known (see the module doc).
    """
    root = Path(root)
    repo_root(root)  # NoHistory outside a work tree
    if _git(root, "rev-parse", "--is-shallow-repository").strip() == "true":
        raise NoHistory("shallow clone: file dates would all be the date of its one commit")
    try:
        log = _git(root, "log", _LOG_FORMAT, "--name-only", "-z", "--no-renames",
                   "--", *pathspecs)
    except NoHistory as exc:
        if "does not have any commits" in str(exc):
            log = ""
        else:
            raise
    dates, translation = parse_log(log), parse_log(log, skip_not_needed=True)
    now = now or datetime.now(timezone.utc)
    for path in dirty_paths(root, pathspecs):  # an uncommitted edit carries no trailer yet
        dates[path] = translation[path] = now
    return dates, translation


def relative_to_repo(path: Path, root: Path) -> str:
    """``path`` as the key ``change_dates`` uses (POSIX, relative to the repository)."""
    return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
