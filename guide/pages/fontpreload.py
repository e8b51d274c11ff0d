"""Preload the font files a page draws, and only those.

fonts.css uses ``font-display: optional``: a face that is not in the browser's
memory by the first layout is never used on that page view, and the text is
drawn in a system font instead. The faces every page of a language draws are
preloaded by the template (overrides/partials/font-preload.html). The others
are drawn by some pages only, and this module adds a preload for them to the
pages that draw them:

- Arabic pages: the bold Latin-runs face (noto-sans-700.woff2) when a bold
  element (strong, a table's row heading, a box title ...) holds one of its
  characters: Latin letters, but also the brackets, full stop and « » around
  bold Arabic (fonts.css, guide/publish/fonts.py LATIN_RUNS_BOLD).
- English pages: the accented-letters face (Brčko, Dąbrowa, Gdańsk) and the
  Arabic face, when the page's text holds such characters (not counting the
  language menu's «العربية», set in a system font on purpose).

Which elements are bold is read from the tags and classes below, which mirror
the stylesheets; tests/test_fonts.py checks the result in Chromium on a cold
first visit of every page (no system font drawn, no preload unused).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from guide import languages
from guide.theme import material

FONTS_CSS = Path(__file__).resolve().parents[2] / "docs" / "assets" / "stylesheets" / "fonts.css"

BOLD_TAGS = frozenset({"strong", "b", "th", "dt", "caption", "summary", "h1", "h2", "h3", "h4", "h5", "h6"})
BOLD_CLASSES = frozenset({"guide-box__kind", "guide-box__title", "guide-box__subtitle", "guide-downloads__title",
                          "admonition-title"})
# Set back to the regular weight inside a bold element (site.css: the
# glossary term's other-language equivalent and separator).
REGULAR_CLASSES = frozenset({"guide-glossary__other", "guide-glossary__abbr", "guide-glossary__sep"})
# Not drawn in the page's fonts, or not text: skipped.
SKIP_TAGS = frozenset({"script", "style", "template", "svg", "code", "pre", "noscript"})
SKIP_CLASSES = frozenset({material.LANGUAGE_MENU_CLASS})  # the language menu: «العربية» is in a system font on purpose
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})

# Per script of the page's language (mkdocs.yml, guide/languages.py): file ->
# ("bold" or "any" text, the files earlier in the page's font stack: a
# character they cover is drawn by them, not this one).
OPTIONAL_FACES = {
    "arabic": {"noto-sans-700.woff2": ("bold", ("noto-naskh-arabic-wght.woff2",))},
    "latin": {"noto-sans-ext-wght.woff2": ("any", ("noto-sans-wght.woff2",)),
           "noto-naskh-arabic-wght.woff2": ("any", ("noto-sans-wght.woff2", "noto-sans-ext-wght.woff2"))},
}

_PRELOAD = re.compile(r'<link rel="preload" href="([^"]*?)([^"/]+\.woff2)" as="font"[^>]*>')


@lru_cache(maxsize=4)
def face_ranges(css_file: Path = FONTS_CSS) -> dict[str, frozenset[int]]:
    """file name -> the code points its @font-face rules cover (all weights)."""
    css = re.sub(r"/\*.*?\*/", "", css_file.read_text(encoding="utf-8"), flags=re.S)
    ranges: dict[str, set[int]] = {}
    for block in re.findall(r"@font-face\s*{([^}]*)}", css):
        src = re.search(r'url\("?[^")]*?([^/")]+\.woff2)"?\)', block)
        unicode_range = re.search(r"unicode-range:\s*([^;]+);", block)
        if not (src and unicode_range):
            continue
        points = ranges.setdefault(src.group(1), set())
        for item in re.sub(r"\s+", "", unicode_range.group(1)).split(","):
            start, _, end = item.removeprefix("U+").removeprefix("u+").partition("-")
            points.update(range(int(start, 16), int(end or start, 16) + 1))
    return {name: frozenset(points) for name, points in ranges.items()}


class _Text(HTMLParser):
    """The body's text, split into what is drawn bold and what is not."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, bold, skipped)
        self.bold: list[str] = []
        self.regular: list[str] = []
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        bold_now, skip_now = (self.stack[-1][1:] if self.stack else (False, False))
        bold = (bold_now or tag in BOLD_TAGS or bool(classes & BOLD_CLASSES)) and not classes & REGULAR_CLASSES
        self.stack.append((tag, bold,
                           skip_now or tag in SKIP_TAGS or bool(classes & SKIP_CLASSES)))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self.in_body or (self.stack and self.stack[-1][2]):
            return
        (self.bold if self.stack and self.stack[-1][1] else self.regular).append(data)


def faces_drawn(html: str, lang: str, css_file: Path = FONTS_CSS) -> list[str]:
    """The optional faces (OPTIONAL_FACES) this page's text draws."""
    parser = _Text()
    parser.feed(html)
    bold = set("".join(parser.bold))
    anywhere = bold | set("".join(parser.regular))
    ranges = face_ranges(css_file)
    drawn = []
    registry = languages.load()
    script = registry.get(lang).script if lang in registry else None
    for name, (when, before) in OPTIONAL_FACES.get(script, {}).items():
        earlier = frozenset().union(*(ranges.get(b, frozenset()) for b in before))
        chars = {ord(c) for c in (bold if when == "bold" else anywhere)
                 if not c.isspace() and unicodedata.category(c) != "Cf"}
        if any(c in ranges.get(name, ()) and c not in earlier for c in chars):
            drawn.append(name)
    return drawn


def add_preloads(html: str, lang: str, css_file: Path = FONTS_CSS) -> str:
    """The page with a preload for each optional face it draws, after the
    template's font preloads (same form, so the offline edition strips them too)."""
    existing = list(_PRELOAD.finditer(html))
    if not existing:
        return html
    have = {m.group(2) for m in existing}
    prefix = existing[-1].group(1)
    wanted = [name for name in faces_drawn(html, lang, css_file) if name not in have]
    if not wanted:
        return html
    links = "".join(f'\n<link rel="preload" href="{prefix}{name}" as="font" type="font/woff2" crossorigin>'
                    for name in wanted)
    end = existing[-1].end()
    return html[:end] + links + html[end:]
