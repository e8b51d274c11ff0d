"""Issues 13 and 18: the Content-Security-Policy <meta> on every page.

The hashes come from the trusted templates (guide/pages/csp.py), so the tests check
both ends: every page carries a policy whose hashes are exactly those of its own
(template) inline scripts, a changed template script gets its new hash by itself
while a script that no template produces is refused, and in Chromium no page
logs a violation, search included. Script files are trusted by name: the policy
lists each reviewed script the page loads by its exact URL (no 'self'), a
<script src> that is not reviewed fails the build naming the page, and neither an
inline event handler nor another file of the site runs on a page.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest

from guide.pages import csp, minify

from conftest import LANGUAGES, PAGES, open_search, page_path, search

ROOT = Path(__file__).resolve().parent.parent
MATERIAL = Path(__import__("material").__file__).parent / "templates"
META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber));
"""


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def all_pages(site: Path):
    for lang in LANGUAGES:
        for slug in PAGES:
            yield lang, slug, site / page_path(lang, slug) / "index.html"
        yield lang, "404", site / LANGUAGES[lang] / "404.html"


def reviewed(url: str, site_url: str, patterns) -> bool:
    return url.startswith(site_url) and any(re.fullmatch(p, url[len(site_url):]) for p in patterns)


def test_every_page_has_one_strict_policy_before_any_script(site_dir, site_url):
    for lang, slug, path in all_pages(site_dir):
        html = path.read_text(encoding="utf-8")
        metas = META.findall(html)
        assert len(metas) == 1, f"{lang}/{slug}: {len(metas)} CSP metas"
        assert html.index("Content-Security-Policy") < html.index("<script"), f"{lang}/{slug}: policy after a script"
        policy = directives(metas[0])
        joined = metas[0]
        assert "unsafe-inline" not in joined and "unsafe-eval" not in joined and "*" not in joined
        assert "manifest-src" not in policy, "WebKit rejects manifest-src and logs an error on every page"
        assert policy["default-src"] == ["'self'"]  # the site's own web app manifest
        assert policy["script-src-attr"] == ["'none'"]
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
        assert policy["frame-src"] == ["'none'"] and policy["media-src"] == ["'none'"]
        # Script files by exact URL, each a reviewed one; no origin-wide source.
        files = [v for v in policy["script-src"] if not v.startswith("'sha256-")]
        assert files and all(reviewed(v, site_url, [*csp.REVIEWED_SCRIPTS, *map(re.escape, csp.LOADED_BY_SCRIPTS)])
                             for v in files), f"{lang}/{slug}: script-src {files}"
        assert site_url + "assets/javascripts/language-switch.js" in files
        assert any(re.fullmatch(r"assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js", v[len(site_url):]) for v in files)
        workers = [re.escape(csp.GUIDE_WORKER), csp.MATERIAL_WORKER, re.escape(csp.SERVICE_WORKER)]
        assert all(reviewed(v, site_url, workers) for v in policy["worker-src"]), policy["worker-src"]
        for key in ("style-src", "font-src"):
            assert policy[key] == ["'self'"], f"{lang}/{slug}: {key} allows {policy[key]}"
        assert policy["img-src"] == ["'self'", "data:"]
        # Every <script src> of the page is in the policy, by its exact URL.
        for src in re.findall(r'<script\b[^>]*\ssrc="([^"]+)"', html):
            assert urljoin(site_url + (page_path(lang, slug) if slug != "404" else LANGUAGES[lang] + "404.html"),
                           src) in files, f"{lang}/{slug}: {src} not in the policy"


