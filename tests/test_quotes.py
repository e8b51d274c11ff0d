"""Curly quotes on English pages (guide/pages/quotes.py), on HTML fragments."""

from __future__ import annotations

import pytest

from guide.pages.quotes import curl_html


@pytest.mark.parametrize("html, expected", [
    ('<p>"Why cities?" and the city\'s role</p>', "<p>“Why cities?” and the city’s role</p>"),
    ("<p>cities' plans in the '90s, 'Why?'</p>", "<p>cities’ plans in the ’90s, ‘Why?’</p>"),
    # Across inline tags; entities as Jinja writes them.
    ('<p>the <em>"Case study"</em> box</p>', "<p>the <em>“Case study”</em> box</p>"),
    ("<p>Editors&#39; &quot;word&quot; (&#34;x&#34;)</p>", "<p>Editors’ “word” (“x”)</p>"),
    ('<li>"<a href="/x/">Link</a>" text</li>', '<li>“<a href="/x/">Link</a>” text</li>'),
    # Never markup, attributes, code, scripts or a run in another language.
    ('<p title="a \'b\'"><code>a="b"</code> "c"</p>', '<p title="a \'b\'"><code>a="b"</code> “c”</p>'),
    ('<script>var a = "x";</script><p><span lang="ar" dir="rtl">"ع"</span> "d"</p>',
     '<script>var a = "x";</script><p><span lang="ar" dir="rtl">"ع"</span> “d”</p>'),
    # A new block starts afresh: a quote after a closing tag of a block opens.
    ('<p>end.</p><p>"Start"</p>', "<p>end.</p><p>“Start”</p>"),
])
def test_quotes_are_curled(html, expected):
    assert curl_html(html) == expected


def test_curling_twice_changes_nothing():
    once = curl_html("<p>\"It's\" 'here'</p>")
    assert curl_html(once) == once


def test_runs_are_skipped_by_the_registrys_curly_languages():
    # Which runs keep straight quotes is the registry's `quotes: curly`, not "starts with en".
    from guide import languages
    from guide.pages.quotes import curly_codes

    html = '<p><span lang="fr">"a"</span> <span lang="eng">"b"</span> <span lang="en-GB">"c"</span></p>'
    assert curl_html(html, ("en",)) == '<p><span lang="fr">"a"</span> <span lang="eng">"b"</span> <span lang="en-GB">“c”</span></p>'
    assert curl_html(html, ("en", "fr")) == '<p><span lang="fr">“a”</span> <span lang="eng">"b"</span> <span lang="en-GB">“c”</span></p>'
    fixture = languages.load(languages.ROOT / "tests" / "fixtures" / "threelang" / "mkdocs.yml")
    assert curly_codes(fixture) == ("en",)
    assert curly_codes() == tuple(lang.code for lang in languages.load() if lang.quotes == "curly")
