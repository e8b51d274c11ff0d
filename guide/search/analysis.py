"""The guide's search analysis at build time: which keys a page word is stored under.

The reader's browser analyses only the query (``overrides/assets/javascripts/
guide-search/worker.js``); the pages' words are analysed here, once, when the
site is built, and written as a pre-built index (``guide/search/prebuilt.py``).
Both sides must give a word the same keys: they follow one specification,
``guide/search/analysis.json``, which holds every table (read below, written
into the worker at build time); the steps are code on each side, and
``tests/test_search_parity.py`` runs every word of the site through both
implementations and checks that the worker takes each table from the file.

Keys of a word:
  Arabic:  normalised (NFKC, no diacritics or tatweel, أ/إ/آ→ا, ة→ه, ى→ي,
           hamza seats ؤ ئ ىء → ء, indexed also with the bare seat و/ي,
           digits → 0-9, ٪ → %), stop words dropped, light stem (article and
           particles, pronoun and plural suffixes), plus a root key ("√" + 3
           letters: broken plurals and verb forms meet nouns);
  English: lower case, diacritics folded (München → munchen), British and
           American spellings made one (-ise/-ize, -our/-or, -tre/-ter,
           -lling/-ling, a few words), stop words dropped, Porter stem;
           an acronym with inner punctuation (P/CVE) also joined (pcve);
  numbers: "5%" and "٥٪" stay "5%", so they do not match a bare 5.

Plain Python: no MkDocs import.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from pathlib import Path

from guide.search.porter import stem as porter_stem

# The specification both sides follow: every table of the analysis (stop
# words, the Arabic normalisation map, articles, particles, suffixes, spelling
# rules, folded letters, the Porter steps), read here and written into the
# worker at build time (guide/search/searchindex.py worker_script). The code
# below and the worker's are the steps; the tables are only in this file.
SPEC_FILE = Path(__file__).with_name("analysis.json")


def _js_replacement(replacement: str) -> str:
    """A replacement as the spec writes it ($1, as JavaScript) for Python's re (\\1)."""
    return re.sub(r"\$(\d)", r"\\\1", replacement)


