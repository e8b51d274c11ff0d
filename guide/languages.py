"""The site's languages: one registry, read from ``mkdocs.yml`` (no MkDocs).

The i18n plugin's ``languages:`` list is the one place a language is declared.
Each entry holds what the plugin needs (``locale``, ``name``, ``default``,
``link``) and, under ``extra.language``, what the guide needs to know about the
language itself::

    - locale: ar
      name: العربية
      default: true
      extra:
        language:
          english_name: Arabic      # how editors' messages name it
          dir: rtl                  # text direction
          script: arabic            # arabic | latin: fonts, punctuation, runs
          digits: arabic-indic      # arabic-indic | latin
          analysis: arabic          # search analysis: arabic | english | generic
          runs: {latin: en}         # other-script runs in its pages are marked as this language
          chapter: "الفصل {n}"       # how a sentence names a chapter
          ordinals: [الأول, ...]    # optional: chapter n as a word (1-based)
          months: [يناير, ...]      # twelve month names, for dates
          currency: name            # name (after the number) | symbol (before it)
          quotes: curly             # optional: straight quotes become curly ones

Codes, the default language, URL prefixes and "the other languages" of a page
all come from here; no module lists languages of its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mkdocs.yml"
# A build of another tree (a fixture) names its config; the registry follows it.
CONFIG_ENV = "GUIDE_CONFIG"

DIRECTIONS = ("rtl", "ltr")
SCRIPTS = ("arabic", "latin")
DIGITS = ("arabic-indic", "latin")
ANALYSES = ("arabic", "english", "generic")
CURRENCY_STYLES = ("name", "symbol")

# What a script writes between list items and clauses.
# sep: between a term and its translation (Naskh draws U+00B7 like the
# Arabic-Indic zero, so Arabic uses a dash); place: between city and country
# (English city names may hold commas: "Newark, New Jersey").
_PUNCTUATION = {
    "arabic": {"comma": "، ", "semicolon": "؛ ", "percent": "٪", "sep": "—", "place": "، "},
    "latin": {"comma": ", ", "semicolon": "; ", "percent": "%", "sep": "·", "place": " · "},
}
# Digits: the one place that converts between Latin and Arabic-Indic digits.
# ARABIC_INDIC_DIGITS is a character-class body: Arabic-Indic (U+0660–0669)
# and the Eastern forms Persian and Urdu keyboards type (U+06F0–06F9).
ARABIC_INDIC_DIGITS = "\u0660-\u0669\u06F0-\u06F9"
_TO_ARABIC_INDIC = str.maketrans("0123456789,.%", "٠١٢٣٤٥٦٧٨٩٬٫٪")
_TO_LATIN = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def arabic_indic_digits(text: str) -> str:
    """Latin digits and the number signs , . % in Arabic-Indic forms (٬ ٫ ٪)."""
    return text.translate(_TO_ARABIC_INDIC)


def latin_digits(text: str) -> str:
    """Arabic-Indic digits (both forms) as Latin digits; other text unchanged."""
    return text.translate(_TO_LATIN)


# What `python -m tools new-lang` writes where a fact or string is still to
# be translated; the editor check refuses to publish it.
UNTRANSLATED = "TRANSLATE:"


class LanguageError(ValueError):
    """mkdocs.yml's language list is missing something the guide needs."""


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # as the language names itself (the language menu)
    english_name: str
    default: bool
    prefix: str  # URL prefix: "" for the default language, else "en/"
    dir: str
    script: str
    digits: str
    analysis: str
    chapter: str
    months: tuple[str, ...]
    ordinals: tuple[str, ...] = ()
    runs: dict = field(default_factory=dict, compare=False, hash=False)
    currency: str = "symbol"
    quotes: str = ""

    def punctuation(self, name: str) -> str:
        return _PUNCTUATION[self.script][name]

    def digits_of(self, text: str) -> str:
        """Latin digits (and , . %) in this language's digits."""
        return arabic_indic_digits(text) if self.digits == "arabic-indic" else text

    def format_date(self, day: int, month: int, year: int) -> str:
        return self.digits_of(f"{day} {self.months[month - 1]} {year}")

    def chapter_label(self, number: int) -> str:
        if 0 < number <= len(self.ordinals):
            return self.chapter.format(n=self.ordinals[number - 1])
        return self.chapter.format(n=self.digits_of(str(number)))

    def run_language(self, script: str) -> str | None:
        """The language a run of ``script`` in this language's text is marked as."""
        return self.runs.get(script)


