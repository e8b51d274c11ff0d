"""What a phone reader sees of the type (issue 19): curly quotes in English,
reading text of a readable size in both languages, one style of card label,
mixed-direction phrases kept whole, a header title cut at a word, and
heading weights the fonts have.

Every test opens built pages in headless Chromium at phone size and measures
what the browser drew (computed styles, line boxes), not the CSS source.
"""

from __future__ import annotations

import re

import pytest

from conftest import PAGES, page_path

PHONE = {"width": 390, "height": 844}

# The visible text of a page's body and its title, without code and without
# runs of another language: [[text of one text node, where]], for those that
# hold a straight quote.
STRAIGHT_QUOTES = """() => {
  const bad = [];
  const skip = el => el.closest('code, pre, kbd, samp, script, style, textarea, [lang]:not(html):not([lang^="en"])');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || skip(el) || !/["']/.test(node.nodeValue)) continue;
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || (!box.width && !box.height && !el.closest('.md-nav, .md-search'))) continue;
    bad.push([node.nodeValue.trim().slice(0, 80), el.tagName + '.' + el.className]);
  }
  if (/["']/.test(document.title)) bad.push([document.title, 'title']);
  return bad;
}"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("slug", PAGES)
def test_english_pages_have_curly_quotes(phone, server_url, slug):
    """Editors type "Why cities?" and city's; the reader sees “Why cities?”
    and city’s (the build curls them: guide/pages/quotes.py)."""
    phone.goto(server_url + page_path("en", slug), wait_until="networkidle")
    bad = phone.evaluate(STRAIGHT_QUOTES)
    assert not bad, f"en/{slug}: {len(bad)} text nodes with straight quotes, e.g. {bad[:4]}"
