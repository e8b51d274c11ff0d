"""Per-language search indexes, made from the one combined index.

mkdocs-static-i18n writes a single ``search/search_index.json`` at the site
root holding every language (English entries have ``en/...`` locations). It
keeps its documents (the offline tool counts them), but pages never load it:
each language gets its own pre-built index (``guide/search/prebuilt.py``,
under ``search/<lang>/``), searched by the guide's worker
(``overrides/assets/javascripts/guide-search/worker.js``, written here with
the tables of ``guide/search/analysis.json``), and a page loads only
``search/search_index.<lang>.json``: Material's config (its highlighter needs
the separator) naming those directories (see ``overrides/partials/search-lazy.js``).

Before the split, the entries are prepared:

* names in either script: the data pairs every city, country and acronym in
  both languages (cases, mandates, glossary); an entry that mentions one
  spelling gets the other in a hidden ``alias`` field (indexed, never shown),
  so "Newark" finds نيوارك on the Arabic site and «نيوارك» finds Newark on the
  English one;
* Arabic text in English entries (the glossary's Arabic terms) moves to that
  hidden field too: still found, but an English result never needs the
  Arabic font.

The evaluation's baselines (stock Material search, the site before the
guide's analysis) are not made here: ``tools/searcheval.py`` turns a copy of
a normal build into them.

Material's worker protocol, the only numbers its bundle and a search worker
exchange (its ``SearchMessageType``), is ``MESSAGES`` below: written into the
worker (``/*MESSAGES*/``) and into the pages' search scope for
``overrides/partials/search-lazy.js``, so neither script has a number of its own.

Plain Python, no MkDocs import: the hook ``hooks/pages.py`` calls it after the build.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

import yaml

from guide import languages
from guide.search import analysis, prebuilt
from guide.theme import material

INDEX = Path(material.SEARCH_INDEX_JSON)
ALIAS_FIELD = "alias"
# Material's worker protocol (SearchMessageType in its worker integration, 9.x):
# setup (the index's config and documents, to the worker), ready (back),
# query (the reader's text) and result (the items Material renders).
MESSAGES = {"setup": 0, "ready": 1, "query": 2, "result": 3}
_TAGS = re.compile(r"<[^>]+>")
_AR_MARKS = re.compile("[\u0610-\u061A\u064B-\u065F\u0670\u0640]")
_NAME_PARTS = re.compile(r"\s*[(),،]\s*")


class SearchIndexError(ValueError):
    pass


def split_index(data: dict, prefixes: dict[str, str], default: str) -> dict[str, dict]:
    """``{lang: index}`` with each language's documents, in their original order
    (Material relies on a page's entry preceding its sections)."""
    if not isinstance(data.get("docs"), list) or not isinstance(data.get("config"), dict):
        raise SearchIndexError("search index has no 'docs' list or 'config' object")
    result = {}
    for lang in prefixes:
        docs = [d for d in data["docs"] if languages.language_of_url(d.get("location", ""), prefixes, default) == lang]
        config = dict(data["config"])
        config["lang"] = [lang]
        result[lang] = {**data, "config": config, "docs": docs}
    return result


def _fold(text: str) -> str:
    """Text as names are compared: no tags, diacritics or tatweel, one alef (case kept)."""
    text = unicodedata.normalize("NFKC", _TAGS.sub(" ", text))
    text = _AR_MARKS.sub("", text)
    text = re.sub("[\u0622\u0623\u0625]", "\u0627", text)
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c) or "\u0600" <= c <= "\u06FF")


def _parts(name: str) -> list[str]:
    """``"Newark, New Jersey"`` -> ``["Newark", "New Jersey"]``; ``"نيوارك (نيوجيرسي)"`` likewise."""
    return [p for p in _NAME_PARTS.split(name.strip()) if p]


