"""Arabic text helpers: the one place that normalises Arabic spelling, for the
editorial checks (``terms``, ``freshness``) and the glossary's order
(guide/render/boxes.py). The search's own analysis (guide/search/) has its
copy, to stay in step with its browser side.

Plain functions, no engine: spelling-tolerant normalisation (diacritics,
tatweel, hamza/ة/ى folding), word tokens with their line numbers, and the
clitics (و ف ب ك ل ال) and pronoun suffixes that Arabic writes onto a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DIACRITICS = re.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]")  # harakat, tanwin, shadda, tatweel
_ALEF = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"}
_FOLD_ALEF = str.maketrans(_ALEF)
_FOLD = str.maketrans({**_ALEF, "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
ARABIC_LETTERS = "\u0621-\u064A"
# A word: Arabic letters (with their marks), or Latin letters and digits.
_TOKEN = re.compile(r"[\u0621-\u064A\u0610-\u061A\u064B-\u065F\u0670\u0640]+|[A-Za-z0-9][A-Za-z0-9'’-]*|[.،,؛;:!?؟()«»\"\[\]{}|]")
PUNCTUATION = set(".،,؛;:!?؟()«»\"[]{}|")

# Proclitics that Arabic writes onto a word: conjunction (و ف), then a
# preposition (ب ك ل), then the article; ل + ال is written لل.
PREFIX = r"(?:[وف]?(?:[بك]?ال|لل|[بكل])?)"
PREFIX_WITH_ARTICLE = r"(?:[وف]?(?:[بك]?ال|لل))"
PRONOUNS = r"(?:ه|ها|هما|هم|هن|ك|كما|كم|كن|نا|ي)"


def fold(text: str) -> str:
    """Spelling-tolerant form: no diacritics or tatweel; أ إ آ ٱ → ا, ى → ي, ة → ه, ؤ → و, ئ → ي."""
    return DIACRITICS.sub("", text).translate(_FOLD)


def fold_alef(text: str) -> str:
    """The hamza forms of alef (أ إ آ ٱ) as bare alef, nothing else changed:
    how Arabic dictionaries order words."""
    return text.translate(_FOLD_ALEF)


def is_arabic(word: str) -> bool:
    return bool(re.match(f"[{ARABIC_LETTERS}]", word))


@dataclass(frozen=True)
class Token:
    text: str      # as written
    norm: str      # folded (Arabic) or lower-cased (Latin)
    line: int      # 1-based line in its file
    punct: bool = False


def tokens(text: str, first_line: int = 1) -> list[Token]:
    """Words and punctuation marks of ``text`` with the line each starts on."""
    out: list[Token] = []
    line, last = first_line, 0
    for match in _TOKEN.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        word = match.group()
        if word in PUNCTUATION:
            out.append(Token(word, word, line, punct=True))
        else:
            out.append(Token(word, fold(word) if is_arabic(word) else word.lower(), line))
    return out


def word_pattern(word: str, *, first: bool, last: bool, exact: bool = False) -> re.Pattern:
    """Regex matching one folded Arabic word as it can appear in running text.

    ``first``: the word may carry proclitics (و ف ب ك ل, and the article if it
    has none); ``last``: it may carry a pronoun suffix (ة becomes ت before it).
    ``exact`` allows only the conjunction and preposition clitics: no added
    article, no suffix.
    """
    w = fold(word)
    if w.startswith("ال") and len(w) > 3:
        head = PREFIX_WITH_ARTICLE + re.escape(w[2:]) if first else re.escape(w)
    elif first:
        head = (r"(?:[وف]?[بكل]?)" if exact else PREFIX) + re.escape(w)
    else:
        head = re.escape(w)
    if last and not exact:
        if w.endswith("ه"):  # ة: مدينة → مدينته، مدينتها
            head = head[: -1] + f"(?:ه|ت{PRONOUNS})"
        elif not w.startswith("ال"):
            head += f"{PRONOUNS}?"
    return re.compile(f"^{head}$")


def strip_clitics(word: str) -> str:
    """Light stem of a folded Arabic word: drop one layer of proclitics and
    common suffixes, keeping at least three letters (used to compare content words)."""
    w = word
    for prefix in ("وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ف", "ب", "ل"):
        if w.startswith(prefix) and len(w) - len(prefix) >= 3:
            w = w[len(prefix):]
            break
    for suffix in ("هما", "كما", "ات", "ون", "ين", "ان", "ها", "هم", "هن", "كم", "نا", "يه", "ه", "ي"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if suffix not in ("ات", "ون", "ين", "ان", "ه", "ي") and w.endswith("ت") and len(w) >= 4:
                w = w[:-1]  # مدينتها → مدين, like مدينة → مدين
            break
    return w
