"""The offline edition, unpacked and read from file:// with the network cut off,
and the download block it shares with the online site.

One archive is built for the module (PDFs first, as `python -m tools release`
does, so the archive carries them); every browser test runs in a context that
aborts any request that is not file: and fails if one was attempted."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from guide.pages.quotes import curl
from guide.publish import downloads, offline, pdf
from guide.search import prebuilt
from guide.engine import build_site
from conftest import open_search, search

ROOT = Path(__file__).resolve().parent.parent
ARABIC_INDIC = re.compile("[٠-٩]")
LATIN_DIGIT = re.compile("[0-9]")


def titles(slug: str) -> dict[str, str]:
    for chapter in yaml.safe_load((ROOT / "data" / "chapters.yml").read_text(encoding="utf-8"))["chapters"]:
        if chapter["slug"] == slug:
            return chapter["title"]
    raise LookupError(slug)


def ui(key: str) -> dict[str, str]:
    return yaml.safe_load((ROOT / "data" / "ui.yml").read_text(encoding="utf-8"))[key]


@pytest.fixture(scope="module")
def release(site_dir, browser, tmp_path_factory) -> dict:
    dist = tmp_path_factory.mktemp("offline-dist")
    pdf.build_pdfs(dist, site_dir=site_dir, browser=browser)
    entry = offline.build_offline(dist)
    unpacked = tmp_path_factory.mktemp("offline-unpacked")
    with zipfile.ZipFile(dist / offline.ARCHIVE) as zf:
        zf.extractall(unpacked)
    return {"dist": dist, "entry": entry, "root": unpacked / offline.TOP_DIR}


@pytest.fixture
def offline_page(browser, release):
    """A page in a browser context where only file: URLs load; yields (page, root URL)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    attempted = []

    def only_files(route):
        if route.request.url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page, release["root"].as_uri() + "/"
    context.close()
    assert not attempted, f"the offline edition tried the network: {attempted}"
    assert not errors, f"JavaScript errors: {errors}"


# --- the archive ---------------------------------------------------------------

def test_archive_checksum_stamp_and_budget(release):
    dist, entry = release["dist"], release["entry"]
    archive = dist / offline.ARCHIVE
    assert (dist / f"{offline.ARCHIVE}.sha256").read_text() == f"{downloads.sha256_of(archive)}  {offline.ARCHIVE}\n"
    assert entry["bytes"] == archive.stat().st_size <= offline.BUDGET_MB * 1e6
    manifest = {e["file"]: e for e in downloads.load_manifest(dist)}
    assert manifest[offline.ARCHIVE] == entry
    assert set(manifest) == {"guide-ar.pdf", "guide-en.pdf", offline.ARCHIVE}
    version = (release["root"] / "VERSION.txt").read_text(encoding="utf-8")
    assert f"built: {entry['built']}" in version and f"commit: {entry['commit']}" in version
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        assert entry["commit"] in zf.comment.decode()
    assert all(n.startswith(f"{offline.TOP_DIR}/") for n in names)


def test_archive_contents(release):
    root = release["root"]
    files = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert {"index.html", "strategy.html", "en/index.html", "en/strategy.html",
            "assets/vendor/iframe-worker/shim.js", "assets/vendor/iframe-worker/frame.html",
            "assets/vendor/iframe-worker/frame.js",
            "downloads/guide-ar.pdf", "downloads/guide-en.pdf", "search/search_index.js"} <= files
    assert f"downloads/{offline.ARCHIVE}" not in files, "the archive must not contain itself"
    assert not [f for f in files if f.endswith(".map")], "source maps are not shipped"
    # The guide's worker and its pre-built index, per language; no lunr file (it is not used).
    assert "assets/javascripts/guide-search/worker.js" in files
    assert not [f for f in files if "/lunr/" in f]
    for lang in ("ar", "en"):
        assert f"search/{lang}/meta.js" in files, lang
    # No directory URLs ("strategy/"): file:// does not resolve them to index.html.
    assert "strategy/index.html" not in files and "en/strategy/index.html" not in files