def name_pairs(data_dir: Path) -> list[dict[str, list[str]]]:
    """Every city, country and acronym the data names, in every configured
    language: ``{"ar": [...], "en": [...]}``.

    Cities and countries come from cases.yml and mandates.yml; acronyms are the
    glossary terms with an ``abbr`` (the acronym goes with the English name,
    ``models.ABBR_LANGUAGE``). The data is validated by the build before this runs.
    """
    from guide.data.models import ABBR_LANGUAGE

    codes = languages.for_data_dir(data_dir).codes

    def load(name: str) -> dict:
        path = Path(data_dir) / name
        # libyaml's loader where available: the pure-Python one took most of this step.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader) if path.is_file() else {}

    pairs = []
    for record in load("cases.yml").get("cases", []) + load("mandates.yml").get("mandates", []):
        for key in ("city", "country"):
            names = record.get(key)
            if isinstance(names, dict) and all(names.get(code) for code in codes):
                pairs.append({code: _parts(names[code]) for code in codes})
    for term in load("glossary.yml").get("terms", []):
        if term.get("abbr"):
            pairs.append({code: _parts(term["term"][code]) + ([term["abbr"]] if code == ABBR_LANGUAGE else [])
                          for code in codes})
    unique = []
    for pair in pairs:
        if pair not in unique:
            unique.append(pair)
    return unique


class _Name:
    """One spelling of a name, ready to count in folded text."""

    def __init__(self, name: str):
        self.text = name
        self.folded = _fold(name)
        self.arabic = re.search("[\u0600-\u06FF]", self.folded) is not None
        self.lower = self.folded.casefold()
        escaped = re.escape(self.folded)
        # Latin: a whole word, any case; table cells reach the index glued
        # together ("BangladeshAsiaFranceEurope"), so a capitalised name may
        # also touch a lower-case letter before it.
        self.word = re.compile(r"(?<![A-Za-z0-9])(?i:" + escaped + r")(?![a-z0-9])")
        self.glued = re.compile(r"(?<=[a-z])" + escaped + r"(?![a-z0-9])") if self.folded[:1].isupper() else None

    def count(self, text: str, lower: str) -> int:
        """How often ``text`` (folded; ``lower`` is its casefold) names it."""
        if self.lower not in lower:
            return 0
        if self.arabic:
            return text.count(self.folded)  # Arabic names take attached particles: وبنيوارك
        found = len(self.word.findall(text))
        if not found and self.glued:
            found = len(self.glued.findall(text))
        return found


def _mentions(text: str, name: str) -> int:
    """How often ``text`` (folded) names ``name``."""
    return _Name(name).count(text, text.casefold())


def add_aliases(docs: list[dict], pairs: list[dict[str, list[str]]], lang_of) -> int:
    """Give each entry the other script's spelling of every name it mentions, in
    ``alias``, as often as it mentions it (the index counts the alias as words
    of the text, so نيوارك weighs on an English page what Newark weighs: a page
    that is about Newark outranks one that names it once); return how many
    entries got one. A name of parts («Newark, New Jersey»: نيوارك، نيوجيرسي)
    gives each part as often as its own counterpart is named, less the times the
    entry already writes it.
    ``lang_of(doc)`` is the entry's language."""
    ready = [{lang: [_Name(n) for n in names] for lang, names in pair.items()} for pair in pairs]
    count = 0
    for doc in docs:
        lang = lang_of(doc)
        text = _fold(f"{doc.get('title', '')} {doc.get('text', '')}")
        lower = text.casefold()
        extra: list[str] = []
        for pair in ready:
            mine = pair.get(lang, [])
            counts = [name.count(text, lower) for name in mine]
            if not any(counts):
                continue
            for other, theirs in pair.items():
                if other == lang:
                    continue
                # Parts that pair one to one (city, state) count each on its own;
                # otherwise (an acronym beside its name) every mention counts.
                times = counts if len(mine) == len(theirs) else [sum(counts)] * len(theirs)
                for name, n in zip(theirs, times):
                    # Topped up to as often as the counterpart: an Arabic page that
                    # gives «(Newark)» once and نيوارك four times has Newark four times.
                    extra += [name.text] * max(0, n - name.count(text, lower))
        if extra:
            doc[ALIAS_FIELD] = " ".join(extra)
            count += 1
    return count


