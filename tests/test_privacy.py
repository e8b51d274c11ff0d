"""Privacy: reading the guide contacts no one but the site itself.

- In Chromium, every page of both languages (and opening search) makes
  requests to the site's own origin only: no fonts, scripts, analytics or
  images from elsewhere. Every request is recorded (test-artifacts/requests.json).
- Statically, the built HTML and CSS (and our own scripts) reference nothing on
  another origin that a browser would fetch (src, stylesheet/icon/preload
  href, srcset, poster, url(), @import).
- Every link to another site carries rel="noopener".
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest

from conftest import LANGUAGES, PAGES, page_path
from hosted import host_site

ALL_PAGES = [(lang, slug) for lang in LANGUAGES for slug in PAGES]
LOCAL_SCHEMES = {"data", "blob", "about"}


def test_no_request_leaves_the_site(browser, server_url, artifacts_dir):
    origin = urlsplit(server_url)[:2]
    context = browser.new_context()
    page = context.new_page()
    requests: list[dict] = []
    # On the context: also catches what the search worker requests.
    context.on("request", lambda r: requests.append({"url": r.url, "type": r.resource_type, "page": page.url}))
    try:
        for lang, slug in ALL_PAGES:
            page.goto(server_url + page_path(lang, slug), wait_until="networkidle")
            page.mouse.wheel(0, 4000)  # lazy things below the fold
        for lang in LANGUAGES:  # search loads its index, worker and lunr files
            page.goto(server_url + page_path(lang, "strategy"), wait_until="networkidle")
            page.click("input[name=query]")
            page.keyboard.type("مدينة" if lang == "ar" else "city")
            page.wait_for_selector(".md-search-result__item", timeout=15000)
            page.wait_for_load_state("networkidle")
    finally:
        context.close()
    (artifacts_dir / "requests.json").write_text(json.dumps(requests, indent=1), encoding="utf-8")
    assert len(requests) > len(ALL_PAGES), "requests were not recorded"
    assert any("/search/search_index" in r["url"] for r in requests), "search did not load (nothing tested)"
    foreign = [r for r in requests
               if urlsplit(r["url"]).scheme not in LOCAL_SCHEMES and urlsplit(r["url"])[:2] != origin]
    assert not foreign, "requests to other origins:\n" + "\n".join(
        f"  {r['type']} {r['url']} (from {r['page']})" for r in foreign)


# --- static check of the built files ---------------------------------------

_ATTR = r"""\s{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"""
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
# <link rel=...> values that make the browser fetch the href.
_FETCHING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "prefetch",
                  "modulepreload", "manifest", "preconnect", "dns-prefetch", "mask-icon"}
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]+))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""")


def _attr(attrs: str, name: str) -> str | None:
    m = re.search(_ATTR.format(name=name), attrs, re.IGNORECASE)
    return next((g for g in m.groups() if g is not None), None) if m else None


def is_third_party(url: str) -> bool:
    """Absolute (http:, https:, protocol-relative) URL: everything we serve is relative."""
    url = url.strip()
    return bool(re.match(r"(?i)(https?:)?//", url))


def fetched_urls_in_html(html: str) -> list[str]:
    """URLs a browser fetches on its own when it renders ``html``."""
    urls: list[str] = []
    for match in _TAG.finditer(html):
        tag, attrs = match.group(1).lower(), match.group(2)
        for name in ("src", "poster", "data"):
            if tag in ("script", "img", "iframe", "source", "video", "audio", "track", "embed", "object", "input"):
                value = _attr(attrs, name)
                if value:
                    urls.append(value)
        srcset = _attr(attrs, "srcset") if tag in ("img", "source") else None
        if srcset:
            urls += [part.strip().split()[0] for part in srcset.split(",") if part.strip()]
        if tag == "link":
            rels = set((_attr(attrs, "rel") or "").lower().split())
            if rels & _FETCHING_RELS and _attr(attrs, "href"):
                urls.append(_attr(attrs, "href"))
        style = _attr(attrs, "style")
        if style:
            urls += fetched_urls_in_css(style)
    for css in re.findall(r"<style\b[^>]*>(.*?)</style>", html, flags=re.S | re.I):
        urls += fetched_urls_in_css(css)
    return urls


