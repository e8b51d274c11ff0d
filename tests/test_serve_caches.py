"""What a `mkdocs serve` rebuild does not redo (issue 20, part 5): the editor
pre-pass re-checks only the pages an edit can have changed, and theme
templates are compiled once per source. Both must still catch what changed."""

from __future__ import annotations

import jinja2
import pytest

from guide.editorial import editorcheck
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
