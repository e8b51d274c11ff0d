"""Unit tests for the build-time HTML passes: language of parts, safe external
links, per-language search indexes (plain functions, no build)."""

from __future__ import annotations

import json

import pytest

from guide.pages import langparts, safelinks
from guide.search import prebuilt, searchindex

ARTICLE = '<article class="md-content__inner md-typeset">{}</article>'


def page(body: str, before: str = "<header>NLC</header>") -> str:
    return f"<html><body>{before}{ARTICLE.format(body)}<footer>Made with Material</footer></body></html>"


def test_latin_runs_in_arabic_text_get_lang_en():
    out = langparts.mark_fragment("<p>يعمل المجلس NLC مع Strong Cities Network في المدينة.</p>", "ar")
    assert '<span lang="en" dir="ltr">NLC</span>' in out
    # A short phrase is kept on one line (site.css .guide-whole).
    assert '<span lang="en" dir="ltr" class="guide-whole">Strong Cities Network</span>' in out
    assert "المدينة.</p>" in out  # sentence punctuation stays outside


def test_acronyms_with_slash_and_names_with_diacritics_stay_whole():
    out = langparts.mark_fragment("<p>برامج P/CVE في Dąbrowa Górnicza وGdańsk</p>", "ar")
    assert '<span lang="en" dir="ltr" class="guide-whole">P/CVE</span>' in out
    assert '<span lang="en" dir="ltr" class="guide-whole">Dąbrowa Górnicza</span>' in out


def test_arabic_runs_in_english_text_get_lang_ar():
    out = langparts.mark_fragment("<p>The word <em>بلدية</em> means municipality, as in مجلس المدينة.</p>", "en")
    assert '<em><span lang="ar" dir="rtl">بلدية</span></em>' in out
    assert '<span lang="ar" dir="rtl" class="guide-whole">مجلس المدينة</span>.' in out
    assert "municipality" in out and 'lang="en"' not in out


def test_attributes_code_scripts_and_explicit_lang_are_untouched():
    html = ('<p title="NLC title"><a href="https://example.org/NLC">رابط</a></p>'
            "<pre><code>print('hello')</code></pre><code>MOPAC</code>"
            "<script>var x = 'ISD';</script><style>.a{color:red}</style>"
            '<p lang="en">Already English</p><svg><text>GMF</text></svg>')
    assert langparts.mark_fragment(html, "ar") == html


def test_entities_are_never_split():
    out = langparts.mark_fragment("<p>مثال Tom &amp; Jerry و&nbsp;&#x27;x&#39; &lt;b&gt;</p>", "ar")
    assert "&amp;" in out and "&#x27;" in out and "&lt;" in out and "&gt;" in out and "&nbsp;" in out
    assert '<span lang="en" dir="ltr" class="guide-whole">Tom &amp; Jerry</span>' in out
    assert "&<span" not in out and "#<span" not in out


def test_brackets_go_into_the_run_they_enclose():
    """«صندوق (Shared Endeavour Fund)» broke as "Shared)" / "(Endeavour Fund":
    isolated with their words, the brackets stay beside them (issue 19)."""
    out = langparts.mark_fragment("<p>صندوق (Shared Endeavour Fund) ومكتب (OVPTR) و(انظر NLC)</p>", "ar")
    assert '<span lang="en" dir="ltr" class="guide-whole">(Shared Endeavour Fund)</span>' in out
    assert '<span lang="en" dir="ltr">(OVPTR)</span>' in out
    assert '(انظر <span lang="en" dir="ltr">NLC</span>)' in out  # a bracket around Arabic stays Arabic
    out = langparts.mark_fragment("<p>the term (بلدية) here</p>", "en")
    assert '<span lang="ar" dir="rtl">(بلدية)</span>' in out


def test_only_short_phrases_are_kept_whole():
    """A long run wraps between its words; a single word needs no rule."""
    long = "Institute for Strategic Dialogue and partners"
    out = langparts.mark_fragment(f"<p>قال {long} إن NLC</p>", "ar")
    assert f'<span lang="en" dir="ltr">{long}</span>' in out and '<span lang="en" dir="ltr">NLC</span>' in out


def test_only_the_article_is_annotated():
    out = langparts.mark_language_runs(page("<p>مثال NLC</p>"), "ar")
    assert "<header>NLC</header>" in out and "<footer>Made with Material</footer>" in out
    assert '<p>مثال <span lang="en" dir="ltr">NLC</span></p>' in out


def test_nested_articles_and_no_article():
    html = page("<article><p>NLC</p></article><p>ISD</p>")
    out = langparts.mark_language_runs(html, "ar")
    assert out.count('lang="en"') == 2 and out.endswith("</footer></body></html>")
    assert langparts.mark_language_runs("<p>NLC</p>", "ar") == "<p>NLC</p>"


def test_unknown_language_is_left_alone():
    assert langparts.mark_fragment("<p>NLC مثال</p>", "fr") == "<p>NLC مثال</p>"


@pytest.mark.parametrize("href, external", [
    ("https://example.org/x", True),
    ("http://127.0.0.1:8000/en/", False),
    ("//example.org", False),  # protocol-relative: not produced by our pages
    ("../strategy/", False),
    ("mailto:a@b.c", False),
    ("https://127.0.0.1:8000/", True),  # another scheme is another origin
])
def test_is_external(href, external):
    assert safelinks.is_external(href, "http://127.0.0.1:8000/") is external


