"""Copies of the repository for the tests that build editor mistakes and
attacks (tests/test_editor_mistakes.py, tests/test_attacks.py), and a digest
that shows whether a failed build left the previous site/ untouched."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Made on the machine, not part of what an editor's pull request holds.
SKIP = {".git", "site", ".venv", ".venv-properdocs", ".tools", "dist", "test-artifacts", "__pycache__",
        ".pytest_cache", "node_modules", ".site-offline"}


def copy_tree(dest: Path) -> Path:
    shutil.copytree(ROOT, dest, ignore=lambda folder, names: [n for n in names if n in SKIP], symlinks=True)
    return dest


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()
