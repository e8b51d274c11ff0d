"""Build-time preparation of the search indexes (guide/search/searchindex.py): names
in both scripts, Arabic text hidden from English snippets, baselines, the
shipped analyser. Plain Python, no build."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from guide import languages
from guide.search import analysis, prebuilt, searchindex

ROOT = Path(__file__).resolve().parent.parent
PREFIXES = {"ar": "", "en": "en/"}


def lang_of(doc):
    return languages.language_of_url(doc["location"], PREFIXES, "ar")


def test_name_pairs_come_from_cases_mandates_and_glossary():
    pairs = searchindex.name_pairs(ROOT / "data")
    assert {"ar": ["نيوارك", "نيوجيرسي"], "en": ["Newark", "New Jersey"]} in pairs  # a case's city
    assert {"ar": ["فرنسا"], "en": ["France"]} in pairs  # a mandate's country
    assert any(p["en"][-1] == "NLC" for p in pairs)  # a glossary acronym
    assert len(pairs) == len({json.dumps(p, ensure_ascii=False) for p in pairs}), "duplicates"


def test_aliases_add_the_other_script_as_often_as_the_name_is_mentioned():
    pairs = [{"ar": ["غدانسك"], "en": ["Gdańsk"]}, {"ar": ["فرنسا"], "en": ["France"]}]
    docs = [{"location": "sensitive-issues/", "title": "x", "text": "<p>في غدانسك، وبغدانسك أيضًا</p>"},
            {"location": "en/strategy/#m", "title": "x", "text": "plan. FranceEuropeWider mandate"},
            {"location": "en/x/", "title": "x", "text": "Frances and Franceville"},
            {"location": "en/y/", "title": "x", "text": "Gdansk and Gdańsk"}]
    assert searchindex.add_aliases(docs, pairs, lang_of) == 3
    assert docs[0]["alias"] == "Gdańsk Gdańsk"  # two mentions, with attached particles
    assert docs[1]["alias"] == "فرنسا"  # table cells glued together still name France
    assert "alias" not in docs[2]  # not a whole word
    assert docs[3]["alias"] == "غدانسك غدانسك"  # accents folded: both spellings count


def test_arabic_text_leaves_english_snippets_but_stays_searchable():
    docs = [{"location": "en/glossary/#terms", "title": "Glossary", "text": "<p>prevention الوقاية · Work</p>"},
            {"location": "glossary/", "title": "مسرد", "text": "<p>الوقاية (prevention)</p>"}]
    assert searchindex.hide_arabic_runs(docs, lang_of) == 1
    assert docs[0]["text"] == "<p>prevention · Work</p>" and docs[0]["alias"] == "الوقاية"
    assert docs[1]["text"] == "<p>الوقاية (prevention)</p>" and "alias" not in docs[1]


def _index(tmp_path, docs):
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "search_index.json").write_text(json.dumps(
        {"config": {"lang": ["ar", "en"], "separator": "x", "pipeline": [" "], "fields": {"title": {"boost": 1000}}},
         "docs": docs}), encoding="utf-8")


def test_combined_index_is_prepared_too(tmp_path):
    """The offline bundle uses the combined index: it gets the same analysis."""
    _index(tmp_path, [{"location": "strategy/", "title": "t", "text": "نيوارك"}])
    searchindex.write_language_indexes(tmp_path, PREFIXES, "ar", ROOT / "data")
    combined = json.loads((tmp_path / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert combined["config"]["fields"]["alias"] == {"boost": 1.0}
    assert combined["docs"][0]["alias"].startswith("Newark")
    # It names each language's pre-built index, and the pages' copies carry no documents.
    dirs = combined["config"]["guide"]
    assert set(dirs) == {"ar", "en"} and all((tmp_path / "search" / d["dir"] / "meta.js").is_file() for d in dirs.values())
    assert all(re.fullmatch("[0-9a-f]{10}", d["v"]) for d in dirs.values())
    for lang in dirs:
        page_copy = json.loads((tmp_path / "search" / f"search_index.{lang}.json").read_text(encoding="utf-8"))
        assert page_copy["docs"] == [] and page_copy["config"]["guide"] == dirs


def test_worker_ships_with_the_word_lists_and_without_comments(tmp_path):
    source = ROOT / "overrides" / searchindex.WORKER_DIR
    target = tmp_path / searchindex.WORKER_DIR
    shutil.copytree(source, target)
    assert searchindex.write_worker(tmp_path)
    shipped = (target / "worker.js").read_text(encoding="utf-8")
    assert "\n//" not in shipped and "Material starts a worker" not in shipped
    assert "/*TABLES*/" not in shipped and '"stop":["في"' in shipped  # analysis.json's tables, written in
    assert shipped.count('"porter":{"step2":{"ational":"ate"') == 2  # into porter.js and worker.js
    # Material's message types, named once (searchindex.MESSAGES), written in.
    assert "/*MESSAGES*/" not in shipped and 'var MESSAGE = {"setup":0,"ready":1,"query":2,"result":3}' in shipped
    assert "guidePorter" in shipped and not (target / "porter.js").exists()
    assert not searchindex.write_worker(tmp_path)  # idempotent (post_build runs once per language)
    assert (target / "worker.js").read_text(encoding="utf-8") == shipped


def test_worker_without_placeholder_is_one_clear_error(tmp_path):
    (tmp_path / "worker.js").write_text("var T = {};", encoding="utf-8")
    (tmp_path / "porter.js").write_text("", encoding="utf-8")
    with pytest.raises(searchindex.SearchIndexError, match="TABLES"):
        searchindex.worker_script(tmp_path)


def test_table_cells_and_line_breaks_reach_the_index_apart():
    html = "<table><tr><td>Bangladesh</td><td>Asia</td></tr><tr><th>x</th></tr></table><p>a<br>b<br/>\nc</p>"
    spaced = searchindex.spaced_cells(html)
    assert "<td>Bangladesh</td> <td>Asia</td> </tr> <tr>" in spaced
    assert "a<br> b<br/>\nc" in spaced  # a break already followed by white space is left alone
    assert searchindex.spaced_cells(spaced) == spaced


def test_gaps_left_by_hidden_arabic_are_tidied():
    assert searchindex.tidy_gaps("user , , gender / / — key") == "user, gender — key"
    assert searchindex.tidy_gaps("the «» (law) and «»; x") == "the (law) and; x"
    assert searchindex.tidy_gaps("a, b / c") == "a, b / c"  # real separators stay


def test_names_have_no_root_and_map_to_the_pages_spelling():
    pairs = [{"ar": ["نيوارك", "نيوجيرسي"], "en": ["Newark", "New Jersey"]}]
    names, also = prebuilt.name_facts("en", pairs)
    assert "نيوارك" in names and "newark" in names
    assert also == {"نيوارك": ["newark"]}  # نيوجيرسي is one word, "New Jersey" two: not mapped
    _, also_ar = prebuilt.name_facts("ar", pairs)
    assert also_ar == {"newark": ["نيوارك"]}  # "New Jersey" is two words: not mapped


def test_a_long_section_is_fetched_in_pieces_and_postings_name_the_piece():
    """The teaser needs the paragraph where a word is: postings say which piece
    of the entry's text holds its first occurrence, so a reader fetches that
    piece, not the whole section (a long section costs no more than a short one)."""
    filler = " ".join(["word"] * 200)  # about 1,000 characters a paragraph
    text = f"<p>{filler} alpha</p><p>{filler}</p><p>{filler} omega</p>"
    built = prebuilt.Built([{"location": "x/", "title": "Title", "text": text}], r"\s+", {"title": 1000})
    assert [len(p) for p in built.pieces[0]] == [1, 1, 1]
    files = built.files()
    shard = lambda key: next(v for k, v in ((n, prebuilt.read_script_text(t)) for n, t in files.items())
                             if k.startswith("k/") and key in v[2])[2][key]
    piece = lambda key: prebuilt.postings(shard(key))[0]["piece"]
    assert piece("alpha") == 0 and piece("omega") == 2 and piece("titl") == -1
    meta = prebuilt.read_script_text(files["meta.js"])[2]
    assert meta["docs"][0] == {"location": "x/", "title": "Title", "firstPiece": 0, "pieces": 3}
    assert meta["posting"] == ["entry", "weight", "piece", "form"] and files["s/2.js"].count("omega") == 1
    assert prebuilt.split_pieces(["a" * 2000, "b", "c"]) == [["a" * 2000], ["b", "c"]]


def test_an_acronym_with_inner_punctuation_is_also_indexed_joined():
    """P/CVE is cut into p and cve by the separator; a reader who types PCVE
    (issue 19: nothing found) meets it on the joined key, and P/CVE still
    finds p and cve."""
    assert analysis.acronyms("local P/CVE work, U.N. and AT&T") == [(6, 11, "PCVE"), (18, 21, "UN")]
    built = prebuilt.Built([{"location": "x/", "title": "T", "text": "<p>Local P/CVE work</p>"}],
                           r"[\s/]+|\.(?!\d)", {"title": 1000})
    keys = {k for n, t in built.files().items() if n.startswith("k/") for k in prebuilt.read_script_text(t)[2]}
    assert {"pcve", "cve", "p"} <= keys


def test_postings_name_the_form_each_entry_writes():
    """A result's link (?h=) carries the words its page writes: each posting
    names the entry's own form of the key (the one it uses most), from the
    key's list of forms; the hidden alias field, which no page shows, none."""
    docs = [
        {"location": "a/", "title": "Cities", "text": "<p>The city’s plan; the city, a city.</p>"},
        {"location": "b/", "title": "Other", "text": "<p>مجتمعات والمجتمع، المجتمع المجتمع</p>", "alias": "cities"},
    ]
    built = prebuilt.Built(docs, r"[\s,;.،]+", {"title": 1000})
    shards = {k: v for n, t in built.files().items() if n.startswith("k/")
              for k, v in prebuilt.read_script_text(t)[2].items()}
    postings = {p["entry"]: p for p in prebuilt.postings(shards["citi"])}
    assert postings[0]["word"] == "city"  # twice, against city’s and cities once each
    assert postings[1]["form"] == -1 and postings[1]["word"] == ""  # only in the alias
    assert [p["word"] for p in prebuilt.postings(shards["مجتمع"])] == ["المجتمع"]  # used twice, the others once


