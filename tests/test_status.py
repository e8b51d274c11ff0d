"""Translation status (issue 7.1) and the git dates behind it, on small temp
repositories with commits at chosen dates."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from guide.pages import gitdates
from guide.editorial import status

ROOT = Path(__file__).resolve().parent.parent


def git(repo: Path, *args: str, when: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org"}
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def write(repo: Path, rel: str, text: str = "# page\n") -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path) -> Path:
    """ar and en strategy/mapping pages committed together, English strategy
    changed a month later, and a page that exists only in English."""
    repo = tmp_path / "guide"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for lang in ("ar", "en"):
        write(repo, f"docs/{lang}/strategy.md")
        write(repo, f"docs/{lang}/mapping.md")
    write(repo, "data/cases.yml", "cases:\n  - id: newark-ovptr\n    title: {ar: نيوارك, en: Newark}\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "both languages", when="2025-01-30T10:00:00+00:00")
    write(repo, "docs/en/strategy.md", "# page\n\nnew paragraph\n")
    write(repo, "docs/en/only-english.md")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "English update", when="2025-03-01T09:30:00+00:00")
    return repo


def test_git_dates_are_last_commit_per_file_from_one_log(repo):
    dates = gitdates.change_dates(repo)[0]
    assert dates["docs/ar/strategy.md"] == datetime(2025, 1, 30, 10, 0, tzinfo=timezone.utc)
    assert dates["docs/en/strategy.md"] == datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc)
    assert dates["docs/en/mapping.md"] == datetime(2025, 1, 30, 10, 0, tzinfo=timezone.utc)


def test_uncommitted_edits_count_as_now(repo):
    now = datetime(2030, 5, 5, tzinfo=timezone.utc)
    write(repo, "docs/ar/mapping.md", "# edited, not committed\n")
    write(repo, "docs/ar/new-page.md")  # untracked
    dates = gitdates.change_dates(repo, now=now)[0]
    assert dates["docs/ar/mapping.md"] == now
    assert dates["docs/ar/new-page.md"] == now
    assert dates["docs/en/mapping.md"] == datetime(2025, 1, 30, 10, 0, tzinfo=timezone.utc)


def test_project_in_a_subfolder_of_the_repository(tmp_path):
    repo = tmp_path / "mono"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write(repo, "guide/docs/ar/strategy.md")
    write(repo, "docs/ar/strategy.md")  # another project's docs: not ours
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "init", when="2025-01-30T10:00:00+00:00")
    dates = gitdates.change_dates(repo / "guide", ("docs",))[0]
    assert set(dates) == {"guide/docs/ar/strategy.md"}


def test_no_history_without_git_and_in_shallow_clones(tmp_path, repo):
    plain = tmp_path / "tarball"
    shutil.copytree(repo / "docs", plain / "docs")
    with pytest.raises(gitdates.NoHistory):
        gitdates.change_dates(plain)[0]
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(shallow)], check=True)
    with pytest.raises(gitdates.NoHistory, match="shallow"):
        gitdates.change_dates(shallow)[0]


def test_page_states(repo):
    report = status.build_report(repo)
    rows = {row.name: row for row in report.pages}
    assert (rows["strategy.md"].state, rows["strategy.md"].language, rows["strategy.md"].newer) == ("outdated", "ar", "en")
    assert rows["mapping.md"].state == "ok"
    assert (rows["only-english.md"].state, rows["only-english.md"].language) == ("missing", "ar")
    assert report.missing


def test_record_problems_are_generic_and_located(tmp_path):
    data = tmp_path / "cases.yml"
    data.write_text(
        "cases:\n"
        "  - id: newark-ovptr\n"
        "    title: {ar: نيوارك, en: Newark}\n"
        "    summary:\n"
        "      en: Only English\n"
        "  - id: nyc-ophc\n"
        "    title: {ar: '', en: New York}\n"
        "labels:\n"
        "  more: {ar: المزيد}\n",
        encoding="utf-8")
    found = [str(p) for p in status.record_problems(data, "data/cases.yml")]
    assert found == [
        "data/cases.yml:5: cases[0].summary (id newark-ovptr): ar missing",
        "data/cases.yml:7: cases[1].title (id nyc-ophc): ar missing",
        "data/cases.yml:9: labels.more: en missing",
    ]


def run_status(repo: Path, *args: str) -> subprocess.CompletedProcess:
    # Run the real command inside the temp repository (its own copy of tools/ and guide/).
    for package in ("tools", "guide"):
        shutil.copytree(ROOT / package, repo / package, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
    # The language list (the registry reads it) is part of every project.
    shutil.copy(ROOT / "mkdocs.yml", repo / "mkdocs.yml")
    return subprocess.run([sys.executable, "-m", "tools", "status", *args], cwd=repo,
                          capture_output=True, text=True)


@pytest.mark.slow
def test_command_prints_table_writes_markdown_and_fails_on_missing(repo, tmp_path):
    write(repo, "data/ui.yml", "more: {ar: المزيد}\n")
    report_md = tmp_path / "status.md"
    proc = run_status(repo, "--markdown", str(report_md))
    assert proc.returncode == 0, proc.stderr
    lines = {line.split()[0]: line for line in proc.stdout.splitlines() if line.strip()}
    assert "OUTDATED ar (en changed later)" in lines["strategy.md"]
    assert "2025-01-30 10:00" in lines["strategy.md"] and "2025-03-01 09:30" in lines["strategy.md"]
    assert "MISSING ar" in lines["only-english.md"]
    assert lines["mapping.md"].endswith("ok")
    assert "data/ui.yml:1: more: en missing" in proc.stdout
    md = report_md.read_text(encoding="utf-8")
    assert "| `strategy.md` | 2025-01-30 10:00 | 2025-03-01 09:30 | OUTDATED ar (en changed later) |" in md
    assert "- `data/ui.yml:1: more: en missing`" in md

    proc = run_status(repo, "--fail-on-missing")
    assert proc.returncode == 1
    assert "lack a language" in proc.stderr


@pytest.mark.slow
def test_uncommitted_files_are_shown_as_such(repo):
    write(repo, "docs/ar/strategy.md", "# translated, not yet committed\n")
    proc = run_status(repo)
    line = next(l for l in proc.stdout.splitlines() if l.startswith("strategy.md"))
    assert "uncommitted" in line and "OUTDATED en (ar changed later)" in line


@pytest.mark.slow
def test_fail_on_missing_passes_when_complete(repo):
    (repo / "docs/en/only-english.md").unlink()
    git(repo, "commit", "-q", "-am", "drop", when="2025-03-02T00:00:00+00:00")
    proc = run_status(repo, "--fail-on-missing")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "every localized field has ar and en" in proc.stdout
