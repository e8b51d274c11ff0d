"""Rendering of every macro in both languages: labels, digits, currencies,
links, filters, escaping and errors. Plain functions, no MkDocs build."""

from __future__ import annotations

import copy
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from guide.render import locale
from guide.render import boxes as render
from guide.data.loader import load_all
from guide.render.boxes import MacroError, PageInfo, page_href

ROOT = Path(__file__).resolve().parent.parent
LATIN_DIGIT = re.compile(r"[0-9]")
ARABIC_DIGIT = re.compile(r"[٠-٩]")


@pytest.fixture(scope="module")
def data():
    return load_all(ROOT / "data")


def page(lang: str, slug: str = "strategy", directory_urls: bool = True, docs_dir=None) -> PageInfo:
    return PageInfo(src_uri=f"{lang}/{slug}.md", use_directory_urls=directory_urls, docs_dir=docs_dir)


class _Text(HTMLParser):
    """Visible text of an HTML fragment (no tags, no attributes) and its elements."""

    def __init__(self):
        super().__init__()
        self.text, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def visible(html: str) -> str:
    return "".join(parse(html).text)


def assert_arabic_digits_only(html: str) -> None:
    text = visible(html)
    assert not LATIN_DIGIT.search(text), f"Latin digits on an Arabic page: {LATIN_DIGIT.findall(text)}"


def assert_raw_html_block(html: str) -> None:
    # Markdown keeps a raw HTML block only while lines are unindented and non-blank.
    assert html.startswith("<")
    assert all(line.strip() and not line.startswith((" ", "\t")) for line in html.splitlines())


# --- numbers and scripts ---------------------------------------------------

@pytest.mark.parametrize("value,lang,expected", [
    (800000, "en", "800,000"), (800000, "ar", "٨٠٠٬٠٠٠"), (800000.0, "ar", "٨٠٠٬٠٠٠"),
    (2.5, "en", "2.5"), (2.5, "ar", "٢٫٥"), (1234567, "ar", "١٬٢٣٤٬٥٦٧"), (0, "ar", "٠"),
])
def test_format_number(value, lang, expected):
    assert locale.format_number(value, lang) == expected


def test_years_percentages_and_amounts():
    assert locale.format_year(2019, "ar") == "٢٠١٩" and locale.format_year(2019, "en") == "2019"
    assert locale.format_percentage(5, "ar") == "٥٪" and locale.format_percentage(5.0, "en") == "5%"
    assert locale.format_amount(800000, "GBP", "en", "pounds sterling") == "£800,000"
    assert locale.format_amount(800000, "GBP", "ar", "جنيه إسترليني") == "٨٠٠٬٠٠٠ جنيه إسترليني"
    assert locale.format_amount(1500, "EUR", "en", "euros") == "€1,500"


@pytest.mark.parametrize("src_uri,expected", [
    ("en/strategy.md", "en"), ("ar/strategy.md", "ar"), ("ar/index.md", "ar"), ("en\\index.md", "en"),
    ("strategy.md", "ar"), ("", "ar"), (None, "ar"),
])
def test_page_language(src_uri, expected):
    assert locale.page_language(src_uri) == expected


def test_latin_runs_are_isolated_in_arabic_and_escaped():
    out = locale.isolate_latin("أطلق MOPAC صندوقًا مع Google.org <b>", "ar", {"MOPAC": "مكتب"})
    assert '<span lang="en" dir="ltr"><abbr title="مكتب">MOPAC</abbr></span>' in out
    assert '<span lang="en" dir="ltr">Google.org</span>' in out
    assert "<b>" not in out and out.endswith("&lt;<span lang=\"en\" dir=\"ltr\">b</span>&gt;")
    english = locale.isolate_latin("MOPAC & co", "en", {"MOPAC": "Mayor's Office"})
    assert english == '<abbr title="Mayor&#39;s Office">MOPAC</abbr> &amp; co'


