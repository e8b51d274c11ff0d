"""What a `mkdocs serve` rebuild does not redo (issue 20, part 5): the editor
pre-pass re-checks only the pages an edit can have changed, theme templates
are compiled once per source, and the page steps, the search index, the data
and the offline lists' sizes are kept for what did not change. All must still
catch what changed: a rebuild after edits gives the site a fresh build gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import jinja2
import pytest

from guide.editorial import editorcheck
from guide.pages import pagememo
from guide.theme import bytecode

from editortree import copy_tree


@pytest.fixture()
def tree(tmp_path, monkeypatch):
    monkeypatch.setattr(editorcheck, "_PASSED", set())
    root = copy_tree(tmp_path / "tree")
    checked: list[str] = []
    real = editorcheck.check_page
    monkeypatch.setattr(editorcheck, "check_page", lambda path, *a, **k: (checked.append(path.name), real(path, *a, **k)))
    return root, checked


@pytest.mark.slow  # copies the repository
def test_an_unchanged_tree_is_not_checked_again_and_an_edit_is(tree):
    root, checked = tree
    assert editorcheck.first_problem(root) is None
    assert len(checked) > 20
    checked.clear()
    assert editorcheck.first_problem(root) is None
    assert checked == []
    about = root / "docs" / "ar" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nقياس المعاينة ١ انتهى\n", encoding="utf-8")
    assert editorcheck.first_problem(root) is None
    assert checked == ["about.md"]
    # A mistake in the edited page is still found.
    about.write_text(about.read_text(encoding="utf-8") + "\nفي عام 2023\n", encoding="utf-8")
    assert "Latin digits '2023'" in editorcheck.first_problem(root)


@pytest.mark.slow  # copies the repository
def test_a_page_is_checked_again_when_what_it_links_to_changes(tree):
    root, checked = tree
    assert editorcheck.first_problem(root) is None
    strategy = root / "docs" / "en" / "strategy.md"
    text = strategy.read_text(encoding="utf-8")
    assert "#mandate-known" in text
    # implementation.md (unchanged) links to strategy.md#mandate-known.
    strategy.write_text(text.replace("#mandate-known", "#mandate-renamed"), encoding="utf-8")
    problem = editorcheck.first_problem(root)
    assert problem and "implementation.md" in problem and "mandate-known" in problem


@pytest.mark.slow  # copies the repository
def test_a_data_edit_checks_every_page_again(tree):
    root, checked = tree
    assert editorcheck.first_problem(root) is None
    checked.clear()
    cases = root / "data" / "cases.yml"
    cases.write_text(cases.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert editorcheck.first_problem(root) is None
    assert len(checked) > 20


def test_templates_compile_once_per_source(tmp_path, monkeypatch):
    cache = bytecode.MemoryBytecodeCache()
    compiled: list[str] = []
    real = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda self, source, name=None, *a, **k: (compiled.append(name), real(self, source, name, *a, **k))[1])
    (tmp_path / "page.html").write_text("<p>{{ word }}</p>", encoding="utf-8")

    def render() -> str:
        # A new environment each time, as every `mkdocs serve` rebuild makes.
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), bytecode_cache=cache)
        return env.get_template("page.html").render(word="one")

    assert render() == "<p>one</p>" and compiled == ["page.html"]
    assert render() == "<p>one</p>" and compiled == ["page.html"]
    (tmp_path / "page.html").write_text("<b>{{ word }}</b>", encoding="utf-8")
    assert render() == "<b>one</b>" and compiled == ["page.html", "page.html"]
    # Other syntax settings: compiled anew, not served from the other's code.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), bytecode_cache=cache, autoescape=True)
    assert env.get_template("page.html").render(word="<i>") == "<b>&lt;i&gt;</b>"
    assert len(compiled) == 3


def test_a_page_step_is_remembered_for_the_same_inputs_only(monkeypatch):
    monkeypatch.setattr(pagememo, "_RESULTS", {})
    calls: list[str] = []

    def step(html: str) -> str:
        calls.append(html)
        return html.upper()

    assert pagememo.remembered("up", ("<p>a</p>", "ar"), lambda: step("<p>a</p>")) == "<P>A</P>"
    assert pagememo.remembered("up", ("<p>a</p>", "ar"), lambda: step("<p>a</p>")) == "<P>A</P>"
    assert calls == ["<p>a</p>"]
    # Another input, another setting or another step: computed.
    pagememo.remembered("up", ("<p>b</p>", "ar"), lambda: step("<p>b</p>"))
    pagememo.remembered("up", ("<p>a</p>", "en"), lambda: step("<p>a</p>"))
    pagememo.remembered("down", ("<p>a</p>", "ar"), lambda: step("<p>a</p>"))
    assert len(calls) == 4
    # An input given as pagememo.same(obj) matches that object only, not an equal one.
    first, second = [1], [1]
    pagememo.remembered("up", ("<p>a</p>", pagememo.same(first)), lambda: step("<p>a</p>"))
    pagememo.remembered("up", ("<p>a</p>", pagememo.same(first)), lambda: step("<p>a</p>"))
    assert len(calls) == 5
    pagememo.remembered("up", ("<p>a</p>", pagememo.same(second)), lambda: step("<p>a</p>"))
    assert len(calls) == 6


def test_a_failing_page_step_fails_every_time(monkeypatch):
    monkeypatch.setattr(pagememo, "_RESULTS", {})

    def bad():
        raise ValueError("docs/ar/about.md: not allowed")

    for _ in range(2):
        with pytest.raises(ValueError, match="not allowed"):
            pagememo.remembered("check", ("<script>",), bad)


# Builds the tree in the working directory as `mkdocs serve` does: a new config
# per build, in one process (whose caches live on), with the edits of argv[2]
# made between the builds; argv[1] is the output. With no edits, one build
# (of the tree as the edits left it).
_SERVE_LIKE = r"""
import json, logging, os, sys
from pathlib import Path
logging.basicConfig(level=logging.ERROR)
sys.path.insert(0, os.getcwd())
from mkdocs.commands.build import build
from mkdocs.config import load_config

