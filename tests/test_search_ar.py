"""Arabic search finds what readers type, in the online site and the offline
bundle, and search stays in the reader's language and costs nothing until used.

The queries are data (tests/data/arabic_queries.yml). Each is typed into
Material's search box on an Arabic page in headless Chromium, and the result
list is read back, exactly as a reader would see it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from conftest import PAGES, open_search, page_path, search
from guide.search import prebuilt, searchindex

DATA = Path(__file__).parent / "data" / "arabic_queries.yml"
SEARCH_PAGE = "strategy"  # the Arabic page the reader searches from
EXTRA_PAGES = {"cases", "glossary"}  # reachable pages outside the chapter nav


def load_queries(path: Path = DATA) -> list[dict]:
    """The query set, checked: a clear error names the entry and the field."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = data.get("queries") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{path}: expected a non-empty 'queries' list")
    known = set(PAGES) | EXTRA_PAGES
    for i, entry in enumerate(entries, 1):
        where = f"{path.name}: query #{i}"
        if not isinstance(entry, dict):
            raise ValueError(f"{where}: expected a mapping")
        if not isinstance(entry.get("query"), str) or not entry["query"].strip():
            raise ValueError(f"{where}: field 'query' must be a non-empty string")
        if entry.get("page") not in known:
            raise ValueError(f"{where} ({entry['query']}): field 'page' {entry.get('page')!r} is not a page slug")
        if not isinstance(entry.get("top", 3), int) or entry.get("top", 3) < 1:
            raise ValueError(f"{where} ({entry['query']}): field 'top' must be a positive integer")
    return entries


QUERIES = load_queries()


def slug_of(href: str, root: str) -> tuple[str, str]:
    """(language, page slug) of a result link, for both URL styles:
    ``.../en/strategy/?h=x#y`` (online) and ``.../en/strategy.html#y`` (offline)."""
    path = unquote(urlsplit(href).path)
    root_path = unquote(urlsplit(root).path)
    rel = path[len(root_path):] if path.startswith(root_path) else path.lstrip("/")
    lang = "ar"
    if rel.startswith("en/"):
        lang, rel = "en", rel[3:]
    rel = rel.removesuffix("index.html").removesuffix(".html").strip("/")
    return lang, rel or "index"


def run_query_set(page, start_url: str, root: str) -> list[dict]:
    page.goto(start_url)
    placeholder = open_search(page)
    report = []
    for entry in QUERIES:
        hrefs = search(page, entry["query"], placeholder)
        pages: list[str] = []
        langs = set()
        for href in hrefs:
            lang, slug = slug_of(href, root)
            langs.add(lang)
            if slug not in pages:
                pages.append(slug)
        top = entry.get("top", 3)
        report.append({
            **entry,
            "results": pages[:6],
            "rank": pages.index(entry["page"]) + 1 if entry["page"] in pages else None,
            "passed": entry["page"] in pages[:top] and langs <= {"ar"},
            "languages": sorted(langs),
        })
    return report