@dataclass(frozen=True)
class Registry:
    languages: tuple[Language, ...]
    source: str = "mkdocs.yml"

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)

    @property
    def default(self) -> Language:
        return self.languages[0]

    @property
    def prefixes(self) -> dict[str, str]:
        return {lang.code: lang.prefix for lang in self.languages}

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def __iter__(self):
        return iter(self.languages)

    def __len__(self) -> int:
        return len(self.languages)

    def get(self, code: str) -> Language:
        for lang in self.languages:
            if lang.code == code:
                return lang
        raise LanguageError(f"{self.source}: language {code!r} is not configured "
                            f"(configured: {', '.join(self.codes)})")

    def others(self, code: str) -> tuple[Language, ...]:
        """The page's other languages, in configured order (default first)."""
        return tuple(lang for lang in self.languages if lang.code != code)

    def language_of_path(self, src_uri: str | None, fallback: str | None = None) -> str:
        """Language of a page from its path in docs/ (``en/strategy.md`` -> ``en``)."""
        first = (src_uri or "").replace("\\", "/").split("/", 1)[0]
        if first in self:
            return first
        return fallback if fallback in self else self.default.code

    def language_of_url(self, path: str) -> str:
        """Language of a site-relative URL (``en/strategy/`` -> ``en``)."""
        return language_of_url(path, self.prefixes, self.default.code)

    def with_script(self, script: str) -> tuple[Language, ...]:
        return tuple(lang for lang in self.languages if lang.script == script)


def language_of_url(path: str, prefixes: dict[str, str], default: str) -> str:
    """Language of a site-relative URL or output path, from ``{code: prefix}``
    (``en/strategy/`` -> ``en``): the longest prefix that starts it, else the
    default language (whose prefix is empty)."""
    path = path.lstrip("/")
    for code, prefix in sorted(prefixes.items(), key=lambda item: -len(item[1])):
        if prefix and (path + "/").startswith(prefix):
            return code
    return default


def _i18n_entries(config: dict) -> list[dict] | None:
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "i18n" in plugin:
            return list((plugin["i18n"] or {}).get("languages") or [])
    return None


def _choice(where: str, facts: dict, key: str, allowed: tuple[str, ...], default: str | None = None) -> str:
    value = facts.get(key, default)
    if value not in allowed:
        raise LanguageError(f"{where}.{key}: expected one of {', '.join(allowed)}, got {value!r}")
    return value


def _text(where: str, facts: dict, key: str) -> str:
    value = facts.get(key)
    if not isinstance(value, str) or not value.strip():
        raise LanguageError(f"{where}.{key}: missing (a string)")
    return value


def _language(entry: dict, index: int, source: str) -> Language:
    if not isinstance(entry, dict) or not entry.get("locale"):
        raise LanguageError(f"{source}: plugins.i18n.languages[{index}]: no locale")
    code = str(entry["locale"])
    where = f"{source}: plugins.i18n.languages[{code}].extra.language"
    facts = ((entry.get("extra") or {}).get("language"))
    if not isinstance(facts, dict):
        raise LanguageError(f"{where}: missing (dir, script, digits, analysis, chapter, months: "
                            f"see guide/languages.py)")
    months = facts.get("months")
    if not isinstance(months, list) or len(months) != 12 or not all(isinstance(m, str) and m for m in months):
        raise LanguageError(f"{where}.months: expected the twelve month names")
    ordinals = facts.get("ordinals") or []
    if not isinstance(ordinals, list) or not all(isinstance(o, str) and o for o in ordinals):
        raise LanguageError(f"{where}.ordinals: expected a list of words")
    chapter = _text(where, facts, "chapter")
    if "{n}" not in chapter:
        raise LanguageError(f"{where}.chapter: needs {{n}} where the number goes")
    runs = facts.get("runs") or {}
    if not isinstance(runs, dict) or any(k not in SCRIPTS or not isinstance(v, str) for k, v in runs.items()):
        raise LanguageError(f"{where}.runs: expected {{script: language code}}")
    default = bool(entry.get("default", False))
    link = entry.get("link")
    if default:
        prefix = ""
    elif isinstance(link, str) and link.strip("/"):
        prefix = link.strip("/") + "/"
    else:
        prefix = code + "/"
    return Language(
        code=code, name=str(entry.get("name") or code), english_name=_text(where, facts, "english_name"),
        default=default, prefix=prefix,
        dir=_choice(where, facts, "dir", DIRECTIONS), script=_choice(where, facts, "script", SCRIPTS),
        digits=_choice(where, facts, "digits", DIGITS, "latin"),
        analysis=_choice(where, facts, "analysis", ANALYSES, "generic"),
        chapter=chapter, months=tuple(months), ordinals=tuple(ordinals), runs=dict(runs),
        currency=_choice(where, facts, "currency", CURRENCY_STYLES, "symbol"),
        quotes=_choice(where, facts, "quotes", ("", "curly"), ""),
    )


