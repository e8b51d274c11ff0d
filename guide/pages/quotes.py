"""Typographic quotes where the language has them (English): "Why cities?" → “Why cities?”, city's → city’s.

Editors type straight quotes and apostrophes (pages, data, front matter, UI
strings); readers get curly ones. Done once on the rendered HTML, so the page
text, the data boxes, titles and interface strings are treated alike, and the
texts stay as written. Only text between tags changes: never markup,
attribute values, or the inside of code, pre, kbd, samp, script, style,
textarea or any element that states another ``lang`` (an Arabic run keeps its
own punctuation). Quote characters written as entities (``&quot;``, ``&#39;``,
as Jinja escapes them) count too.

Which quote: a ``"`` after the start, a space, an opening bracket, a dash or a
slash opens (“), otherwise closes (”); a ``'`` between letters or digits, or
after a letter, digit or closing punctuation, is an apostrophe or a closing
quote (’), one before a digit after a space is an elision (’90s), otherwise it
opens (‘). The character before a quote is looked for across tags
(``"<em>Why</em>"``). Search folds ’ into ' (guide/search/analysis.py), so
city's and city’s find each other.

Plain Python (regular expressions over the serialised page), no MkDocs import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from guide import languages
from guide.pages import textnodes

SKIP = {"code", "pre", "kbd", "samp", "script", "style", "textarea", "svg", "math", "template"}
_LANG = re.compile(r"\s(?:xml:)?lang\s*=\s*[\"']?([A-Za-z-]+)", re.IGNORECASE)
# A text node's pieces: a quote (as a character or an entity), another
# entity (one character as far as the neighbours go), or any other character.
_PIECE = re.compile(r"&(?:quot|#34|#x22|apos|#39|#x27);|&[A-Za-z0-9#]+;|.", re.DOTALL | re.IGNORECASE)
_DOUBLE = {'"', "&quot;", "&#34;", "&#x22;"}
_SINGLE = {"'", "&apos;", "&#39;", "&#x27;"}
_OPENS_AFTER = set(" \t\r\n\u00a0([{<\u2014\u2013-/\u201c\u2018\u00ab")
_BLOCKS = {"p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "article",
           "header", "footer", "nav", "ul", "ol", "dl", "table", "tr", "caption", "blockquote", "figure",
           "figcaption", "title", "body", "head", "html", "main", "aside", "label", "button", "option", "br"}


def _char(piece: str) -> str:
    """The character an entity stands for, as far as quoting goes."""
    if len(piece) == 1:
        return piece
    if piece.lower() in ("&nbsp;", "&#160;", "&#xa0;"):
        return " "
    return "x"  # &amp; and friends: a visible character, not a space


def curl(text: str, before: str = " ", after: str = " ") -> tuple[str, str]:
    """``text`` (one text node, HTML-escaped) with curly quotes; and its last
    character, for the next node. ``before``: the character before it (a
    space at the start of a block); ``after``: the one after it."""
    pieces = _PIECE.findall(text)
    out = []
    prev = before
    for i, piece in enumerate(pieces):
        low = piece.lower()
        nxt = _char(pieces[i + 1]) if i + 1 < len(pieces) else after
        if low in _DOUBLE:
            out.append("\u201c" if prev in _OPENS_AFTER else "\u201d")
            prev = out[-1]
            continue
        if low in _SINGLE:
            if prev.isalnum() or prev in ".,;:!?)]}\u201d\u2019%":
                out.append("\u2019")  # city's, cities', 'Why?'
            elif nxt.isdigit():
                out.append("\u2019")  # '90s
            else:
                out.append("\u2018")
            prev = out[-1]
            continue
        out.append(piece)
        prev = _char(piece)
    return "".join(out), prev


def curly_codes(registry=None) -> tuple[str, ...]:
    """The codes of the languages with curly quotes (``quotes: curly`` in the
    registry; default: ``languages.load()``)."""
    return tuple(lang.code for lang in (registry if registry is not None else languages.load())
                 if lang.quotes == "curly")


def curl_html(html: str, curly: Iterable[str] | None = None) -> str:
    """Curl the quotes of every text node of ``html`` (a page or a fragment)
    outside the elements in SKIP and those of a language without curly quotes
    (``curly``: their codes; default: ``curly_codes()``)."""
    codes = tuple(code.lower() for code in (curly_codes() if curly is None else curly))

    def skips(name: str, attrs: str) -> bool:
        return _skips(name, attrs, codes)

    out: list[str] = []
    last = " "  # the last visible character so far in the current block
    for text, skipped, tag in textnodes.walk(html, skips):
        if text and not skipped and ('"' in text or "'" in text or "&" in text):
            curled, last = curl(text, last, _next_char(html, tag.end()) if tag else " ")
            out.append(curled)
        else:
            out.append(text)
            if text.strip() and not skipped:
                last = _char(_PIECE.findall(text)[-1])
            elif text and not skipped and text[-1:].isspace():
                last = " "
        if tag is not None:
            out.append(tag.group(0))
            if textnodes.tag_name(tag) in _BLOCKS:
                last = " "
    return "".join(out)


def _skips(name: str, attrs: str, curly: tuple[str, ...]) -> bool:
    # Code and the like, and an element of a language without curly quotes
    # (an Arabic run keeps its own punctuation); <html lang=…> is the page itself.
    lang = _LANG.search(attrs)
    return name in SKIP or (bool(lang) and not _curly(lang.group(1).lower(), curly) and name != "html")


def _curly(lang: str, curly: tuple[str, ...]) -> bool:
    # "en" and its regional forms ("en-GB") when English has curly quotes
    return any(lang == code or lang.startswith(code + "-") for code in curly)


def _next_char(html: str, start: int) -> str:
    """The first character of the text from ``start`` on (across up to three
    inline tags), or a space."""
    for _ in range(3):
        tag = textnodes.TAG.match(html, start)
        if tag is None:
            return _char(_PIECE.match(html, start).group(0)) if start < len(html) else " "
        start = tag.end()
    return " "
