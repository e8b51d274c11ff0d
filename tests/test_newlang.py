"""`python -m tools new-lang fr` (guide/editorial/newlang.py) in a copy of the
repository: it writes configuration, page stubs and ui.yml strings only; status
lists what is left to translate; the build refuses every marker and stub with
one line naming file, line and field, until they are translated."""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from editortree import ROOT, copy_tree
from guide import languages


def run(tree: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUIDE_")}
    return subprocess.run([sys.executable, "-m", "tools", *args], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    tree = copy_tree(tmp_path_factory.mktemp("newlang") / "tree")
    proc = run(tree, "new-lang", "fr", "--name", "Français", "--english-name", "French", "--from", "en")
    assert proc.returncode == 0, proc.stderr
    return tree


def changed_files(tree: Path) -> set[str]:
    out = set()
    for path in tree.rglob("*"):
        rel = path.relative_to(tree)
        if not path.is_file() or "__pycache__" in rel.parts:
            continue
        original = ROOT / rel
        if not original.is_file() or original.read_bytes() != path.read_bytes():
            out.add(rel.as_posix())
    return out


def test_it_touches_configuration_content_and_ui_strings_only(tree):
    pages = {f"docs/fr/{p.name}" for p in (ROOT / "docs" / "en").glob("*.md")}
    assert changed_files(tree) == {"mkdocs.yml", "data/ui.yml"} | pages


def test_the_language_is_registered_after_the_others(tree):
    registry = languages.load(tree / "mkdocs.yml")
    assert registry.codes == ("ar", "en", "fr")
    fr = registry.get("fr")
    assert (fr.name, fr.english_name, fr.prefix, fr.dir, fr.script, fr.analysis) == \
        ("Français", "French", "fr/", "ltr", "latin", "generic")
    assert fr.runs == {"arabic": "ar"}
    assert fr.chapter == "TRANSLATE: Chapter {n}" and fr.months[0] == "TRANSLATE: January"
    # The rest of mkdocs.yml is as it was.
    before = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\n")
    after = (tree / "mkdocs.yml").read_text(encoding="utf-8").split("\n")
    changes = [op for op in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
               if op[0] != "equal"]
    assert len(changes) == 1 and changes[0][0] == "insert"  # one block, nothing else changed
    _, at, _, start, end = changes[0]
    assert after[start] == "        - locale: fr" and before[at].startswith("  # Offline edition")


def test_page_stubs_are_marked_untranslated(tree):
    for page in sorted((ROOT / "docs" / "en").glob("*.md")):
        stub = (tree / "docs" / "fr" / page.name).read_text(encoding="utf-8")
        assert "\nstatus: untranslated\n" in stub
        title = yaml.safe_load(re.match(r"---\n(.*?)\n---\n", page.read_text(encoding="utf-8"), re.S).group(1))["title"]
        assert f"# TRANSLATE: {title}" in stub


def test_every_ui_string_gets_a_marked_french_string(tree):
    before = yaml.safe_load((ROOT / "data" / "ui.yml").read_text(encoding="utf-8"))
    after = yaml.safe_load((tree / "data" / "ui.yml").read_text(encoding="utf-8"))
    # One new key: how each language names French in the translation notices.
    assert set(after) == set(before) | {"language.fr"}
    assert after["language.fr"] == {"ar": "TRANSLATE: French", "en": "TRANSLATE: French", "fr": "TRANSLATE: French"}
    for key, entry in before.items():
        assert after[key]["fr"] == "TRANSLATE: " + entry["en"]
        assert {k: v for k, v in after[key].items() if k != "fr"} == entry


def test_status_lists_stubs_markers_and_data_records(tree):
    proc = run(tree, "status", "--fail-on-missing")
    assert proc.returncode == 1
    rows = [line for line in proc.stdout.splitlines() if line.endswith(".md") is False and ".md " in line]
    assert rows and all("UNTRANSLATED fr" in row for row in rows)
    assert re.search(r"data/ui\.yml:\d+: case\.label: fr not translated yet", proc.stdout)
    assert re.search(r"data/cases\.yml:\d+: cases\[0\]\.country \(id [\w-]+\): fr missing", proc.stdout)


def test_the_build_refuses_each_untranslated_part_in_turn(tree, tmp_path):
    config = tree / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    first = run(tree, "build")
    assert first.returncode == 1
    line = next(i for i, text in enumerate(original.split("\n"), 1) if "TRANSLATE:" in text)
    assert f"mkdocs.yml:{line}: " in first.stderr and "not translated yet" in first.stderr
    # Facts filled in: the data records without French are next, one line naming file, line, field, language.
    months = "[janvier, février, mars, avril, mai, juin, juillet, août, septembre, octobre, novembre, décembre]"
    filled = re.sub(r"months: \[.*\]", f"months: {months}", original)
    filled = filled.replace('"TRANSLATE: Chapter {n}"', '"chapitre {n}"')
    filled = re.sub(r'site_name: "TRANSLATE: [^"]*"', 'site_name: "Un guide pour les villes"', filled)
    config.write_text(filled, encoding="utf-8")
    try:
        second = run(tree, "check")
        assert second.returncode == 1
        assert re.search(r"data/chapters\.yml:\d+: chapter 0: field 'title\.fr': Field required", second.stderr), \
            second.stderr
    finally:
        config.write_text(original, encoding="utf-8")


def test_an_untranslated_stub_is_refused_with_its_line(tmp_path):
    from guide.editorial import editorcheck

    page = tmp_path / "docs" / "fr" / "about.md"
    page.parent.mkdir(parents=True)
    page.write_text('---\ntitle: "x"\ndescription: "y"\nstatus: untranslated\n---\n\n# x\n', encoding="utf-8")
    with pytest.raises(editorcheck.EditorError, match=r"about\.md:4: front matter: field 'status': the page is not "
                                                      r"translated yet"):
        editorcheck.check_front_matter(page, page.read_text(encoding="utf-8").split("\n"), "docs/fr/about.md", "fr")


def test_a_configured_language_or_a_bad_code_is_refused(tree):
    again = run(tree, "new-lang", "fr")
    assert again.returncode == 1 and "'fr' is already configured" in again.stderr
    bad = run(tree, "new-lang", "French")
    assert bad.returncode == 1 and "not a language code" in bad.stderr
