"""Shared fixtures: one strict build of the real site per test session, a local
HTTP server for it, and headless Debian Chromium driven through Playwright."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from guide import languages
from guide.engine import build_site
from guide.publish.shipped import SEARCH_DOCS_ENV
from guide.siteconfig import load_config, nav_slugs
from hosted import LocalServer

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# Flags that keep Chromium off the network on its own (updates, sync, QUIC...).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

PAGES = nav_slugs(load_config())  # every page in mkdocs.yml nav, in order
LANGUAGES = languages.load().prefixes  # language -> URL prefix (the registry, mkdocs.yml)


# Test tiers. Fixtures that build the site (or the offline archive, a copy of
# the repository, the books) or start a browser: a test that uses one, directly
# or through another fixture, is marked "site" and left out of `make test-fast`
# (pytest -m "not site"). Tests that build inside their own body carry the
# marker themselves (@pytest.mark.site).
SITE_FIXTURES = frozenset({
    "site_dir", "server_url", "search_docs", "offline_site", "browser",
    "base_tree", "both_sites", "english_update", "typo_fix", "published_site", "deploys", "webkit",
    "tree", "site",  # tests/test_threelang.py: the three-language fixture copied and built
})


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SITE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.site)


def webkit_shot_name(lang: str, name: str) -> str:
    """The contact sheet's WebKit screenshot of a page at 390 px (tests/test_webkit.py)."""
    return f"{lang}-{name}-webkit-390.png"


def page_path(lang: str, slug: str) -> str:
    """Site-relative URL path of a page, e.g. ('en', 'strategy') -> 'en/strategy/'."""
    return LANGUAGES[lang] + ("" if slug == "index" else f"{slug}/")


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def _http_server():
    """A local server, bound before the build so the site can be built for its
    address: like production, site_url (hreflang, sitemap) is the served origin."""
    server = LocalServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def site_url(_http_server) -> str:
    return _http_server.url


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory, site_url) -> Path:
    """The real site, built strictly once for the whole session."""
    target = tmp_path_factory.mktemp("build") / "site"
    # The combined search documents are not shipped (guide/publish/shipped.py):
    # the build keeps them next to the site for the search_docs fixture.
    proc = build_site(target, env={"SITE_URL": site_url, SEARCH_DOCS_ENV: str(target.parent / "search-docs.json")})
    assert proc.returncode == 0, f"strict build failed:\n{proc.stderr[-4000:]}"
    return target


@pytest.fixture(scope="session")
def search_docs(site_dir) -> dict:
    """Every search entry of both languages (Material's combined index, which
    the site does not ship), as the session's build kept it."""
    return json.loads((site_dir.parent / "search-docs.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def server_url(_http_server, site_dir, site_url) -> str:
    """The built site served over HTTP at ``site_url``."""
    return _http_server.serve(site_dir)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-deps` (Debian package 'chromium')")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory) -> Path:
    """The offline bundle as ``python -m tools offline`` makes it, unpacked
    (shared by the search tests)."""
    from guide.publish.offline import build_offline

    tmp = tmp_path_factory.mktemp("offline")
    build_offline(tmp / "dist", keep_site=tmp / "site")
    return tmp / "site"


# --- Material's search box, driven like a reader -------------------------------

def open_search(page) -> str:
    """Focus the search box; wait until search is ready (Material then replaces
    its "initialising" line with the placeholder); return the placeholder."""
    placeholder = page.evaluate(
        "JSON.parse(document.getElementById('__config').textContent).translations['search.result.placeholder']")
    page.click("input[name=query]")  # desktop layout: the box is in the header
    page.wait_for_function(
        "p => document.querySelector('.md-search-result__meta').textContent.trim() === p",
        arg=placeholder, timeout=20000)
    return placeholder


def search(page, query: str, placeholder: str, timeout: int = 15000) -> list[str]:
    """Type ``query`` like a reader; return the hrefs of the results, best first."""
    box = page.locator("input[name=query]")
    box.fill("")
    box.press("End")  # Material reads the box on keyup
    page.wait_for_function(
        "p => document.querySelector('.md-search-result__meta').textContent.trim() === p", arg=placeholder)
    box.fill(query)
    box.press("End")
    page.wait_for_function(
        "p => document.querySelector('.md-search-result__meta').textContent.trim() !== p",
        arg=placeholder, timeout=timeout)
    page.wait_for_timeout(50)  # the list is rendered right after the count
    return page.eval_on_selector_all(
        ".md-search-result__item > a.md-search-result__link", "els => els.map(e => e.href)")