def test_acronyms_inside_longer_acronyms_are_left_alone():
    out = locale.isolate_latin("P/CVE and CVE", "en", {"CVE": "c", "P/CVE": "p"})
    assert out == '<abbr title="p">P/CVE</abbr> and <abbr title="c">CVE</abbr>'


# --- links ------------------------------------------------------------------

@pytest.mark.parametrize("current,target,directory_urls,expected", [
    ("en/strategy.md", "mapping", True, "../mapping/"),
    ("ar/strategy.md", "mapping", True, "../mapping/"),
    ("en/index.md", "mapping", True, "mapping/"),
    ("ar/index.md", "strategy", True, "strategy/"),
    ("en/strategy.md", "index", True, "../"),
    ("en/index.md", "index", True, "./"),
    ("en/strategy.md", "mapping", False, "mapping.html"),
    ("ar/index.md", "strategy", False, "strategy.html"),
    ("ar/strategy.md", "index", False, "index.html"),
])
def test_page_href(current, target, directory_urls, expected):
    assert page_href(current, target, directory_urls) == expected


def test_chapter_ref_is_a_markdown_link_to_the_source_file(data):
    # Link text that reads mid-sentence; the full title is the link's title.
    assert render.chapter_ref(data, page("ar"), 3) == '[الفصل الثالث](strategy.md "الفصل ٣: الاستراتيجية"){: .guide-chapter-ref }'
    assert render.chapter_ref(data, page("ar"), 8) == '[الفصل الثامن](sensitive-issues.md "الفصل ٨: التعامل مع القضايا الحساسة"){: .guide-chapter-ref }'
    assert render.chapter_ref(data, page("en"), 3) == '[Chapter 3](strategy.md "Chapter 3: Strategy"){: .guide-chapter-ref }'
    # The pages that are not numbered chapters have their own short names.
    assert render.chapter_ref(data, page("en", "index"), 0) == '[About this guide](about.md "About this guide"){: .guide-chapter-ref }'
    assert render.chapter_ref(data, page("ar"), 0) == '[صفحة «حول هذا الدليل»](about.md "حول هذا الدليل"){: .guide-chapter-ref }'
    assert render.chapter_ref(data, page("ar"), 9) == '[الخاتمة](conclusion.md "خاتمة"){: .guide-chapter-ref }'
    assert render.chapter_ref(data, page("en"), 9) == '[Conclusion](conclusion.md "Conclusion"){: .guide-chapter-ref }'


@pytest.mark.parametrize("bad", [10, -1, "3", True, None])
def test_chapter_ref_rejects_unknown_numbers(data, bad):
    with pytest.raises(MacroError, match=r"^chapter_ref: ") as info:
        render.chapter_ref(data, page("en"), bad)
    assert info.value.macro == "chapter_ref"


def test_chapter_ref_escapes_markdown_and_html(data):
    chapter = data.chapters[3].model_copy(update={"title": data.chapters[3].title.__class__.model_construct({**data.chapters[3].title.root, "en": "A [b] <i>*c*</i>"})})
    tampered = data.__class__(**{**data.__dict__, "chapters": [*data.chapters[:3], chapter, *data.chapters[4:]]})
    assert render.chapter_ref(tampered, page("en"), 3) == r'[Chapter 3](strategy.md "A \[b\] &lt;i&gt;\*c\*&lt;/i&gt;"){: .guide-chapter-ref }'
    ref = chapter.model_copy(update={"ref": chapter.title.__class__.model_construct({**chapter.title.root, "en": '*x* "y"'})})
    tampered = data.__class__(**{**data.__dict__, "chapters": [*data.chapters[:3], ref, *data.chapters[4:]]})
    assert render.chapter_ref(tampered, page("en"), 3).startswith(r'[\*x\* &#34;y&#34;](strategy.md "A ')


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("slug,directory_urls,first_href", [
    ("index", True, "about/"), ("cases", True, "../about/"), ("index", False, "about.html"),
])
def test_chapter_list(data, lang, slug, directory_urls, first_href):
    html = render.chapter_list(data, page(lang, slug, directory_urls))
    assert_raw_html_block(html)
    links = [attrs["href"] for tag, attrs in parse(html).tags if tag == "a"]
    assert len(links) == 10 and links[0] == first_href
    assert links[3] == first_href.replace("about", "strategy")
    titles = {"ar": "الفصل ٣: الاستراتيجية", "en": "Chapter 3: Strategy"}
    assert titles[lang] in html
    if lang == "ar":
        assert_arabic_digits_only(html)


