"""Load and validate every data file once, or stop with one actionable line.

Each YAML file is composed into a node tree (which keeps line numbers) and
constructed from that same tree; pydantic validates the result, and an error's
location (``('cases', 3, 'summary', 'ar')``) is walked back down the node tree
to the line an editor has to fix. Cross-file rules (chapter references,
duplicate ids, required UI strings) are checked after every file is valid, so
no page is ever rendered from half-valid data.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from guide import languages
from guide.data import models, yamlinput
from guide.data.models import FILES, Localized

ROOT = Path(__file__).resolve().parents[2]
# Point the whole site at another data directory (tests, editors' experiments).
DATA_DIR_ENV = "GUIDE_DATA_DIR"


class DataError(Exception):
    """Invalid data. ``str(error)`` is the single line shown to the editor:
    ``data/cases.yml:42: case 'newark-ovptr': field 'summary.ar': Field required``."""


def default_data_dir() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV) or ROOT / "data")


def display_path(path: Path) -> str:
    """Path as an editor would type it: relative to the working directory if inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass
class SourceFile:
    """One parsed YAML file: its path, node tree and plain data."""

    stem: str
    path: Path
    node: yaml.Node | None
    data: Any

    @property
    def name(self) -> str:
        return display_path(self.path)

    def line_of(self, *loc) -> int:
        return _walk(self.node, loc)[0]


@dataclass
class GuideData:
    """Everything in ``data/``, validated."""

    data_dir: Path
    chapters: list[models.Chapter]
    mandates: list[models.Mandate]
    cases: list[models.Case]
    questions: list[models.QuestionList]
    glossary: list[models.Term]
    ui: dict[str, Localized]
    termbase: list[models.TermConcept] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # stem -> display path, e.g. "data/cases.yml"

    def chapter(self, number: int) -> models.Chapter:
        return next(c for c in self.chapters if c.number == number)

    def case(self, case_id: str) -> models.Case | None:
        return next((c for c in self.cases if c.id == case_id), None)

    def question_list(self, list_id: str) -> models.QuestionList | None:
        return next((q for q in self.questions if q.id == list_id), None)


