"""Translation status: which pages and data records lack a language or lag behind.

    python -m tools status                      # table on stdout
    python -m tools status --markdown REPORT.md # the same as a Markdown report
    python -m tools status --fail-on-missing    # exit 1 if a page or record lacks a language (CI)

A page is *outdated* in one language when another language's file changed
later (git date of the last commit touching each file; uncommitted edits count
as now), and *untranslated* where its front matter says ``status:
untranslated`` (the stubs ``python -m tools new-lang`` writes). Data records
are checked generically: in ``data/*.yml`` any mapping that has some of the
configured language keys (mkdocs.yml's i18n list) and nothing but language
codes, yet not all of them, or an empty value for one, is a record missing a
language.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import re

import yaml

from guide import languages
from guide.pages import gitdates

ROOT = Path(__file__).resolve().parents[2]
_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")
_UNTRANSLATED = re.compile(r"\A---\n(?:.*\n)*?status:[ \t]*untranslated[ \t]*\n(?:.*\n)*?---\n")


@dataclass
class PageStatus:
    name: str  # path inside the language folder, e.g. strategy.md
    exists: dict[str, bool]
    changed: dict[str, datetime | None]
    state: str = "ok"  # ok | missing | untranslated | outdated
    language: str | None = None  # the language that is missing or outdated
    newer: str | None = None  # for outdated: the language that changed later


@dataclass
class RecordProblem:
    file: str
    line: int
    path: str  # e.g. cases[2].title
    record: str | None  # id of the enclosing record, if it has one
    missing: str  # the language that is missing or empty
    what: str = "missing"  # or "not translated yet" (new-lang's TRANSLATE: marker)

    def __str__(self) -> str:
        rec = f" (id {self.record})" if self.record else ""
        return f"{self.file}:{self.line}: {self.path}{rec}: {self.missing} {self.what}"


@dataclass
class Report:
    pages: list[PageStatus] = field(default_factory=list)
    records: list[RecordProblem] = field(default_factory=list)
    history: str | None = None  # why dates are unknown, if they are
    # The date given to files with uncommitted changes (shown as such).
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @property
    def missing(self) -> bool:
        return bool(self.records) or any(p.state in ("missing", "untranslated") for p in self.pages)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.pages[0].exists) if self.pages else languages.load().codes


def lagging(changed: dict[str, datetime | None]) -> tuple[str, str] | None:
    """``(outdated languages, newer language)`` when one changed strictly later:
    every language changed before the last change (``"ar"``, or ``"ar, fr"``),
    and the language changed last (the first in configured order among equals)."""
    if any(d is None for d in changed.values()) or len(changed) < 2:
        return None
    newest = max(changed, key=lambda lang: changed[lang])
    older = [lang for lang in changed if changed[lang] < changed[newest]]
    return (", ".join(older), newest) if older else None


def untranslated(path: Path) -> bool:
    """A page stub still to translate (front matter ``status: untranslated``)."""
    with open(path, encoding="utf-8") as handle:
        head = handle.read(2000)
    return bool(_UNTRANSLATED.match(head.replace("\r\n", "\n")))


def page_statuses(docs_dir: Path, dates: dict[str, datetime] | None, root: Path,
                  lag_dates: dict[str, datetime] | None = None, codes: tuple[str, ...] | None = None) -> list[PageStatus]:
    """``lag_dates`` (commits marked ``Translation: not-needed`` left out) decide
    what is outdated; ``dates`` are the dates shown."""
    LANGUAGES = codes or languages.for_root(Path(docs_dir).parent).codes
    trees = {lang: docs_dir / lang for lang in LANGUAGES}
    names = sorted({p.relative_to(tree).as_posix()
                    for tree in trees.values() if tree.is_dir() for p in tree.rglob("*.md")})
    rows = []
    for name in names:
        exists = {lang: (trees[lang] / name).is_file() for lang in LANGUAGES}
        changed = {lang: (dates or {}).get(gitdates.relative_to_repo(trees[lang] / name, root))
                   if exists[lang] else None for lang in LANGUAGES}
        row = PageStatus(name, exists, changed)
        lag_changed = changed if lag_dates is None else {
            lang: lag_dates.get(gitdates.relative_to_repo(trees[lang] / name, root)) if exists[lang] else None
            for lang in LANGUAGES}
        absent = [lang for lang in LANGUAGES if not exists[lang]]
        stubs = [lang for lang in LANGUAGES if exists[lang] and untranslated(trees[lang] / name)]
        if absent:
            row.state, row.language = "missing", absent[0]
        elif stubs:
            row.state, row.language = "untranslated", stubs[0]
        elif (lag := lagging(lag_changed)):
            row.state, (row.language, row.newer) = "outdated", lag
        rows.append(row)
    return rows


def _empty(node: yaml.Node) -> bool:
    if isinstance(node, yaml.ScalarNode):
        return node.tag == "tag:yaml.org,2002:null" or not str(node.value).strip()
    return not node.value  # an empty list or mapping


def record_problems(path: Path, label: str, codes: tuple[str, ...] | None = None) -> list[RecordProblem]:
    """Localized mappings in one YAML file that lack a language."""
    LANGUAGES = codes or languages.for_data_dir(Path(path).parent).codes
    node = yaml.compose(path.read_text(encoding="utf-8"))
    problems: list[RecordProblem] = []

    def walk(node: yaml.Node, where: str, record: str | None) -> None:
        if isinstance(node, yaml.MappingNode):
            keys = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
            if "id" in keys and isinstance(keys["id"][1], yaml.ScalarNode):
                record = str(keys["id"][1].value)
            present = [lang for lang in LANGUAGES if lang in keys]
            # A localized text maps language codes only (the termbase's concepts
            # have `ar` and `en` fields among others: not one).
            if present and all(_CODE.match(str(key)) for key in keys):
                for lang in LANGUAGES:
                    if lang not in keys:
                        problems.append(RecordProblem(label, node.start_mark.line + 1, where or "(top)", record, lang))
                    elif _empty(keys[lang][1]):
                        problems.append(RecordProblem(label, keys[lang][0].start_mark.line + 1,
                                                      where or "(top)", record, lang))
                    elif isinstance(keys[lang][1], yaml.ScalarNode) and \
                            str(keys[lang][1].value).startswith(languages.UNTRANSLATED):
                        problems.append(RecordProblem(label, keys[lang][0].start_mark.line + 1,
                                                      where or "(top)", record, lang, "not translated yet"))
            for key, value in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else "?"
                if name in LANGUAGES and present:
                    continue
                walk(value, f"{where}.{name}" if where else str(name), record)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{where}[{i}]", record)

    if node is not None:
        walk(node, "", None)
    return problems


def build_report(root: Path) -> Report:
    report = Report()
    try:
        dates, lag_dates = gitdates.change_dates(root, ("docs", "data"), now=report.now)
        top = gitdates.repo_root(root)
    except gitdates.NoHistory as exc:
        dates, lag_dates, top, report.history = None, None, root, str(exc)
    codes = languages.for_root(root).codes
    report.pages = page_statuses(root / "docs", dates, top, lag_dates, codes)
    for path in sorted((root / "data").glob("*.yml")):
        report.records.extend(record_problems(path, path.relative_to(root).as_posix(), codes))
    return report


def _date(d: datetime | None, exists: bool, now: datetime | None = None) -> str:
    if not exists:
        return "—"
    if d is not None and d == now:
        return "uncommitted"
    return d.strftime("%Y-%m-%d %H:%M") if d else "unknown"


def _state(row: PageStatus) -> str:
    if row.state == "missing":
        return f"MISSING {row.language}"
    if row.state == "untranslated":
        return f"UNTRANSLATED {row.language} (a stub: translate it, then set status: complete)"
    if row.state == "outdated":
        return f"OUTDATED {row.language} ({row.newer} changed later)"
    return "ok"


def render_text(report: Report) -> str:
    codes = report.languages
    header = ("page", *(f"{lang} changed" for lang in codes), "state")
    rows = [(r.name, *(_date(r.changed[lang], r.exists[lang], report.now) for lang in codes), _state(r))
            for r in report.pages]
    n = len(codes) + 1
    widths = [max(len(x[i]) for x in [header, *rows]) for i in range(n)]
    out = ["  ".join(c.ljust(w) for c, w in zip(row[:n], widths)) + "  " + row[n] for row in [header, *rows]]
    if report.history:
        out.append(f"note: no git history ({report.history}); change dates unknown")
    out.append("")
    if report.records:
        out.append(f"data records missing a language ({len(report.records)}):")
        out.extend(f"  {p}" for p in report.records)
    else:
        out.append(f"data records: every localized field has {_every(codes)}")
    return "\n".join(out) + "\n"


def render_markdown(report: Report) -> str:
    codes = report.languages
    out = ["# Translation status", "",
           "| page | " + " | ".join(f"{lang} changed" for lang in codes) + " | state |",
           "| --- | " + " | ".join("---" for _ in codes) + " | --- |"]
    for r in report.pages:
        out.append(f"| `{r.name}` | "
                   + " | ".join(_date(r.changed[lang], r.exists[lang], report.now) for lang in codes)
                   + f" | {_state(r)} |")
    if report.history:
        out += ["", f"No git history ({report.history}): change dates unknown."]
    out += ["", "## Data records missing a language", ""]
    out += [f"- `{p}`" for p in report.records] or [f"None: every localized field has {_every(codes)}."]
    return "\n".join(out) + "\n"


def _every(codes: tuple[str, ...]) -> str:
    return " and ".join(codes) if len(codes) == 2 else ", ".join(codes[:-1]) + " and " + codes[-1]


def add_arguments(parser) -> None:
    parser.add_argument("--markdown", metavar="FILE", help="also write the report as Markdown to FILE")
    parser.add_argument("--fail-on-missing", action="store_true",
                        help="exit 1 when a page or data record lacks a language")


def main(args) -> int:
    root = ROOT
    try:
        report = build_report(root)
    except yaml.YAMLError as exc:
        print(f"status: cannot read data file: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(render_text(report))
    if args.markdown:
        target = Path(args.markdown)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(render_markdown(report), encoding="utf-8")
        tmp.replace(target)  # never leave a half-written report
        print(f"wrote {target}")
    if args.fail_on_missing and report.missing:
        print("status: pages or data records lack a language", file=sys.stderr)
        return 1
    return 0
