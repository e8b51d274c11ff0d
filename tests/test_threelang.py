"""Issue 20: adding a language touches configuration, content and ui.yml only.

The fixture (tests/fixtures/threelang/: Arabic, English and French, French
left to right and without an analysis of its own) replaces the repository's
mkdocs.yml, docs/<lang>/ and data/*.yml in a copy of the repository, and is
built there with `python -m tools build` (tests/threelang.py). The English
strategy page changed last in the copy's git history. HTML-level checks of
the switcher, hreflang, notices, search index and 404 pages; the status and
parity commands run in the copy too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from guide import languages, siteconfig
from guide.publish.shipped import SEARCH_DOCS_ENV
from guide.search import prebuilt
from hosted import LocalServer
from threelang import FIXTURE, LANGUAGES, ROOT, make_tree, run

PAGES = ("index", "strategy", "glossary")
HOME = {"ar": "/", "en": "/en/", "fr": "/fr/"}


@pytest.fixture(scope="module")
def server():
    """A local server, bound before the build: the site is built for its address
    (its Content-Security-Policy names scripts by URL), served once built."""
    server = LocalServer()
    yield server
    server.close()


@pytest.fixture(scope="module")
def site_url(server) -> str:
    return server.url


@pytest.fixture(scope="module")
def tree(tmp_path_factory, site_url) -> Path:
    tree = make_tree(tmp_path_factory.mktemp("threelang") / "tree")
    # The combined search documents are not shipped: kept outside the copy (which must
    # differ from the repository only in configuration, content and data).
    proc = run(tree, "build", env={"SITE_URL": site_url, SEARCH_DOCS_ENV: str(tree.parent / "search-docs.json")})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return tree


@pytest.fixture(scope="module")
def site(tree) -> Path:
    return tree / "site"


@pytest.fixture(scope="module")
def served(server, site, site_url) -> str:
    return server.serve(site)


def page(site: Path, lang: str, slug: str) -> str:
    path = site / LANGUAGES[lang] / ("" if slug == "index" else slug) / "index.html"
    return path.read_text(encoding="utf-8")


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- the fixture is the site's config plus a language ------------------------------

def test_fixture_config_differs_from_the_sites_only_in_languages_nav_and_edition():
    real, fixture = (siteconfig.load_config(path) for path in (ROOT / "mkdocs.yml", FIXTURE / "mkdocs.yml"))

    def without_languages(config: dict) -> dict:
        config = json.loads(json.dumps(config, default=str))
        config.pop("nav")
        config["extra"].pop("edition")
        for plugin in config["plugins"]:
            if isinstance(plugin, dict) and "i18n" in plugin:
                plugin["i18n"]["languages"] = [entry for entry in plugin["i18n"]["languages"]
                                               if entry["locale"] in ("ar", "en")]
        return config

    assert without_languages(fixture) == without_languages(real)
    registry = languages.load(FIXTURE / "mkdocs.yml")
    assert registry.codes == ("ar", "en", "fr") and registry.prefixes == LANGUAGES
    assert registry.get("fr").dir == "ltr" and registry.get("fr").analysis == "generic"


def test_the_copy_changes_only_configuration_content_and_data(tree):
    # What differs from the repository: mkdocs.yml, the pages and the data files.
    changed = set()
    for path in tree.rglob("*"):
        rel = path.relative_to(tree)
        if rel.parts[0] in (".git", "site") or not path.is_file() or "__pycache__" in rel.parts:
            continue
        original = ROOT / rel
        if not original.is_file() or original.read_bytes() != path.read_bytes():
            changed.add(rel.as_posix())
    outside = {rel for rel in changed if rel != "mkdocs.yml" and not re.match(r"docs/(ar|en|fr)/[^/]+\.md$", rel)
               and not re.match(r"data/[a-z]+\.yml$", rel)}
    assert outside == set()
    assert {rel for rel in changed if rel.startswith("docs/fr/")} == {f"docs/fr/{slug}.md" for slug in PAGES}


# --- pages -----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize("slug", PAGES)
def test_language_direction_switcher_and_hreflang(site, site_url, lang, slug):
    html = page(site, lang, slug)
    html_tag = re.search(r"<html[^>]*>", html).group(0)
    assert f'lang="{lang}"' in html_tag
    assert f'dir="{"rtl" if lang == "ar" else "ltr"}"' in html_tag
    # The language menu lists all three and keeps the page (the section).
    switcher = re.search(r'<div class="md-select__inner">.*?</div>', html, re.S).group(0)
    links = dict((hreflang, href) for href, hreflang in
                 re.findall(r'<a href="([^"]*)" hreflang="([a-z]+)" class="md-select__link"', switcher))
    assert set(links) == set(LANGUAGES)
    suffix = "" if slug == "index" else f"{slug}/"
    here = "http://site/" + LANGUAGES[lang] + suffix
    for other, href in links.items():
        assert urljoin(here, href) == "http://site/" + LANGUAGES[other] + suffix, (other, href)
    alternates = dict(re.findall(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)">', html))
    base = site_url
    assert alternates == {**{code: base + prefix + suffix for code, prefix in LANGUAGES.items()},
                          "x-default": base + suffix}


def test_french_pages_use_french_dates_chapter_names_and_latin_digits(site):
    html = page(site, "fr", "strategy")
    assert "Dernière mise à jour de cette page : 2 mars 2025" not in html  # fr itself changed first
    assert "Dernière mise à jour de cette page : 10 janvier 2025" in html
    assert "Édition française du guide publiée le : 2 mai 2024" in html
    assert not re.search(r"[\u0660-\u0669]", text(re.sub(r'lang="ar".*?</span>', "", html)))
    assert "US$2,000" in html and "Harbourtown · Canada · " in html
    # The macro names the glossary with the fixture's French ref.
    assert ">le glossaire</a>" in page(site, "fr", "index")
    arabic = page(site, "ar", "strategy")
    assert "٢٬٠٠٠ دولار أمريكي" in arabic and "هاربرتاون، كندا، " in arabic


def test_glossary_shows_every_other_language(site):
    html = page(site, "fr", "glossary")
    entry = re.search(r'<dt id="term-ngo".*?</dt>', html, re.S).group(0)
    assert re.findall(r'class="guide-glossary__other" lang="([a-z]+)" dir="([a-z]+)"', entry) == \
        [("ar", "rtl"), ("en", "ltr")]
    assert 'title="non-governmental organisation">NGO</abbr>' in entry


def test_arabic_runs_in_french_text_are_marked(site):
    html = page(site, "fr", "strategy")
    assert '<span lang="ar" dir="rtl">منتدى</span>' in html


def test_every_local_link_of_every_page_resolves(site):
    missing = []
    for lang in LANGUAGES:
        for slug in PAGES:
            here = "http://site/" + LANGUAGES[lang] + ("" if slug == "index" else f"{slug}/")
            for href in re.findall(r'(?:href|src)="([^"]+)"', page(site, lang, slug)):
                url = urljoin(here, href.replace("&amp;", "&"))
                if not url.startswith("http://site/"):
                    continue
                path = url[len("http://site/"):].split("#")[0].split("?")[0]
                target = site / path / "index.html" if path.endswith("/") or not path else site / path
                if not target.is_file():
                    missing.append((lang, slug, href))
    assert not missing, missing[:10]


# --- notices ----------------------------------------------------------------------------

def notices(html: str) -> list[tuple[str, str, str]]:
    return [(kind, href, hreflang) for kind, href, hreflang in re.findall(
        r'guide-notice--(\w+)" role="note">.*?<a href="([^"]*)" hreflang="([a-z]+)"', html, re.S)]


def test_a_newer_language_version_gives_the_others_a_notice(site):
    # The English page changed last: the Arabic and French ones point to it.
    assert ("translation", "../../en/strategy/", "en") in notices(page(site, "fr", "strategy"))
    assert ("translation", "../en/strategy/", "en") in notices(page(site, "ar", "strategy"))
    assert not [n for n in notices(page(site, "en", "strategy")) if n[0] == "translation"]
    assert "mise à jour le 2 mars 2025" in page(site, "fr", "strategy")
    assert "في ٢ مارس ٢٠٢٥" in page(site, "ar", "strategy")
    # Each names the language that changed, in its own words (ui.yml language.<code>).
    assert "La version anglaise de cette page" in page(site, "fr", "strategy")
    assert "Lire la version anglaise" in page(site, "fr", "strategy")
    assert "حُدِّثت النسخة الإنجليزية" in page(site, "ar", "strategy")
    for lang in LANGUAGES:
        assert not [n for n in notices(page(site, lang, "glossary")) if n[0] == "translation"]


# --- search -------------------------------------------------------------------------------

def test_search_index_per_language(site):
    for lang, prefix in LANGUAGES.items():
        config = json.loads((site / "search" / f"search_index.{lang}.json").read_text(encoding="utf-8"))
        assert set(config["config"]["guide"]) == set(LANGUAGES)
        kind, _, meta = prebuilt.read_script(site / "search" / lang / "meta.js")
        locations = [doc["location"] for doc in meta["docs"]]
        assert locations and all(loc.startswith(prefix) for loc in locations), locations
        for other, other_prefix in LANGUAGES.items():
            if other_prefix and other != lang:
                assert not any(loc.startswith(other_prefix) for loc in locations)
    dirs = json.loads((site / "search" / "search_index.fr.json").read_text(encoding="utf-8"))["config"]["guide"]
    # French has no analysis of its own: the generic one, said to the worker.
    assert dirs["fr"].get("analysis") == "generic" and "analysis" not in dirs["en"] and "analysis" not in dirs["ar"]


def keys(site: Path, lang: str) -> set[str]:
    out = set()
    for path in (site / "search" / lang / "k").glob("*.js"):
        out.update(prebuilt.read_script(path)[2])
    return out


def test_french_words_are_not_put_through_english_rules(site):
    french, english = keys(site, "fr"), keys(site, "en")
    assert {"habitants", "amerique", "accorde"} <= french  # unstemmed, accents folded
    assert "habit" not in french and "accord" not in french
    assert "resid" in english and "residents" not in english  # English is stemmed


# --- 404 pages ------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_404_page_per_language_links_the_others(site, lang):
    html = (site / LANGUAGES[lang] / "404.html").read_text(encoding="utf-8")
    assert re.search(rf'<html lang="{lang}"[^>]*dir="{"rtl" if lang == "ar" else "ltr"}"', html)
    box = re.search(r'<div class="guide-not-found" data-lang="([a-z]+)" data-default-lang="([a-z]+)">', html)
    assert box.groups() == (lang, "ar")
    others = re.findall(r'<p class="guide-not-found__other" lang="([a-z]+)" dir="([a-z]+)"><a href="([^"]+)"', html)
    assert [(code, href) for code, _, href in others] == [(code, HOME[code]) for code in LANGUAGES if code != lang]
    ui = yaml.safe_load((FIXTURE / "data" / "ui.yml").read_text(encoding="utf-8"))
    assert ui["notfound.title"][lang] in html
    for code in LANGUAGES:
        if code != lang:
            assert ui["notfound.other"][code] in html


# --- status and parity -----------------------------------------------------------------------

def test_status_reports_three_languages(tree):
    proc = run(tree, "status", "--fail-on-missing")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert re.match(r"page\s+ar changed\s+en changed\s+fr changed\s+state", lines[0])
    strategy = next(line for line in lines if line.startswith("strategy.md"))
    assert strategy.endswith("OUTDATED ar, fr (en changed later)")
    assert next(line for line in lines if line.startswith("glossary.md")).endswith("ok")
    assert "every localized field has ar, en and fr" in proc.stdout


def test_status_names_a_data_record_without_french(tree, tmp_path):
    path = tree / "data" / "mandates.yml"
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original.replace("      fr: Texte d’essai sur le mandat des villes.\n", ""), encoding="utf-8")
        proc = run(tree, "status", "--fail-on-missing")
        assert proc.returncode == 1
        assert re.search(r"data/mandates\.yml:\d+: mandates\[0\]\.summary \(id canada\): fr missing", proc.stdout)
        # The build names the same line, field and language.
        check = run(tree, "check")
        assert check.returncode == 1
        assert re.search(r"data/mandates\.yml:\d+: mandate 'canada': field 'summary\.fr': Field required", check.stderr)
    finally:
        path.write_text(original, encoding="utf-8")


def test_parity_compares_each_language_with_the_default(tree):
    proc = run(tree, "parity")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "parity OK: 3 pages in ar, en, fr" in proc.stdout


# --- search in the browser, scoped to the page's language --------------------------------

@pytest.mark.parametrize("lang, query, expected", [
    ("fr", "habitants", "fr/strategy/"),
    ("fr", "accordé", "fr/strategy/"),  # the query folded as the index was: accorde
    ("en", "residents", "en/strategy/"),
    ("ar", "المنتدى", "strategy/"),
])
def test_search_finds_pages_of_the_page_language_only(served, page, lang, query, expected):
    from conftest import open_search, search

    page.goto(served + LANGUAGES[lang] + "glossary/")
    placeholder = open_search(page)
    hrefs = search(page, query, placeholder)
    assert hrefs, f"{lang}: no result for {query!r}"
    paths = [href[len(served):] for href in hrefs]
    assert any(path.startswith(expected) for path in paths), paths
    for other, prefix in LANGUAGES.items():
        if other != lang and prefix:
            assert not any(path.startswith(prefix) for path in paths), paths
    if lang == "ar":
        assert not any(path.startswith(("en/", "fr/")) for path in paths)


# --- the generic analysis: the build and the worker agree -----------------------------------

FRENCH_EDGES = ["accordé", "Élu", "l’école", "l'école", "«forum»", "Œuvre", "Ça", "naïve", "2 000", "français;",
                "quartiers", "ÉTÉ", "München", "Łódź", "œ", "x", ""]


def test_the_worker_analyses_french_as_the_build_does(site, browser):
    from guide.search import analysis, searchindex

    data = json.loads((site.parent.parent / "search-docs.json").read_text(encoding="utf-8"))
    separator = re.compile(data["config"]["separator"])
    words = set(FRENCH_EDGES)
    for doc in data["docs"]:
        if doc["location"].startswith("fr/"):
            for field in prebuilt.FIELDS:
                words.update(prebuilt.tokenise(doc.get(field, ""), separator))
    words = sorted(words)
    page = browser.new_page()
    try:
        page.set_content("<!doctype html><title>generic</title>")
        page.add_script_tag(content=searchindex.worker_script(ROOT / "overrides" / "assets" / "javascripts"
                                                              / "guide-search"))
        theirs = page.evaluate("ws => { guideAnalysis.latin('generic'); "
                               "return ws.map(w => [guideAnalysis.indexKeys(w), guideAnalysis.surface(w)]); }", words)
    finally:
        page.close()
    ours = [[analysis.index_keys(w, "generic"), analysis.surface(w, "generic")] for w in words]
    differ = [(w, o, t) for w, o, t in zip(words, ours, theirs) if o != t]
    assert not differ, differ[:10]
    assert analysis.index_keys("Accordé", "generic") == ["accorde"]
    assert analysis.index_keys("residents", "english") == ["resid"]
