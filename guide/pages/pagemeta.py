"""Per-page metadata the templates need, computed without MkDocs."""

from __future__ import annotations

import re
from urllib.parse import urljoin

RTL_LANGUAGES = {"ar", "fa", "he", "ur"}
DEFAULT_LANGUAGE = "ar"

_HTML_TAG = re.compile(r"<html\b([^>]*)>", re.IGNORECASE)


def direction(lang: str) -> str:
    return "rtl" if lang.split("-")[0] in RTL_LANGUAGES else "ltr"


def hreflang_links(site_url: str, alternates: dict[str, str], default_lang: str = DEFAULT_LANGUAGE) -> list[dict]:
    """``[{hreflang, href}]`` with absolute URLs, in a stable order, plus x-default.

    ``alternates`` maps a language to the page's URL relative to the site root
    (``"strategy/"``, ``"en/strategy/"``, ``"./"`` for the home page).
    """
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
