"""Reader-visible strings in the page's language (issue 10.3, 10.4): footer,
Material's interface strings, search result counts, the 404 pages."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from conftest import LANGUAGES, PAGES, ROOT, open_search, page_path, search

ARABIC_INDIC = re.compile(r"[٠-٩]")
LATIN_DIGIT = re.compile(r"[0-9]")


def read(site_dir, path: str) -> str:
    return (site_dir / path).read_text(encoding="utf-8")


def footer(html: str) -> str:
    match = re.search(r'<div class="md-copyright">(.*?)</div>\s*</div>', html, re.DOTALL)
    assert match, "no copyright block"
    return match.group(1)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_footer_copyright_and_credit_in_the_page_language(site_dir, lang):
    for slug in PAGES:
        html = read(site_dir, page_path(lang, slug) + "index.html")
        block = footer(html)
        if lang == "ar":
            assert "© شبكة المدن القوية" in block, slug
            assert "أُنشئ الموقع باستخدام" in block and "Made with" not in block, slug
        else:
            assert "© Strong Cities Network" in block and "Made with" in block, slug
        # The theme's name is a Latin run marked as such.
        assert re.search(r'<a [^>]*lang="en"[^>]*>Material for MkDocs</a>', block)


@pytest.mark.parametrize("lang,alt", [("ar", "شعار دليل للمدن"), ("en", "A Guide for Cities logo")])
def test_logo_alt_in_the_page_language(site_dir, lang, alt):
    html = read(site_dir, page_path(lang, "strategy") + "index.html")
    alts = re.findall(r'<img src="[^"]*logo\.svg" alt="([^"]*)"', html)
    assert alts and set(alts) == {alt}


def test_material_arabic_strings_have_correct_hamza(site_dir):
    html = read(site_dir, "strategy/index.html")
    assert "اختر اللغة" in html and "إختر" not in html
    assert "إبحث" not in html and "ابحث" in html


def test_one_month_name_convention_on_arabic_pages(site_dir):
    levantine = re.compile(r"كانون|شباط|آذار|نيسان|أيار|حزيران|تموز|أيلول|تشرين")
    for slug in PAGES:
        text = re.sub(r"<[^>]+>", " ", read(site_dir, page_path("ar", slug) + "index.html"))
        assert not levantine.search(text), f"ar/{slug}: Levantine month name"


@pytest.mark.parametrize("lang,path,title,direction", [
    ("ar", "404.html", "الصفحة غير موجودة", "rtl"),
    ("en", "en/404.html", "Page not found", "ltr"),
])
def test_404_page_per_language(site_dir, server_url, page, lang, path, title, direction):
    html = read(site_dir, path)
    assert re.search(rf'<html lang="{lang}"[^>]*dir="{direction}"', html)
    page.goto(server_url + path)
    assert page.locator("h1").inner_text().strip() == title
    # Links to the home page and every chapter of its language, absolute.
    hrefs = page.eval_on_selector_all(".guide-not-found__pages a", "els => els.map(e => e.getAttribute('href'))")
    prefix = "/en/" if lang == "en" else "/"
    assert len(hrefs) == len(PAGES) and all(h.startswith(prefix) for h in hrefs), hrefs
    assert "/strategy/" in " ".join(hrefs)
    # The language menu points at the other language's home, not a leftover page.
    menu = page.eval_on_selector_all(".md-select__link", "els => els.map(e => e.getAttribute('href'))")
    assert sorted(menu) == ["/", "/en/"]
    # Search works on it.
    placeholder = open_search(page)
    query = "المدينة" if lang == "ar" else "mandate"
    assert search(page, query, placeholder), "no search results on the 404 page"


def test_missing_english_address_gets_the_english_404(server_url, page):
    # GitHub Pages and `mkdocs serve` answer every missing address with /404.html
    # (Arabic); a reader of a missing /en/... page is sent to the English one.
    # The test server answers a missing address with its own error page, so
    # load /404.html, give it the missing address, and run the page's script.
    page.goto(server_url + "404.html")
    page.evaluate("""() => {
        history.replaceState(null, '', '/en/no-such-page/');
        const s = document.createElement('script');
        s.src = '/assets/javascripts/not-found.js';
        document.body.append(s);
    }""")
    page.wait_for_url(re.compile(r"/en/404\.html$"), timeout=10000)
    assert page.locator("h1").inner_text().strip() == "Page not found"


# Arabic agreement: (count, expected line)
ARABIC_COUNTS = [
    (1, "نتيجة واحدة"), (2, "نتيجتان"), (3, "٣ نتائج"), (10, "١٠ نتائج"),
    (11, "١١ نتيجة"), (13, "١٣ نتيجة"), (100, "١٠٠ نتيجة"), (103, "١٠٣ نتائج"),
    # CLDR's zero (0) and other (100-102) are the "many" form
    (0, "٠ نتيجة"), (101, "١٠١ نتيجة"), (102, "١٠٢ نتيجة"),
]
ARABIC_MORE = [
    (1, "نتيجة أخرى في هذه الصفحة"), (2, "نتيجتان أخريان في هذه الصفحة"),
    (4, "٤ نتائج أخرى في هذه الصفحة"), (12, "١٢ نتيجة أخرى في هذه الصفحة"),
]


def test_arabic_search_counts_use_arabic_digits_and_agreement(server_url, page):
    # Without its index search never gets ready, so Material writes nothing
    # into the lines this test writes (below) while it runs.
    page.route("**/search_index*.json", lambda route: route.abort())
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(server_url + "strategy/")
    page.wait_for_load_state("networkidle")
    # The script is not part of a first visit: it comes when search opens.
    assert not [url for url in requested if "search-counts" in url]
    with page.expect_response(lambda response: "search-counts.js" in response.url):
        page.focus("input[name=query]")
    page.wait_for_function("""() => {
        const meta = document.querySelector('.md-search-result__meta');
        if (meta.textContent === '٣ نتائج') return true;
        meta.textContent = '3 نتيجة';
        return false;
    }""", polling=50, timeout=10000)
    # Material writes "# نتيجة" (its one/other strings) with a Latin number;
    # the script rewrites the line. Drive it through the same DOM Material uses.
    got = page.evaluate("""async ([counts, more]) => {
        const meta = document.querySelector('.md-search-result__meta');
        const list = document.querySelector('.md-search-result__list');
        const tick = () => new Promise(r => setTimeout(r, 0));
        const out = [];
        for (const [n] of counts) { meta.textContent = n + ' نتيجة'; await tick(); out.push(meta.textContent); }
        for (const [n] of more) {
            list.innerHTML = '<li class="md-search-result__item"><details class="md-search-result__more">' +
                '<summary><div>' + n + ' نتيجة أخرى في هذه الصفحة</div></summary></details></li>';
            await tick();
            out.push(list.querySelector('summary > div').textContent);
        }
        return out;
    }""", [ARABIC_COUNTS, ARABIC_MORE])
    assert got == [line for _, line in ARABIC_COUNTS + ARABIC_MORE]


def test_arabic_search_count_for_a_real_query(server_url, page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(server_url + "strategy/")
    placeholder = open_search(page)
    assert search(page, "المدينة", placeholder)
    line = page.locator(".md-search-result__meta").inner_text().strip()
    assert not LATIN_DIGIT.search(line), line
    assert re.fullmatch(r"نتيجة واحدة|نتيجتان|[٠-٩]+ (نتائج|نتيجة)", line), line


@pytest.mark.parametrize("query", ["المدن", "city"])
def test_search_marks_each_word_once(server_url, page, query):
    """A word found under two keys (المدن and مدن) was marked twice, and the
    second <mark> broke the first: the reader saw "<المدن" in the results."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(server_url + ("strategy/" if query == "المدن" else "en/strategy/"))
    placeholder = open_search(page)
    assert search(page, query, placeholder)
    html = page.locator(".md-search-result__list").inner_html()
    assert "<mark>" in html
    assert "<mark><mark" not in html and "&gt;" not in html, html[:400]
    assert "<" not in page.locator(".md-search-result__list").inner_text()