_ARABIC_RUN = re.compile("[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF][\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF\\s]*")


_EMPTY_QUOTES = re.compile(r"«\s*»|\(\s*\)|“\s*”")
_REPEATED_SEPARATORS = re.compile(r"\s*([,/;])(?:\s*[,/;])+")
_DANGLING_SEPARATOR = re.compile(r"\s*[,/;](?=\s*(?:—|–|$|<))")


def tidy_gaps(text: str) -> str:
    """What is left where runs were taken out: empty «» and (), repeated
    separators (", , ,"), a separator before a dash or the end of a block."""
    text = _EMPTY_QUOTES.sub("", text)
    text = _REPEATED_SEPARATORS.sub(r"\1", text)
    text = _DANGLING_SEPARATOR.sub("", text)
    text = re.sub(r"[ \t]+([,;.:])", r"\1", text)
    return re.sub(r"[ \t]{2,}", " ", text)


def hide_arabic_runs(docs: list[dict], lang_of) -> int:
    """In entries of the languages not written in Arabic script, move Arabic text (the bilingual
    glossary's terms) from the shown ``text`` to the hidden ``alias``: still
    found, but a result snippet on an English page then needs no Arabic font
    (20 kB). Returns how many entries changed."""
    registry = languages.load()
    arabic = {lang.code for lang in registry.with_script("arabic")}
    count = 0
    for doc in docs:
        if lang_of(doc) in arabic or not _ARABIC_RUN.search(doc.get("text", "")):
            continue
        runs = [r.strip() for r in _ARABIC_RUN.findall(doc["text"])]
        doc["text"] = tidy_gaps(_ARABIC_RUN.sub("", doc["text"]))
        doc[ALIAS_FIELD] = " ".join(filter(None, [doc.get(ALIAS_FIELD, "")] + runs))
        count += 1
    return count


def prepare(data: dict, prefixes: dict[str, str], default: str, pairs: list) -> dict:
    """The combined index made ready for the guide's analysis (see the module doc)."""
    if not isinstance(data.get("docs"), list) or not isinstance(data.get("config"), dict):
        raise SearchIndexError("search index has no 'docs' list or 'config' object")
    lang_of = lambda doc: languages.language_of_url(doc.get("location", ""), prefixes, default)  # noqa: E731
    add_aliases(data["docs"], pairs, lang_of)
    hide_arabic_runs(data["docs"], lang_of)
    fields = {**data["config"].get("fields", {}), ALIAS_FIELD: {"boost": 1.0}}
    return {**data, "config": {**data["config"], "fields": fields}}


WORKER_DIR = Path("assets") / "javascripts" / "guide-search"
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_TABLES = re.compile(r"/\*TABLES\*/.*?/\*END\*/", re.DOTALL)
_MESSAGES = re.compile(r"/\*MESSAGES\*/.*?/\*END\*/", re.DOTALL)


