"""What a reader sees in a result list: teasers that show their words, and a
worker that fetches only what the list shows.

Each test types into Material's search box of a built page in headless
Chromium (the guide's worker behind it, guide/search/prebuilt.py's files).
"""

from __future__ import annotations

import hashlib
import json
import re
from contextlib import contextmanager

import pytest

from conftest import open_search, page_path, search

TEASED = 5  # groups given a teaser (overrides/assets/javascripts/guide-search/worker.js)


@contextmanager
def searched(browser, server_url: str, lang: str, query: str):
    """A page of ``lang`` with ``query`` searched: (page, result hrefs, the
    URLs requested since search was opened)."""
    page = browser.new_page()
    requested: list[str] = []
    try:
        page.goto(server_url + page_path(lang, "strategy"), wait_until="networkidle")
        placeholder = open_search(page)
        page.context.on("request", lambda r: requested.append(r.url))
        yield page, search(page, query, placeholder), requested
    finally:
        page.close()


@pytest.mark.parametrize("lang, query, word, page_slug", [
    ("en", "trusted partners", "partners", "implementation"),
    ("ar", "نيوارك", "نيوارك", "strategy"),
])
def test_teasers_show_the_blocks_with_the_readers_words(browser, server_url, lang, query, word, page_slug):
    """As Material's own teasers: the paragraph where the words are, marked,
    not just the start of the section."""
    with searched(browser, server_url, lang, query) as (page, hrefs, _):
        assert any(f"/{page_slug}" in h for h in hrefs[:TEASED]), hrefs
        marks = page.eval_on_selector_all(".md-search-result__article mark", "els => els.map(e => e.textContent)")
        assert any(word.lower() in m.lower() for m in marks), marks
        # The marked word sits inside a teaser paragraph, with its sentence around it.
        teaser = page.eval_on_selector_all(
        ".md-search-result__article p", "els => els.map(e => e.textContent).filter(t => t.length > 40)")
        assert any(word.lower() in t.lower() for t in teaser), teaser[:3]


def test_a_query_fetches_its_shards_and_a_few_teasers_only(browser, server_url):
    with searched(browser, server_url, "ar", "المدينة") as (_, hrefs, requested):
        assert len({h.split("#")[0] for h in hrefs}) > TEASED, "a common word should reach more pages than are teased"
        files = [u for u in requested if "/search/" in u]
        texts = [u for u in files if re.search(r"/s/\d+\.js\?v=", u)]
        assert texts and len(set(texts)) <= TEASED * 2, texts  # best sections of the first groups only
        assert not [u for u in files if "/words.js" in u], "a word on the site needs no vocabulary"
        assert all("/search/ar/" in u for u in files), files  # never the English index


def test_a_typo_fetches_the_vocabulary_and_still_finds(browser, server_url):
    with searched(browser, server_url, "en", "rehabilitaton") as (_, hrefs, requested):
        assert any("/tertiary-prevention/" in h or "/glossary/" in h for h in hrefs[:5]), hrefs
        assert any("/search/en/words.js?v=" in u for u in requested), "typo path not taken"


def test_pages_ask_for_the_worker_and_index_of_this_build(site_dir):
    """Versions in the URLs: a browser never runs a cached worker, or mixes
    cached index files, from another build."""
    html = (site_dir / "index.html").read_text(encoding="utf-8")
    scope = json.loads(re.search(r"window\.__searchScope = (\{.*?\});", html).group(1))
    shipped = (site_dir / "assets" / "javascripts" / "guide-search" / "worker.js").read_bytes()
    assert scope["worker"] == hashlib.sha256(shipped).hexdigest()[:10]
    config = json.loads((site_dir / "search" / "search_index.ar.json").read_text(encoding="utf-8"))["config"]
    assert config["guide"]["ar"]["dir"] == "ar" and re.fullmatch("[0-9a-f]{10}", config["guide"]["ar"]["v"])
    assert config["guide"]["ar"]["v"] != config["guide"]["en"]["v"]


def _results(page):
    return page.evaluate("""() => [...document.querySelectorAll('.md-search-result__item a.md-search-result__link')].map(a => ({
        href: a.href, marks: [...a.querySelectorAll('mark')].map(m => m.textContent)}))""")