# --- mandates table ---------------------------------------------------------

def rows(html: str) -> list[str]:
    return re.findall(r'<tr data-mandate="([^"]+)"', html)


@pytest.mark.parametrize("lang,headers", [
    ("ar", ["البلد", "المنطقة", "نوع التفويض", "الوضع باختصار"]),
    ("en", ["Country", "Region", "Type of mandate", "In brief"]),
])
def test_mandates_table(data, lang, headers):
    html = render.mandates_table(data, page(lang))
    assert_raw_html_block(html)
    assert len(rows(html)) == len(data.mandates)
    assert re.findall(r'<th scope="col">([^<]+)</th>', html) == headers
    assert html.count('<th scope="row">') == len(data.mandates)
    assert "data/mandates.yml" in html
    if lang == "ar":
        assert "مطلوب على المستوى الوطني" in html and "أوروبا" in html
        assert_arabic_digits_only(html)
    else:
        assert "Required nationally" in html and "Europe" in html


def test_mandates_table_filters(data):
    europe = rows(render.mandates_table(data, page("en"), region="europe"))
    assert europe == ["france", "north-macedonia", "norway", "poland", "serbia", "united-kingdom"]
    national = rows(render.mandates_table(data, page("en"), category="national-law"))
    assert national == ["iraq", "kenya", "norway", "serbia", "united-kingdom"]
    # Arabic pages list countries in Arabic alphabetical order (ignoring ال).
    national_ar = rows(render.mandates_table(data, page("ar"), category="national-law"))
    assert national_ar == ["serbia", "iraq", "kenya", "united-kingdom", "norway"]
    both = rows(render.mandates_table(data, page("en"), region="asia", category="wider-mandate"))
    assert both == ["bangladesh", "malaysia"]
    assert "(Asia, Through a wider mandate)" in render.mandates_table(data, page("en"), region="asia", category="wider-mandate")


@pytest.mark.parametrize("kwargs,message", [
    ({"region": "mars"}, "mandates_table: unknown region 'mars' (known: africa, asia, europe"),
    ({"category": "maybe"}, "mandates_table: unknown category 'maybe' (known: national-law"),
    ({"region": "oceania"}, "mandates_table: no country matches region='oceania'"),
])
def test_mandates_table_bad_filters(data, kwargs, message):
    with pytest.raises(MacroError) as info:
        render.mandates_table(data, page("en"), **kwargs)
    assert str(info.value).startswith(message)


# --- case boxes -------------------------------------------------------------

def test_case_box_english(data):
    html = render.case_box(data, page("en", "cases"), "london-shared-endeavour-fund")
    assert_raw_html_block(html)
    text = visible(html)
    assert "Example" in text and "Key figures" in text and "Related chapters" in text
    assert "£800,000" in text and "more than 30" in text and "2019" in text
    assert "London · United Kingdom · 2019" in text
    assert 'id="case-london-shared-endeavour-fund"' in html
    assert '<a href="../strategy/">Chapter 3: Strategy</a>' in html
    assert re.search(r"Source: The guide, Chapter 3 ", html)
    assert "data/cases.yml" not in visible(html)  # repository paths are for editors, not readers
    assert '<abbr title="Mayor&#39;s Office for Policing and Crime">MOPAC</abbr>' in html