def _compact(source: str) -> str:
    """Without comments and indentation: only whole-line ``//`` comments and
    ``/* */`` blocks go, so code and strings are untouched."""
    lines = (line.strip() for line in _BLOCK_COMMENT.sub("", source).splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def with_tables(path: Path) -> str:
    """A worker source with the analysis specification (``guide/search/analysis.json``)
    written over its ``/*TABLES*/…/*END*/`` placeholder: the one source of the
    tables for both sides."""
    source = Path(path).read_text(encoding="utf-8")
    tables = json.dumps(analysis.tables(), ensure_ascii=False, separators=(",", ":"))
    source, found = _TABLES.subn(lambda _: tables, source, count=1)
    if not found:
        raise SearchIndexError(f"{path}: no /*TABLES*/…/*END*/ placeholder")
    messages = json.dumps(MESSAGES, separators=(",", ":"))
    return _MESSAGES.sub(lambda _: messages, source, count=1)


def worker_script(source_dir: Path) -> str:
    """The search worker as shipped: the Porter stemmer and the worker from
    ``source_dir`` (``overrides/assets/javascripts/guide-search/`` or its copy
    in the built site), the analysis tables written in, comments and
    indentation out (the sources stay commented)."""
    source_dir = Path(source_dir)
    worker = with_tables(source_dir / "worker.js")
    porter = with_tables(source_dir / "porter.js")
    return ("/* source: overrides/assets/javascripts/guide-search/ (porter.js, worker.js) */\n"
            + _compact(porter) + "\n" + _compact(worker) + "\n")


def worker_version(source_dir: Path) -> str:
    """A hash of the worker as shipped: pages ask for ``worker.js?v=<it>``, so a
    browser never runs a cached worker against a newer index."""
    return hashlib.sha256(worker_script(source_dir).encode()).hexdigest()[:10]


def write_worker(site_dir: Path) -> bool:
    """Replace the built site's worker sources with the shipped worker; True if done."""
    folder = Path(site_dir) / WORKER_DIR
    porter = folder / "porter.js"
    if not porter.is_file():
        return False  # done already (mkdocs-static-i18n runs post_build once per language)
    script = worker_script(folder)
    (folder / "worker.js").write_text(script, encoding="utf-8")
    porter.unlink()
    return True


_GLUED_CELLS = re.compile(r"(</t[dh]>|</tr>)(?=<)|(<br\s*/?>)(?!\s)", re.IGNORECASE)


def spaced_cells(html: str) -> str:
    """A space after each table cell, row and line break that a tag follows at
    once. Material's search keeps no table tags and joins what is left, so
    ``<td>Bangladesh</td><td>Asia</td>`` reached the index as one word
    "BangladeshAsia" (Arabic cells the same: بنغلاديشآسيا, found by neither
    name). Between cells and rows the space changes nothing on the page."""
    return _GLUED_CELLS.sub(lambda m: m.group(0) + " ", html)


def config_only(index: dict) -> dict:
    """What a page loads when the guide's worker searches: Material's config (its
    highlighter needs the separator) and the pre-built index's directories
    (``config.guide``), without the documents, which the worker never needs."""
    return {"config": index["config"], "docs": []}


def write_language_indexes(site_dir: Path, prefixes: dict[str, str], default: str,
                           data_dir: Path | None = None) -> dict[str, Path]:
    """Write ``search/search_index.<lang>.json`` for each language; return the paths.

    ``prefixes`` maps each language to its URL prefix (``{"ar": "", "en": "en/"}``).
    Does nothing when the site has no search index (search plugin disabled).
    """
    source = Path(site_dir) / INDEX
    if not source.is_file():
        return {}
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SearchIndexError(f"{source}: not valid JSON: {exc}") from exc
    pairs = name_pairs(data_dir) if data_dir else []
    data = prepare(data, prefixes, default, pairs)
    languages = split_index(data, prefixes, default)
    # The guide's worker searches the pre-built index (guide/search/prebuilt.py);
    # pages get only the config, which names each language's directory.
    dirs = {lang: prebuilt.write(Path(site_dir), lang, index, pairs) for lang, index in languages.items()}
    data = {**data, "config": {**data["config"], "guide": dirs}}
    for index in languages.values():
        index["config"] = {**index["config"], "guide": dirs}
    # The combined index keeps its documents (the offline tool counts them).
    source.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    script = Path(site_dir) / material.SEARCH_INDEX_JS
    if script.is_file():
        # The offline build: Material's offline plugin wrote the script form
        # before this hook ran; pages load it, so it carries what they need.
        script.write_text(script_form(data), encoding="utf-8")
    written = {}
    for lang, index in languages.items():
        target = Path(site_dir) / material.search_config_file(lang)
        target.write_text(json.dumps(config_only(index), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        written[lang] = target
    return written


def script_form(data: dict) -> str:
    """``search/search_index.js``, what Material loads under ``file://``: the
    config only (the guide's worker never reads the documents)."""
    return "var __index = " + json.dumps(config_only(data), ensure_ascii=False, separators=(",", ":"))
