"""What a page tells its reader about itself (plain logic, no MkDocs).

* a notice when another language's version of the page changed later
  (translation lag), linking to the most recently changed one;
* a note on ``status: summary`` pages;
* when the page was last updated, the guide's edition dates, and the page's
  source file (with an edit link when the repository URL is configured).

Everything comes back as ready-to-print strings in the page's language; the
templates (``overrides/partials/page-notices.html``, ``page-dates.html``) only
lay them out. UI strings live in ``data/ui.yml`` as ``key: {ar: ..., en: ...}``,
one string per configured language.

Dates use each language's month names and digits from the language registry
(mkdocs.yml, ``guide/languages.py``): Arabic uses the month names of the
Arabic edition and most Arab media (يناير، فبراير، مارس ...), not the
Levantine names (كانون الثاني ...), and Arabic-Indic digits: «٣٠ يناير ٢٠٢٥».
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from guide import languages
from guide.data import ui as ui_strings

# The keys this module reads from data/ui.yml.
UI_KEYS = ("notice.translation-newer", "notice.translation-link", "notice.summary", "notice.summary-link",
           "nav.status.summary",
           "dates.last-updated", "dates.edition-published", "dates.edition-updated",
           "dates.source-guide", "dates.edit-page")
# ``language.<code>``: a language as the notices name it in each language (the
# word that fits their ``{language}``: الإنجليزية, English, anglaise).
LANGUAGE_NAME = "language."
# The About page's note on the limits of the sources (docs/*/about.md, heading ID).
SOURCES_NOTE = ("about.md", "about-this-edition")
# The guide's public web edition, named as every page's source.
GUIDE_URL = "https://strongcitiesnetwork.org/resource/a-guide-for-cities"


UIError = ui_strings.UIError  # data/ui.yml lacks a key or a language this module needs


def format_date(value: date | datetime, lang: str) -> str:
    """``30 January 2025`` in English, ``٣٠ يناير ٢٠٢٥`` in Arabic."""
    if isinstance(value, datetime):
        value = value.date()
    return languages.load().get(lang).format_date(value.day, value.month, value.year)


def load_ui(path: Path) -> dict[str, dict[str, str]]:
    """The UI strings this module needs, checked: a clear error names the key."""
    strings = ui_strings.read(path)
    ui: dict[str, dict[str, str]] = {}
    codes = languages.for_data_dir(Path(path).parent).codes
    # A translation notice names the other language in the page's language.
    for key in (*UI_KEYS, *(LANGUAGE_NAME + code for code in codes)):
        entry = strings.get(key)
        if not isinstance(entry, dict):
            raise UIError(f"{path}: key '{key}' missing (needs {' and '.join(codes)} strings)")
        for lang in codes:
            if not isinstance(entry.get(lang), str) or not entry[lang].strip():
                raise UIError(f"{path}: key '{key}' has no '{lang}' string")
        ui[key] = entry
    # The other strings too (site chrome, Material's interface, search counts):
    # the templates read them through the `guide_ui` global (hooks/pages.py).
    for key, entry in strings.items():
        if key not in ui and isinstance(entry, dict):
            ui[key] = {lang: entry[lang] for lang in codes if isinstance(entry.get(lang), str)}
    return ui


def page_url(lang: str, name: str) -> str:
    """Site-relative URL of ``name`` (path inside the language folder) in ``lang``."""
    stem = name[:-3] if name.endswith(".md") else name
    if stem == "index":
        path = ""
    elif stem.endswith("/index"):
        path = stem[: -len("index")]
    else:
        path = stem + "/"
    return languages.load().get(lang).prefix + path


@dataclass
class PageFacts:
    lang: str  # the page's language
    name: str  # path inside the language folder, e.g. strategy.md
    changed: datetime | None  # this file's last change (None: unknown)
    other_changed: datetime | None  # the counterpart's last change (None: unknown/absent)
    status: str | None = None  # front matter status
    # The same two dates without commits marked `Translation: not-needed`
    # (guide/pages/gitdates.py): what translation lag is judged by. None: as above.
    lag_changed: datetime | None = None
    lag_other_changed: datetime | None = None
    lag_known: bool = False  # the two fields above were computed
    # The language whose version changed last of the others (None: the first other one).
    other_lang: str | None = None


def counterpart(src: Path, lang: str, name: str, other: str | None = None) -> Path:
    """Another language's file: ``docs/ar/strategy.md`` -> ``docs/en/strategy.md``
    (``other``: that language; default the first other configured one)."""
    lang_dir = src
    for _ in Path(name).parts:
        lang_dir = lang_dir.parent
    other = other or languages.load().others(lang)[0].code
    return lang_dir.parent / other / name


def page_facts(src: Path, lang: str, name: str, dates: dict[str, datetime] | None,
               repo_root: Path, status: str | None,
               lag_dates: dict[str, datetime] | None = None) -> PageFacts:
    """Facts about one page from the build's git dates (``None``: no history).
    ``lag_dates`` leave out commits that need no translation."""

    def changed(path: Path, table=dates) -> datetime | None:
        if table is None or not path.exists():
            return None
        return table.get(path.resolve().relative_to(repo_root.resolve()).as_posix())

    # The other language whose version changed last (by the dates that judge lag).
    judge = lag_dates if lag_dates is not None else dates
    others = [(other.code, counterpart(src, lang, name, other.code)) for other in languages.load().others(lang)]
    known = [(when, code, path) for code, path in others if (when := changed(path, judge)) is not None]
    other_lang, newest = (max(known, key=lambda item: item[0])[1:] if known
                          else (others[0] if others else (None, None)))
    facts = PageFacts(lang, name, changed(src), changed(newest) if newest else None, status, other_lang=other_lang)
    if lag_dates is not None:
        facts.lag_changed = changed(src, lag_dates)
        facts.lag_other_changed = changed(newest, lag_dates) if newest else None
        facts.lag_known = True
    return facts


def check_edition(edition: object) -> dict:
    """``extra.edition`` from mkdocs.yml: ``{lang: {published: date, updated: date}}``."""
    if not isinstance(edition, dict):
        raise ValueError("mkdocs.yml extra.edition must map language codes to published/updated dates")
    registry = languages.load()
    for lang, entry in edition.items():
        if lang not in registry or not isinstance(entry, dict):
            raise ValueError(f"mkdocs.yml extra.edition.{lang}: expected one of {' or '.join(registry.codes)} "
                             f"with published/updated")
        for key, value in entry.items():
            if key not in ("published", "updated") or not isinstance(value, date):
                raise ValueError(f"mkdocs.yml extra.edition.{lang}.{key}: expected published/updated "
                                 f"as an unquoted YYYY-MM-DD date, got {value!r}")
    return edition


def notices(facts: PageFacts, ui: dict) -> list[dict]:
    """Notices shown above the page, in the page's language."""
    lang = facts.lang
    out = []
    mine, theirs = ((facts.lag_changed, facts.lag_other_changed) if facts.lag_known
                    else (facts.changed, facts.other_changed))
    if mine and theirs and theirs > mine:
        other = facts.other_lang or languages.load().others(lang)[0].code
        named = ui[LANGUAGE_NAME + other][lang]
        out.append({
            "kind": "translation",
            "text": ui["notice.translation-newer"][lang].format(date=format_date(theirs, lang), language=named),
            "link_text": ui["notice.translation-link"][lang].format(language=named),
            "url": page_url(other, facts.name),
            "hreflang": other,
        })
    if facts.status == "summary":
        # One site-level note says what the sources did not cover; every
        # summary page links to it instead of repeating research notes.
        out.append({
            "kind": "summary",
            "text": ui["notice.summary"][lang],
            "link_text": ui["notice.summary-link"][lang],
            "url": page_url(lang, SOURCES_NOTE[0]) + "#" + SOURCES_NOTE[1],
            "hreflang": lang,
        })
    return out


def dates(facts: PageFacts, ui: dict, edition: dict, source_path: str, edit_url: str | None) -> dict:
    """The lines shown below the page: last update, edition dates, source file.

    ``edition`` is ``{lang: {published: date, updated: date (optional)}}``.
    """
    lang = facts.lang
    # Readers get the guide as the source (linked); the file path is for
    # editors and appears only in the "edit this page" link's target.
    info = {"updated": None, "edition": [], "source_text": ui["dates.source-guide"][lang],
            "source_url": GUIDE_URL, "source_path": source_path, "edit_url": edit_url,
            "edit_text": ui["dates.edit-page"][lang]}
    if facts.changed:
        info["updated"] = ui["dates.last-updated"][lang].format(date=format_date(facts.changed, lang))
    own = (edition or {}).get(lang) or {}
    if own.get("published"):
        info["edition"].append(ui["dates.edition-published"][lang].format(date=format_date(own["published"], lang)))
    if own.get("updated"):
        info["edition"].append(ui["dates.edition-updated"][lang].format(date=format_date(own["updated"], lang)))
    return info