def test_case_box_arabic(data):
    html = render.case_box(data, page("ar", "cases"), "london-shared-endeavour-fund")
    text = visible(html)
    assert "مثال" in text and "أرقام رئيسية" in text and "فصول ذات صلة" in text
    assert "٨٠٠٬٠٠٠ جنيه إسترليني" in text and "أكثر من ٣٠" in text and "٢٠١٩" in text
    assert '<a href="../strategy/">الفصل ٣: الاستراتيجية</a>' in html
    assert '<span lang="en" dir="ltr">Google.org</span>' in html
    assert "المصدر:" in text and "data/cases.yml" not in text
    assert_arabic_digits_only(html)


@pytest.mark.parametrize("lang,figure", [("ar", "٥٪"), ("en", "5%")])
def test_case_box_percentage(data, lang, figure):
    html = render.case_box(data, page(lang), "newark-ovptr")
    assert f'<strong class="guide-figure__value">{figure}</strong>' in html


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_case_renders(data, lang):
    for case in data.cases:
        html = render.case_box(data, page(lang, directory_urls=False), case.id)
        assert f'data-case="{case.id}"' in html
        for href in re.findall(r'href="([^"]+)"', html):
            assert href.startswith("https://") or href.endswith(".html")
        if lang == "ar":
            assert_arabic_digits_only(html)


def test_case_without_city_or_year(data):
    text = visible(render.case_box(data, page("en"), "uganda-strategy-awareness"))
    assert "Uganda · 2023" in text
    text = visible(render.case_box(data, page("en"), "brcko-action-plan"))
    assert "Brčko District · Bosnia and Herzegovina" in text and "2" not in text


def test_unknown_case_id(data):
    with pytest.raises(MacroError) as info:
        render.case_box(data, page("en"), "nope")
    assert str(info.value).startswith("case_box: unknown case id 'nope' (known: newark-ovptr, london-shared-endeavour-fund")
    assert (info.value.macro, info.value.argument) == ("case_box", "nope")


# --- escaping ---------------------------------------------------------------

@pytest.fixture
def hostile_data(tmp_path, monkeypatch):
    # The loader refuses markup in data text (tests/test_editor_mistakes.py);
    # with that check switched off, the templates must still escape it.
    from guide.data import models
    monkeypatch.setattr(models, "markup_problem", lambda value: None)
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    cases = target / "cases.yml"
    text = cases.read_text(encoding="utf-8")
    text = text.replace("      en: Shared Endeavour Fund\n", "      en: \"Fund <script>alert(1)</script>\"\n", 1)
    text = text.replace("      ar: لندن\n", "      ar: \"لندن <img src=x onerror=alert(this)>\"\n", 1)
    cases.write_text(text, encoding="utf-8")
    glossary = target / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace(
        "The institute that hosts", "<b>The</b> institute & \"friends\" that hosts", 1), encoding="utf-8")
    return load_all(target)


def test_data_text_is_escaped(hostile_data):
    en = render.case_box(hostile_data, page("en"), "london-shared-endeavour-fund")
    assert "<script>" not in en and "&lt;script&gt;alert(1)&lt;/script&gt;" in en
    ar = render.case_box(hostile_data, page("ar"), "london-shared-endeavour-fund")
    assert "<img" not in ar and "لندن &lt;" in ar
    index = render.cases_index(hostile_data, page("en", "cases", docs_dir=ROOT / "docs"))
    assert "<script>" not in index and "&lt;script&gt;" in index
    glossary = render.glossary(hostile_data, page("en", "glossary"))
    assert "<b>The</b>" not in glossary and "&lt;b&gt;The&lt;/b&gt; institute &amp; &#34;friends&#34;" in glossary


# --- key questions ----------------------------------------------------------