def load_spec(path: Path = SPEC_FILE) -> dict:
    """The analysis tables; a missing or malformed file is one clear error."""
    try:
        spec = json.loads(Path(path).read_text(encoding="utf-8"))
        arabic, english = spec["arabic"], spec["english"]
        for key in ("letters", "marks", "normalise", "digitZeros", "bareSeats", "stop", "articles",
                    "particles", "suffixes", "pronouns", "irregular"):
            arabic[key]
        for key in ("stop", "spelling", "fold", "rules", "acronym", "porter"):
            english[key]
        spec["root"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not a search analysis specification: {exc!r}") from exc
    return spec


SPEC = load_spec()
_AR = SPEC["arabic"]
_EN = SPEC["english"]

ROOT = SPEC["root"]  # √: root keys never collide with stems
# Function words, in normalised form: they match almost every page.
STOP_AR: list[str] = _AR["stop"]
# English function words (our own list: articles, pronouns, auxiliaries,
# prepositions and conjunctions that every page has).
STOP_EN: list[str] = _EN["stop"]
# Longest first: "وبال" must win over "وال", "وال" over "ال".
ARTICLES: list[str] = _AR["articles"]
PARTICLES: str = _AR["particles"]
# Attached pronouns first, then plural/dual endings, then ه/ي: each is removed
# once, in this order, while 3 letters remain (قدراتهم → قدر).
SUFFIXES: list[str] = _AR["suffixes"]
PRONOUNS: list[str] = _AR["pronouns"]
# Plurals and pairs no pattern reaches (keyed by stem: المرأة → مرا).
IRREGULAR: dict[str, str] = _AR["irregular"]
SPELLING: dict[str, str] = _EN["spelling"]
FOLD: dict[str, str] = _EN["fold"]


def tables() -> dict:
    """The specification as written into the worker (the same object the
    functions below read, so a table changed here changes both sides)."""
    return SPEC


_STOP_AR = frozenset(STOP_AR)
_STOP_EN = frozenset(STOP_EN)
_ARABIC = re.compile(_AR["letters"])
_MARKS = re.compile(_AR["marks"])
_NORMALISE = [(re.compile(pattern), replacement) for pattern, replacement in _AR["normalise"]]
_DIGITS = re.compile("|".join(f"[{zero}-{chr(ord(zero) + 9)}]" for zero in _AR["digitZeros"]))
_SEATS = re.compile("[" + "".join(_AR["bareSeats"]) + "]")


def is_arabic(word: str) -> bool:
    return _ARABIC.search(word) is not None


def _ln(c: str) -> bool:
    return unicodedata.category(c)[0] in "LN"


def strip_edges(s: str) -> str:
    """Punctuation off both ends; a trailing % only after a digit ("5%" stays).
    The same single left-to-right pass as the worker's EDGES expression."""
    i = 0
    while i < len(s) and not _ln(s[i]):
        i += 1
    if i == len(s):
        return ""
    end = len(s)
    if s[-1] == "%":
        start = end
        while start > i and s[start - 1] == "%":
            start -= 1
        p = start if (start == 0 or not unicodedata.category(s[start - 1]).startswith("N")) else start + 1
        if p < end:
            end = max(p, i)
    else:
        start = end
        while start > i and not _ln(s[start - 1]) and s[start - 1] != "%":
            start -= 1
        end = max(start, i)
    return s[i:end]


def _digit(m: re.Match) -> str:
    c = ord(m.group(0))
    return next(str(c - ord(zero)) for zero in _AR["digitZeros"] if 0 <= c - ord(zero) <= 9)


def normalise_arabic(word: str) -> str:
    w = _MARKS.sub("", unicodedata.normalize("NFKC", word))
    for pattern, replacement in _NORMALISE:
        w = pattern.sub(replacement, w)
    return _DIGITS.sub(_digit, w)


def bare_seat(original: str) -> str:
    """The word with the hamza's seat as a plain letter (مسوولية); "" if it has none."""
    if not _SEATS.search(original):
        return ""
    return normalise_arabic(_SEATS.sub(lambda m: _AR["bareSeats"][m.group(0)], original))


def strip_prefix(word: str) -> str:
    for p in ARTICLES:
        if word.startswith(p) and len(word) - len(p) >= 2:
            return word[len(p):]
    if len(word) >= 5 and word[0] in PARTICLES:
        return word[1:]
    return word


def has_article(word: str) -> bool:
    return any(word.startswith(p) and len(word) - len(p) >= 2 for p in ARTICLES)


def strip_suffixes(word: str) -> str:
    for s in SUFFIXES:
        if len(word) - len(s) >= 3 and word.endswith(s):
            word = word[: -len(s)]
            if s == "\u064A\u0647":  # ـية ends a noun: كراهية → كراه
                break
    return word


def stem_arabic(word: str) -> str:
    return strip_suffixes(word) if len(word) >= 4 else word


def ta_marbuta_stem(word: str) -> str:
    """استراتيجيتها → the stem of استراتيجية (an extra key, never the only one)."""
    for s in PRONOUNS:
        rest = word[: -len(s)]
        if not word.endswith(s) or len(rest) < 3 or rest[-1] != "\u062A":
            continue
        if rest[-2] == "\u0627":
            return ""  # ات: a plural, stemmed already
        return stem_arabic(rest[:-1] + "\u0647")
    return ""


def broken_singular(stem: str) -> str:
    """The singular of a plural of the pattern فُعَلاء (خبراء → خبير, شركاء →
    شريك, وزراء → وزير), stemmed; "" for any other word. The root key (√خبر)
    also reaches خبر and خبرة, which many pages have: the singular's own key
    ranks the page with the plural first."""
    if len(stem) == 5 and stem.endswith("\u0627\u0621") and stem[0] != "\u0627" and stem[2] not in "\u0627\u0648\u064A":
        return stem_arabic(stem[:2] + "\u064A" + stem[2])
    return ""


def stems_arabic(word: str) -> list[str]:
    stems = [stem_arabic(word)]
    for other in (ta_marbuta_stem(word), broken_singular(stems[0])):
        if other and other not in stems:
            stems.append(other)
    return stems


def _drop_inner_vowel(w: str) -> str:
    if len(w) <= 3:
        return w
    for i in range(len(w) - 2, 0, -1):
        if w[i] in "\u0627\u0648\u064A":
            return w[:i] + w[i + 1:]
    return w


def root_of(stem: str) -> str:
    """A light root key: خبراء/خبير → √خبر, يندمج/اندماج → √دمج; "" when none."""
    if stem in IRREGULAR:
        return ROOT + IRREGULAR[stem]
    w = stem
    if len(w) >= 5 and w.endswith("\u0627\u0621"):
        w = w[:-2]
    w = _drop_inner_vowel(w)
    if len(w) >= 6 and w.startswith("\u0627\u0633\u062A"):
        w = w[3:]
    i = 0
    while i < 2 and len(w) > 3 and w[0] in "\u0627\u062A\u0646\u064A\u0645":
        w = w[1:]
        i += 1
    while len(w) > 3:
        shorter = _drop_inner_vowel(w)
        if shorter == w:
            break
        w = shorter
    if len(w) == 3 and w[0] in "\u064A\u062A\u0646" and w[-1] in "\u064A\u0627":
        w = "\u0648" + w[1] + "\u064A"
    elif len(w) == 3 and w[2] == "\u0627":
        w = w[:2] + "\u064A"
    if w[:1] == "\u0621":
        w = "\u0627" + w[1:]
    return ROOT + w if len(w) in (3, 4) else ""


def clean_arabic(word: str) -> str:
    n = strip_edges(normalise_arabic(word))
    return "" if not n or n in _STOP_AR else n


def arabic_index_keys(original: str) -> list[str]:
    first = clean_arabic(original)
    if not first:
        return []
    forms = [first]
    bare = bare_seat(original)
    if bare:
        forms.append(strip_edges(bare))
    keys: list[str] = []

    def add(k: str) -> None:
        if k and k not in keys:
            keys.append(k)

    for word in forms:
        if not re.fullmatch("[0-9%]+", word) and len(word) < 2:
            continue
        one = strip_prefix(word)
        two = strip_prefix(one)
        # A query always loses its article: a word that had one needs no key with it.
        stems = stems_arabic(word) if one == word or not has_article(word) else []
        for k in stems + stems_arabic(one) + stems_arabic(two):
            add(k)
    head = strip_prefix(forms[0])
    if len(head) >= 3:
        for s in stems_arabic(head):
            add(root_of(s))
    return keys


_APOSTROPHE_S = re.compile("['\u2019]s$")
_ENGLISH_RULES = [(re.compile(pattern), _js_replacement(replacement)) for pattern, replacement in _EN["rules"]]


def canonical_english(word: str) -> str:
    w = unicodedata.normalize("NFD", word.lower())
    w = "".join(c for c in w if not "\u0300" <= c <= "\u036F")
    w = "".join(FOLD.get(c, c) for c in w)
    w = _APOSTROPHE_S.sub("", w).replace("'", "").replace("\u2019", "")
    if w in SPELLING:
        return SPELLING[w]
    for pattern, replacement in _ENGLISH_RULES:
        w = pattern.sub(replacement, w, count=1)
    return w


def clean_english(word: str) -> str:
    w = strip_edges(canonical_english(strip_edges(word)))
    return "" if not w or w in _STOP_EN else w


def stem_english(w: str) -> str:
    if re.match("[0-9]", w) or len(w) < 3:
        return w
    return porter_stem(w)


# An acronym written with inner punctuation (P/CVE, U.N.): the separator cuts
# it into letters, and a reader types it plainly (PCVE) too.
ACRONYM = re.compile(_EN["acronym"])


def acronyms(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, joined)`` of each punctuated acronym of a text:
    "P/CVE" -> ``(i, i + 5, "PCVE")``; its keys are the joined word's."""
    return [(m.start(), m.end(), re.sub("[/.]", "", m.group(0))) for m in ACRONYM.finditer(text)]


def clean_generic(word: str) -> str:
    """A Latin-script word of a language without its own analysis: lower case,
    accents and ligatures folded, punctuation off its ends; no stop words, no
    spelling rules, no stemming (English rules would mangle French words)."""
    w = unicodedata.normalize("NFD", strip_edges(word).lower())
    w = "".join(c for c in w if not "\u0300" <= c <= "\u036F")
    return strip_edges("".join(FOLD.get(c, c) for c in w).replace("'", "").replace("\u2019", ""))


# How the non-Arabic words of a language's pages are analysed: "english"
# (spelling rules, stop words, Porter stems) or "generic" (clean_generic).
LATIN_KINDS = ("english", "generic")


def index_keys(word: str, latin: str = "english") -> list[str]:
    """Every key a page word is stored under; the first is its main key."""
    return list(_index_keys(word, latin))


# The tables are fixed for the life of the process, so a word's keys are too:
# remembered across the rebuilds of `make serve` (the pages repeat most words).
@functools.lru_cache(maxsize=1 << 16)
def _index_keys(word: str, latin: str) -> tuple[str, ...]:
    if is_arabic(word):
        return tuple(arabic_index_keys(word))
    if latin == "generic":
        w = clean_generic(word)
        return (w,) if w else ()
    w = clean_english(word)
    return (stem_english(w),) if w else ()


def surface(word: str, latin: str = "english") -> str:
    """The word as the typo fallback compares it (normalised, unstemmed)."""
    if is_arabic(word):
        return clean_arabic(word)
    return clean_generic(word) if latin == "generic" else clean_english(word)


def latin_kind(lang: str) -> str:
    """How ``lang``'s non-Arabic words are analysed, from the registry: its own
    analysis if it is a Latin-script one, else that of the language its Latin
    runs are (Arabic pages: English); "generic" when none applies."""
    from guide import languages

    registry = languages.load()
    if lang not in registry:
        return "english"
    language = registry.get(lang)
    if language.analysis in LATIN_KINDS:
        return language.analysis
    run = language.run_language("latin")
    if run and run in registry and registry.get(run).analysis in LATIN_KINDS:
        return registry.get(run).analysis
    return "generic"
