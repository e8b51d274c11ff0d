"""The build and the reader's browser analyse words the same way.

Page words are analysed in Python when the site is built
(guide/search/analysis.py, written into the pre-built index by
guide/search/prebuilt.py); the reader's query is analysed in JavaScript by the
search worker (overrides/assets/javascripts/guide-search/worker.js). A word
the two treat differently is a word search cannot find, so every distinct word
of the built site (both languages, every field), plus the edge cases below,
goes through both and must get the same keys.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guide.search import analysis, prebuilt, searchindex

WORKER_SOURCE = Path(__file__).resolve().parent.parent / "overrides" / "assets" / "javascripts" / "guide-search"

# Punctuation at the edges, percentages, hamza seats, diacritics, tatweel,
# Persian letters and digits, the ta marbuta before pronouns, English
# possessives, British spellings, folded letters.
EDGE_CASES = [
    "5%", "5%%", "%5", "٥٪", "%x%", "--", "«المدينة»", "(المدينة)،", "المدينة؛", "۲۰۱۹", "٢٠١٩",
    "مسؤولية", "مسئولية", "المبادىء", "مُدُنٌ", "مـديـنـة", "ٱلمدينة", "استراتيجيتها", "توقيتها",
    "قدراتهم", "الأطفال", "النساء", "المرأة", "یک", "کتاب", "والكراهية", "وبالمدينة", "للشباب",
    "polarisation;", "Centre", "counselling", "behaviour", "analysed", "programmes", "city's",
    "München", "Dąbrowa", "Górnicza", "Łódź", "Brčko", "Æsop", "ß", "x", "2019", "the", "",
    "قصته", "ضفتي", "خبراء", "الشركاء", "خبرائها", "الأعداء", "PCVE", "telling", "spelling", "compelling", "modelled", "labeling", "city’s", "‘Why", "cities?”",
]


def site_words(data: dict) -> list[str]:
    """Every distinct word of the combined search index, as the build cuts them."""
    separator = re.compile(data["config"]["separator"])
    words: set[str] = set()
    for doc in data["docs"]:
        for field in prebuilt.FIELDS:
            words.update(prebuilt.tokenise(doc.get(field, ""), separator))
    return sorted(words)


@pytest.fixture(scope="module")
def js(browser):
    page = browser.new_page()
    page.set_content("<!doctype html><title>parity</title>")
    page.add_script_tag(content=searchindex.worker_script(WORKER_SOURCE))
    yield page
    page.close()


def compare(js, words: list[str]) -> list[str]:
    browser_keys = js.evaluate("ws => ws.map(w => [guideAnalysis.indexKeys(w), guideAnalysis.surface(w)])", words)
    differ = []
    for word, (keys, surface) in zip(words, browser_keys):
        ours = [analysis.index_keys(word), analysis.surface(word)]
        if ours != [keys, surface]:
            differ.append(f"{word!r}: build {ours} / browser {[keys, surface]}")
    return differ


def test_every_site_word_gets_the_same_keys(js, search_docs):
    words = site_words(search_docs)
    assert len(words) > 3000, f"only {len(words)} words: is the index empty?"
    differ = compare(js, words)
    assert not differ, f"{len(differ)} of {len(words)} words differ:\n" + "\n".join(differ[:20])


def test_edge_cases_get_the_same_keys(js):
    differ = compare(js, EDGE_CASES + [w.upper() for w in EDGE_CASES])
    assert not differ, "\n".join(differ)


def test_a_changed_rule_is_caught(js):
    """The comparison can fail: a word list changed on one side only shows up."""
    original = analysis.SUFFIXES[:]
    # A word's keys are remembered for the process (the tables never change
    # outside this test): forget them on both sides of the change.
    analysis._index_keys.cache_clear()
    try:
        analysis.SUFFIXES.remove("هم")
        assert compare(js, ["قدراتهم"]), "a suffix dropped in Python only went unnoticed"
    finally:
        analysis.SUFFIXES[:] = original
        analysis._index_keys.cache_clear()


def test_the_shard_of_a_key_is_the_same_in_the_browser(js):
    keys = ["استراتيج", "√رتج", "5%", "a", "strategi", "مدين ادار"]
    ours = [prebuilt.shard_of(k, 37) for k in keys]
    theirs = js.evaluate("keys => keys.map(k => guideAnalysis.shardOf(k, 37))", keys)
    assert ours == theirs


def _keys_with(browser, spec: dict, words: list[str]) -> list[list[str]]:
    """The browser's keys of ``words`` with the worker built from ``spec``."""
    import copy
    from unittest import mock

    page = browser.new_page()
    try:
        page.set_content("<!doctype html><title>spec</title>")
        with mock.patch.object(analysis, "tables", lambda: copy.deepcopy(spec)):
            page.add_script_tag(content=searchindex.worker_script(WORKER_SOURCE))
        return page.evaluate("ws => ws.map(w => guideAnalysis.indexKeys(w))", words)
    finally:
        page.close()


# One change to each kind of table of the specification, and a word whose keys it changes.
SPEC_CHANGES = [
    ("arabic.normalise", lambda s: s["arabic"]["normalise"].append(["\u0630", "\u062F"]), "ذكاء"),
    ("arabic.digitZeros", lambda s: s["arabic"]["digitZeros"].remove("\u06F0"), "۲۰۱۹"),
    ("arabic.bareSeats", lambda s: s["arabic"]["bareSeats"].pop("\u0624"), "مسؤولية"),
    ("arabic.stop", lambda s: s["arabic"]["stop"].remove("منذ"), "منذ"),
    ("arabic.articles", lambda s: s["arabic"]["articles"].remove("وبال"), "وبالمدينة"),
    ("arabic.suffixes", lambda s: s["arabic"]["suffixes"].remove("هم"), "قدراتهم"),
    ("arabic.irregular", lambda s: s["arabic"]["irregular"].pop("نساء"), "النساء"),
    ("english.stop", lambda s: s["english"]["stop"].remove("because"), "because"),
    ("english.spelling", lambda s: s["english"]["spelling"].pop("programme"), "programme"),
    ("english.fold", lambda s: s["english"]["fold"].pop("ł"), "łódź"),
    ("english.rules", lambda s: s["english"]["rules"].pop(0), "organisation"),
    ("english.porter", lambda s: s["english"]["porter"]["step3"].pop("ness"), "goodness"),
]


def test_the_worker_follows_the_specification(browser):
    """The worker has no tables of its own: each table of analysis.json, changed,
    changes the browser's keys as it would the build's (one source)."""
    import copy

    words = [word for _, _, word in SPEC_CHANGES]
    before = _keys_with(browser, analysis.tables(), words)
    assert before == [analysis.index_keys(w) for w in words]
    changed = copy.deepcopy(analysis.tables())
    for _, change, _ in SPEC_CHANGES:
        change(changed)
    after = _keys_with(browser, changed, words)
    same = [name for (name, _, _), b, a in zip(SPEC_CHANGES, before, after) if a == b]
    assert not same, f"tables the worker did not take from the specification: {same}"


def test_the_specification_is_checked(tmp_path):
    (tmp_path / "spec.json").write_text('{"root": "x", "arabic": {}}', encoding="utf-8")
    with pytest.raises(ValueError, match="spec.json: not a search analysis specification"):
        analysis.load_spec(tmp_path / "spec.json")