@pytest.mark.parametrize("lang,label,from_text", [
    ("ar", "الأسئلة والاعتبارات الرئيسية", "أسئلة من نص الفصل"),
    ("en", "Key questions and considerations", "Questions from the chapter&#39;s text"),
])
def test_key_questions(data, lang, label, from_text):
    first = render.key_questions(data, page(lang), "strategy-mandate")
    assert_raw_html_block(first)
    assert first.count("<li>") == 5 and label in first and "data/questions.yml" in first
    if lang == "ar":
        assert_arabic_digits_only(first)
    # A list asked in a chapter's running text, not in one of the guide's boxes,
    # must not carry the guide's box label.
    own = copy.deepcopy(data)  # the fixture is shared by the module
    qlist = own.question_list("strategy-mandate")
    own.questions[own.questions.index(qlist)] = qlist.model_copy(update={"from_text": True})
    text_list = render.key_questions(own, page(lang), "strategy-mandate")
    assert from_text in text_list and label not in text_list


def test_unknown_question_list(data):
    with pytest.raises(MacroError, match=r"^key_questions: unknown question list 'x' \(known: strategy-mandate"):
        render.key_questions(data, page("en"), "x")


# --- glossary and abbreviations ---------------------------------------------

def test_glossary_english(data):
    html = render.glossary(data, page("en", "glossary"))
    assert_raw_html_block(html)
    terms = re.findall(r'<span class="guide-glossary__term">([^<]+)</span>', html)
    assert len(terms) == len(data.glossary) and terms == sorted(terms, key=str.casefold)
    assert '<abbr class="guide-glossary__abbr" lang="en" dir="ltr" title="Anti-Defamation League">ADL</abbr>' in html
    assert '<span class="guide-glossary__other" lang="ar" dir="rtl">التعاون الوطني المحلي</span>' in html


def test_glossary_arabic(data):
    html = render.glossary(data, page("ar", "glossary"))
    terms = re.findall(r'<span class="guide-glossary__term">([^<]+)</span>', html)
    # Sorted ignoring the article ال, with أ/إ/آ sorted as ا.
    assert terms[0] == "الأسئلة والاعتبارات الرئيسية"
    assert terms.index("الاستقطاب") < terms.index("إعادة التأهيل وإعادة الإدماج") < terms.index("التطرف")
    assert terms.index("التطرف") < terms.index("التعاون الوطني المحلي")
    assert '<span class="guide-glossary__other" lang="en" dir="ltr">International Organization for Migration</span>' in html
    assert_arabic_digits_only(html)


def test_abbreviation_definitions_per_language(data):
    en = render.abbreviations(data, "en").splitlines()
    ar = render.abbreviations(data, "ar").splitlines()
    assert "*[NLC]: national–local cooperation" in en
    assert "*[ADL]: Anti-Defamation League" in en
    assert "*[NLC]: التعاون الوطني المحلي (national–local cooperation)" in ar
    assert len(en) == len(ar) == 13