def test_noopener_added_and_existing_rel_kept():
    html = ('<a href="https://example.org">x</a><a href="https://ex.org" rel="nofollow">y</a>'
            '<a href="https://ex.org" target="_blank" rel="noopener">z</a><a href="../a/">in</a>')
    out = safelinks.secure_external_links(html, "http://127.0.0.1:8000/")
    assert '<a href="https://example.org" rel="noopener">x</a>' in out
    assert 'rel="nofollow noopener"' in out
    assert out.count("noopener") == 3
    assert '<a href="../a/">in</a>' in out


def test_search_index_split_by_language(tmp_path):
    docs = [{"location": "", "title": "ar home", "text": ""},
            {"location": "strategy/", "title": "ar", "text": ""},
            {"location": "strategy/#city-mandate", "title": "ar s", "text": ""},
            {"location": "en/", "title": "en home", "text": ""},
            {"location": "en/strategy/#city-mandate", "title": "en s", "text": ""}]
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(
        json.dumps({"config": {"lang": ["ar", "en"], "separator": "x"}, "docs": docs}), encoding="utf-8")
    written = searchindex.write_language_indexes(tmp_path, {"ar": "", "en": "en/"}, "ar")
    ar = json.loads(written["ar"].read_text(encoding="utf-8"))
    en = json.loads(written["en"].read_text(encoding="utf-8"))
    # Each language's pre-built index holds its own entries, in order.
    def entries(lang):
        folder = tmp_path / "search" / ar["config"]["guide"][lang]["dir"]
        return [d["location"] for d in prebuilt.read_script(folder / "meta.js")[2]["docs"]]
    assert entries("ar") == ["", "strategy/", "strategy/#city-mandate"]
    assert entries("en") == ["en/", "en/strategy/#city-mandate"]
    # The pages load only the config (with the hidden alias field) and the directories' names.
    assert ar["docs"] == [] and en["docs"] == []
    assert ar["config"]["lang"] == ["ar"] and en["config"]["lang"] == ["en"]
    assert ar["config"]["fields"] == {"alias": {"boost": 1.0}} and ar["config"]["guide"] == en["config"]["guide"]


def test_search_index_errors(tmp_path):
    assert searchindex.write_language_indexes(tmp_path, {"ar": ""}, "ar") == {}
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(searchindex.SearchIndexError, match="search_index.json: not valid JSON"):
        searchindex.write_language_indexes(tmp_path, {"ar": ""}, "ar")
    (tmp_path / "search" / "search_index.json").write_text('{"docs": 1}', encoding="utf-8")
    with pytest.raises(searchindex.SearchIndexError, match="no 'docs' list"):
        searchindex.write_language_indexes(tmp_path, {"ar": ""}, "ar")


def test_search_dialog_gets_the_search_box_name():
    from guide.pages import a11yfix

    html = ('<div class="md-search" data-md-component="search" role="dialog">'
            '<input type="text" class="md-search__input" name="query" aria-label="بحث" placeholder="بحث">')
    out = a11yfix.name_search_dialog(html)
    assert '<div class="md-search" data-md-component="search" role="dialog" aria-label="بحث">' in out
    assert a11yfix.name_search_dialog(out) == out  # once only
    assert a11yfix.name_search_dialog("<p>no search</p>") == "<p>no search</p>"


def test_header_titles_keep_what_follows_the_colon_apart():
    from guide.pages import pagemeta

    html = ('<div class="md-header__topic">\n<span class="md-ellipsis">\nA Guide for Cities: Preventing Hate\n</span>\n</div>'
            '<div class="md-header__topic" data-md-component="header-topic">\n<span class="md-ellipsis">\nHome\n</span>\n</div>')
    out = pagemeta.split_header_titles(html)
    assert 'A Guide for Cities<span class="guide-header-rest">: Preventing Hate</span>' in out
    assert "\nHome\n" in out  # no colon: unchanged


def test_header_titles_split_at_a_french_colon_and_arabic_as_before():
    from guide.pages import pagemeta

    def header(title):
        return f'<div class="md-header__topic">\n<span class="md-ellipsis">\n{title}\n</span>\n</div>'

    # tests/fixtures/threelang's French site name: a plain space before the colon stays with the title.
    out = pagemeta.split_header_titles(header("Un guide pour les villes : prévenir la haine"))
    assert 'Un guide pour les villes <span class="guide-header-rest">: prévenir la haine</span>' in out
    # A no-break space (U+00A0, U+202F) goes with the colon, into the rest.
    for nbsp in ("\u00a0", "\u202f"):
        out = pagemeta.split_header_titles(header(f"Un guide pour les villes{nbsp}: prévenir"))
        assert f'Un guide pour les villes<span class="guide-header-rest">{nbsp}: prévenir</span>' in out
    out = pagemeta.split_header_titles(header("دليل للمدن: الوقاية من الكراهية"))
    assert 'دليل للمدن<span class="guide-header-rest">: الوقاية من الكراهية</span>' in out
    # A colon with no space after it (a time, a URL) is no title split.
    assert pagemeta.split_header_titles(header("Meeting at 10:30")) == header("Meeting at 10:30")