def once():
    config = load_config("mkdocs.yml", strict=True, site_dir=sys.argv[1])
    config.plugins.on_startup(command="serve", dirty=False)
    build(config, dirty=False)

for rounds in json.loads(sys.argv[2]):
    once()
    for path, old, new in rounds:
        text = Path(path).read_text(encoding="utf-8")
        assert old in text, (path, old)
        Path(path).write_text(text.replace(old, new, 1), encoding="utf-8")
once()
"""


def _site_files(site) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.slow  # three builds of a copy of the repository
def test_a_rebuild_after_edits_gives_what_a_fresh_build_gives(tmp_path):
    root = copy_tree(tmp_path / "tree")
    about = "docs/ar/about.md"
    ending = (root / about).read_text(encoding="utf-8").rstrip()[-40:]
    legend_ar = "صفحة موجزة بصياغة الموقع، لا النص الكامل"
    # Round 1: a line of Arabic prose (one page, the Arabic index). Round 2: an
    # interface string every page shows (not in a page's HTML before the
    # steps run) and an English page.
    edits = [[(about, ending, ending + "\n\nسطر جديد للقياس في الصفحة.")],
             [("data/ui.yml", legend_ar, "صفحة موجزة بكلمات الموقع"),
              ("docs/en/about.md", "## ", "## Measured ")],
             # Round 3: a language fact the page steps read (English pages stop
             # marking Arabic runs), with no page's Markdown changed.
             [("mkdocs.yml", "runs: {arabic: ar}", "runs: {}")]]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    env.pop("GUIDE_EDITOR_CHECKED", None)
    served, fresh = tmp_path / "served", tmp_path / "fresh"
    for out, rounds in ((served, edits), (fresh, [])):
        proc = subprocess.run([sys.executable, "-c", _SERVE_LIKE, str(out), json.dumps(rounds)], cwd=root,
                              env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr[-3000:]
    a, b = _site_files(served), _site_files(fresh)
    assert sorted(a) == sorted(b)
    differ = [name for name in a if a[name] != b[name]]
    assert not differ, f"a rebuild in one process differs from a fresh build in: {differ[:10]}"
    # The edits are there (the comparison is not of two unchanged sites).
    assert "سطر جديد للقياس في الصفحة" in a["about/index.html"].decode()
    assert "صفحة موجزة بكلمات الموقع" in a["strategy/index.html"].decode()
    assert "Measured " in a["en/about/index.html"].decode()