def test_a_name_in_the_other_script_weighs_what_the_pages_spelling_weighs():
    """The hidden alias counts as words of the text (its length does not
    shorten or lengthen the entry): نيوارك typed on the English site ranks
    the entries as Newark does. As a field of its own, weighed by its own
    length, a short alias (an entry naming one place twice) outranked the
    entry naming it four times among many other names."""
    pairs = [{"ar": ["نيوارك", "نيوجيرسي"], "en": ["Newark", "New Jersey"]}, {"ar": ["لندن"], "en": ["London"]}]
    docs = [{"location": "en/a/", "title": "Edition", "text": "<p>A heading Newark and Newark again.</p>"},
            {"location": "en/b/", "title": "Resources",
             "text": "<p>Newark, New Jersey. Newark found it; Newark gave; Newark. London, London.</p>"},
            {"location": "en/c/", "title": "Other", "text": "<p>Nothing named here at all.</p>"}]
    searchindex.add_aliases(docs, pairs, lang_of)
    # Each part as often as its counterpart: New Jersey once, Newark four times.
    assert docs[1]["alias"].split().count("نيوارك") == 4 and docs[1]["alias"].split().count("نيوجيرسي") == 1
    built = prebuilt.Built(docs, r"[\s,.;]+", {"title": 1000}, "en", pairs)
    weights = {key: dict(built.postings[key]) for key in ("newark", "نيوارك")}
    assert weights["newark"] == weights["نيوارك"], weights
    assert weights["newark"][1] > weights["newark"][0]


def test_an_arabic_page_writing_a_name_in_both_scripts_is_topped_up():
    """An Arabic entry naming نيوارك three times and «Newark» once gets Newark
    twice more in its alias, so Newark typed weighs what نيوارك does."""
    pairs = [{"ar": ["نيوارك"], "en": ["Newark"]}]
    docs = [{"location": "strategy/#r", "title": "x", "text": "<p>نيوارك (Newark) ونيوارك وفي نيوارك</p>"}]
    searchindex.add_aliases(docs, pairs, lang_of)
    assert docs[0]["alias"] == "Newark Newark"


def test_dashes_separate_words():
    """«national–local cooperation» is the words national, local and
    cooperation (an en dash joined two of them into one word no query met)."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    separator = re.compile(yaml.safe_load(re.search(r"^\s*separator: ('.*')$", config, re.M).group(1)))
    assert prebuilt.words_of("National–local cooperation—now, and self-help", separator) == [
        "national", "local", "cooperation", "now", "and", "self", "help"]