def test_arabic_h1_has_the_english_pages_readable_id(site_dir):
    for slug in PAGES:
        ar = re.search(r'<h1 id="([^"]+)"', read(site_dir, page_path("ar", slug) + "index.html"))
        en = re.search(r'<h1 id="([^"]+)"', read(site_dir, page_path("en", slug) + "index.html"))
        assert ar and en and ar.group(1) == en.group(1), (slug, ar and ar.group(1))
        assert re.fullmatch(r"[a-z][a-z0-9-]+", ar.group(1)), ar.group(1)


@pytest.mark.parametrize("lang,text", [("ar", "صفحة موجزة"), ("en", "Summary page")])
def test_navigation_marker_is_explained_in_visible_text(site_dir, lang, text):
    # Touch readers never see the marker's tooltip: a legend under the navigation says it.
    html = read(site_dir, page_path(lang, "strategy") + "index.html")
    assert "md-status--summary" in html
    legend = re.search(r'<p class="guide-nav-legend">(.*?)</p>', html, re.DOTALL)
    assert legend and text in legend.group(1)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_navigation_legend_is_seen_in_the_phone_drawer(server_url, page, lang):
    # Placed after the <nav>, the legend sat under the drawer, which covers it.
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(server_url + page_path(lang, "strategy"))
    page.click('.md-header label[for="__drawer"]')
    page.wait_for_timeout(400)  # the drawer slides in
    on_top = page.evaluate("""() => {
        const legend = document.querySelector('.md-sidebar--primary .guide-nav-legend');
        const box = legend.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return box.height > 0 && box.bottom <= innerHeight && legend.contains(hit);
    }""")
    assert on_top