@pytest.mark.parametrize("lang,editors", [("en", "not a definition from the guide"), ("ar", "لا تعريف من الدليل")])
def test_glossary_marks_the_editors_definitions(data, lang, editors):
    html = render.glossary(data, page(lang, "glossary"))
    entries = dict(re.findall(r'<dt id="term-([^"]+)".*?</dt>\s*<dd>(.*?)</dd>', html, re.S))
    by = {t.id: t.definition_by for t in data.glossary}
    assert {"hate", "mandate", "gender-sensitivity"} <= set(entries)
    for term_id, dd in entries.items():
        assert (editors in dd) == (by[term_id] == "editors"), term_id
    assert by["hate"] == "editors" and by["mandate"] == "guide"


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_termbase_table(data, lang):
    html = render.termbase(data, page(lang, "glossary"))
    assert_raw_html_block(html)
    rows = dict(re.findall(r'<tr data-concept="([^"]+)">(.*?)</tr>', html, re.S))
    # concepts only: the spelling rules (tanwin, months) are for editors
    assert "recruitment" in rows and "mayor" in rows and "tanwin" not in rows and "months" not in rows
    assert len(rows) == len([c for c in data.termbase if c.kind == "term"])
    # the page language's term is the row header
    header = re.search(r'<th scope="row"[^>]*>(.*?)</th>', rows["mayor"]).group(1)
    assert header == ("رئيس البلدية" if lang == "ar" else "mayor")
    # plain variants are listed; a context-bound one says "in this sense"; verb forms are left out
    assert '<bdi lang="ar" dir="rtl">عمدة</bdi>' in rows["mayor"]
    sense = "بهذا المعنى" if lang == "ar" else "in this sense"
    assert f'<bdi lang="ar" dir="rtl">الاستقطاب</bdi> {sense}' in rows["recruitment"]
    assert "يستقطب" not in rows["recruitment"]
    # inflected forms are matching rules for the check, not wordings: the base form shows once
    assert '<bdi lang="ar" dir="rtl">بريطانيا</bdi>' in rows["united-kingdom"]
    assert "وبريطانيا" not in rows["united-kingdom"] and "لبريطانيا" not in rows["united-kingdom"]
    assert "ولايتها" not in rows["mandate"] and '<bdi lang="ar" dir="rtl">الولاية</bdi>' in rows["mandate"]
    assert "الإفراط في الأمننة" not in rows["over-securitisation"]
    assert "أصحاب مصلحة" not in rows["stakeholders"] and "أصحاب المصلحة" in rows["stakeholders"]
    if lang == "ar":
        assert_arabic_digits_only(html)


def test_inflected_variant_is_recognised():
    assert render._inflection_of("وبريطانيا", "بريطانيا") and render._inflection_of("ولايتها", "الولاية")
    assert render._inflection_of("لجنة للسلم", "لجنة السلم")
    assert not render._inflection_of("الجندري", "الجندرية") and not render._inflection_of("العمد", "عمدة")


@pytest.mark.parametrize("lang,marker", [("ar", "عنوان مقترح"), ("en", "proposed title")])
def test_chapter_list_marks_proposed_titles(data, lang, marker):
    html = render.chapter_list(data, page(lang, "index"))
    items = dict(re.findall(r'<li data-chapter="(\d)">(.*?)</li>', html, re.S))
    marked = {int(n) for n, item in items.items() if marker in item}
    assert marked == {c.number for c in data.chapters if lang in c.proposed_title}
    assert (8 in marked) and (3 not in marked)


# --- cases index ------------------------------------------------------------

@pytest.fixture
def docs(tmp_path):
    for lang in ("ar", "en"):
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "strategy.md").write_text(
            'x\n{{ case_box("newark-ovptr") }}\n{{ case_box( "london-shared-endeavour-fund" ) }}\n', encoding="utf-8")
        (tmp_path / lang / "primary-prevention.md").write_text("{{ case_box('newark-ovptr') }}\n", encoding="utf-8")
    (tmp_path / "en" / "conclusion.md").write_text('{{ case_box("nyc-ophc") }}\n', encoding="utf-8")
    return tmp_path


def test_case_usage(docs):
    assert render.case_usage(docs, "en") == {
        "nyc-ophc": ["conclusion"],
        "newark-ovptr": ["primary-prevention", "strategy"],
        "london-shared-endeavour-fund": ["strategy"],
    }
    assert "nyc-ophc" not in render.case_usage(docs, "ar")


def test_case_usage_of_the_real_pages_matches_ids(data):
    known = {c.id for c in data.cases}
    for lang in ("ar", "en"):
        assert set(render.case_usage(ROOT / "docs", lang)) <= known


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_cases_index(data, docs, lang):
    html = render.cases_index(data, page(lang, "cases", docs_dir=docs))
    assert_raw_html_block(html)
    # only the examples the pages show: no "not used" row for readers
    shown = set(render.case_usage(docs, lang))
    assert set(re.findall(r'<tr data-case="([^"]+)">', html)) == {c.id for c in data.cases} & shown
    assert 'data-case="gdansk-equal-treatment-centre"' not in html
    newark = re.search(r'<tr data-case="newark-ovptr">.*?</tr>', html).group(0)
    # pages in chapter order, each linking to the box itself
    assert re.findall(r'href="([^"]+)"', newark) == [
        "../strategy/#case-newark-ovptr", "../primary-prevention/#case-newark-ovptr"]
    # where each example comes from: the guide or the roundtable news item
    assert 'data-origin="guide"' in newark
    if lang == "en":  # the fixture shows NYC's office on an English page only
        assert 'data-origin="roundtable"' in re.search(r'<tr data-case="nyc-ophc">.*?</tr>', html).group(0)
    if lang == "ar":
        assert_arabic_digits_only(html)


