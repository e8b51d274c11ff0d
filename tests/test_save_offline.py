"""Save the guide for offline reading, updates that never mix editions, and the
web app manifests (issue 22), in Chromium with service workers on.

Two builds of the site (A, then B with one data text changed, so the strategy
page of both languages and their search shards differ) are served in turn at
the same address, at the root and on a /guide/ subpath, by a server that can
be switched off (every request then fails as on a phone without a network;
the browser context is set offline too). A reader's profile lives in a user
data directory, so a restarted browser finds what it saved.
"""

from __future__ import annotations

import http.server
import json
import re
import shutil
import socketserver
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from pathlib import Path

import pytest
import yaml

from conftest import CHROMIUM, CHROMIUM_ARGS, PAGES, ROOT, open_search, page_path, search
from guide.engine import build_site
from guide.publish import icons, saveoffline

UI = yaml.safe_load((ROOT / "data" / "ui.yml").read_text(encoding="utf-8"))
MARK = {"ar": "الطبعة باء للاختبار", "en": "Edition B for the test"}
QUERIES = {"ar": "الاستراتيجية", "en": "strategy"}


class Deploy:
    """A server for one address (root or subpath) whose files can be swapped or cut off."""

    def __init__(self, mount: str):
        self.mount, self.root, self.down, self.log = mount, None, False, []
        deploy = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(deploy.root), **kwargs)

            def log_message(self, *args):
                pass

            def handle_one_request(self):
                if deploy.down:  # no network: the connection closes without an answer
                    self.raw_requestline = self.rfile.readline(65537)
                    self.close_connection = True
                    return
                super().handle_one_request()

            def translate_path(self, path):
                clean = path.split("?")[0]
                if not clean.startswith(deploy.mount):
                    return str(Path(deploy.root) / "no-such-file")
                deploy.log.append(clean[len(deploy.mount):])
                return super().translate_path("/" + path[len(deploy.mount):])

        self.httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{mount}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _edition_b_data(target: Path) -> Path:
    """data/ with the first mandate's summary changed in both languages (the strategy pages)."""
    shutil.copytree(ROOT / "data", target)
    path = target / "mandates.yml"
    text = path.read_text(encoding="utf-8")
    record = yaml.safe_load(text)["mandates"][0]["summary"]
    for lang in ("ar", "en"):
        assert record[lang] in text
        text = text.replace(record[lang], f"{record[lang]} {MARK[lang]}", 1)
    path.write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def deploys():
    holder = Path(tempfile.mkdtemp(prefix="guide-save-offline-"))
    servers = {"root": Deploy("/"), "subpath": Deploy("/guide/")}
    data_b = _edition_b_data(holder / "data-b")
    jobs = {(name, edition): (holder / f"{name}-{edition}", {"SITE_URL": d.url, "SOURCE_DATE_EPOCH": epoch,
                                                              **({"GUIDE_DATA_DIR": str(data_b)} if edition == "b" else {})})
            for name, d in servers.items() for edition, epoch in (("a", "1796083200"), ("b", "1796601600"))}
    with ThreadPoolExecutor(2) as pool:
        results = dict(zip(jobs, pool.map(lambda job: build_site(job[0], env=job[1]), jobs.values())))
    for key, proc in results.items():
        assert proc.returncode == 0, f"build {key} failed:\n{proc.stderr[-3000:]}"
    for name, d in servers.items():
        d.sites = {edition: jobs[(name, edition)][0] for edition in ("a", "b")}
        d.root = d.sites["a"]
    yield servers
    for d in servers.values():
        d.close()
    shutil.rmtree(holder, ignore_errors=True)


def _list(site: Path, lang: str) -> dict:
    return json.loads((site / "offline" / f"{lang}.json").read_text(encoding="utf-8"))


def _h1(site: Path, lang: str, slug: str) -> str:
    html = (site / page_path(lang, slug) / "index.html").read_text(encoding="utf-8")
    text = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL).group(1)
    return " ".join(unescape(re.sub(r"<[^>]+>", "", text)).replace("¶", "").split())


# --- the built files -------------------------------------------------------------