def test_a_script_file_must_be_reviewed():
    site = "https://example.org/guide/"
    page = site + "en/strategy/"
    ok = '<script src="../../assets/javascripts/language-switch.js"></script>'
    assert csp.page_scripts(ok, page, site, "docs/en/strategy.md") == ["assets/javascripts/language-switch.js"]
    for bad in ('<script src="../x.js"></script>',                        # a file of the site, not reviewed
                '<script src="../../assets/javascripts/../../x.js"></script>',
                '<script src="https://example.org/assets/javascripts/language-switch.js"></script>',  # not under /guide/
                '<script src="//evil.example/assets/javascripts/language-switch.js"></script>',
                '<script data-x=">" src="../x.js"></script>',           # the tag as a browser reads it
                '<SCRIPT SRC=../x.js></SCRIPT>',
                '<svg><script href="../x.js"></script></svg>',
                '<script src="data:text/javascript,alert(1)"></script>'):
        with pytest.raises(csp.CSPError, match=r"^docs/en/strategy\.md: <script src=.* is not a reviewed script"):
            csp.page_scripts(bad, page, site, "docs/en/strategy.md")
    policy = directives(csp.policy([], site_url=site, scripts=["assets/javascripts/language-switch.js"],
                                   workers=[csp.GUIDE_WORKER]))
    assert policy["script-src"] == [site + "assets/javascripts/language-switch.js",
                                    site + "assets/javascripts/search-counts.js",
                                    site + "assets/javascripts/guide-offline/save.js"]
    assert policy["worker-src"] == [site + csp.GUIDE_WORKER]
    with pytest.raises(csp.CSPError, match="not an http"):
        csp.policy([], site_url="")