def test_find_call_line():
    source = "# T\n\n{{ case_box(\"a\") }}\ntext\n{{ case_box('nope') }}\n{{ chapter_ref(3) }}\n"
    assert render.find_call_line(source, "case_box", "nope") == 5
    assert render.find_call_line(source, "case_box", "other") == 3
    assert render.find_call_line(source, "chapter_ref", 3) == 6
    assert render.find_call_line(source, "glossary") is None


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_boxes_are_named_by_an_element_they_contain(data, lang):
    htmls = [render.case_box(data, page(lang), c.id) for c in data.cases]
    htmls += [render.key_questions(data, page(lang), q.id) for q in data.questions]
    for html in htmls:
        label = re.search(r'aria-labelledby="([^"]+)"', html).group(1)
        assert f'id="{label}"' in html


# --- the mkdocs-macros adapter ----------------------------------------------

class _File:
    def __init__(self, src_uri, abs_src_path=None):
        self.src_uri, self.abs_src_path = src_uri, abs_src_path


class _Page:
    def __init__(self, src_uri, abs_src_path=None):
        self.file = _File(src_uri, abs_src_path)


class FakeEnv:
    """The parts of mkdocs-macros' env that macros/__init__.py uses."""

    def __init__(self, docs_dir, use_directory_urls=True):
        self.macros, self.variables, self.page, self.markdown = {}, {}, None, ""
        self.conf = {"docs_dir": str(docs_dir), "use_directory_urls": use_directory_urls}

    def macro(self, function, name):
        self.macros[name] = function


def test_define_env_registers_exactly_the_api():
    import macros
    env = FakeEnv(ROOT / "docs")
    macros.define_env(env)
    assert sorted(env.macros) == sorted(["chapter_list", "chapter_ref", "mandates_table", "case_box",
                                         "key_questions", "glossary", "cases_index", "termbase"])
    env.page = _Page("en/strategy.md")
    assert env.macros["chapter_ref"](3) == '[Chapter 3](strategy.md "Chapter 3: Strategy"){: .guide-chapter-ref }'
    env.page = _Page("ar/strategy.md")
    assert env.macros["chapter_ref"](3) == '[الفصل الثالث](strategy.md "الفصل ٣: الاستراتيجية"){: .guide-chapter-ref }'
    assert "٨٠٠٬٠٠٠" in env.macros["case_box"]("london-shared-endeavour-fund")
    assert rows(env.macros["mandates_table"](region="africa")) == ["kenya"]


def test_define_env_stops_on_bad_data_with_the_line(tmp_path, monkeypatch):
    import macros
    from mkdocs.exceptions import PluginError
    from guide.data.loader import DATA_DIR_ENV
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "chapters.yml").write_text(
        (data / "chapters.yml").read_text(encoding="utf-8").replace("    slug: mapping\n", "    slug: Mapping!\n"),
        encoding="utf-8")
    monkeypatch.setenv(DATA_DIR_ENV, str(data))
    with pytest.raises(PluginError) as info:
        macros.define_env(FakeEnv(ROOT / "docs"))
    assert re.fullmatch(rf"{re.escape(str(data / 'chapters.yml'))}:\d+: chapter 2: field 'slug': String should match pattern .*",
                        str(info.value))


