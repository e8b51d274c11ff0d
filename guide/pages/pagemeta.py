"""Per-page metadata the templates need, computed without MkDocs."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from guide import languages
from guide.theme import material


_HTML_TAG = re.compile(r"<html\b([^>]*)>", re.IGNORECASE)


def direction(lang: str) -> str:
    """A configured language's direction (mkdocs.yml); ``ltr`` for any other."""
    registry = languages.load()
    code = lang.split("-")[0]
    return registry.get(code).dir if code in registry else "ltr"


def hreflang_links(site_url: str, alternates: dict[str, str], default_lang: str | None = None) -> list[dict]:
    """``[{hreflang, href}]`` with absolute URLs, in a stable order, plus x-default.

    ``alternates`` maps a language to the page's URL relative to the site root
    (``"strategy/"``, ``"en/strategy/"``, ``"./"`` for the home page).
    """
    default_lang = default_lang or languages.load().default.code
    base = site_url if site_url.endswith("/") else site_url + "/"
    links = []
    for lang in sorted(alternates):
        url = alternates[lang]
        href = urljoin(base, "" if url in (".", "./") else url)
        links.append({"hreflang": lang, "href": href})
    default = next((link for link in links if link["hreflang"] == default_lang), None)
    if default:
        links.append({"hreflang": "x-default", "href": default["href"]})
    return links


def set_html_dir(html: str, lang: str) -> str:
    """Add ``dir`` to the ``<html>`` element (once; an existing one wins)."""

    def add(match: re.Match) -> str:
        attrs = match.group(1)
        if re.search(r"\sdir=", attrs):
            return match.group(0)
        return f'<html{attrs} dir="{direction(lang)}">'

    return _HTML_TAG.sub(add, html, count=1)


_AUTO_H1 = re.compile(r'<h1 id="(_\d*)"')
_MD_H1 = re.compile(r"^#[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)


def h1_id_from_markdown(markdown: str) -> str | None:
    """The id Markdown's toc gives a page's first ``# Title`` (None: no H1)."""
    from markdown.extensions.toc import slugify

    body = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.DOTALL)  # front matter
    match = _MD_H1.search(body)
    if not match:
        return None
    explicit = re.search(r"\{:?\s*#([\w-]+)[^}]*\}\s*$", match.group(1))
    if explicit:
        return explicit.group(1)
    return slugify(match.group(1), "-") or None


def readable_h1_id(html: str, new_id: str | None) -> tuple[str, str | None]:
    """Replace the toc's placeholder id of an Arabic H1 (``_1``) by ``new_id``
    in the heading and its permalink; returns the HTML and the old id."""
    match = _AUTO_H1.search(html)
    if not match or not new_id or f'id="{new_id}"' in html:
        return html, None
    old = match.group(1)
    html = html.replace(f'<h1 id="{old}"', f'<h1 id="{new_id}"', 1)
    html = html.replace(f'href="#{old}"', f'href="#{new_id}"', 1)
    return html, old


_HEADER_TOPIC = material.HEADER_TOPIC


def split_header_titles(html: str) -> str:
    """The header's titles («دليل للمدن: الوقاية …», "Chapter 8: Navigating
    Sensitive Issues") with what follows their colon in a span of its own, so
    a phone header that cannot show the whole title shows the part before the
    colon, not a fragment ending on "for" or «من» (site.css: the span is an
    inline block, on the title's first line whole or not at all)."""
    return _HEADER_TOPIC.sub(
        lambda m: f'{m.group(1)}{m.group(2)}<span class="guide-header-rest">{m.group(3)}{m.group(4)}</span>{m.group(5)}',
        html)