def test_search_index_script_names_both_languages_indexes(release):
    """Pages load search_index.js for Material's config; it names each
    language's pre-built index, whose entries are that language's pages."""
    script = (release["root"] / "search" / "search_index.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = ")
    index = json.loads(script[len("var __index = "):])
    assert index["docs"] == [], "the worker never reads the documents: not shipped to every page"
    entries = {lang: prebuilt.read_script(release["root"] / "search" / where["dir"] / "meta.js")[2]["docs"]
               for lang, where in index["config"]["guide"].items()}
    arabic, english = entries["ar"], entries["en"]
    assert "strategy.html" in {d["location"] for d in arabic} and "en/strategy.html" in {d["location"] for d in english}
    assert not [d for d in arabic if d["location"].startswith("en/")] and all(d["location"].startswith("en/") for d in english)
    assert any(titles("strategy")["ar"].split(":")[-1].strip() in d["title"] for d in arabic)
    assert any(titles("strategy")["en"].split(":")[-1].strip() in d["title"] for d in english)


def test_pages_reference_the_local_shim_only(release):
    for page in ("index.html", "en/strategy.html"):
        html = (release["root"] / page).read_text(encoding="utf-8")
        assert "iframe-worker/shim.js" in html
        assert "unpkg.com" not in html
        assert 'rel="alternate" hreflang' not in html  # would make Material fetch the online sitemap


@pytest.mark.site
def test_over_budget_fails_and_leaves_no_archive(tmp_path):
    with pytest.raises(offline.OfflineError, match="over the 0.01 MB budget"):
        offline.build_offline(tmp_path, budget_mb=0.01)
    assert not (tmp_path / offline.ARCHIVE).exists()
    assert not (tmp_path / downloads.MANIFEST_NAME).exists()


# --- in the browser, network blocked --------------------------------------------

FONTS_JS = """async () => {
  await document.fonts.ready;
  return {status: document.fonts.status,
          loaded: [...document.fonts].filter(f => f.status === "loaded").map(f => f.family.replace(/"/g, ""))};
}"""


@pytest.mark.parametrize("lang,path,family", [("ar", "strategy.html", "Noto Naskh Arabic"),
                                              ("en", "en/strategy.html", "Noto Sans")])
def test_page_renders_offline(offline_page, lang, path, family):
    page, root = offline_page
    page.goto(root + path)
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
    fonts = page.evaluate(FONTS_JS)
    assert fonts["status"] == "loaded" and family in fonts["loaded"], fonts
    # Logo and any other images decoded from disk.
    assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    assert page.locator("article .admonition").count() >= 1, "the chapter's boxes"
    # Navigation: the footer's next link opens the next chapter's file.
    page.locator("a.md-footer__link--next").click()
    page.wait_for_load_state("load")
    expected = ("" if lang == "ar" else "en/") + "primary-prevention.html"
    assert page.url == root + expected


# What each language's text is drawn in: the platform name of our woff2 faces
# ("Noto Sans Runs" is Noto Sans' file under another CSS family).
DRAWN_IN = {"ar": {"Noto Naskh Arabic", "Noto Sans"}, "en": {"Noto Sans"}}
FACES_JS = """async () => { await document.fonts.ready;
  return [...document.fonts].map(f => [f.family.replace(/"/g, ""), f.status]); }"""


def drawn_fonts(page, context) -> list[tuple[str, bool]]:
    """(family, is a web font) of every font Chromium drew the article's text with."""
    cdp = context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    nodes = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "article :is(h1, h2, p, li, th, td)"})
    used = set()
    for node in nodes["nodeIds"]:
        for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
            used.add((font["familyName"], font["isCustomFont"]))
    return sorted(used)


@pytest.mark.parametrize("lang,path", [("ar", "index.html"), ("en", "en/index.html"),
                                       ("ar", "strategy.html"), ("en", "en/strategy.html")])
