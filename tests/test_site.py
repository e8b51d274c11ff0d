"""The built site's structure: every page in both languages, language and
direction, hreflang alternates, heading IDs, self-hosted fonts, no third parties."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest

from conftest import LANGUAGES, PAGES, page_path

class PageParser(HTMLParser):
    """Collects what the tests look at: root/body attributes, head links,
    heading IDs in the article, and every URL the page would load."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.html_attrs: dict = {}
        self.body_attrs: dict = {}
        self.alternates: dict[str, str] = {}
        self.heading_ids: list[str] = []
        self.loaded_urls: list[str] = []
        self.switcher_links: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_attrs = a
        elif tag == "body":
            self.body_attrs = a
        elif tag == "link":
            if a.get("rel") == "alternate" and a.get("hreflang"):
                self.alternates[a["hreflang"]] = a["href"]
            elif a.get("rel") in ("stylesheet", "icon", "preload", "modulepreload", "manifest"):
                self.loaded_urls.append(a.get("href", ""))
        elif tag in ("script", "img", "iframe", "source", "audio", "video") and a.get("src"):
            self.loaded_urls.append(a["src"])
        elif tag in ("h2", "h3", "h4") and "id" in a:
            self.heading_ids.append(a["id"])
        elif tag == "a" and "md-select__link" in (a.get("class") or ""):
            self.switcher_links[a.get("hreflang", "")] = a.get("href", "")


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_file(site_dir: Path, lang: str, slug: str) -> Path:
    return site_dir / page_path(lang, slug) / "index.html"


ALL_PAGES = [(lang, slug) for lang in LANGUAGES for slug in PAGES]


@pytest.mark.parametrize("lang,slug", ALL_PAGES)
def test_every_page_exists_in_both_languages(site_dir, lang, slug):
    assert html_file(site_dir, lang, slug).is_file()


@pytest.mark.parametrize("lang,slug", ALL_PAGES)
def test_language_and_direction(site_dir, lang, slug):
    page = parse(html_file(site_dir, lang, slug))
    expected_dir = "rtl" if lang == "ar" else "ltr"
    assert page.html_attrs.get("lang") == lang
    assert page.html_attrs.get("dir") == expected_dir
    assert page.body_attrs.get("dir") == expected_dir


@pytest.mark.parametrize("lang,slug", ALL_PAGES)
def test_hreflang_alternates_are_absolute_and_point_to_counterparts(site_dir, site_url, lang, slug):
    page = parse(html_file(site_dir, lang, slug))
    expected = {other: site_url + page_path(other, slug) for other in LANGUAGES}
    expected["x-default"] = expected["ar"]
    assert page.alternates == expected


@pytest.mark.parametrize("lang,slug", ALL_PAGES)
def test_language_switcher_links_to_counterpart_page(site_dir, lang, slug):
    page = parse(html_file(site_dir, lang, slug))
    here = "http://site/" + page_path(lang, slug)
    for other in LANGUAGES:
        # Resolve the (relative) link the way a browser would.
        assert urljoin(here, page.switcher_links[other]) == "http://site/" + page_path(other, slug)


def test_sitemap_lists_every_page_with_alternates(site_dir, site_url):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(site_dir / "sitemap.xml").getroot()
    entries = {}
    for url in root.findall("s:url", ns):
        loc = url.find("s:loc", ns).text
        entries[loc] = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
    for lang, slug in ALL_PAGES:
        loc = site_url + page_path(lang, slug)
        assert loc in entries, f"sitemap misses {loc}"
        assert entries[loc] == {other: site_url + page_path(other, slug) for other in LANGUAGES}


@pytest.mark.parametrize("slug", PAGES)
def test_heading_ids_are_readable_and_identical_across_languages(site_dir, slug):
    ids = {lang: parse(html_file(site_dir, lang, slug)).heading_ids for lang in LANGUAGES}
    for lang, found in ids.items():
        for heading_id in found:
            assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", heading_id), (
                f"{lang}/{slug}: heading id {heading_id!r} is not a readable kebab-case id"
            )
    assert ids["ar"] == ids["en"], f"{slug}: heading ids differ between languages"


def test_fonts_are_self_hosted_with_licences(site_dir):
    fonts = sorted(p.name for p in (site_dir / "assets" / "fonts").glob("*.woff2"))
    assert len(fonts) >= 2, fonts
    css = (site_dir / "assets" / "stylesheets" / "fonts.css").read_text(encoding="utf-8")
    for name in fonts:
        assert f"../fonts/{name}" in css
    assert list((site_dir / "assets" / "fonts").glob("OFL-*.txt")), "OFL licence missing"
    # Material's Google Fonts must be off.
    home = html_file(site_dir, "ar", "index").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in home and "fonts.gstatic" not in home


THIRD_PARTY_HOSTS = re.compile(
    r"fonts\.googleapis|fonts\.gstatic|cdn\.jsdelivr|unpkg\.com|cdnjs\.|googletagmanager|google-analytics"
)


# Material's bundle carries two lazy CDN fallbacks that it only fetches when a
# page needs them: a ResizeObserver polyfill (every supported browser has
# ResizeObserver) and mermaid (the guide has no diagrams). The browser tests
# prove neither is requested; anything else here is a leak.
KNOWN_UNUSED_FALLBACKS = re.compile(
    r'"https://unpkg\.com/resize-observer-polyfill"|"https://unpkg\.com/mermaid@\d+/dist/mermaid\.min\.js"'
)


def test_no_third_party_urls_in_html_css_js(site_dir):
    offenders = []
    for path in site_dir.rglob("*"):
        if path.suffix not in (".html", ".css", ".js") or path.name.endswith(".map"):
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        if THIRD_PARTY_HOSTS.search(KNOWN_UNUSED_FALLBACKS.sub("", text)):
            offenders.append(str(path.relative_to(site_dir)))
        if path.suffix == ".css":
            for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(r"@import\s+['\"]([^'\"]+)", text):
                if re.match(r"(https?:)?//", url):
                    offenders.append(f"{path.relative_to(site_dir)}: {url}")
        if path.suffix == ".html":
            for url in parse(path).loaded_urls:
                if re.match(r"(https?:)?//", url):
                    offenders.append(f"{path.relative_to(site_dir)}: {url}")
    assert not offenders, offenders


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_navigation_marks_summary_pages_with_a_localized_label(site_dir, lang):
    html = html_file(site_dir, lang, "strategy").read_text(encoding="utf-8")
    summary_titles = set(re.findall(r'<span class="md-status md-status--summary" title="([^"]+)">', html))
    assert len(summary_titles) == 1, summary_titles
    title = summary_titles.pop()
    assert bool(re.search(r"[\u0600-\u06FF]", title)) == (lang == "ar"), title
    # Complete pages carry no visible marker.
    css = (site_dir / "assets" / "stylesheets" / "site.css").read_text(encoding="utf-8")
    assert re.search(r"\.md-status--complete\s*{\s*display:\s*none", css)