def _site_path(path: Path) -> str:
    """How boxes name their data file: repository-relative (``data/cases.yml``)."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


# --- parsing ---

def parse_yaml(path: Path, stem: str) -> SourceFile:
    name = display_path(path)
    try:
        parsed = yamlinput.parse(yamlinput.read(path, name), name)
    except FileNotFoundError:
        raise DataError(f"{name}: file not found (expected one file per kind of data: {', '.join(FILES)})") from None
    except yamlinput.YAMLInputError as error:
        raise DataError(str(error)) from None
    if parsed.node is None:
        raise DataError(f"{name}:1: file is empty")
    return SourceFile(stem, path, parsed.node, parsed.data)


def _walk(node: yaml.Node | None, loc) -> tuple[int, list[str]]:
    """Follow a pydantic location down the node tree.

    Returns the 1-based line that best shows the problem and the field path
    parts that exist in the file (plus a final missing key). Location parts
    that are not in the file (a tagged union's tag) are skipped.
    """
    if node is None:
        return 1, [str(p) for p in loc]
    line = node.start_mark.line + 1
    parts: list[str] = []
    current = node
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(current, yaml.MappingNode):
            match = next(((k, v) for k, v in current.value
                          if isinstance(k, yaml.ScalarNode) and k.value == str(part)), None)
            if match is None:
                if last:
                    parts.append(str(part))  # a missing key: point at its parent
                continue
            key, current = match
            parts.append(str(part))
            # A scalar's problem is on its own line; a block's, on its key's line.
            line = (current if isinstance(current, yaml.ScalarNode) else key).start_mark.line + 1
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int):
            parts.append(f"[{part}]")
            if part >= len(current.value):
                break
            current = current.value[part]
            line = current.start_mark.line + 1
        elif isinstance(current, yaml.SequenceNode) and not last:
            continue  # a tagged union's tag ("many") before the list index
        else:
            break
    return line, parts


def _field_path(parts: list[str]) -> str:
    return "".join(p if p.startswith("[") else f".{p}" for p in parts).lstrip(".")


def _record_label(source: SourceFile, loc: tuple) -> tuple[str, tuple]:
    """``("case 'newark-ovptr': ", rest_of_loc)`` for a location inside a record."""
    _model, noun, list_key, _unique = FILES[source.stem]
    data = source.data
    if list_key is None:  # ui.yml: the top-level key is the record
        if loc and isinstance(data, dict) and str(loc[0]) in data:
            return f"{noun} {str(loc[0])!r}: ", loc[1:]
        return "", loc
    if len(loc) >= 2 and loc[0] == list_key and isinstance(loc[1], int):
        items = data.get(list_key) if isinstance(data, dict) else None
        record = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
        ident = None
        if isinstance(record, dict):
            ident = record.get("id", record.get("number", record.get("slug")))
        label = f"{noun} {ident!r}: " if ident is not None else f"{noun} #{loc[1] + 1}: "
        return label, loc[2:]
    return "", loc


def error_line(source: SourceFile, loc: tuple, message: str) -> str:
    """``file:line: <record>: field '<path>': message`` for a location in ``source``."""
    line, parts = _walk(source.node, loc)
    label, rest = _record_label(source, loc)
    # The record's own location parts always exist in the file, so the field
    # path is what remains after them.
    field_parts = parts[len(loc) - len(rest):]
    field_text = f"field {_field_path(field_parts)!r}: " if field_parts else ""
    return f"{source.name}:{line}: {label}{field_text}{message}"


def _pydantic_message(err: dict, registry=None) -> str:
    msg = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    if err["type"] == "extra_forbidden":
        msg = "unknown field (not in the schema; check the spelling)"
    elif err["type"] == "dict_type" and registry is not None:
        # A plain string where a Localized mapping belongs.
        codes = registry.codes
        every = "both languages" if len(codes) == 2 else "every language"
        msg = f"expected the text in {every}: {{{', '.join(f'{code}: …' for code in codes)}}}"
    return msg


def validate(source: SourceFile, registry=None):
    model = FILES[source.stem][0]
    registry = registry or languages.for_data_dir(source.path.parent)
    try:
        return model.model_validate(source.data, context={"languages": registry})
    except ValidationError as error:
        errors = error.errors()
        first = errors[0]
        loc = tuple(first["loc"])
        message = _pydantic_message(first, registry)
        if loc and loc[-1] == "[key]":  # a mapping key itself is invalid
            loc, message = loc[:-1], f"invalid key name: {message}"
        more = f" (+{len(errors) - 1} more error{'s' if len(errors) > 2 else ''} in this file)" if len(errors) > 1 else ""
        raise DataError(error_line(source, loc, message) + more) from None


def _check_unique(source: SourceFile, model) -> None:
    _m, noun, list_key, unique = FILES[source.stem]
    if not list_key:
        return
    for key in unique:
        first_index: dict[Any, int] = {}
        for index, record in enumerate(getattr(model, list_key)):
            value = getattr(record, key)
            if value is None:
                continue
            if value in first_index:
                first_line = source.line_of(list_key, first_index[value], key)
                raise DataError(error_line(source, (list_key, index, key),
                                           f"duplicate {key} {value!r} (first at line {first_line})"))
            first_index[value] = index


# UI strings the macros need; other engineers' keys are welcome alongside.
REQUIRED_UI_KEYS = (
    "case.label", "case.figures", "case.related", "box.source",
    "questions.label", "questions.from-text", "mandates.caption", "mandates.country", "mandates.region",
    "mandates.category", "mandates.summary",
    "cases-index.case", "cases-index.place", "cases-index.appears-in",
    "figure.more-than", "figure.about",
    "cases-index.from", "cases-index.from-guide", "cases-index.from-roundtable",
    "glossary.editors", "chapter.proposed-title",
    "termbase.caption", "termbase.english", "termbase.arabic", "termbase.avoid", "termbase.in-this-sense",
)


# The placeholders code fills in, per key; a key not listed has none. Where
# they are filled: figure.* and termbase.* guide/render/boxes.py; notice.* and
# dates.* guide/pages/notices.py; pdf.* guide/publish/pdf.py; search.*
# search-counts.js; offline.* the save-for-offline scripts. Any other brace is
# refused here: str.format would stop the build on it naming no file, and a
# script would print it as written.
UI_PLACEHOLDERS: dict[str, set[str]] = {
    "figure.more-than": {"n"}, "figure.about": {"n"},
    "termbase.in-this-sense": {"term"},
    "notice.translation-newer": {"date", "language"}, "notice.translation-link": {"language"},
    "dates.last-updated": {"date"}, "dates.edition-published": {"date"}, "dates.edition-updated": {"date"},
    "pdf.edition": {"date", "commit"},
    **{f"search.{kind}.{form}": {"n"} for kind in ("count", "more") for form in ("one", "two", "few", "many")},
    "offline.size": {"size"}, "offline.saving": {"done", "total"}, "offline.saved": {"pages", "size"},
    "offline.saved-date": {"date"}, "offline.failed": {"reason"}, "offline.update": {"date"},
}


def _ui_required() -> list[str]:
    keys = list(REQUIRED_UI_KEYS)
    keys += [f"category.{c.value}" for c in models.MandateCategory]
    keys += [f"region.{r.value}" for r in models.Region]
    keys += [f"source.{s}" for s in models.SOURCE_KEYS]
    keys += [f"currency.{c.value}" for c in models.Currency]
    return keys


_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


# What `python -m tools new-lang` writes for a string still to translate: the
# build refuses to publish it (the editor check names each one).
UNTRANSLATED = languages.UNTRANSLATED


def _check_ui_strings(source: SourceFile, ui: dict[str, Localized], registry) -> None:
    # UI strings reach templates that do not escape (Material's): markup is
    # refused by the model, and a straight " (which would end an attribute)
    # here. "{n}", "{date}" are filled in by code: a translated or dropped one
    # would print literally (or lose the number) in one language.
    codes = registry.codes
    every = "both languages" if len(codes) == 2 else "every language"
    for key, text in ui.items():
        for lang in codes:
            if text.get(lang).startswith(UNTRANSLATED):
                raise DataError(error_line(source, (key, lang), f"not translated yet: replace the text after "
                                           f"{UNTRANSLATED!r} by the {registry.get(lang).english_name} string"))
            if '"' in text.get(lang):
                raise DataError(error_line(source, (key, lang), 'straight double quote (") in a UI string: '
                                           'write typographic quotes “…” (English) or «…» (Arabic)'))
        found = {lang: sorted(_PLACEHOLDER.findall(text.get(lang))) for lang in codes}
        first = codes[0]
        for lang in codes[1:]:
            if found[lang] != found[first]:
                raise DataError(error_line(source, (key, first),
                                f"placeholders differ: {first} has {' '.join(found[first]) or 'none'}, "
                                f"{lang} has {' '.join(found[lang]) or 'none'} "
                                f"(keep {{n}}, {{date}}, … untranslated and in {every})"))
        allowed = UI_PLACEHOLDERS.get(key, set())
        for lang in codes:
            rest = _PLACEHOLDER.sub(lambda m: "" if m.group(0)[1:-1] in allowed else m.group(0), text.get(lang))
            if "{" in rest or "}" in rest:
                known = " ".join(f"{{{name}}}" for name in sorted(allowed))
                raise DataError(error_line(source, (key, lang),
                                           f"brace in a UI string: {key} takes "
                                           f"{'only ' + known if known else 'no placeholder'} (filled in by code); "
                                           f"write other text without {{ and }}"))


# (data folder, registry, the files' bytes) -> what they gave. A build loads the
# data up to three times (editor pre-pass, then the macros once per language),
# and `make serve` again on every edit; validation is the cost, not reading.
_LOADED: dict[tuple, tuple[languages.Registry, GuideData]] = {}


def load_all(data_dir: Path | None = None) -> GuideData:
    """Parse and validate every data file; raise ``DataError`` on the first problem.
    The same files give the same (shared, not to be changed) result."""
    data_dir = Path(data_dir) if data_dir else default_data_dir()
    try:
        contents = tuple((data_dir / f"{stem}.yml").read_bytes() for stem in FILES)
    except OSError:
        return _load_all(data_dir)  # the parser names the missing file
    # The working directory too: the data's file names are shown relative to it.
    key = (str(data_dir.resolve()), str(Path.cwd()), contents)
    registry = languages.for_data_dir(data_dir)
    cached = _LOADED.get(key)
    if cached is None or cached[0] is not registry:
        _LOADED.clear()
        cached = _LOADED[key] = (registry, _load_all(data_dir))
    return cached[1]


def _load_all(data_dir: Path) -> GuideData:
    sources = {stem: parse_yaml(data_dir / f"{stem}.yml", stem) for stem in FILES}
    registry = languages.for_data_dir(data_dir)
    parsed = {}
    for stem, source in sources.items():
        parsed[stem] = validate(source, registry)
        _check_unique(source, parsed[stem])

    numbers = sorted(c.number for c in parsed["chapters"].chapters)
    known = f"known: {', '.join(map(str, numbers))} in {sources['chapters'].name}"
    for index, case in enumerate(parsed["cases"].cases):
        for j, number in enumerate(case.chapters):
            if number not in numbers:
                raise DataError(error_line(sources["cases"], ("cases", index, "chapters", j),
                                           f"unknown chapter {number} ({known})"))
    for index, qlist in enumerate(parsed["questions"].lists):
        if qlist.chapter not in numbers:
            raise DataError(error_line(sources["questions"], ("lists", index, "chapter"),
                                       f"unknown chapter {qlist.chapter} ({known})"))

    ui = parsed["ui"].root
    missing = [key for key in _ui_required() if key not in ui]
    if missing:
        raise DataError(f"{sources['ui'].name}:1: missing UI string{'s' if len(missing) > 1 else ''} "
                        f"{', '.join(repr(k) for k in missing)} (add {'each' if len(missing) > 1 else 'it'} with "
                        f"{' and '.join(registry.codes) if len(registry) == 2 else ', '.join(registry.codes)})")

    _check_ui_strings(sources["ui"], ui, registry)

    return GuideData(
        data_dir=data_dir,
        chapters=sorted(parsed["chapters"].chapters, key=lambda c: c.number),
        mandates=list(parsed["mandates"].mandates),
        cases=list(parsed["cases"].cases),
        questions=list(parsed["questions"].lists),
        glossary=list(parsed["glossary"].terms),
        ui=dict(ui),
        termbase=list(parsed["termbase"].concepts),
        files={stem: _site_path(data_dir / f"{stem}.yml") for stem in FILES},
    )
