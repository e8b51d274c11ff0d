"""Porter's (1980) English stemmer, written to give exactly what lunr.js 2.3.9's
``lunr.stemmer`` gives, because the built index (stemmed here, in Python) and
the reader's query (stemmed in the browser by
overrides/assets/javascripts/guide-search/porter.js, the same steps in the same
order, from the same tables in analysis.json) must meet on the same key, and our relevance figures were measured with
lunr's stems. tests/test_porter.py holds the three to each other.

lunr follows Porter's own C version, not the 1980 paper, where they differ:
  * step 2 has ``bli -> ble`` (the paper: ``abli -> able``) and ``logi -> log``;
  * words of one or two letters are returned unchanged.
And lunr's suffix patterns need at least one letter before the suffix, so a
word that *is* the suffix falls to the next rule (marked "lunr:" below):
``ies -> ie`` and ``sses -> sse`` (the paper: ``i``, ``ss``), and ``eed`` (also
from ``eeds``) ``-> e`` (the paper keeps ``eed``). Step 1c also differs: lunr
turns a final ``y`` into ``i`` after any letter but a vowel that is not the
word's first (``sky -> ski``, ``by`` kept), where the paper asks only that the
rest hold a vowel (``sky`` kept).
"""

from __future__ import annotations

import json
from pathlib import Path

_VOWELS = "aeiou"

# The steps' suffix tables are in the analysis specification (analysis.json,
# "english" → "porter"), which porter.js gets written in too. Read directly
# (not through guide.search.analysis, which imports this module).
_TABLES = json.loads(Path(__file__).with_name("analysis.json").read_text(encoding="utf-8"))["english"]["porter"]
STEP2: dict[str, str] = _TABLES["step2"]
STEP3: dict[str, str] = _TABLES["step3"]
STEP4: tuple[str, ...] = tuple(_TABLES["step4"])


def _kinds(stem: str) -> str:
    """One letter per character: 'v' for a vowel, 'c' for a consonant. ``y`` is
    a vowel after a consonant, a consonant first or after a vowel."""
    out = []
    for i, ch in enumerate(stem):
        vowel = ch in _VOWELS or (ch == "y" and i > 0 and out[-1] == "c")
        out.append("v" if vowel else "c")
    return "".join(out)


def _measure(stem: str) -> int:
    """Porter's m: how many vowel-run + consonant-run pairs, in [C](VC)^m[V]."""
    kinds = _kinds(stem)
    return sum(1 for i in range(1, len(kinds)) if kinds[i - 1] == "v" and kinds[i] == "c")


def _has_vowel(stem: str) -> bool:
    return "v" in _kinds(stem)


def _short_cvc(stem: str) -> bool:
    """m = 1 and the stem ends consonant-vowel-consonant, the last not w, x or y
    (the stem is then exactly consonants, one vowel, one consonant)."""
    kinds = _kinds(stem)
    return (len(stem) >= 3 and kinds.endswith("cvc") and "v" not in kinds[:-3]
            and stem[-1] not in "wxy")


def _longest(word: str, suffixes) -> str | None:
    """The longest of ``suffixes`` ``word`` ends with, leaving at least one letter."""
    best = None
    for suffix in suffixes:
        if len(word) > len(suffix) and word.endswith(suffix) and (best is None or len(suffix) > len(best)):
            best = suffix
    return best


def _step1(w: str) -> str:
    # 1a: plurals. lunr: "sses"/"ies" need a letter before them, else the plain -s rule.
    if len(w) > 4 and w.endswith("sses") or len(w) > 3 and w.endswith("ies"):
        w = w[:-2]
    elif len(w) > 2 and w.endswith("s") and w[-2] != "s":
        w = w[:-1]
    # 1b: -eed, -ed, -ing. lunr: a bare "eed" is read as "e" + "ed".
    if len(w) > 3 and w.endswith("eed"):
        if _measure(w[:-3]) > 0:
            w = w[:-1]
    else:
        suffix = "ing" if len(w) > 3 and w.endswith("ing") else "ed" if len(w) > 2 and w.endswith("ed") else ""
        if suffix and _has_vowel(w[: -len(suffix)]):
            w = w[: -len(suffix)]
            if w.endswith(("at", "bl", "iz")):
                w += "e"
            elif len(w) > 1 and w[-1] == w[-2] and w[-1] not in "aeiouylsz":
                w = w[:-1]
            elif _short_cvc(w):
                w += "e"
    # 1c: y -> i. lunr: when the letter before is not a vowel and not the first
    # letter ("sky" -> "ski", "say" stays); the paper: when the stem has a vowel.
    if len(w) > 2 and w[-1] == "y" and w[-2] not in _VOWELS:
        w = w[:-1] + "i"
    return w


def stem(word: str) -> str:
    """The Porter stem of a lower-case word, as lunr 2.3.9 makes it."""
    if len(word) < 3:
        return word
    # lunr marks a first "y" as a consonant; _kinds already treats it so.
    w = _step1(word)
    for table in (STEP2, STEP3):  # steps 2 and 3: m > 0
        suffix = _longest(w, table)
        if suffix and _measure(w[: -len(suffix)]) > 0:
            w = w[: -len(suffix)] + table[suffix]
    suffix = _longest(w, STEP4)  # step 4: m > 1
    if suffix:
        if _measure(w[: -len(suffix)]) > 1:
            w = w[: -len(suffix)]
    elif len(w) > 4 and w.endswith(("sion", "tion")) and _measure(w[:-3]) > 1:
        w = w[:-3]
    # 5a: -e, when m > 1, or m = 1 and not *o.
    if len(w) > 1 and w.endswith("e"):
        m = _measure(w[:-1])
        if m > 1 or m == 1 and not _short_cvc(w[:-1]):
            w = w[:-1]
    # 5b: -ll -> -l when m > 1.
    if w.endswith("ll") and _measure(w) > 1:
        w = w[:-1]
    return w