def test_lists_manifests_and_worker_are_built(deploys):
    site_a, site_b = deploys["root"].sites["a"], deploys["root"].sites["b"]
    for lang in ("ar", "en"):
        listed = _list(site_a, lang)
        paths = [f["path"] for f in listed["files"]]
        assert [p for p in paths if p == "" or p.endswith("/")] == sorted(
            (page_path(lang, s) for s in PAGES), key=paths.index), "every page of the language, and only those"
        assert f"search/search_index.{lang}.json" in paths and any(p.startswith(f"search/{lang}/") for p in paths)
        other = "en" if lang == "ar" else "ar"
        assert not any(p.startswith(f"search/{other}/") for p in paths)
        assert not any(p.endswith(".map") or "/lunr/" in p for p in paths)
        for entry in listed["files"]:
            assert (site_a / (entry["path"] + "index.html" if entry["path"] in ("", ) or entry["path"].endswith("/")
                              else entry["path"])).stat().st_size == entry["bytes"]
        assert listed["transfer"] <= 1.5e6, "budget: a saved language <= 1.5 MB to download"
        # A new build with a changed page has a new version; only the changed files differ.
        hashes_a = {f["path"]: f["hash"] for f in listed["files"]}
        changed = {f["path"] for f in _list(site_b, lang)["files"] if hashes_a.get(f["path"]) != f["hash"]}
        assert _list(site_b, lang)["version"] != listed["version"]
        assert page_path(lang, "strategy") in changed and page_path(lang, "about") not in changed
        # The manifest: installable in the page's language.
        manifest = json.loads((site_a / saveoffline.MANIFEST_NAME if lang == "ar"
                               else site_a / "en" / saveoffline.MANIFEST_NAME).read_text(encoding="utf-8"))
        assert manifest["lang"] == lang and manifest["dir"] == ("rtl" if lang == "ar" else "ltr")
        assert manifest["name"] == UI["offline.app-name"][lang] and manifest["short_name"] == UI["offline.app-short-name"][lang]
        assert manifest["start_url"] == manifest["scope"] == "./"
        assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
        page = (site_a / page_path(lang, "strategy") / "index.html").read_text(encoding="utf-8")
        assert '<link rel="manifest" href="../manifest.webmanifest">' in page
        assert saveoffline.SIZE_TOKEN not in page
    # The worker is written at the root from overrides/, and nowhere else.
    assert (site_a / "sw.js").is_file() and not (site_a / saveoffline.SW_SOURCE).exists()
    assert '"prefixes":{"ar":"","en":"en/"}' in (site_a / "sw.js").read_text(encoding="utf-8")
    # Both scripts ship without comments and still parse (a "/*" in a string would have cut code).
    node = shutil.which("node")
    for built in (site_a / "sw.js", site_a / "assets/javascripts/guide-offline/save.js"):
        text = built.read_text(encoding="utf-8")
        assert "/*" not in text and not re.search(r"^\s*//", text, re.MULTILINE), built.name
        if node:
            proc = subprocess.run([node, "--check", str(built)], capture_output=True, text=True)
            assert proc.returncode == 0, f"{built.name}: {proc.stderr}"