def from_config(config: dict, source: str = "mkdocs.yml") -> Registry:
    """The registry of a loaded config (``guide.siteconfig.load_config``)."""
    entries = _i18n_entries(config)
    if not entries:
        raise LanguageError(f"{source}: no plugins.i18n.languages list")
    languages = [_language(entry, i, source) for i, entry in enumerate(entries)
                 if entry.get("build", True) is not False]
    defaults = [lang for lang in languages if lang.default]
    if len(defaults) != 1:
        raise LanguageError(f"{source}: plugins.i18n.languages needs exactly one `default: true` language")
    languages.sort(key=lambda lang: not lang.default)
    codes = [lang.code for lang in languages]
    for lang in languages:
        for script, other in lang.runs.items():
            if other not in codes:
                raise LanguageError(f"{source}: plugins.i18n.languages[{lang.code}].extra.language.runs.{script}: "
                                    f"{other!r} is not a configured language")
    return Registry(tuple(languages), source)


def _merged(parent: dict, child: dict) -> dict:
    """MkDocs' INHERIT: mappings merged key by key, anything else replaced."""
    out = dict(parent)
    for key, value in child.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _config(path: Path, depth: int = 0) -> dict:
    from guide import siteconfig

    config = siteconfig.load_config(path)
    parent = config.pop("INHERIT", None)
    if isinstance(parent, str) and depth < 5:
        config = _merged(_config(path.parent / parent, depth + 1), config)
    return config


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> Registry:
    return from_config(_config(Path(path)), Path(path).name)


def config_path(root: Path | None = None) -> Path:
    """The config a tree is built from: ``root/mkdocs.yml``, else GUIDE_CONFIG, else the repository's."""
    if root is not None and (Path(root) / "mkdocs.yml").is_file():
        return Path(root) / "mkdocs.yml"
    env = os.environ.get(CONFIG_ENV)
    return Path(env) if env else CONFIG


def use_config(path: Path | str) -> None:
    """Make ``path`` the config every ``load()`` without a path reads, for the
    rest of this process: the build's first hook calls it with the config being
    built (``mkdocs build -f other.yml``), so the core's modules, which ask for
    the registry without a config at hand, get that config's languages."""
    os.environ[CONFIG_ENV] = str(Path(path).resolve())


def load(path: Path | str | None = None) -> Registry:
    """The registry of ``path`` (default: see ``config_path``), re-read when the file changes."""
    path = str(path) if path else str(config_path())
    resolved = _resolved(path, "" if os.path.isabs(path) else os.getcwd())
    return _load(resolved, os.stat(resolved).st_mtime)


@lru_cache(maxsize=64)
def _resolved(path: str, cwd: str) -> str:
    # Resolving walks every folder of the path; the registry is asked for
    # thousands of times a build (per text run, per date, per box).
    return str(Path(cwd, path).resolve())


def for_root(root: Path | None) -> Registry:
    """The registry of the tree at ``root`` (its mkdocs.yml)."""
    return load(config_path(root))


def for_data_dir(data_dir: Path | None) -> Registry:
    """The registry that goes with a data folder: its tree's mkdocs.yml (a
    fixture's data sits next to the fixture's config), else the default."""
    if data_dir is not None:
        beside = Path(data_dir).resolve().parent / "mkdocs.yml"
        if beside.is_file():
            return load(beside)
    return load()