@pytest.mark.site
def test_a_page_with_an_unreviewed_script_fails_the_build(tmp_path):
    """A .js file added to docs/ and a <script src> to it in a page: the build
    fails with one line naming the page (the editor pre-pass is skipped, so the
    build's own layers are what is tested), and leaves no site behind."""
    skip = {".git", "site", ".venv", ".venv-properdocs", ".tools", "dist", "test-artifacts", "__pycache__",
            ".pytest_cache", "node_modules"}
    tree = tmp_path / "tree"
    shutil.copytree(ROOT, tree, ignore=lambda folder, names: [n for n in names if n in skip])
    (tree / "docs" / "x.js").write_text("document.title = 'pwned';\n", encoding="utf-8")
    page = tree / "docs" / "en" / "strategy.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n<script src="../x.js"></script>\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUIDE_")} | {"GUIDE_EDITOR_CHECKED": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
                          cwd=tree, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    errors = [line for line in proc.stderr.splitlines() if line.startswith(("ERROR", "Error", "Aborted"))
              or "docs/en/strategy.md" in line]
    # The first layer that sees it names it: the file allowlist (docs/x.js is not
    # reviewed), else the HTML allowlist or the policy's script check (the page).
    assert any(("docs/en/strategy.md" in line and "script" in line.lower()) or "docs/x.js:1:" in line
               for line in errors), proc.stderr[-2000:]
    assert not (tmp_path / "out" / "en" / "strategy" / "index.html").exists()


def test_hashes_are_exactly_the_pages_inline_scripts(site_dir):
    for lang, slug, path in all_pages(site_dir):
        html = path.read_text(encoding="utf-8")
        bodies = [m.group(2) for m in re.finditer(r"<script\b([^>]*)>(.*?)</script>", html, re.DOTALL)
                  if "src=" not in m.group(1) and "application/json" not in m.group(1)]
        assert bodies, f"{lang}/{slug}: no inline script found (the test would prove nothing)"
        allowed = {v for v in directives(META.search(html).group(1))["script-src"] if v.startswith("'sha256-")}
        assert allowed == {csp.digest(b) for b in bodies}, f"{lang}/{slug}"


def test_hashes_follow_the_templates_not_the_page(tmp_path):
    overrides = tmp_path / "overrides"
    shutil.copytree(ROOT / "overrides", overrides)
    dirs = [overrides, MATERIAL]
    trusted = csp.trusted_scripts(dirs, tmp_path)
    assert any(t.source == "overrides/main.html" for t in trusted)
    assert any(t.source.startswith("material/templates/partials/javascripts/") for t in trusted)
    page = '<head><meta charset="utf-8"><script>\n  (function () { var a = 1; })();\n</script></head>'
    # A script that is in no template is refused, with the page named.
    with pytest.raises(csp.CSPError, match=r"docs/en/x\.md: inline <script> that no trusted template"):
        csp.page_hashes(page, trusted, "docs/en/x.md")
    # A helper adds it to overrides/main.html: its hash is allowed with no list to update.
    main = overrides / "main.html"
    main.write_text(main.read_text(encoding="utf-8").replace(
        "{% block libs %}", "{% block libs %}\n<script>(function () { var a = 1; })();</script>", 1), encoding="utf-8")
    trusted = csp.trusted_scripts(dirs, tmp_path)
    [digest] = csp.page_hashes(page, trusted, "docs/en/x.md")
    assert digest == csp.digest("\n  (function () { var a = 1; })();\n")
    # A template hole ({{ base_url }}) admits a URL, not code.
    material_scope = '<script>__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}</script>'
    assert csp.page_hashes(material_scope, trusted, "p")
    with pytest.raises(csp.CSPError):
        csp.page_hashes(material_scope.replace('"../.."', '"",alert(1),"'), trusted, "p")
    # The search scope's JSON hole admits JSON, not a call.
    # (As pages ship it: without comments, guide/pages/minify.py.)
    lazy = minify.strip_js_comments((ROOT / "overrides/partials/search-lazy.js").read_text(encoding="utf-8")).rstrip("\n")
    good = f'<script>window.__searchScope = {{"lang": "en", "prefixes": {{"ar": "", "en": "en/"}}}};\n{lazy}</script>'
    assert csp.page_hashes(good, trusted, "p")
    with pytest.raises(csp.CSPError):
        csp.page_hashes(good.replace('{"lang": "en"', '{"lang": alert(1)'), trusted, "p")


def test_policy_meta_goes_right_after_the_charset():
    html = csp.add_meta('<html><head><meta charset="utf-8"><title>x</title><script>1</script>', "default-src 'none'")
    assert html.startswith('<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy"')


def test_only_the_offline_policy_admits_data_fonts():
    """The archive's fonts are data: URLs (file:// refuses font files); online they are files."""
    assert directives(csp.policy(["'sha256-x'"], site_url="http://h/"))["font-src"] == ["'self'"]
    assert directives(csp.policy([], offline=True))["font-src"] == ["'self'", "data:"]


def test_offline_policy_has_no_unsafe_inline():
    policy = directives(csp.policy(["'sha256-x'"], offline=True))
    assert policy["script-src"] == ["'self'", "'sha256-x'"]  # by hash, and files by the archive's checks
    assert policy["script-src-attr"] == ["'none'"] and policy["frame-src"] == ["'self'"]
    assert "manifest-src" not in policy


def test_print_policy_allows_no_script_and_hashes_its_style():
    policy = directives(csp.print_policy(["body { margin: 0; }"]))
    assert policy["script-src"] == ["'none'"] and policy["script-src-attr"] == ["'none'"]
    assert policy["default-src"] == ["'none'"] and policy["connect-src"] == ["'none'"]
    assert policy["frame-src"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert policy["style-src"] == ["'self'", csp.digest("body { margin: 0; }")]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_page_logs_a_csp_violation_online(browser, server_url, lang):
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    console = []
    # Violations, and directives the browser does not know ("Unrecognized
    # Content-Security-Policy directive"), are console errors.
    page.on("console", lambda m: console.append(m.text)
            if re.search(r"Content.Security.Policy", m.text, re.IGNORECASE) else None)
    try:
        for path in [page_path(lang, slug) for slug in PAGES] + [LANGUAGES[lang] + "404.html"]:
            page.goto(server_url + path)
            page.wait_for_load_state("load")
            assert page.evaluate("window.__cspViolations") == [], f"{lang}: {path}"
        # Search: the lazily loaded index, the worker and the language scope.
        page.goto(server_url + page_path(lang, "strategy"))
        placeholder = open_search(page)
        assert search(page, "strategy" if lang == "en" else "الاستراتيجية", placeholder)
        assert page.evaluate("window.__cspViolations") == []
        assert console == [], console
    finally:
        context.close()


def test_an_injected_script_is_blocked_by_the_policy(browser, server_url, site_dir):
    """Defence in depth: a script that got past every check still cannot run:
    not inline, not as an event handler, not as another file of the site
    (the policy names files, it does not trust the origin)."""
    html = (site_dir / "en" / "strategy" / "index.html").read_text(encoding="utf-8")
    injected = html.replace("</article>", '<script>window.__pwned = 1</script>'
                            '<img src="x" onerror="window.__pwned = 2">'
                            '<script src="../../x.js"></script>'
                            '<button id="pwn" onclick="window.__pwned = 4">x</button>'
                            '<a id="pwn-link" href="javascript:window.__pwned = 5">x</a></article>', 1)
    assert injected != html
    target = site_dir / "en" / "strategy" / "injected.html"
    target.write_text(injected, encoding="utf-8")
    script = site_dir / "x.js"
    script.write_text("window.__pwned = 3;\n", encoding="utf-8")
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    try:
        page.goto(server_url + "en/strategy/injected.html")
        page.wait_for_load_state("load")
        page.click("#pwn")
        page.click("#pwn-link")
        page.wait_for_timeout(200)
        assert page.evaluate("window.__pwned") is None
        violations = page.evaluate("window.__cspViolations")
        assert any(v.startswith("script-src-elem inline") for v in violations), violations
        assert any(v.startswith("script-src-attr") for v in violations), violations
        assert any(v.startswith("script-src-elem " + server_url + "x.js") for v in violations), violations
        # The file itself is served: only the policy keeps it from running.
        assert page.evaluate("fetch('/x.js').then(r => r.text())").startswith("window.__pwned")
    finally:
        context.close()
        target.unlink()
        script.unlink()


def test_site_manifest_and_service_worker_are_allowed_other_workers_not(browser, server_url, site_dir):
    """Without manifest-src, default-src 'self' still lets the site's own web
    app manifest load; the service worker at its fixed path (csp.SERVICE_WORKER)
    registers, a worker at any other path of the site does not."""
    made = [site_dir / csp.SERVICE_WORKER, site_dir / "other-sw.js", site_dir / "en" / "manifest.webmanifest",
            site_dir / "en" / "strategy" / "manifest.html"]
    # The session's site is shared: files this test replaces are put back after it
    # (the real sw.js, deleted, left test_shipped without the loader of offline/*.html).
    kept = {path: path.read_bytes() for path in made if path.is_file()}
    for worker in made[:2]:
        worker.write_text('self.addEventListener("install", () => self.skipWaiting());\n', encoding="utf-8")
    made[2].write_text('{"name": "Guide", "start_url": "./", "display": "standalone"}', encoding="utf-8")
    html = (site_dir / "en" / "strategy" / "index.html").read_text(encoding="utf-8")
    made[3].write_text(html.replace("</head>", '<link rel="manifest" href="../manifest.webmanifest"></head>', 1),
                       encoding="utf-8")
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    try:
        page.goto(server_url + "en/strategy/manifest.html")
        manifest = context.new_cdp_session(page).send("Page.getAppManifest")
        assert manifest["errors"] == [] and '"Guide"' in manifest.get("data", ""), manifest
        register = "u => navigator.serviceWorker.register(u).then(r => 'registered', e => e.name)"
        assert page.evaluate(register, server_url + csp.SERVICE_WORKER) == "registered"
        assert page.evaluate(register, server_url + "other-sw.js") == "SecurityError"
        violations = page.evaluate("window.__cspViolations")
        assert violations and all(v.startswith(f"worker-src {server_url}other-sw.js") for v in violations), violations
    finally:
        context.close()
        for path in made:
            path.unlink()
        for path, data in kept.items():
            path.write_bytes(data)


def test_a_subpath_deploy_runs_its_scripts_and_search(browser, tmp_path):
    """Built for http://host/guide/ and served there: the exact script URLs
    carry the subpath; pages, the 404 page and search log no violation."""
    import http.server
    import socketserver
    import threading

    from guide.engine import build_site

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(tmp_path / "root"), **kwargs)

        def log_message(self, *args):
            pass

    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Quiet)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/guide/"
    proc = build_site(tmp_path / "root" / "guide", env={"SITE_URL": base})
    assert proc.returncode == 0, proc.stderr[-2000:]
    html = (tmp_path / "root" / "guide" / "en" / "strategy" / "index.html").read_text(encoding="utf-8")
    assert f"{base}assets/javascripts/language-switch.js" in META.search(html).group(1)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    try:
        for path in ("", "en/strategy/", "404.html", "en/404.html"):
            page.goto(base + path)
            page.wait_for_load_state("load")
            assert page.evaluate("window.__cspViolations") == [], path
        page.goto(base + "en/strategy/")
        placeholder = open_search(page)
        assert search(page, "strategy", placeholder)
        assert page.evaluate("window.__cspViolations") == []
    finally:
        context.close()
        httpd.shutdown()
        httpd.server_close()
