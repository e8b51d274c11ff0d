"""Parity check: both languages of every page have the same structure.

    python -m tools parity            # exit 1 and one line per problem

Compared between ``docs/ar/X.md`` and ``docs/en/X.md``:

* the page exists in both languages;
* every ``##``..``######`` heading has an explicit, English kebab-case ID written
  ``{: #id }`` (without one, Arabic headings get ``_1``-style IDs, and ``{#id}``
  opens a Jinja comment under mkdocs-macros);
* the same heading IDs, at the same level, in the same order;
* the same macro calls (name and literal arguments, e.g. ``case_box("newark-ovptr")``)
  and data references (any other ``{{ ... }}`` expression) in each section.

The Markdown source is read with plain Python: front matter and fenced code
blocks are skipped, nothing is rendered.
"""

from __future__ import annotations

import ast
import bisect
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from guide import languages

ROOT = Path(__file__).resolve().parents[2]


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*$")
_ATTR_LIST = re.compile(r"\{:?([^{}]*)\}\s*$")
_ID_IN_ATTRS = re.compile(r"(?:^|\s)#([^\s}]+)")
_JINJA_COMMENT_ID = re.compile(r"\{#\s*[^\s}]*\s*\}\s*$")
_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


@dataclass
class Heading:
    level: int
    text: str
    id: str | None
    line: int
    problem: str | None = None  # a malformed ID, reported on its own


@dataclass
class Call:
    text: str  # canonical form, e.g. case_box('newark-ovptr')
    kind: str  # "macro call" or "data reference"
    line: int
    section: str  # ID of the enclosing heading ("" before the first one)


@dataclass
class PageStructure:
    headings: list[Heading] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)


def front_matter_end(lines: list[str]) -> int:
    """Index of the first line after the front matter (0 when there is none);
    the editor check counts true lines with it too."""
    # Exactly MkDocs' rule (mkdocs.utils.meta.YAML_RE): "---" at the very
    # start, closed by "---" or "...", trailing spaces allowed, not leading.
    if lines and re.fullmatch(r"---[ \t]*", lines[0]):
        for i in range(2, len(lines)):
            if re.fullmatch(r"(?:---|\.\.\.)[ \t]*", lines[i]):
                return i + 1
    return 0


def canonical_expression(source: str) -> tuple[str, str]:
    """``(kind, canonical text)`` of the inside of a ``{{ ... }}``.

    Calls are normalised through the Python AST so quoting and spacing do not
    matter (``case_box( 'x' )`` equals ``case_box("x")``).
    """
    source = source.strip().strip("-").strip()  # {{- x -}} whitespace control
    try:
        tree = ast.parse(source, mode="eval").body
    except SyntaxError:
        return "data reference", " ".join(source.split())
    if isinstance(tree, ast.Call):
        return "macro call", ast.unparse(tree)
    return "data reference", ast.unparse(tree)


def parse_heading(level: int, raw: str, line: int) -> Heading:
    text, heading_id, problem = raw.rstrip("#").rstrip(), None, None
    if _JINJA_COMMENT_ID.search(text):
        problem = "uses {#id}, which opens a Jinja comment under mkdocs-macros; write {: #id }"
        text = _JINJA_COMMENT_ID.sub("", text).rstrip()
    else:
        attrs = _ATTR_LIST.search(text)
        if attrs and attrs.group(0).startswith("{:"):
            ids = _ID_IN_ATTRS.findall(attrs.group(1))
            text = text[: attrs.start()].rstrip()
            if ids:
                heading_id = ids[-1]
                if not _KEBAB.match(heading_id):
                    problem = f"heading id '{heading_id}' is not English kebab-case (a-z, 0-9, -)"
    return Heading(level=level, text=text, id=heading_id, line=line, problem=problem)