def test_offline_pages_draw_in_the_guides_fonts(offline_page, release, site_dir, lang, path):
    """From file:// Chromium refuses font files (cross-origin) and the fonts
    arrived too late for font-display: optional: pages fell back to the
    reader's own fonts. The archive carries them as data: URLs instead."""
    page, root = offline_page
    console = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    page.goto(root + path)
    page.wait_for_load_state("load")
    faces = page.evaluate(FACES_JS)
    drawn = drawn_fonts(page, page.context)
    font_messages = [m for m in console if re.search(r"font|woff2|preload", m, re.IGNORECASE)]
    assert not font_messages, font_messages
    wanted = {"ar": ["Noto Naskh Arabic", "Noto Sans Runs"], "en": ["Noto Sans"]}[lang]
    for family in wanted:
        assert [family, "loaded"] in faces, f"{path}: {family} not loaded: {faces}"
    assert {family for family, _ in drawn} == DRAWN_IN[lang], f"{path}: drawn in {drawn}"
    assert all(custom for _, custom in drawn), f"{path}: text drawn in the reader's own fonts: {drawn}"
    # Offline only: the online site still loads (and preloads) the woff2 files.
    online_css = (site_dir / "assets" / "stylesheets" / "fonts.css").read_text(encoding="utf-8")
    assert "data:" not in online_css and 'url("../fonts/noto-naskh-arabic-wght.woff2")' in online_css
    online_page = site_dir / (path.replace(".html", "/index.html") if not path.endswith("index.html") else path)
    online_html = online_page.read_text(encoding="utf-8")
    assert 'as="font"' in online_html and "font-src 'self';" in online_html
    assert 'as="font"' not in (release["root"] / path).read_text(encoding="utf-8")


@pytest.mark.parametrize("start,target,hreflang", [("strategy.html", "en/strategy.html", "en"),
                                                   ("en/strategy.html", "strategy.html", "ar")])
def test_language_switcher_lands_on_the_counterpart(offline_page, start, target, hreflang):
    page, root = offline_page
    page.goto(root + start)
    page.locator(".md-header__option .md-select").first.hover()
    page.locator(f"a.md-select__link[hreflang={hreflang}]").first.click()
    page.wait_for_url(root + target)
    assert page.evaluate("document.documentElement.lang") == hreflang


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_search_finds_pages_in_the_readers_language(offline_page, lang):
    page, root = offline_page
    page.goto(root + ("strategy.html" if lang == "ar" else "en/strategy.html"))
    query = titles("strategy")[lang].split(":")[-1].strip()  # "الاستراتيجية" / "Strategy"
    # Wait until the (lazily loaded) index is ready, then type: from file:// the
    # worker starts through the iframe shim, which can take seconds on a busy machine.
    placeholder = open_search(page)
    hrefs = [h.split("?")[0] for h in search(page, query, placeholder)]
    assert hrefs
    if lang == "ar":
        assert root + "strategy.html" in hrefs, hrefs
        assert not [h for h in hrefs if "/en/" in h], f"English results for an Arabic query: {hrefs}"
    else:
        assert root + "en/strategy.html" in hrefs, hrefs
        assert all(h.startswith(root + "en/") for h in hrefs), f"Arabic results for an English query: {hrefs}"


@pytest.mark.parametrize("lang,path", [("ar", "index.html"), ("en", "en/index.html")])
def test_archive_offers_the_pdf_but_not_itself(offline_page, release, lang, path):
    page, root = offline_page
    page.goto(root + path)
    assert page.locator('.guide-downloads a[data-kind="offline"]').count() == 0
    link = page.locator('.guide-downloads a[data-kind="pdf"]')
    assert link.count() == 1
    href = link.get_attribute("href")
    assert href.endswith(f"downloads/guide-{lang}.pdf")
    assert (release["root"] / path).parent.joinpath(href).resolve().is_file()
    # English pages show the UI string with curly quotes (guide/pages/quotes.py: This site’s).
    expected = ui("downloads.pdf")[lang]
    assert link.inner_text().strip() == (curl(expected)[0] if lang == "en" else expected)