def check_report(report: list[dict], artifacts_dir: Path, name: str) -> None:
    (artifacts_dir / f"{name}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    failed = [r for r in report if not r["passed"]]
    top1 = sum(1 for r in report if r["rank"] == 1)
    print(f"\n{name}: {len(report) - len(failed)}/{len(report)} queries pass (top-1: {top1})")
    assert not failed, f"{len(failed)} of {len(report)} Arabic queries failed ({name}):\n" + "\n".join(
        f"  {r['query']!r} ({r['kind']}): expected {r['page']} in top {r.get('top', 3)}, "
        f"got {r['results']} languages {r['languages']}" for r in failed)


def test_query_set_is_big_enough_and_varied():
    assert len(QUERIES) >= 40
    kinds = " ".join(q["kind"] for q in QUERIES)
    for variation in ("ة→ه", "ى", "أ→ا", "إ→ا", "diacritics", "tatweel", "digit", "plural", "article"):
        assert variation in kinds, f"no query exercises {variation}"


def test_load_queries_rejects_bad_entries(tmp_path):
    bad = tmp_path / "q.yml"
    bad.write_text("queries:\n  - {query: 'مدينة', page: nowhere}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"q.yml: query #1 \(مدينة\): field 'page' 'nowhere'"):
        load_queries(bad)
    bad.write_text("queries:\n  - {page: strategy}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="query #1: field 'query'"):
        load_queries(bad)


@pytest.mark.parametrize("href, expected", [
    ("http://h:1/strategy/?h=x#city-mandate", ("ar", "strategy")),
    ("http://h:1/?h=x", ("ar", "index")),
    ("http://h:1/en/strategy/#a", ("en", "strategy")),
    ("file:///tmp/s/en/strategy.html#a", ("en", "strategy")),
    ("file:///tmp/s/index.html", ("ar", "index")),
])
def test_slug_of(href, expected):
    root = "file:///tmp/s/" if href.startswith("file:") else "http://h:1/"
    assert slug_of(href, root) == expected


def test_arabic_queries_online(browser, server_url, artifacts_dir):
    page = browser.new_page()
    try:
        report = run_query_set(page, server_url + page_path("ar", SEARCH_PAGE), server_url)
    finally:
        page.close()
    check_report(report, artifacts_dir, "arabic-search-online")


def test_arabic_queries_offline(browser, offline_site, artifacts_dir):
    root = offline_site.as_uri() + "/"
    page = browser.new_page()
    try:
        report = run_query_set(page, root + f"{SEARCH_PAGE}.html", root)
    finally:
        page.close()
    check_report(report, artifacts_dir, "arabic-search-offline")


def test_english_search_scoped_and_working(browser, server_url):
    """English pages search English pages only, and still find plain words."""
    page = browser.new_page()
    try:
        page.goto(server_url + page_path("en", "strategy"))
        placeholder = open_search(page)
        for query, expected in [("mandate", "strategy"), ("coordination", "implementation"),
                                ("prison", "tertiary-prevention"), ("rehabilitation", "tertiary-prevention"), ("glossary", "glossary")]:
            found = [slug_of(h, server_url) for h in search(page, query, placeholder)]
            assert found, f"English query {query!r} found nothing"
            assert {lang for lang, _ in found} == {"en"}, f"{query!r}: results outside English: {found}"
            slugs = list(dict.fromkeys(slug for _, slug in found))
            assert expected in slugs[:3], f"{query!r}: expected {expected} in top 3, got {slugs[:5]}"
    finally:
        page.close()


def test_search_costs_nothing_until_opened(browser, server_url):
    """A first visit downloads no index, worker or lunr file; opening search
    downloads this language's index only."""
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    try:
        page.goto(server_url + page_path("ar", SEARCH_PAGE), wait_until="networkidle")
        early = [u for u in requested if any(p in u for p in ("/search/", "/workers/", "/lunr/", "/guide-search/"))]
        assert early == [], f"search files loaded before the reader opened search: {early}"
        placeholder = open_search(page)
        assert search(page, "الاستراتيجية", placeholder)
        index_requests = [u for u in requested if "/search/" in u]
        # This language's config, then only pieces of the Arabic pre-built index.
        assert index_requests[0] == server_url + "search/search_index.ar.json", index_requests
        assert all(re.match(re.escape(server_url) + r"search/ar/.*\?v=[0-9a-f]{10}$", u) for u in index_requests[1:]), index_requests
        assert not any("/words.js" in u for u in index_requests), "a found word needs no vocabulary"
    finally:
        page.close()


# --- the analyser itself, in Chromium, without a build ----------------------

WORKER_SOURCE = Path(__file__).resolve().parent.parent / "overrides" / "assets" / "javascripts" / "guide-search"


def analyser_page(browser):
    """A page with the search worker as shipped (tables written in); outside a
    worker it only defines guideAnalysis (the query side of the analysis)."""
    page = browser.new_page()
    page.set_content("<!doctype html><title>guide search analysis</title>")
    page.add_script_tag(content=searchindex.worker_script(WORKER_SOURCE))
    return page


# (what the page says, what a reader types): the reader's key must be one of the page word's keys.
SAME_WORD = [
    ("الاستراتيجية", "استراتيجيه"), ("الاستراتيجية", "والاستراتيجيات"), ("استراتيجي", "الاستراتيجية"),
    ("المدينة", "مدينه"), ("بالمدينة", "المدينة"), ("ومدينة", "مدينة"), ("مدينة", "ومدينة"),
    ("بلدية", "البلديات"), ("البلديات", "بلدية"), ("وبلدية", "بلدية"),
    ("إطار", "اطار"), ("الأطر", "اطر"), ("آليات", "اليات"), ("ٱلمدينة", "المدينه"),
    ("مستشفى", "مستشفي"), ("المبادئ", "المبادىء"), ("مسؤولية", "مسوولية"),
    ("مُدُنٌ", "مدن"), ("مـديـنـة", "مدينة"), ("٢٠١٩", "2019"), ("۲۰۱۹", "٢٠١٩"),
    ("المعلمون", "المعلمين"), ("المعلمون", "معلمات"), ("المجتمع،", "مجتمع"), ("«المدينة»", "مدينة"),
    ("للشباب", "الشباب"), ("وللشباب", "شباب"), ("فالخريطة", "خريطة"), ("كالمدينة", "مدينه"),
]


@pytest.fixture(scope="module")
def analyser(browser):
    page = analyser_page(browser)
    yield page
    page.close()


@pytest.mark.parametrize("word, typed", SAME_WORD)
def test_variants_meet_on_a_key(analyser, word, typed):
    keys = analyser.evaluate("w => guideAnalysis.indexKeys(w)", word)
    key = analyser.evaluate("w => guideAnalysis.queryKey(w)", typed)
    # Material adds a trailing wildcard, so the reader's key may also be a prefix of an indexed key.
    assert any(k.startswith(key) for k in keys), f"{typed!r} -> {key!r}, {word!r} indexed as {keys}"


def test_stop_words_and_latin(analyser):
    assert analyser.evaluate("w => guideAnalysis.queryKey(w)", "في") == ""
    assert analyser.evaluate("w => guideAnalysis.indexKeys(w)", "التي") == []
    # Latin words are Material's business: untouched (the tokenizer lower-cases them).
    assert analyser.evaluate("w => guideAnalysis.indexKeys(w)", "nlc") == ["nlc"]


def test_different_words_stay_apart(analyser):
    """Light stemming must not merge unrelated words into one key."""
    pairs = [("مدينة", "مدرسة"), ("الاستراتيجية", "الاستدامة"), ("تفويض", "تفاوض")]
    for a, b in pairs:
        ka = analyser.evaluate("w => guideAnalysis.indexKeys(w)", a)
        kb = analyser.evaluate("w => guideAnalysis.queryKey(w)", b)
        assert not any(k.startswith(kb) for k in ka), f"{b!r} would find {a!r}: {kb!r} vs {ka}"


def test_result_page_highlights_the_terms(browser, server_url):
    """Clicking a result opens the page with ?h=…; the terms are highlighted
    there, so the deferred index must load at once on such a page."""
    page = browser.new_page()
    try:
        page.goto(server_url + page_path("ar", "implementation"))
        placeholder = open_search(page)
        hrefs = [h for h in search(page, "التنسيق", placeholder) if re.search(r"[?&]h=[^&#]", h)]
        assert hrefs, "no result link carries highlight terms"
        page.goto(hrefs[0])
        # A function, not an expression: Playwright polls a bare expression with eval, which the CSP forbids.
        page.wait_for_function("() => document.querySelectorAll('article mark').length > 0", timeout=15000)
    finally:
        page.close()


# Broken plurals and verb forms meet the page's word on a root key.
SAME_ROOT = [
    ("الأطفال", "طفل"), ("خبراء", "خبير"), ("السجون", "سجن"), ("الدول", "دولة"), ("النساء", "امرأة"),
    ("مدن", "مدينة"), ("الاندماج", "يندمج"), ("التعافي", "تتعافى"), ("التعلم", "يتعلم"),
    ("التمويل", "يمول"), ("الوقاية", "يقي"), ("التأهيل", "يؤهل"), ("التجنيد", "يجند"),
    ("التقييم", "تقيم"), ("التقييم", "نقيم"), ("العمل", "نعمل"),
    ("الموارد", "مورد"), ("المواقع", "موقع"), ("مصادر", "مصدر"),
]


@pytest.mark.parametrize("word, typed", SAME_ROOT)
def test_broken_plurals_and_verbs_meet_on_a_root(analyser, word, typed):
    keys = analyser.evaluate("w => guideAnalysis.indexKeys(w)", word)
    roots = analyser.evaluate("w => guideAnalysis.rootKeys(w)", typed)
    assert set(roots) & set(keys), f"{typed!r} roots {roots}, {word!r} indexed as {keys}"


@pytest.mark.parametrize("word, typed", [("مسؤولية", "مسئولية"), ("مسئولية", "مسؤولية"), ("قدراتهم", "قدرة"),
                                         ("مسؤولياتهم", "مسؤولية"), ("شبابنا", "الشباب")])
def test_hamza_seats_and_pronoun_suffixes(analyser, word, typed):
    keys = analyser.evaluate("w => guideAnalysis.indexKeys(w)", word)
    key = analyser.evaluate("w => guideAnalysis.queryKey(w)", typed)
    assert any(k.startswith(key) for k in keys), f"{typed!r} -> {key!r}, {word!r} indexed as {keys}"


# Before a pronoun the ta marbuta is written ت: the word still meets its bare noun, both ways.
@pytest.mark.parametrize("word, typed", [("الاستراتيجية", "استراتيجيتها"), ("استراتيجيتها", "الاستراتيجية"),
                                         ("المدينة", "مدينتنا"), ("الحكومة", "حكومتهم"), ("سياسته", "السياسة"),
    # a three-letter noun: «قصته» (his story) is قصة, typed قصه (issue 19: nothing was found)
    ("قصته", "قصه"), ("قصته", "القصة")])
def test_ta_marbuta_before_a_pronoun(analyser, word, typed):
    keys = analyser.evaluate("w => guideAnalysis.indexKeys(w)", word)
    typed_keys = analyser.evaluate("w => guideAnalysis.queryKeys(w)", typed)
    assert any(k.startswith(t) for k in keys for t in typed_keys), f"{typed!r} -> {typed_keys}, {word!r} indexed as {keys}"


def test_ta_marbuta_reading_keeps_a_radical_ta_and_plurals(analyser):
    # توقيتها is «its timing» (توقيت): the ة reading is an extra key, never the only one.
    assert "توقيت" in analyser.evaluate("w => guideAnalysis.queryKeys(w)", "توقيتها")
    # قدراتهم: ات is a plural ending, not a ta marbuta.
    assert analyser.evaluate("w => guideAnalysis.queryKeys(w)", "قدراتهم") == ["قدر"]


def test_english_punctuation_does_not_block_spelling(analyser):
    """Material's separator leaves ";" and a final "." on a token: the spelling
    rules must still apply (polarisation; = polarization)."""
    plain = analyser.evaluate("w => guideAnalysis.indexKeys(w)", "polarization")
    for token in ("polarisation;", "polarisation.", "Polarisation", "«polarisation»"):
        assert analyser.evaluate("w => guideAnalysis.indexKeys(w)", token) == plain, token


@pytest.mark.parametrize("a, b, distance", [
    ("polarisaton", "polarization", 2), ("mandate", "mandtae", 1), ("newark", "newrak", 1),
    ("نيوارك", "نيوراك", 1), ("strategy", "strategy", 0), ("cohesion", "coercion", 3),
])
def test_typo_distance(analyser, a, b, distance):
    """The typo fallback's distance (swaps of neighbours count once), capped at 2 + 1."""
    assert analyser.evaluate("([a, b]) => guideAnalysis.editDistance(a, b, 2)", [a, b]) == min(distance, 3)


def test_nisba_ending_keeps_the_letter_before_it(analyser):
    """ـية ends a noun: كراهية is keyed كراه (not كرا, the stem of unrelated words)."""
    assert analyser.evaluate("w => guideAnalysis.queryKey(w)", "الكراهية") == "كراه"
    assert "كراه" in analyser.evaluate("w => guideAnalysis.indexKeys(w)", "والكراهية")


def test_a_first_letter_is_a_particle_only_if_the_site_has_the_rest(browser):
    """و ف ب ك ل may be a particle or the word's own letter: the site's own
    words decide (كراهية has no word «راهية»; ومدينة has مدينة). The build
    lists the words to keep whole (meta.js); the worker reads that list."""
    docs = [{"location": "x/", "title": "", "text": "كراهية الكراهية مدينة ومدينة فريق"}]
    built = prebuilt.Built(docs, r"\s+", {})
    assert "كراهيه" in built.keep and "ومدينه" not in built.keep
    page = analyser_page(browser)
    try:
        assert page.evaluate("w => guideAnalysis.queryKey(w)", "كراهية") == "راه"  # no list yet: stripped
        page.evaluate("keep => guideSearch.meta({keep: keep, docs: [], shards: 1, pairShards: 1})", built.keep)
        assert page.evaluate("w => guideAnalysis.queryKey(w)", "كراهية") == "كراه"
        assert page.evaluate("w => guideAnalysis.queryKey(w)", "ومدينة") == "مدين"
        assert page.evaluate("w => guideAnalysis.queryKey(w)", "فريق") == "فريق"
        assert page.evaluate("w => guideAnalysis.queryKey(w)", "وفريق") == "فريق"  # not on the site: stripped
    finally:
        page.close()


def test_percentages_are_numbers_of_their_own(analyser):
    assert analyser.evaluate("w => guideAnalysis.indexKeys(w)", "٥٪") == ["5%"]
    assert analyser.evaluate("w => guideAnalysis.queryKey(w)", "5%") == "5%"
    assert analyser.evaluate("w => guideAnalysis.queryKey(w)", "٥") == "5"
    # "5%" is not a prefix of "5" and "5" is indexed as itself: «الفصل ٥» stays apart.
    assert analyser.evaluate("w => guideAnalysis.indexKeys(w)", "٥") == ["5"]


# A plural of the pattern فُعَلاء meets its singular on the singular's own key, not
# only on the root, which خبر (news) and خبرة (experience) share (issue 19: the
# page with خبراء ranked sixth for خبير).
@pytest.mark.parametrize("word, typed", [("خبراء", "خبير"), ("الشركاء", "شريك"), ("زعماء", "الزعيم"),
                                         ("خبير", "الخبراء"), ("الرؤساء", "رئيس")])
def test_plurals_of_the_pattern_fuala_meet_their_singular(analyser, word, typed):
    keys = [k for k in analyser.evaluate("w => guideAnalysis.indexKeys(w)", word) if not k.startswith("√")]
    typed_keys = analyser.evaluate("w => guideAnalysis.queryKeys(w)", typed)
    assert set(keys) & set(typed_keys), f"{typed!r} -> {typed_keys}, {word!r} indexed as {keys}"
    # Other five-letter words ending in اء are left alone.
    assert analyser.evaluate("w => guideAnalysis.queryKeys(w)", "الأعداء") == ["اعداء"]


@pytest.mark.parametrize("word, typed", [("modelling", "modeling"), ("labelled", "labeling"), ("travellers", "traveling"),
                                         ("fuelled", "fueled"), ("counselling", "counseling"), ("tell", "telling"),
                                         ("spelling", "spell")])
def test_single_and_double_l_spellings_meet(analyser, word, typed):
    """American single-l forms meet British double-l ones; a one-syllable word
    keeps its ll (telling is tell, not «tel»)."""
    keys = analyser.evaluate("w => guideAnalysis.indexKeys(w)", word)
    key = analyser.evaluate("w => guideAnalysis.queryKey(w)", typed)
    assert key in keys, f"{typed!r} -> {key!r}, {word!r} indexed as {keys}"
