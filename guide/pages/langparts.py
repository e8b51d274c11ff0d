"""Language of parts (WCAG 3.1.2): mark foreign-script runs in a page's article.

Arabic pages name organisations and programmes in Latin script (NLC, P/CVE,
Strong Cities Network); English pages may quote Arabic. A screen reader reads
a run with the page's voice unless the run carries its own ``lang``, so each
Latin run in an Arabic article becomes ``<span lang="en" dir="ltr">…</span>``
and each Arabic run in an English article ``<span lang="ar" dir="rtl">…</span>``.

Only text inside the page's article (guide/theme/material.py, ARTICLE_OPEN) is
touched, never tag markup or attributes, and never the inside of code, scripts,
styles, SVG/MathML, form fields, or any element that already states ``lang``.
Plain Python (regular expressions over the serialised page), no MkDocs import.
"""

from __future__ import annotations

import re

from guide import languages
from guide.pages import textnodes
from guide.theme import material

ARABIC_CHARS = "\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF"
LATIN_LETTER = "A-Za-z\u00C0-\u024F"

# A Latin word: starts with a letter (not inside an entity such as &amp; or
# &#x27;), may contain digits and in-word marks (P/CVE, O'Neill, e.g. U.S.),
# ends on a letter or digit.
_LATIN_WORD = rf"[{LATIN_LETTER}](?:[{LATIN_LETTER}0-9'’./-]*[{LATIN_LETTER}0-9])?"
_LATIN_NEXT = rf"(?:{_LATIN_WORD}|[0-9]+(?:[.,][0-9]+)*)"
_SPACE = r"(?:\s|&nbsp;|&#160;|\u00A0)"
_LATIN_SEP = rf"(?:{_SPACE}*(?:&amp;|[,:–—-]){_SPACE}*|{_SPACE}+)"
LATIN_RUN = re.compile(rf"(?<![&#{LATIN_LETTER}0-9]){_LATIN_WORD}(?:{_LATIN_SEP}{_LATIN_NEXT})*")
# The same in plain (not yet escaped) text, as the data boxes mark it
# (guide/render/locale.py): words, acronyms (P/CVE), names (Google.org,
# "München ist bunt", "MOPAC & co").
_LATIN_TEXT_WORD = rf"[{LATIN_LETTER}0-9][{LATIN_LETTER}0-9/&.'’\-]*"
LATIN_TEXT_RUN = re.compile(rf"[{LATIN_LETTER}][{LATIN_LETTER}0-9/&.'’\-]*(?:[ ]+{_LATIN_TEXT_WORD})*")
# A token of Latin letters and digits (G20, 2017, v1.2) in Markdown prose:
# the editor check finds numbers written in Latin digits with it
# (guide/editorial/editorcheck.py).
LATIN_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9./_+-]*")
ARABIC_RUN = re.compile(rf"[{ARABIC_CHARS}]+(?:{_SPACE}+[{ARABIC_CHARS}]+)*")

# Elements whose content is not prose to annotate.
SKIP = {"script", "style", "code", "pre", "kbd", "samp", "var", "svg", "math", "textarea", "template", "select"}

_ARTICLE = material.ARTICLE_OPEN
_HAS_LANG = re.compile(r"\s(?:xml:)?lang\s*=", re.IGNORECASE)


def _skips(name: str, attrs: str) -> bool:
    # Not prose, or already in a language of its own.
    return name in SKIP or bool(_HAS_LANG.search(attrs))

# script -> pattern of its runs. Which runs a page language marks, and as what
# language, is the registry's `runs` fact (mkdocs.yml; guide/languages.py):
# Arabic marks Latin runs as English, English and French mark Arabic runs.
RUNS = {"latin": LATIN_RUN, "arabic": ARABIC_RUN}
# A run between brackets takes its brackets into its span: isolated with the
# words they enclose, they stay beside them, in the run's own direction, when
# the line breaks («صندوق (Shared Endeavour Fund)» split "Shared)" from
# "(Endeavour Fund" at a line end).
_BRACKETED = {script: re.compile(rf"\((?:{pattern.pattern})\)|(?:{pattern.pattern})") for script, pattern in RUNS.items()}


def foreign(page_lang: str) -> tuple[re.Pattern, str] | None:
    """(pattern of the foreign runs, attributes of their span) for a page
    language, or None when it marks none."""
    registry = languages.load()
    lang = page_lang.split("-")[0]
    if lang not in registry:
        return None
    for script, run_lang in registry.get(lang).runs.items():
        return _BRACKETED[script], f'lang="{run_lang}" dir="{registry.get(run_lang).dir}"'
    return None
# A run of several words this short (visible characters) is kept whole
# (site.css, .guide-whole: an inline block no wider than its line): a phrase of
# another script broken at a line end reads in the wrong order. Longer runs
# flow and wrap between their words, as prose.
WHOLE_CHARS = 40
_ENTITY = re.compile(r"&[A-Za-z0-9#]+;")
_BREAKS = re.compile(r"(?:\s|&nbsp;|&#160;|[-–—/])")


def run_span(attrs: str, inner: str) -> str:
    """The span around one foreign run (``inner`` is HTML: escaped text, maybe
    an <abbr>), marked whole when it is a short phrase that could break."""
    text = _ENTITY.sub("x", re.sub(r"<[^>]*>", "", inner))
    whole = len(text) <= WHOLE_CHARS and _BREAKS.search(re.sub(r"<[^>]*>", "", inner).strip())
    extra = ' class="guide-whole"' if whole else ""
    return f"<span {attrs}{extra}>{inner}</span>"


def _mark(text: str, found: tuple[re.Pattern, str]) -> str:
    """Wrap the foreign-script runs of one text node (already HTML-escaped)."""
    pattern, attrs = found
    return pattern.sub(lambda m: run_span(attrs, m.group(0)), text)


def mark_fragment(html: str, page_lang: str) -> str:
    """Annotate the text nodes of an HTML fragment (see module docstring)."""
    found = foreign(page_lang)  # once per fragment: it reads the registry
    if found is None:
        return html
    out: list[str] = []
    for text, skipped, tag in textnodes.walk(html, _skips):
        out.append(text if skipped or not text.strip() else _mark(text, found))
        if tag is not None:
            out.append(tag.group(0))
    return "".join(out)


def _article_end(html: str, start: int) -> int:
    """Index of the ``</article>`` closing the article opened before ``start``."""
    depth = 1
    for match in re.finditer(r"<(/?)article\b[^>]*>", html[start:]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return start + match.start()
    return -1


def mark_language_runs(page_html: str, page_lang: str) -> str:
    """Annotate the article of a whole rendered page; the rest is left as is."""
    opening = _ARTICLE.search(page_html)
    if not opening:
        return page_html
    end = _article_end(page_html, opening.end())
    if end < 0:
        return page_html
    body = page_html[opening.end():end]
    return page_html[:opening.end()] + mark_fragment(body, page_lang) + page_html[end:]