def test_table_cells_are_words_of_their_own(browser, server_url):
    """«آسيا» is a cell of the mandates table: found, and marked alone (it
    reached the index glued to the next cell: «بنغلاديشآسياعبر»)."""
    with searched(browser, server_url, "ar", "آسيا") as (page, hrefs, _):
        assert any("/strategy/" in h and h.endswith("#city-mandate") for h in hrefs), hrefs
        marks = [m for r in _results(page) for m in r["marks"]]
        assert "آسيا" in marks and not [m for m in marks if len(m) > len("آسيا") + 2 and "آسيا" in m], marks


@pytest.mark.parametrize("lang, query, shown, not_marked", [
    ("en", "نيوارك", "Newark", "New York"),
    ("ar", "نيوارك", "نيوارك", "نيويورك"),
])
def test_names_mark_the_pages_spelling_and_have_no_root(browser, server_url, lang, query, shown, not_marked):
    """A name typed in the other script marks the page's spelling; a name has
    no Arabic root (نيوارك and نيويورك only look alike)."""
    with searched(browser, server_url, lang, query) as (page, hrefs, _):
        marks = [m for r in _results(page) for m in r["marks"]]
        assert any(shown in m for m in marks), marks
        assert not any(not_marked in m for m in marks), marks


@pytest.mark.parametrize("lang, query, slug", [
    ("ar", "مسئولية", "strategy"),  # another hamza seat than the page's مسؤولية
    ("en", "Munchen", "primary-prevention"),  # the page says München
])
def test_the_opened_result_marks_the_words_on_its_page(browser, server_url, lang, query, slug):
    """The result's link carries the page's own forms (?h=), so the page it
    opens marks them; the index's keys (مسءول, munchen) matched nothing there."""
    with searched(browser, server_url, lang, query) as (page, hrefs, _):
        target = next(r for r in _results(page) if f"/{slug}/" in r["href"] and "#" in r["href"] and r["marks"])
        page.goto(target["href"], wait_until="networkidle")
        page.wait_for_timeout(300)
        marked = page.eval_on_selector_all("article mark[data-md-highlight]", "els => els.map(e => e.textContent)")
        assert marked, f"{target['href']}: nothing marked on the page"


@pytest.mark.parametrize("lang, query", [
    ("en", "trusted partners"),
    ("en", "polarisation"),
    ("ar", "المدينة"),
    ("ar", "الاستقطاب المجتمعي"),  # Chapter 4 marked nothing (issue 19)
])
def test_every_result_link_carries_the_words(browser, server_url, lang, query):
    """Each result's links, the page's as well as its sections', carry the
    words to mark (?h=): a page that only its sections matched got an empty
    ?h= and the opened page marked nothing (issue 19)."""
    from urllib.parse import parse_qs, urlsplit

    with searched(browser, server_url, lang, query) as (page, _, _):
        links = page.eval_on_selector_all("a.md-search-result__link", "els => els.map(e => e.href)")
        assert len({h.split("#")[0].split("?")[0] for h in links}) >= 3, links
        empty = [h for h in links if not parse_qs(urlsplit(h).query).get("h", [""])[0].strip()]
        assert not empty, f"{len(empty)} of {len(links)} links mark nothing: {empty[:3]}"
        # The page link of a later group opens a page with the words marked.
        later = [h for h in links if "#" not in h][1]
        page.goto(later, wait_until="networkidle")
        page.wait_for_function("() => document.querySelector('article mark[data-md-highlight]')", timeout=5000)


