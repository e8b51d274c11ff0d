"""The three-language fixture (tests/fixtures/threelang/) as a whole tree: a
copy of the repository whose configuration, pages and data are the
fixture's, with a git history in which the English strategy page changed last
(so the other languages' versions show a translation notice)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from editortree import ROOT, copy_tree

FIXTURE = ROOT / "tests" / "fixtures" / "threelang"
LANGUAGES = {"ar": "", "en": "en/", "fr": "fr/"}
FIRST, LATER = "2025-01-10T10:00:00+00:00", "2025-03-02T10:00:00+00:00"


def git(tree: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    subprocess.run(["git", *args], cwd=tree, env=env, check=True, capture_output=True)


def make_tree(dest: Path) -> Path:
    """The repository with the fixture's mkdocs.yml, docs/<lang>/ and data/*.yml."""
    tree = copy_tree(dest)
    for folder in (tree / "docs").iterdir():
        if folder.is_dir() and folder.name != "assets":
            shutil.rmtree(folder)
    for path in (tree / "data").glob("*.yml"):
        path.unlink()
    shutil.copy(FIXTURE / "mkdocs.yml", tree / "mkdocs.yml")
    for folder in (FIXTURE / "docs").iterdir():
        shutil.copytree(folder, tree / "docs" / folder.name)
    for path in (FIXTURE / "data").glob("*.yml"):
        shutil.copy(path, tree / "data" / path.name)
    git(tree, "init", "-q")
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "the fixture", when=FIRST)
    page = tree / "docs" / "en" / "strategy.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added later.\n", encoding="utf-8")
    git(tree, "commit", "-q", "-am", "English strategy page changed", when=LATER)
    return tree


def run(tree: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m tools <args>`` inside the tree (its own guide/ and tools/)."""
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GUIDE_")}, **(env or {})}
    return subprocess.run([sys.executable, "-m", "tools", *args], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=600)