# --- the online site's download block ---------------------------------------------

def test_site_build_links_downloads_with_localized_sizes(release, tmp_path):
    site = tmp_path / "site"
    proc = build_site(site, env={"GUIDE_DIST_DIR": str(release["dist"])})
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in ("guide-ar.pdf", "guide-en.pdf", offline.ARCHIVE):
        assert (site / "downloads" / name).read_bytes() == (release["dist"] / name).read_bytes()
    for lang, path in (("ar", "strategy/index.html"), ("en", "en/strategy/index.html")):
        html = (site / path).read_text(encoding="utf-8")
        block = re.search(r'<aside class="guide-downloads".*?</aside>', html, re.DOTALL).group(0)
        hrefs = re.findall(r'href="([^"]+)"', block)
        assert [h.rsplit("/", 1)[1] for h in hrefs] == [f"guide-{lang}.pdf", offline.ARCHIVE]
        assert all((site / path).parent.joinpath(h).resolve().is_file() for h in hrefs)
        heading, archive = ui("downloads.heading")[lang], ui("downloads.offline")[lang]
        if lang == "en":  # English pages carry curly quotes (guide/pages/quotes.py)
            from guide.pages.quotes import curl
            heading, archive = curl(heading)[0], curl(archive)[0]
        assert heading in block and archive in block
        sizes = re.findall(r'guide-downloads__meta">\(([^)]*)\)', block)
        assert len(sizes) == 2
        for size in sizes:
            if lang == "ar":
                assert ARABIC_INDIC.search(size) and not LATIN_DIGIT.search(size), size
            else:
                assert LATIN_DIGIT.search(size) and not ARABIC_INDIC.search(size), size


@pytest.mark.site
def test_site_build_without_manifest_has_no_download_block(tmp_path):
    site = tmp_path / "site"
    proc = build_site(site, env={"GUIDE_DIST_DIR": str(tmp_path / "no-dist")})
    assert proc.returncode == 0, proc.stderr[-3000:]
    # (The save-for-offline block shares the download block's look, not its id.)
    assert 'id="guide-downloads-title"' not in (site / "index.html").read_text(encoding="utf-8")
    assert not (site / "downloads").exists()


# --- plain logic ----------------------------------------------------------------------

def test_manifest_errors_name_file_and_entry(tmp_path):
    manifest = tmp_path / downloads.MANIFEST_NAME
    manifest.write_text('{"files": [\n  {"file": "guide-ar.pdf",}\n]}', encoding="utf-8")
    with pytest.raises(downloads.ManifestError, match=r"downloads\.json: not valid JSON \(line 2\)"):
        downloads.load_manifest(tmp_path)
    manifest.write_text(json.dumps({"files": [{"file": "guide-ar.pdf", "kind": "pdf", "lang": "ar",
                                               "bytes": 3, "sha256": "x"}]}), encoding="utf-8")
    with pytest.raises(downloads.ManifestError, match=r"files\[0\]: file 'guide-ar.pdf' does not exist"):
        downloads.load_manifest(tmp_path)
    (tmp_path / "guide-ar.pdf").write_bytes(b"abcd")
    with pytest.raises(downloads.ManifestError, match="4 bytes, manifest says 3"):
        downloads.load_manifest(tmp_path)
    assert downloads.load_manifest(tmp_path / "elsewhere") is None