# The form search-counts.js picks for n, per page language (run in node with a
# stand-in for the page): CLDR's plural category through Intl.PluralRules; one,
# two and few by name, any other category "many". Arabic as before (1, 2,
# 3-10 and 103-110, the rest); English and French have one and many only
# (French: 0 and 1 are one).
COUNT_FORMS = {
    "ar": {0: "many", 1: "one", 2: "two", 3: "few", 10: "few", 11: "many", 100: "many", 101: "many", 103: "few"},
    "en": {0: "many", 1: "one", 2: "many", 3: "many", 10: "many", 11: "many", 100: "many", 101: "many", 103: "many"},
    "fr": {0: "one", 1: "one", 2: "many", 3: "many", 10: "many", 11: "many", 100: "many", 101: "many", 103: "many"},
}


@pytest.mark.skipif(not shutil.which("node"), reason="needs node")
def test_search_count_forms_follow_the_page_languages_plural_rules():
    script = (ROOT / "docs" / "assets" / "javascripts" / "search-counts.js").read_text(encoding="utf-8")
    driver = """
const script = require("fs").readFileSync(0, "utf-8");
const cases = %s;
const out = {};
for (const [lang, ns] of Object.entries(cases)) {
  out[lang] = {};
  for (const n of ns) {
    const meta = { textContent: n + " x" };
    const forms = { getAttribute: (name) => name === "data-lang" ? lang : name === "data-digits" ? "latin"
                                    : name.startsWith("data-count-") ? name.slice(11) : null };
    const result = { querySelector: () => meta, querySelectorAll: () => [] };
    global.window = { MutationObserver: true };
    global.MutationObserver = function () { this.observe = () => {}; };
    global.document = { getElementById: () => forms, querySelector: () => result };
    new Function(script)();
    out[lang][n] = meta.textContent;
  }
}
console.log(JSON.stringify(out));
""" % json.dumps({lang: list(forms) for lang, forms in COUNT_FORMS.items()})
    proc = subprocess.run([shutil.which("node"), "-e", driver], input=script, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    got = {lang: {int(n): form for n, form in forms.items()} for lang, forms in json.loads(proc.stdout).items()}
    assert got == COUNT_FORMS