@pytest.mark.slow
def test_icons_are_drawn_from_the_logo():
    logo = (ROOT / "docs" / "assets" / "images" / "logo.svg").read_text(encoding="utf-8")
    for size in icons.SIZES:
        data = (ROOT / "overrides" / "assets" / "images" / f"icon-{size}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(data[16:20], "big") == size
        assert data == icons.render(logo, size), "committed icon differs from the logo: run `python -m tools icons`"


def test_a_stray_sw_js_in_docs_fails_the_build(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sw.js").write_text("self.onfetch = () => {};", encoding="utf-8")
    with pytest.raises(saveoffline.SaveOfflineError, match="docs/sw.js"):
        saveoffline.write_sw(site, ROOT / "overrides" / saveoffline.SW_SOURCE, {"ar": ""}, "ar")


# --- the reader's browser ---------------------------------------------------------

def _launch(browser, profile: Path):
    return browser.browser_type.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, service_workers="allow",
        viewport={"width": 1280, "height": 800})


def _offline(context, deploy, off: bool):
    deploy.down = off
    context.set_offline(off)


def _caches(page) -> list[str]:
    return sorted(page.evaluate("caches.keys()"))


def _save(page, lang: str, listed: dict) -> None:
    box = page.locator("#guide-offline")
    box.wait_for(state="visible")
    assert "(" in box.inner_text() and re.search("[٠-٩]" if lang == "ar" else "[0-9]", box.inner_text()), \
        "the size is shown before saving"
    page.evaluate("""() => { window.__progress = [];
      navigator.serviceWorker.addEventListener('message', e => { if (e.data.type === 'progress') window.__progress.push(e.data.done); }); }""")
    page.click("#guide-offline [data-action=save]")
    page.wait_for_function("() => document.getElementById('guide-offline').dataset.state === 'saved'", timeout=60000)
    status = page.locator(".guide-offline__status").inner_text()
    assert listed["date"] in status, status
    progress = page.evaluate("window.__progress")
    assert progress and max(progress) == len(listed["files"]), "progress while it runs"


def _read_every_page(page, deploy, lang: str, site: Path) -> None:
    for slug in PAGES:
        page.goto(deploy.url + page_path(lang, slug), wait_until="domcontentloaded")
        assert page.evaluate("document.documentElement.lang") == lang
        assert " ".join(page.locator("h1").first.inner_text().replace("¶", "").split()) == _h1(site, lang, slug), (lang, slug)
    page.goto(deploy.url + page_path(lang, "strategy"))
    hits = search(page, QUERIES[lang], open_search(page))
    assert hits and all(h.startswith(deploy.url + page_path(lang, "index")) for h in hits), hits


def _fallback(page, deploy, lang: str, saved: str) -> None:
    page.goto(deploy.url + page_path(lang, "about"))
    assert page.evaluate("document.documentElement.lang") == saved
    assert page.locator("h1").inner_text() == UI["offline.fallback-title"][saved]


@pytest.mark.parametrize("where", ["root", "subpath"])
def test_save_read_offline_update_and_remove(deploys, browser, where, tmp_path):
    deploy = deploys[where]
    deploy.root, deploy.down = deploy.sites["a"], False
    site_a, site_b = deploy.sites["a"], deploy.sites["b"]
    profile = tmp_path / "profile"
    context = _launch(browser, profile)
    page = context.pages[0] if context.pages else context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        # A first visit stores nothing and registers nothing.
        page.goto(deploy.url, wait_until="load")
        page.wait_for_timeout(300)
        assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
        assert _caches(page) == []

        # Installable in the page's language: Chromium reads the language's manifest without errors.
        for lang in ("ar", "en"):
            page.goto(deploy.url + page_path(lang, "index"))
            cdp = context.new_cdp_session(page)
            manifest = cdp.send("Page.getAppManifest")
            assert manifest["url"] == deploy.url + ("" if lang == "ar" else "en/") + saveoffline.MANIFEST_NAME and not manifest["errors"], manifest
            parsed = json.loads(manifest["data"])
            assert parsed["lang"] == lang and parsed["start_url"] == "./"
            assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
            cdp.detach()
        page.goto(deploy.url)

        # Save Arabic; read every Arabic page and search with the network off.
        _save(page, "ar", _list(site_a, "ar"))
        assert _caches(page) == sorted(["guide-offline-state", f"guide-offline-ar-{_list(site_a, 'ar')['version']}"])
        _offline(context, deploy, True)
        _read_every_page(page, deploy, "ar", site_a)
        _fallback(page, deploy, "en", "ar")  # English is not saved: a short page in Arabic

        # After a browser restart, still readable offline.
        context.close()
        context = _launch(browser, profile)
        page = context.pages[0] if context.pages else context.new_page()
        _offline(context, deploy, True)
        _read_every_page(page, deploy, "ar", site_a)

        # Save English too.
        _offline(context, deploy, False)
        page.goto(deploy.url + "en/")
        _save(page, "en", _list(site_a, "en"))
        _offline(context, deploy, True)
        _read_every_page(page, deploy, "en", site_a)

        # A new build is deployed: learnt on the next online visit, fetched in
        # the background (only what changed), offered with its date; until
        # accepted, every page and file comes from build A.
        _offline(context, deploy, False)
        deploy.root = site_b
        del deploy.log[:]
        page.goto(deploy.url)
        page.wait_for_function("() => document.getElementById('guide-offline').dataset.state === 'update'",
                               timeout=30000)
        assert _list(site_b, "ar")["date"] in page.locator(".guide-offline__status").inner_text()
        old_files = {f["path"]: f["hash"] for f in _list(site_a, "ar")["files"]}
        fetched = [p for p in deploy.log if p not in ("offline/ar.json", "offline/en.json", "", "sw.js")]
        assert fetched and all(old_files.get(p) != next(f["hash"] for f in _list(site_b, "ar")["files"]
                                                          if f["path"] == p) for p in fetched), fetched
        for slug in ("strategy", "about"):
            page.goto(deploy.url + page_path("ar", slug))
            assert MARK["ar"] not in page.content()
            same = page.evaluate("""async paths => { const out = [];
              for (const p of paths) out.push(await (await fetch(p)).text()); return out; }""",
                                 [deploy.url + "offline/ar.json", deploy.url + "assets/stylesheets/site.css"])
            assert json.loads(same[0])["version"] == _list(site_a, "ar")["version"]
            assert same[1] == (site_a / "assets/stylesheets/site.css").read_text(encoding="utf-8")
        with page.expect_navigation():  # the page reloads in the new edition
            page.click("#guide-offline [data-action=accept]")
        page.goto(deploy.url + page_path("ar", "strategy"))
        assert MARK["ar"] in page.content()
        assert f"guide-offline-ar-{_list(site_b, 'ar')['version']}" in _caches(page)
        assert f"guide-offline-ar-{_list(site_a, 'ar')['version']}" not in _caches(page)
        _offline(context, deploy, True)
        page.goto(deploy.url + page_path("ar", "strategy"))
        assert MARK["ar"] in page.content()
        page.goto(deploy.url + page_path("en", "strategy"))  # English: still edition A (not accepted)
        assert MARK["en"] not in page.content()

        # Removal: each language, then nothing is left.
        _offline(context, deploy, False)
        for lang in ("ar", "en"):
            page.goto(deploy.url + page_path(lang, "index"))
            page.wait_for_function("() => ['saved', 'update'].includes(document.getElementById('guide-offline').dataset.state)")
            page.click("#guide-offline [data-action=remove]")
            page.wait_for_function("() => document.getElementById('guide-offline').dataset.state === 'removed'")
            assert not any(n.startswith(f"guide-offline-{lang}-") for n in _caches(page))
        assert _caches(page) == []
        assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0
        _offline(context, deploy, True)
        with pytest.raises(Exception):
            page.goto(deploy.url + page_path("ar", "about"))
        assert not [e for e in errors if "Content Security Policy" in e or "Content-Security-Policy" in e], errors
    finally:
        deploy.down = False
        context.close()


@pytest.mark.parametrize("taken", ["offline/ar.json", "manifest.webmanifest", "en/manifest.webmanifest"])
def test_the_builds_own_paths_cannot_come_from_docs(tmp_path, taken):
    site = tmp_path / "site"
    (site / taken).parent.mkdir(parents=True, exist_ok=True)
    (site / taken).write_text("{}", encoding="utf-8")
    ui = {key: {"ar": "نص", "en": "text"} for key in saveoffline.UI_KEYS}
    with pytest.raises(saveoffline.SaveOfflineError, match=f"docs/{taken.split('/')[0]}"):
        saveoffline.write_all(site, ROOT / "overrides" / saveoffline.SW_SOURCE, {"ar": "", "en": "en/"}, "ar", ui,
                              "", "/", [])


@pytest.mark.skipif(not shutil.which("node"), reason="needs node")
def test_lists_worker_knows_region_tagged_languages():
    # The worker's languageOfPath (run in node): a code such as pt-BR (tools new-lang accepts it)
    # in search/<code>/, search/search_index.<code>.json and offline/<code>.json, and its prefix.
    source = (ROOT / "overrides" / saveoffline.SW_SOURCE).read_text(encoding="utf-8")
    function = re.search(r"^function languageOfPath\(path\) \{.*?^\}$", source, re.MULTILINE | re.DOTALL).group(0)
    paths = ["search/pt-BR/b/1.js", "search/search_index.pt-BR.json", "offline/pt-BR.json", "pt-BR/strategy/",
             "search/ar/meta.js", "search/search_index.en.json", "offline/fr.html", "en/strategy/", "strategy/"]
    script = (f'var LANGUAGES = {{"default": "ar", "prefixes": {{"ar": "", "en": "en/", "fr": "fr/", "pt-BR": "pt-BR/"}}}};\n'
              f"{function}\nconsole.log(JSON.stringify({json.dumps(paths)}.map(languageOfPath)));\n")
    proc = subprocess.run([shutil.which("node"), "-e", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == ["pt-BR", "pt-BR", "pt-BR", "pt-BR", "ar", "en", "fr", "en", None]


@pytest.mark.skipif(not shutil.which("node"), reason="needs node")
def test_removing_a_language_keeps_another_languages_caches():
    # dropCaches("pt") (run in node over a fake Cache Storage) deletes pt's old
    # caches only: not pt-BR's, whose names also start with "guide-offline-pt-".
    source = (ROOT / "overrides" / saveoffline.SW_SOURCE).read_text(encoding="utf-8")
    prefix = re.search(r'^var PREFIX = .*$', source, re.MULTILINE).group(0)
    function = re.search(r"^function dropCaches\(lang, keep\) \{.*?^\}$", source, re.MULTILINE | re.DOTALL).group(0)
    names = ["guide-offline-pt-0123456789abcdef", "guide-offline-pt-fedcba9876543210",
             "guide-offline-pt-BR-0123456789abcdef", "guide-offline-state", "guide-offline-en-0123456789abcdef"]
    script = (f"{prefix}\nvar names = {json.dumps(names)}, deleted = [];\n"
              "var caches = { keys: function () { return Promise.resolve(names); },\n"
              "  delete: function (n) { deleted.push(n); return Promise.resolve(true); } };\n"
              f"{function}\n"
              'dropCaches("pt", ["guide-offline-pt-fedcba9876543210"]).then(function () { console.log(JSON.stringify(deleted)); });\n')
    proc = subprocess.run([shutil.which("node"), "-e", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == ["guide-offline-pt-0123456789abcdef"]


def test_lists_worker_languages_come_from_the_registry(tmp_path, monkeypatch):
    # hooks/saveoffline.py gives the worker the registry's languages: a language in
    # mkdocs.yml with build: false (not on the site) is not one of them.
    import importlib.util
    from types import SimpleNamespace

    spec = importlib.util.spec_from_file_location("guide_hooks_saveoffline", ROOT / "hooks" / "saveoffline.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    fixture = ROOT / "tests" / "fixtures" / "threelang" / "mkdocs.yml"
    text = fixture.read_text(encoding="utf-8")
    fr = text.index("        - locale: fr\n")
    (tmp_path / "mkdocs.yml").write_text(text[:fr] + text[fr:].replace("build: true", "build: false", 1), encoding="utf-8")
    i18n_languages = [SimpleNamespace(locale="ar", default=True, link="/"),
                      SimpleNamespace(locale="en", default=False, link="/en/"),
                      SimpleNamespace(locale="fr", default=False, link="/fr/")]
    i18n = SimpleNamespace(building=False, config=SimpleNamespace(languages=i18n_languages))
    config = SimpleNamespace(plugins={"i18n": i18n}, config_file_path=str(tmp_path / "mkdocs.yml"),
                             site_dir=str(tmp_path / "site"), site_url="https://example.org/", extra={},
                             extra_css=[], theme={"language": "ar"})
    seen = {}
    monkeypatch.delenv("GUIDE_OFFLINE", raising=False)
    monkeypatch.setattr(hook.minify, "minify_scripts", lambda *a: None)
    monkeypatch.setattr(hook.notices, "load_ui", lambda path: {})
    monkeypatch.setattr(hook.saveoffline, "write_all",
                        lambda site, source, prefixes, default, *rest: seen.update(prefixes=prefixes, default=default))
    hook.on_post_build(config)
    assert seen == {"prefixes": {"ar": "", "en": "en/"}, "default": "ar"}