def parse_markdown(text: str) -> PageStructure:
    """Headings and ``{{ ... }}`` expressions of a page, outside code blocks."""
    lines = text.splitlines()
    structure = PageStructure()
    fence: str | None = None
    section = ""
    start = front_matter_end(lines)
    # Expressions may span lines: collect the prose (with line numbers) first.
    prose: list[tuple[int, str, str]] = []
    for number, line in enumerate(lines[start:], start=start + 1):
        opener = _FENCE.match(line)
        if fence:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence) \
                    and not line.strip()[len(opener.group(1)):].strip():
                fence = None
            continue
        if opener:
            fence = opener.group(1)
            continue
        heading = _HEADING.match(line)
        if heading:
            parsed = parse_heading(len(heading.group(1)), heading.group(2), number)
            structure.headings.append(parsed)
            if parsed.level >= 2:
                section = parsed.id or f"line {number}"
        prose.append((number, section, line))
    # Join the prose so an expression may span lines; map offsets back to lines.
    text_out, starts = "", []
    for number, sec, line in prose:
        starts.append((len(text_out), number, sec))
        text_out += line + "\n"
    offsets = [s[0] for s in starts]
    for match in _EXPRESSION.finditer(text_out):
        _, number, sec = starts[bisect.bisect_right(offsets, match.start()) - 1]
        kind, canonical = canonical_expression(match.group(1))
        structure.calls.append(Call(canonical, kind, number, sec))
    return structure


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def check_pair(a_path: Path, b_path: Path, root: Path) -> list[str]:
    """Problems between two language versions of one page (a = ar, b = en)."""
    pages = {a_path: parse_markdown(a_path.read_text(encoding="utf-8")),
             b_path: parse_markdown(b_path.read_text(encoding="utf-8"))}
    problems: list[str] = []

    # Headings that cannot be compared: no ID, or a malformed one.
    for path, page in pages.items():
        seen: dict[str, int] = {}
        for h in page.headings:
            if h.level < 2:
                continue
            where = f"{_rel(path, root)}:{h.line}"
            if h.problem:
                problems.append(f"{where}: {h.problem}")
            elif h.id is None:
                problems.append(f"{where}: heading '{h.text}' has no explicit id (add {{: #some-id }})")
            elif h.id in seen:
                problems.append(f"{where}: heading id '{h.id}' used twice (first on line {seen[h.id]})")
            if h.id:
                seen.setdefault(h.id, h.line)

    ids = {path: [h for h in page.headings if h.level >= 2 and h.id] for path, page in pages.items()}
    by_id = {path: {h.id: h for h in hs} for path, hs in ids.items()}
    for path, other in ((a_path, b_path), (b_path, a_path)):
        for h in ids[other]:
            if h.id not in by_id[path]:
                problems.append(f"{_rel(path, root)}: heading id '{h.id}' missing "
                                f"(present in {_rel(other, root)}:{h.line})")
    common = [h.id for h in ids[a_path] if h.id in by_id[b_path]]
    common_b = [h.id for h in ids[b_path] if h.id in by_id[a_path]]
    for hid in common:
        ha, hb = by_id[a_path][hid], by_id[b_path][hid]
        if ha.level != hb.level:
            problems.append(f"{_rel(a_path, root)}:{ha.line}: heading '{hid}' is level {ha.level} "
                            f"but level {hb.level} in {_rel(b_path, root)}:{hb.line}")
    if common != list(dict.fromkeys(common_b)) and len(set(common)) == len(common):
        for position, (x, y) in enumerate(zip(common, common_b), start=1):
            if x != y:
                problems.append(
                    f"{_rel(a_path, root)}:{by_id[a_path][x].line}: headings out of order: "
                    f"section {position} is '{x}' here but '{y}' in "
                    f"{_rel(b_path, root)}:{by_id[b_path][y].line}")
                break

    # Macro calls and data references, compared per section (as multisets).
    counted = {path: Counter((c.section, c.kind, c.text) for c in page.calls)
               for path, page in pages.items()}
    first_line = {path: {} for path in pages}
    for path, page in pages.items():
        for c in page.calls:
            first_line[path].setdefault((c.section, c.kind, c.text), c.line)
    for path, other in ((a_path, b_path), (b_path, a_path)):
        missing = counted[other] - counted[path]
        for key in sorted(missing, key=lambda k: first_line[other][k]):
            section, kind, text = key
            if section and section in by_id[other] and section not in by_id[path]:
                continue  # the whole section is missing: already reported once
            where = f" in section '{section}'" if section and not section.startswith("line ") else ""
            times = f" ({missing[key]}x)" if missing[key] > 1 else ""
            problems.append(f"{_rel(path, root)}: {kind} {text}{where} missing{times} "
                            f"(present in {_rel(other, root)}:{first_line[other][key]})")
    return problems


def check_tree(docs_dir: Path, root: Path | None = None) -> list[str]:
    """Every problem in ``docs_dir`` (which holds a folder per language): each
    language is compared with the default one. Stubs still to translate
    (``status: untranslated``) are left to ``python -m tools status``."""
    from guide.editorial.status import untranslated

    root = root or docs_dir.parent
    LANGUAGES = languages.for_root(Path(docs_dir).parent).codes
    trees = {lang: docs_dir / lang for lang in LANGUAGES}
    problems: list[str] = []
    for lang, tree in trees.items():
        if not tree.is_dir():
            problems.append(f"{_rel(tree, root)}: language folder missing")
    if problems:
        return problems
    names = {lang: {p.relative_to(tree).as_posix() for p in tree.rglob("*.md")} for lang, tree in trees.items()}
    a = LANGUAGES[0]
    for b in LANGUAGES[1:]:
        for name in sorted(names[a] | names[b]):
            pa, pb = trees[a] / name, trees[b] / name
            if name not in names[a]:
                problems.append(f"{_rel(pa, root)}: page missing (present in {_rel(pb, root)})")
            elif name not in names[b]:
                problems.append(f"{_rel(pb, root)}: page missing (present in {_rel(pa, root)})")
            elif not untranslated(pb):
                problems.extend(check_pair(pa, pb, root))
    return problems


def add_arguments(parser) -> None:
    parser.add_argument("--docs-dir", default=str(ROOT / "docs"),
                        help="folder holding a folder per language (default: docs)")


def main(args) -> int:
    docs_dir = Path(args.docs_dir).resolve()
    problems = check_tree(docs_dir, docs_dir.parent)
    for line in problems:
        print(line)
    if problems:
        print(f"parity: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    codes = languages.for_root(docs_dir.parent).codes
    count = len(list((docs_dir / codes[0]).rglob("*.md")))
    print(f"parity OK: {count} pages in {', '.join(codes)}")
    return 0