def test_sizes_and_stamp_fallback(tmp_path, monkeypatch):
    units = {"ar": {"kb": "ك.ب", "mb": "م.ب"}, "en": {"kb": "KB", "mb": "MB"}}
    assert downloads.human_size(2_345_678, "ar", units["ar"]) == "٢٫٣ م.ب"
    assert downloads.human_size(2_345_678, "en", units["en"]) == "2.3 MB"
    assert downloads.human_size(512_000, "en", units["en"]) == "512 KB"
    monkeypatch.delenv("GUIDE_COMMIT", raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    stamp = downloads.version_stamp(tmp_path)  # not a git checkout
    assert stamp == {"built": "2023-11-14T22:13:20Z", "commit": "unknown (no git)"}


def test_instant_navigation_is_refused(tmp_path):
    page = tmp_path / "index.html"
    page.write_text('<script id="__config" type="application/json">'
                    '{"features": ["navigation.instant", "toc.follow"]}</script>', encoding="utf-8")
    with pytest.raises(offline.OfflineError, match="navigation.instant"):
        offline.check_features(page)
    page.write_text('<script id="__config" type="application/json">{"features": ["toc.follow"]}</script>',
                    encoding="utf-8")
    offline.check_features(page)


# --- Content-Security-Policy under file:// (issues 13, 18) ----------------------

WATCH_CSP = ("window.__v = []; document.addEventListener('securitypolicyviolation',"
             " e => window.__v.push(e.violatedDirective + ' ' + e.blockedURI))")


def _local_only(route):
    if route.request.url.startswith(("file:", "data:", "blob:")):
        route.continue_()
    else:
        route.abort()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_offline_pages_carry_a_policy_and_log_no_violation(browser, release, lang):
    """Every page of the archive has the policy, with no 'unsafe-inline': inline
    scripts by hash, and search runs through the shim's frame (frame.html, a
    script file) instead of an inline bootstrap. No page logs a violation or a
    console error about the policy, search included."""
    root = release["root"]
    prefix = "" if lang == "ar" else "en/"
    pages = sorted((root / prefix).glob("*.html"))
    assert len(pages) >= 13  # every page (the 404 pages are not in the archive: no server under file://)
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    context.route("**/*", _local_only)
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text)
            if re.search(r"Content.Security.Policy", m.text, re.IGNORECASE) else None)
    try:
        for path in pages:
            html = path.read_text(encoding="utf-8")
            policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
            assert policy, f"{path.name}: no policy"
            text = policy.group(1)
            assert "unsafe-inline" not in text and "manifest-src" not in text, text
            assert re.search(r"script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;", text), text
            assert "script-src-attr 'none';" in text and "object-src 'none';" in text and "base-uri 'none';" in text
            assert "frame-src 'self';" in text  # the search shim's frame
            assert "font-src 'self' data:;" in text, text  # the inlined fonts
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            assert page.evaluate("window.__v") == [], f"{path.name}: {page.evaluate('window.__v')}"
        page.goto((root / prefix / "strategy.html").as_uri())
        placeholder = open_search(page)
        assert search(page, "strategy" if lang == "en" else "الاستراتيجية", placeholder)
        assert page.evaluate("window.__v") == []
        # The search ran in the shim's frame, not in an inline-scripted one.
        assert any(f.url.split("#")[0].endswith("assets/vendor/iframe-worker/frame.html") for f in page.frames)
        assert console == [], console
    finally:
        context.close()


def test_offline_page_runs_no_injected_script_or_handler(browser, release):
    """What online pages block, the archive blocks too: an inline script, an
    event handler (the offline policy once allowed them) and a javascript: link."""
    page_file = release["root"] / "en" / "strategy.html"
    html = page_file.read_text(encoding="utf-8")
    injected = page_file.with_name("injected.html")
    injected.write_text(html.replace("</article>", '<script>window.__pwned = 1</script>'
                                     '<img src="x" onerror="window.__pwned = 2">'
                                     '<button id="pwn" onclick="window.__pwned = 3">x</button>'
                                     '<a id="pwn-link" href="javascript:window.__pwned = 4">x</a></article>', 1),
                        encoding="utf-8")
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    context.route("**/*", _local_only)
    page = context.new_page()
    try:
        page.goto(injected.as_uri())
        page.wait_for_load_state("load")
        page.click("#pwn")
        page.click("#pwn-link")
        page.wait_for_timeout(200)
        assert page.evaluate("window.__pwned") is None
        violations = page.evaluate("window.__v")
        assert any(v.startswith("script-src-attr") for v in violations), violations
        assert any(v.startswith("script-src-elem inline") for v in violations), violations
    finally:
        context.close()
        injected.unlink()


