"""Issue 13: the Content-Security-Policy <meta> on every page.

The hashes come from the trusted templates (guide/pages/csp.py), so the tests check
both ends: every page carries a policy whose hashes are exactly those of its own
(template) inline scripts, a changed template script gets its new hash by itself
while a script that no template produces is refused, and in Chromium no page
logs a violation, search included.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

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


def test_every_page_has_one_strict_policy_before_any_script(site_dir):
    for lang, slug, path in all_pages(site_dir):
        html = path.read_text(encoding="utf-8")
        metas = META.findall(html)
        assert len(metas) == 1, f"{lang}/{slug}: {len(metas)} CSP metas"
        assert html.index("Content-Security-Policy") < html.index("<script"), f"{lang}/{slug}: policy after a script"
        policy = directives(metas[0])
        assert policy["default-src"] == ["'none'"] and policy["object-src"] == ["'none'"]
        for key in ("script-src", "style-src", "font-src"):
            assert not [v for v in policy[key] if v not in ("'self'",) and not v.startswith("'sha256-")], \
                f"{lang}/{slug}: {key} allows {policy[key]}"
        assert policy["img-src"] == ["'self'", "data:"]
        joined = metas[0]
        assert "unsafe-inline" not in joined and "unsafe-eval" not in joined and "*" not in joined


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
    assert directives(csp.policy(["'sha256-x'"]))["font-src"] == ["'self'"]
    assert directives(csp.policy([], offline=True))["font-src"] == ["'self'", "data:"]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_page_logs_a_csp_violation_online(browser, server_url, lang):
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        for slug in PAGES:
            page.goto(server_url + page_path(lang, slug))
            page.wait_for_load_state("load")
            assert page.evaluate("window.__cspViolations") == [], f"{lang}/{slug}"
        # Search: the lazily loaded index, the worker and the language scope.
        page.goto(server_url + page_path(lang, "strategy"))
        placeholder = open_search(page)
        assert search(page, "strategy" if lang == "en" else "الاستراتيجية", placeholder)
        assert page.evaluate("window.__cspViolations") == []
        assert console == [], console
    finally:
        context.close()


def test_an_injected_script_is_blocked_by_the_policy(browser, server_url, site_dir):
    """Defence in depth: a script that got past every check still cannot run."""
    html = (site_dir / "en" / "strategy" / "index.html").read_text(encoding="utf-8")
    injected = html.replace("</article>", '<script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 2"></article>', 1)
    assert injected != html
    target = site_dir / "en" / "strategy" / "injected.html"
    target.write_text(injected, encoding="utf-8")
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    try:
        page.goto(server_url + "en/strategy/injected.html")
        page.wait_for_load_state("load")
        page.wait_for_timeout(200)
        assert page.evaluate("window.__pwned") is None
        violations = page.evaluate("window.__cspViolations")
        assert any(v.startswith("script-src") for v in violations), violations
    finally:
        context.close()
        target.unlink()
