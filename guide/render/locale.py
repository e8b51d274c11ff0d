"""Numbers, digits and mixed-script text for each page language (no MkDocs)."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from guide.pages import langparts

LANGUAGES = ("ar", "en")
DEFAULT_LANGUAGE = "ar"

_TO_ARABIC_INDIC = str.maketrans("0123456789,.%", "٠١٢٣٤٥٦٧٨٩٬٫٪")

# Currency display: English uses the symbol before the number; Arabic names
# the currency after it (as Arabic prose does).
CURRENCY_SYMBOLS = {"GBP": "£", "USD": "US$", "EUR": "€"}


def page_language(src_uri: str | None, fallback: str | None = None) -> str:
    """Language of a page from its source path (``en/strategy.md`` -> ``en``)."""
    first = (src_uri or "").replace("\\", "/").split("/", 1)[0]
    if first in LANGUAGES:
        return first
    if fallback in LANGUAGES:
        return fallback
    return DEFAULT_LANGUAGE


# Chapter numbers as Arabic ordinal words, for «الفصل الثالث» mid-sentence.
_AR_ORDINALS = ("", "الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع", "العاشر")


def chapter_label(number: int, lang: str) -> str:
    """``Chapter 3`` (en) / ``الفصل الثالث`` (ar): how a sentence names a chapter."""
    if lang == "ar" and 0 < number < len(_AR_ORDINALS):
        return f"الفصل {_AR_ORDINALS[number]}"
    return f"Chapter {localize_digits(str(number), lang)}" if lang == "en" else f"الفصل {localize_digits(str(number), lang)}"


def localize_digits(text: str, lang: str) -> str:
    """Latin digits and separators -> Arabic-Indic ones on Arabic pages."""
    return text.translate(_TO_ARABIC_INDIC) if lang == "ar" else text


def format_number(value: float | int, lang: str, grouping: bool = True) -> str:
    """``800000`` -> ``800,000`` (en) / ``٨٠٠٬٠٠٠`` (ar); at most two decimals."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = f"{value:,}" if grouping else str(value)
    else:
        text = (f"{value:,.2f}" if grouping else f"{value:.2f}").rstrip("0").rstrip(".")
    return localize_digits(text, lang)


def format_year(year: int, lang: str) -> str:
    return format_number(year, lang, grouping=False)


def format_percentage(value: float, lang: str) -> str:
    # Both languages write the sign after the number: 5% / ٥٪.
    return format_number(value, lang) + ("٪" if lang == "ar" else "%")


def format_amount(value: float, currency: str, lang: str, currency_name: str) -> str:
    """``£800,000`` in English; ``٨٠٠٬٠٠٠ جنيه إسترليني`` in Arabic."""
    number = format_number(value, lang)
    if lang == "ar":
        return f"{number} {currency_name}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{number} {currency_name}"


# A run of Latin-script text: words, acronyms (P/CVE), names (Google.org, "München ist bunt").
_LATIN_RUN = re.compile(
    r"[A-Za-z\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F/&.'’\-]*"
    r"(?:[ ]+[A-Za-z0-9\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F/&.'’\-]*)*"
)


def isolate_latin(text: str, lang: str, abbreviations: dict[str, str] | None = None) -> Markup:
    """Escape ``text``; on Arabic pages wrap each Latin run in ``<span lang="en" dir="ltr">``
    so names and acronyms keep their order inside right-to-left text. Known
    acronyms also get an ``<abbr title>`` (raw HTML is not seen by the abbr extension)."""
    abbreviations = abbreviations or {}
    if lang != "ar":
        return Markup(_abbr_words(str(escape(text)), abbreviations))
    out, pos = [], 0
    for match in _LATIN_RUN.finditer(text):
        run = match.group(0).rstrip(".-")
        start, end = match.start(), match.start() + len(run)
        inner = _abbr_words(str(escape(run)), abbreviations)
        # A run between brackets takes them into its span (guide/pages/langparts.py).
        if start > pos and text[start - 1] == "(" and text[end:end + 1] == ")":
            start, end, inner = start - 1, end + 1, f"({inner})"
        out.append(str(escape(text[pos:start])))
        out.append(langparts.run_span('lang="en" dir="ltr"', inner))
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def _abbr_words(escaped: str, abbreviations: dict[str, str]) -> str:
    if not abbreviations:
        return escaped
    keys = sorted(abbreviations, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w/])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w/])")
    return pattern.sub(
        lambda m: f'<abbr title="{escape(abbreviations[m.group(0)])}">{m.group(0)}</abbr>', escaped)
