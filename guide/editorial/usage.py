"""Unused records: data that no page shows.

    python -m tools unused                 # this worktree
    python -m tools unused --root ../i12a  # another checkout

Most data is shown whole (the mandates table, the glossary, the termbase), but
an example (``data/cases.yml``) appears only where a page calls
``case_box("its-id")``, and a list of key questions (``data/questions.yml``)
only where a page calls ``key_questions("its-id")``. A record that no page
calls is not on the site except as a "not yet used" row of the examples
index: either its facts belong on a page (call it there, once) or it should
go. One line per record and language, at the line of its ``id``:

    data/cases.yml:409: case 'gdansk-equal-treatment-council' is not used by any page in docs/ar/ or docs/en/ (...)

Exit 1 if there is any. ``tests/test_data.py`` runs it on the real tree.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from guide import languages

ROOT = Path(__file__).resolve().parents[2]

# data file, top-level key of its records, the macro that shows one, what a record is called
KINDS = (
    ("cases.yml", "cases", "case_box", "case"),
    ("questions.yml", "lists", "key_questions", "question list"),
)
_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.S)


def _call(macro: str) -> re.Pattern:
    # the first argument, positional or named: case_box("x"), case_box( 'x' ), case_box(case_id="x")
    return re.compile(rf"\b{macro}\(\s*(?:[a-z_]+\s*=\s*)?[\"']([^\"']+)[\"']")


@dataclass(frozen=True)
class Unused:
    file: str
    line: int
    kind: str
    id: str
    languages: tuple[str, ...]  # the languages whose pages never call it

    def __str__(self) -> str:
        where = " or ".join(f"docs/{lang}/" for lang in self.languages)
        return (f"{self.file}:{self.line}: {self.kind} '{self.id}' is not used by any page in {where} "
                f"(show it once where its facts belong, or remove it)")


def used_ids(docs_dir: Path, macro: str, lang: str) -> set[str]:
    """Ids the pages of ``docs/<lang>/`` pass to ``macro`` (inside ``{{ … }}``)."""
    pattern, found = _call(macro), set()
    for path in sorted((Path(docs_dir) / lang).glob("*.md")):
        for expression in _EXPRESSION.findall(path.read_text(encoding="utf-8")):
            found.update(pattern.findall(expression))
    return found


def _record_ids(path: Path, key: str) -> list[tuple[str, int]]:
    """(id, line) of each record under ``key``, lines counted from 1, in file order."""
    node = yaml.compose(path.read_text(encoding="utf-8"))
    out = []
    if not isinstance(node, yaml.MappingNode):
        return out
    for k, v in node.value:
        if k.value != key or not isinstance(v, yaml.SequenceNode):
            continue
        for item in v.value:
            if not isinstance(item, yaml.MappingNode):
                continue
            for ik, iv in item.value:
                if ik.value == "id" and isinstance(iv, yaml.ScalarNode):
                    out.append((iv.value, iv.start_mark.line + 1))
    return out


def unused(root: Path = ROOT) -> list[Unused]:
    """Every case and question list of ``root``'s data that a language's pages never call."""
    root = Path(root)
    codes = languages.for_root(root).codes
    out = []
    for file, key, macro, kind in KINDS:
        path = root / "data" / file
        if not path.exists():
            continue
        used = {lang: used_ids(root / "docs", macro, lang) for lang in codes}
        for record_id, line in _record_ids(path, key):
            missing = tuple(lang for lang in codes if record_id not in used[lang])
            if missing:
                out.append(Unused(f"data/{file}", line, kind, record_id, missing))
    return out


def add_arguments(parser) -> None:
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout to check (default: this one)")


def main(args) -> int:
    found = unused(Path(args.root).resolve())
    for problem in found:
        print(problem)
    if found:
        print(f"{len(found)} unused record{'s' if len(found) != 1 else ''}", file=sys.stderr)
        return 1
    print("unused: every case and question list is shown by a page in every language")
    return 0
