"""Numbers, digits and mixed-script text for each page language (no MkDocs)."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from guide import languages
from guide.pages import langparts

# Currency display: a language with `currency: symbol` writes the symbol
# before the number; one with `currency: name` names the currency after it
# (as Arabic prose does).
CURRENCY_SYMBOLS = {"GBP": "£", "USD": "US$", "EUR": "€"}


def _language(lang: str):
    return languages.load().get(lang)


def page_language(src_uri: str | None, fallback: str | None = None) -> str:
    """Language of a page from its source path (``en/strategy.md`` -> ``en``)."""
    return languages.load().language_of_path(src_uri, fallback)


def chapter_label(number: int, lang: str) -> str:
    """``Chapter 3`` (en) / ``الفصل الثالث`` (ar): how a sentence names a chapter
    (mkdocs.yml: the language's `chapter` and `ordinals`)."""
    return _language(lang).chapter_label(number)


def localize_digits(text: str, lang: str) -> str:
    """Latin digits and separators -> the language's digits (Arabic-Indic for ar)."""
    return _language(lang).digits_of(text)


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
    # Both scripts write the sign after the number: 5% / ٥٪.
    return format_number(value, lang) + _language(lang).punctuation("percent")


def format_amount(value: float, currency: str, lang: str, currency_name: str) -> str:
    """``£800,000`` in English; ``٨٠٠٬٠٠٠ جنيه إسترليني`` in Arabic."""
    number = format_number(value, lang)
    if _language(lang).currency == "name":
        return f"{number} {currency_name}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{number} {currency_name}"


# A run of Latin-script text (guide/pages/langparts.py, LATIN_TEXT_RUN).
_LATIN_RUN = langparts.LATIN_TEXT_RUN


def isolate_latin(text: str, lang: str, abbreviations: dict[str, str] | None = None) -> Markup:
    """Escape ``text``; on pages whose language marks Latin runs (Arabic:
    ``runs: {latin: en}``) wrap each in ``<span lang="en" dir="ltr">`` so names
    and acronyms keep their order inside right-to-left text. Known acronyms
    also get an ``<abbr title>`` (raw HTML is not seen by the abbr extension)."""
    abbreviations = abbreviations or {}
    registry = languages.load()
    run_lang = registry.get(lang).run_language("latin")
    if not run_lang:
        return Markup(_abbr_words(str(escape(text)), abbreviations))
    attrs = f'lang="{run_lang}" dir="{registry.get(run_lang).dir}"'
    out, pos = [], 0
    for match in _LATIN_RUN.finditer(text):
        run = match.group(0).rstrip(".-")
        start, end = match.start(), match.start() + len(run)
        inner = _abbr_words(str(escape(run)), abbreviations)
        # A run between brackets takes them into its span (guide/pages/langparts.py).
        if start > pos and text[start - 1] == "(" and text[end:end + 1] == ")":
            start, end, inner = start - 1, end + 1, f"({inner})"
        out.append(str(escape(text[pos:start])))
        out.append(langparts.run_span(attrs, inner))
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
