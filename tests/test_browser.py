"""The real pages in headless Chromium: direction, layout side, fonts, the
language switcher keeping the reader's place, and no request off the site."""

from __future__ import annotations

import pytest

from conftest import LANGUAGES, PAGES, page_path

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def open_page(page, server_url, lang, slug, fragment=""):
    response = page.goto(server_url + page_path(lang, slug) + fragment)
    # Going to a fragment of the page already open is a same-document navigation (no response).
    if not (fragment and response is None):
        assert response is not None and response.ok, f"{lang}/{slug}: HTTP {response and response.status}"
    page.evaluate("document.fonts.ready")


@pytest.mark.parametrize("lang,expected", [("ar", "rtl"), ("en", "ltr")])
def test_computed_direction(page, server_url, lang, expected):
    open_page(page, server_url, lang, "strategy")
    assert page.evaluate("getComputedStyle(document.body).direction") == expected
    assert page.evaluate("getComputedStyle(document.querySelector('.md-content')).direction") == expected
    assert page.evaluate("document.documentElement.lang") == lang


@pytest.mark.parametrize("lang,side", [("ar", "right"), ("en", "left")])
def test_navigation_sits_on_the_reading_side(browser, server_url, lang, side):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    open_page(page, server_url, lang, "strategy")
    nav = page.locator(".md-sidebar--primary").bounding_box()
    content = page.locator(".md-content").bounding_box()
    context.close()
    if side == "right":
        assert nav["x"] > content["x"], (nav, content)
    else:
        assert nav["x"] < content["x"], (nav, content)


@pytest.mark.parametrize("lang,family", [("ar", "Noto Naskh Arabic"), ("en", "Noto Sans")])
def test_self_hosted_fonts_render_the_text(page, server_url, lang, family):
    open_page(page, server_url, lang, "strategy")
    loaded = page.evaluate(
        "fam => [...document.fonts].filter(f => f.family.replace(/\"/g, '') === fam && f.status === 'loaded').length",
        family,
    )
    assert loaded >= 1, f"{family} was not loaded on the {lang} page"


@pytest.mark.parametrize("source,target", [("ar", "en"), ("en", "ar")])
def test_switcher_lands_on_counterpart_page_and_section(browser, server_url, source, target):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    open_page(page, server_url, source, "strategy")
    # The last section heading of the page: a place far from the top.
    section = page.evaluate("[...document.querySelectorAll('.md-content h2[id]')].map(h => h.id).pop()")
    assert section, "the strategy page has no section headings"
    open_page(page, server_url, source, "strategy", f"#{section}")
    page.locator(".md-header__option .md-select").hover()
    with page.expect_navigation():
        page.locator(f"a.md-select__link[hreflang={target}]").click()
    page.evaluate("document.fonts.ready")
    assert page.url == f"{server_url}{page_path(target, 'strategy')}#{section}"
    assert page.evaluate("document.documentElement.lang") == target
    heading = page.locator(f"[id='{section}']")
    assert heading.count() == 1
    box = heading.bounding_box()
    assert 0 <= box["y"] < DESKTOP["height"], f"section #{section} is not in view after switching ({box})"
    context.close()


def test_arabic_chapter_at_phone_width(browser, server_url, artifacts_dir):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    open_page(page, server_url, "ar", "strategy")
    # Nothing may stick out sideways on a phone (a common RTL bug).
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    shot = artifacts_dir / "ar-strategy-phone.png"
    page.screenshot(path=str(shot), full_page=False)
    context.close()
    assert overflow <= 0, f"page is {overflow}px wider than a phone screen"
    assert shot.stat().st_size > 10_000