class SiteText:
    """What the built site holds, to judge a result link's ?h= by: each page's
    article text (what Material's highlighter searches when the link opens)
    and the words of each search entry (a section, or a page's opening)."""

    def __init__(self, site_dir, data):
        import html as html_lib

        from guide.search import prebuilt

        self.separator = re.compile(data["config"]["separator"])
        self.site_dir = site_dir
        self.entries: dict[str, list[str]] = {}
        for doc in data["docs"]:
            words = [w for field in ("title", "text") for w in prebuilt.tokenise(doc.get(field, ""), self.separator)]
            self.entries[doc["location"]] = words
        self._pages: dict[str, str] = {}
        self._unescape = html_lib.unescape

    def article(self, path: str) -> str:
        """The lower-cased text of the article of the page at ``path`` (URL path)."""
        if path not in self._pages:
            source = (self.site_dir / path.strip("/") / "index.html").read_text(encoding="utf-8")
            body = source[source.index("<article"):source.rindex("</article>")]
            self._pages[path] = self._unescape(re.sub(r"<[^>]+>", " ", body)).lower()
        return self._pages[path]

    def words(self, location: str) -> list[str]:
        """The words of an entry; of a page link (no #), of every entry of the page."""
        if "#" in location:
            return self.entries.get(location, [])
        return [w for loc, ws in self.entries.items() if loc.split("#")[0] == location for w in ws]


@pytest.fixture(scope="module")
def site_text(site_dir, search_docs):
    return SiteText(site_dir, search_docs)


@pytest.mark.parametrize("lang, query", [
    # Chapter 4's page link carried ?h=المجتمعي (the page has المجتمع, not
    # المجتمعي) and dropped الاستقطاب, which the page holds as والاستقطاب.
    ("ar", "الاستقطاب المجتمعي"),
    ("ar", "الشباب الكراهية"),  # pages and sections with one, the other, or both
    ("ar", "المدارس التطرف العنيف"),
    ("ar", "مسئولية"),  # typed with another hamza seat than the pages' مسؤولية
    ("en", "hate speech schools"),
    ("en", "polarisation community trust"),
    ("en", "Munchen"),  # the page says München
])
def test_result_links_carry_the_pages_forms_of_the_words_it_holds(browser, server_url, site_text, lang, query):
    """Every result's ?h= (its page link's and its sections') holds only words
    the page it opens writes, and a form of each query word the result holds:
    a section, its own words; a page link, which opens and marks the whole
    page, the words of every section of it (issue 19: the word as typed was
    sent when the result showed no form of it)."""
    from urllib.parse import parse_qs, urlsplit

    from guide.search import analysis

    with searched(browser, server_url, lang, query) as (page, _, _):
        links = page.eval_on_selector_all("a.md-search-result__link", "els => els.map(e => e.href)")
    assert len({h.split("?")[0].split("#")[0] for h in links}) >= 2, links
    keys = [k[0] for k in (analysis.index_keys(w.lower()) for w in query.split()) if k]
    prefix = "" if lang == "ar" else "en/"
    wrong, lost = [], []
    for href in links:
        url = urlsplit(href)
        marks = [t for t in site_text.separator.split(parse_qs(url.query).get("h", [""])[0].lower()) if t]
        text = site_text.article(url.path)
        wrong += [(href, t) for t in marks if t not in text]
        location = url.path.lstrip("/")  # the entry's location, as the index writes it
        location += f"#{url.fragment}" if url.fragment else ""
        assert location.startswith(prefix) and location in site_text.entries, (href, location)
        held = {k for w in site_text.words(location) for k in analysis.index_keys(w)}
        marked = {k for t in marks for k in analysis.index_keys(t)}
        lost += [(href, k) for k in keys if k in held and k not in marked]
    assert not wrong, f"?h= words the opened page does not hold: {wrong[:5]}"
    assert not lost, f"query words the result holds and its ?h= leaves out (key): {lost[:5]}"


def test_straight_and_curly_apostrophes_find_each_other(browser, server_url):
    """English pages show city’s (the build curls quotes); a reader types
    city's or city’s, and finds the same pages, with the word marked."""
    found = {}
    for query in ("city's mandate", "city\u2019s mandate"):
        with searched(browser, server_url, "en", query) as (page, hrefs, _):
            found[query] = [h.split("?")[0] for h in hrefs]
            marks = [m for r in _results(page) for m in r["marks"]]
            assert any("\u2019" in m for m in marks), marks
            # Links mark the page's own form, also where the result showed none.
            from urllib.parse import parse_qs, urlsplit
            highlights = [parse_qs(urlsplit(r["href"]).query).get("h", [""])[0] for r in _results(page)]
            assert highlights and not [h for h in highlights if "'" in h], highlights
    assert found["city's mandate"] and found["city's mandate"] == found["city\u2019s mandate"], found