def fetched_urls_in_css(css: str) -> list[str]:
    return [next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(css)]


def test_static_scanner_catches_third_party_references():
    html = ('<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=X">'
            '<link rel="canonical" href="https://example.org/">'
            '<script src="//cdn.example.com/a.js"></script><img srcset="a.png 1x, https://x.org/b.png 2x">'
            '<div style="background:url(\'https://t.example/p.gif\')"></div><style>@import "https://x.org/a.css";</style>'
            '<a href="https://example.org/">a link is not fetched</a><script src="assets/x.js"></script>')
    third = [u for u in fetched_urls_in_html(html) if is_third_party(u)]
    assert third == ["https://fonts.googleapis.com/css?family=X", "//cdn.example.com/a.js",
                     "https://x.org/b.png", "https://t.example/p.gif", "https://x.org/a.css"]


def test_built_files_reference_no_third_party_resources(site_dir):
    problems = []
    for path in sorted(site_dir.rglob("*")):
        if path.suffix == ".html":
            urls = fetched_urls_in_html(path.read_text(encoding="utf-8"))
        elif path.suffix == ".css":
            urls = fetched_urls_in_css(path.read_text(encoding="utf-8"))
        else:
            continue
        problems += [f"{path.relative_to(site_dir)}: {u}" for u in urls if is_third_party(u)]
    assert not problems, "third-party resources referenced:\n  " + "\n  ".join(problems[:30])


def test_our_scripts_load_nothing_from_elsewhere(site_dir):
    """Our own scripts (not Material's bundle, which the browser test covers)."""
    ours = [p for p in (site_dir / "assets" / "javascripts").glob("*.js")]
    ours.append(site_dir / "assets" / "javascripts" / "guide-search" / "worker.js")
    loads = re.compile(r"""(?:importScripts|fetch|open|import)\s*\(\s*[^)]*?["'`](?:https?:)?//""")
    problems = [str(p.relative_to(site_dir)) for p in ours if loads.search(p.read_text(encoding="utf-8"))]
    assert not problems, f"scripts that load from another origin: {problems}"


def test_external_links_are_noopener(site_dir, server_url):
    from guide.pages.safelinks import is_external

    unsafe, external = [], 0
    for path in sorted(site_dir.rglob("*.html")):
        for match in re.finditer(r"<a\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", path.read_text(encoding="utf-8")):
            href = _attr(match.group(1), "href")
            if not href or not is_external(href, server_url):
                continue
            external += 1
            if "noopener" not in (_attr(match.group(1), "rel") or "").split():
                unsafe.append(f"{path.relative_to(site_dir)}: {href}")
    assert external > 0, "no external link found: is the check looking at the right pages?"
    assert not unsafe, "external links without rel=noopener:\n  " + "\n  ".join(unsafe[:20])


@pytest.fixture(scope="module")
def published_site(tmp_path_factory):
    """The site as the deploy workflow builds it: with REPO_URL set, which
    turns on Material's repository widget in the header."""
    from guide.engine import build_site

    target = tmp_path_factory.mktemp("published") / "site"
    proc = build_site(target, env={"SITE_URL": "https://guide.example.org/",
                                           "REPO_URL": "https://github.com/example/guide"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return target


def test_published_build_contacts_no_one(browser, published_site):
    html = (published_site / "strategy" / "index.html").read_text(encoding="utf-8")
    assert 'class="md-source"' in html, "repository link missing: REPO_URL had no effect?"
    assert 'data-md-component="source"' not in html  # would fetch api.github.com
    # At the address it was built for: the policy names script files by URL,
    # so elsewhere the scripts (the ones that could contact someone) would not run.
    base = "https://guide.example.org/"
    context = browser.new_context()
    host_site(context, published_site, base)
    page = context.new_page()
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    try:
        for path in ("strategy/", "en/strategy/"):
            page.goto(base + path, wait_until="networkidle")
            page.wait_for_timeout(300)
        assert page.evaluate("document.documentElement.classList.contains('js')"), "Material's bundle did not run"
    finally:
        context.close()
    foreign = [u for u in requests if urlsplit(u).scheme not in LOCAL_SCHEMES and not u.startswith(base)]
    assert requests and not foreign, f"requests to other origins: {foreign}"