def test_bad_macro_call_logs_page_and_line_then_exits(tmp_path, caplog):
    import macros
    page_file = tmp_path / "strategy.md"
    page_file.write_text("---\ntitle: x\n---\n\n# X\n\n{{ case_box(\"nope\") }}\n", encoding="utf-8")
    env = FakeEnv(ROOT / "docs")
    macros.define_env(env)
    env.page = _Page("en/strategy.md", str(page_file))
    with pytest.raises(SystemExit) as info:
        env.macros["case_box"]("nope")
    assert info.value.code == 1
    assert caplog.records[-1].levelname == "ERROR"
    assert caplog.records[-1].getMessage().startswith("docs/en/strategy.md:7: case_box: unknown case id 'nope' (known: ")


def test_abbreviations_are_appended_in_the_page_language():
    import macros
    env = FakeEnv(ROOT / "docs")
    macros.define_env(env)
    env.page, env.markdown = _Page("ar/strategy.md"), "# نص\n\nNLC"
    macros.on_post_page_macros(env)
    assert env.markdown.startswith("# نص\n\nNLC\n\n*[")
    assert "*[NLC]: التعاون الوطني المحلي (national–local cooperation)\n" in env.markdown


def test_case_box_does_not_list_its_own_chapter_as_related(data):
    case = data.case("london-shared-endeavour-fund")
    assert 3 in case.chapters
    on_strategy = render.case_box(data, page("en", "strategy"), case.id)
    assert 'href="../strategy/"' not in on_strategy
    elsewhere = render.case_box(data, page("en", "cases"), case.id)
    assert '<a href="../strategy/">Chapter 3: Strategy</a>' in elsewhere


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_box_citing_two_pages_of_one_site_tells_them_apart(data, lang):
    # NYC's office cites two pages of nyc.gov:
    # the links' text must differ, and a lone URL still shows its host only.
    for case in data.cases:
        html = render.case_box(data, page(lang), case.id)
        links = re.findall(r'<a href="https?://[^"]+"(?: lang="en" dir="ltr")?>([^<]+)</a>',
                           re.search(r'guide-box__source">(.*?)</p>', html).group(1))
        assert len(links) == len(set(links)), (case.id, links)
    kenya = render.case_box(data, page(lang), "kenya-county-action-plans")
    assert '>kenyanews.go.ke</a>' in kenya
    nyc = render.case_box(data, page(lang), "nyc-ophc")
    assert ">nyc.gov/site/stophate/about/about.page</a>" in nyc
    assert ">nyc.gov/site/stophate/initiatives/interagency…</a>" in nyc  # cut at a word's end


THREELANG = ROOT / "tests" / "fixtures" / "threelang"


def test_url_sources_are_marked_with_the_pages_latin_run_language(monkeypatch):
    # A host is Latin text: on an Arabic page a run of English (the registry's
    # runs: {latin: en}); on a Latin-script page (English, French) the page's own language.
    monkeypatch.setenv("GUIDE_CONFIG", str(THREELANG / "mkdocs.yml"))
    fixture = load_all(THREELANG / "data")
    url = "https://www.ville.fr/a"
    labels = {lang: str(render._Context(fixture, page(lang)).source_label(url)) for lang in ("ar", "en", "fr")}
    assert labels == {"ar": f'<a href="{url}" lang="en" dir="ltr">ville.fr</a>',
                      "en": f'<a href="{url}">ville.fr</a>', "fr": f'<a href="{url}">ville.fr</a>'}


def test_a_page_less_render_is_of_the_default_languages_index(monkeypatch, tmp_path):
    config = (THREELANG / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("          default: true\n", "          default: false\n", 1).replace(
        "        - locale: fr\n", "        - locale: fr\n          default: true\n", 1)
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    monkeypatch.setenv("GUIDE_CONFIG", str(tmp_path / "mkdocs.yml"))
    assert PageInfo().src_uri == "fr/index.md" and PageInfo().lang == "fr"
    monkeypatch.delenv("GUIDE_CONFIG")
    assert PageInfo().src_uri == "ar/index.md"
