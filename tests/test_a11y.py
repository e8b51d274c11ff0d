"""Accessibility of the built site, in both languages, in headless Chromium.

axe-core (through axe-playwright-python) on every page of the nav finds no
serious or critical violation (colour contrast, names, landmarks, tables...);
the skip link and keyboard navigation work in RTL; tables have header cells;
and foreign-script runs carry their language (WCAG 3.1.2, guide/pages/langparts.py).
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import LANGUAGES, PAGES, page_path

ALL_PAGES = [(lang, slug) for lang in LANGUAGES for slug in PAGES]
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="module")
def shared_page(browser):
    """One tab for the whole module: 26 page loads, not 26 browser contexts."""
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("lang, slug", ALL_PAGES, ids=[f"{lang}-{slug}" for lang, slug in ALL_PAGES])
def test_no_serious_axe_violations(axe, shared_page, server_url, artifacts_dir, lang, slug):
    shared_page.goto(server_url + page_path(lang, slug), wait_until="load")
    results = axe.run(shared_page, options={"resultTypes": ["violations"]})
    violations = results.response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING]
    report = artifacts_dir / f"axe-{lang}-{slug}.json"
    if violations:  # moderate/minor ones too, for reading; only serious/critical fail
        report.write_text(json.dumps(violations, indent=1), encoding="utf-8")
    else:
        report.unlink(missing_ok=True)  # no stale report from an earlier run
    assert not blocking, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"]) for n in v["nodes"][:5])
        for v in blocking)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_skip_link_and_keyboard(browser, server_url, lang):
    """Tab first reaches the skip link; Enter moves to the content; the next Tab
    lands inside the content (not back in the header), in RTL and LTR."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(server_url + page_path(lang, "strategy"), wait_until="load")
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement; const r = e.getBoundingClientRect();"
            " return {cls: e.className, href: e.getAttribute('href'), visible: r.width > 0 && r.height > 0,"
            " dir: getComputedStyle(document.documentElement).direction}; }")
        assert "md-skip" in focused["cls"], f"first Tab focused {focused}, not the skip link"
        assert focused["visible"], "the focused skip link is not visible"
        assert focused["dir"] == ("rtl" if lang == "ar" else "ltr")
        target = focused["href"]
        assert target and target.startswith("#"), f"skip link href {target!r}"
        page.keyboard.press("Enter")
        page.wait_for_function("h => location.hash === h", arg=target)
        top = page.evaluate("id => document.getElementById(id).getBoundingClientRect().top",
                            target[1:])
        assert 0 <= top < page.viewport_size["height"] / 2, f"skip target not scrolled into view (top={top})"
        page.keyboard.press("Tab")
        inside = page.evaluate("() => !!document.activeElement.closest('.md-content')")
        assert inside, "after the skip link, Tab did not continue inside the content"
    finally:
        context.close()


def test_tables_have_header_cells(site_dir):
    missing = []
    for html_file in sorted(site_dir.rglob("*.html")):
        html = html_file.read_text(encoding="utf-8")
        for table in re.findall(r"<table\b.*?</table>", html, flags=re.S):
            if "<th" not in table:
                missing.append(str(html_file.relative_to(site_dir)))
    assert not missing, f"tables without header cells: {missing}"


# Text nodes in the article with Latin letters (Arabic pages) or Arabic letters
# (English pages), outside code, and the language their nearest [lang] gives them.
_RUNS_JS = """
(pattern) => {
  const re = new RegExp(pattern);
  const article = document.querySelector('article.md-content__inner');
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const out = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!re.test(n.data) || n.parentElement.closest('code, pre, script, style, svg')) continue;
    out.push({text: n.data.trim().slice(0, 40), lang: n.parentElement.closest('[lang]').getAttribute('lang')});
  }
  return out;
}
"""


@pytest.mark.parametrize("lang, foreign, expected", [("ar", "[A-Za-z]", "en"), ("en", "[\\u0600-\\u06FF]", "ar")])
def test_language_of_parts(shared_page, server_url, lang, foreign, expected):
    wrong, seen = [], 0
    for slug in PAGES:
        shared_page.goto(server_url + page_path(lang, slug), wait_until="domcontentloaded")
        runs = shared_page.evaluate(_RUNS_JS, foreign)
        seen += len(runs)
        wrong += [(slug, r["text"], r["lang"]) for r in runs if r["lang"] != expected]
    if lang == "ar":
        assert seen > 0, "no Latin runs found on Arabic pages: is the check looking at the article?"
    assert not wrong, f"foreign runs without lang={expected}: {wrong[:15]}"