def test_shim_frame_runs_only_a_search_worker_of_the_archive(browser, release, tmp_path):
    """frame.html runs the worker named in its fragment only if it is one of the
    archive's search workers: not another file of the archive, not one outside it."""
    root = release["root"]
    (root / "evil.js").write_text("document.title = 'pwned';\n", encoding="utf-8")
    outside = tmp_path / "outside.js"
    outside.write_text("document.title = 'pwned';\n", encoding="utf-8")
    frame = (root / "assets" / "vendor" / "iframe-worker" / "frame.html").as_uri()
    worker = (root / "assets" / "javascripts" / "guide-search" / "worker.js").as_uri()
    host = root / "host.html"
    context = browser.new_context()
    context.route("**/*", _local_only)
    page = context.new_page()
    try:
        for target, runs in ((worker, True), ((root / "evil.js").as_uri(), False), (outside.as_uri(), False),
                             ((root / "assets" / "javascripts" / "language-switch.js").as_uri(), False)):
            # The page side of shim.js: hand the frame its port once it has loaded.
            host.write_text(f'<!doctype html><meta charset="utf-8"><iframe src="{frame}#{quote(target, safe="")}"'
                            ' onload="this.contentWindow.postMessage(\'guide-frame-worker\', \'*\','
                            ' [new MessageChannel().port2])"></iframe>', encoding="utf-8")
            page.goto(host.as_uri())
            page.wait_for_load_state("load")
            page.wait_for_timeout(300)
            inner = page.frames[1]
            scripts = inner.evaluate("Array.from(document.scripts).map(s => s.src)")
            assert inner.evaluate("document.title") != "pwned", target
            assert (target in scripts) == runs, (target, scripts)
            assert scripts[0] == frame.replace(".html", ".js")
    finally:
        context.close()
        host.unlink()
        (root / "evil.js").unlink()


def test_archive_refuses_an_unreviewed_script(tmp_path):
    site = tmp_path / "site"
    (site / "assets" / "javascripts").mkdir(parents=True)
    (site / "assets" / "javascripts" / "language-switch.js").write_text("1", encoding="utf-8")
    (site / "search" / "en" / "k").mkdir(parents=True)
    (site / "search" / "en" / "k" / "3.js").write_text("1", encoding="utf-8")
    offline.check_scripts(site)
    (site / "assets" / "x.js").write_text("1", encoding="utf-8")
    with pytest.raises(offline.OfflineError, match=r"^assets/x\.js: a script file that is not reviewed"):
        offline.check_scripts(site)


def test_version_names_every_language_and_its_start_page(tmp_path):
    # VERSION.txt's "open …" line comes from the registry (english_name, prefix), not a fixed ar/en sentence.
    from guide import languages

    stamp = {"built": "2025-01-01", "commit": "abc"}
    offline.write_version(tmp_path, stamp, {"ar": 3, "en": 3})
    assert "Open index.html (Arabic) or en/index.html (English) in a browser.\n" in (tmp_path / "VERSION.txt").read_text()
    three = languages.load(ROOT / "tests" / "fixtures" / "threelang" / "mkdocs.yml")
    offline.write_version(tmp_path, stamp, {"ar": 3, "en": 3, "fr": 3}, three)
    assert (tmp_path / "VERSION.txt").read_text().endswith(
        "Open index.html (Arabic), en/index.html (English) or fr/index.html (French) in a browser.\n")


def test_version_archive_scripts_accept_region_tagged_search_folders(tmp_path):
    # A language code like pt-BR (tools new-lang accepts it) has its search files in search/pt-BR/.
    for rel in ("search/ar/meta.js", "search/fr/b/1.js", "search/pt-BR/words.js", "search/pt-BR/k/12.js"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("", encoding="utf-8")
    offline.check_scripts(tmp_path)
    (tmp_path / "search" / "pt-BR" / "evil.js").write_text("", encoding="utf-8")
    with pytest.raises(offline.OfflineError, match="search/pt-BR/evil.js"):
        offline.check_scripts(tmp_path)
