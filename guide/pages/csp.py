"""Content-Security-Policy for every page (plain logic, no MkDocs).

The policy trusts scripts by name, never by origin:

* **Inline scripts by hash.** The hashes are derived at build time from the
  *trusted template sources*, never from page content: every inline
  ``<script>`` in ``overrides/`` and in Material's templates becomes a pattern
  (its literal text, with each ``{{ … }}`` a hole that admits only URL or JSON
  characters, so no code can be slipped into one). A script on a built page
  gets its hash only if it matches one of those patterns; one that matches none
  fails the build naming the page.
* **Script files by exact path.** ``REVIEWED_SCRIPTS`` below is the reviewed
  list of script files a page may load (``<script src>``); ``LOADED_BY_SCRIPTS``
  those the reviewed scripts load themselves; ``GUIDE_WORKER``,
  ``MATERIAL_WORKER`` (checked against the worker Material's page config names) and
  ``SERVICE_WORKER`` the workers (``worker-src``).
  Every ``<script src>`` on a built page must resolve to a file of the site that
  the list names, or the build fails naming the page. The policy then lists each
  one as an absolute URL built from ``site_url`` (CSP needs scheme and host in a
  source with a path): ``https://host/guide/assets/javascripts/<Material's bundle>``,
  not ``'self'``, so a ``.js`` file added to the site is not allowed by the
  policy even if it were published. The exact URL is why the site must be built
  for the address it is served from (the deploy sets ``SITE_URL``; local builds
  default to ``http://127.0.0.1:8000/``; the tests build for their server).
* **No inline event handlers or ``javascript:`` URLs anywhere:**
  ``script-src-attr 'none'``, and no ``'unsafe-inline'`` in any policy.
* ``default-src 'self'``, so the site's own web app manifest can load (there is
  no ``manifest-src``: WebKit rejects the directive and logs an error on every
  page); every other kind of request has its own, tighter directive
  (``frame-src``/``media-src``/``object-src 'none'``, ``base-uri 'none'``).
  Styles, images and fonts stay ``'self'``: they run no code.

**Offline (file://)** exact URLs cannot be known: the archive is unpacked
anywhere. There "by name" means: inline scripts by the same template hashes,
script files by ``'self'`` (which under file:// is any local file), and the
names are held by the layers before the browser: the same build check (every
``<script src>`` on every page is a reviewed script, every inline script a
template's), the file allowlist of the build (no other script can be in
``docs/``) and the offline packaging, which refuses an archive holding a script
file that is not reviewed (guide/publish/offline.py). Search still runs
without any inline script: the iframe-worker shim
(docs/assets/vendor/iframe-worker/) loads a shipped ``frame.html`` whose only
script is a file. Offline fonts are ``data:`` URLs (browsers refuse font files
from file://), so font-src admits data: there, and only there.

**The PDF print view** (guide/publish/pdf.py) gets ``print_policy``: no
script at all, nothing from the network, ``'self'`` for styles, images and
fonts, and its browser lets through only files under the site directory being
printed (and the print fonts made for it).
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from guide.pages import minify
from guide.theme import material

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_JINJA = re.compile(r"\{\{-?(.*?)-?\}\}|\{%-?\s*include\s+[\"']([^\"']+)[\"'][^%]*-?%\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
# What a template expression inside a trusted script may expand to.
_URL_HOLE = r"[\w./:%~-]*"
_JSON_HOLE = r"\{[^<;()`=]*\}"

# The reviewed script files, by site path (regular expressions over the path
# relative to the site root; [0-9a-f]{8} is Material's content hash). Adding a
# line here is a code review (CODEOWNERS); a <script src> that no line names
# fails the build.
REVIEWED_SCRIPTS = {
    material.BUNDLE_SCRIPT: "Material's bundle (every page)",
    r"assets/javascripts/language-switch\.js": "the language menu (mkdocs.yml extra_javascript)",
    r"assets/javascripts/not-found\.js": "the 404 pages (overrides/404.html)",
    r"assets/vendor/iframe-worker/shim\.js": "offline search (mkdocs.offline.yml polyfills)",
}
# Script files that reviewed scripts load themselves (not in the page's HTML).
LOADED_BY_SCRIPTS = (
    "assets/javascripts/search-counts.js",  # overrides/partials/search-counts.html, when search opens
    "assets/javascripts/guide-offline/save.js",  # language-switch.js, when a reader saves the guide
)
# Workers: the guide's search worker (overrides/partials/search-lazy.js starts
# it), Material's (named in the page's config script, checked against the pattern)
# and the site's service worker, at a fixed path.
GUIDE_WORKER = "assets/javascripts/guide-search/worker.js"
MATERIAL_WORKER = material.SEARCH_WORKER
SERVICE_WORKER = "sw.js"

_CONFIG_WORKER = material.CONFIG_SEARCH_WORKER

# Directives shared by every page policy; script-src, worker-src, frame-src
# and font-src depend on where the page is read (policy()).
BASE_POLICY = {
    "default-src": ["'self'"],  # what nothing below names: the web app manifest
    "script-src-attr": ["'none'"],  # no event handler attribute ever runs
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],  # Material's icons are data: SVGs in its CSS
    "font-src": ["'self'"],
    "connect-src": ["'self'", "data:"],  # search index; the sitemap stub answers with a data: URL
    "media-src": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
}


class CSPError(Exception):
    """A script on a page comes from no trusted template or reviewed file."""


@dataclass(frozen=True)
class TrustedScript:
    source: str  # template file it comes from, e.g. overrides/main.html
    pattern: re.Pattern


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _is_code(attrs: str) -> bool:
    if re.search(r"\bsrc\s*=", attrs, re.IGNORECASE):
        return False
    kind = re.search(r"\btype\s*=\s*[\"']?([^\"'\s>]+)", attrs, re.IGNORECASE)
    return not kind or kind.group(1).lower() in ("text/javascript", "module", "application/javascript")


def _pattern(body: str, template_dirs: list[Path]) -> str:
    # Pages ship their inline scripts without comments (guide/pages/minify.py):
    # match against the template's code the same way.
    body = minify.drop_js_comments(body)
    parts, last = [], 0
    for match in _JINJA.finditer(body):
        parts.append(re.escape(_normalise(body[last:match.start()])) if body[last:match.start()].strip() else "")
        if match.group(1) is not None:
            parts.append(_JSON_HOLE if "tojson" in match.group(1) else _URL_HOLE)
        elif match.group(2):
            included = _find(match.group(2), template_dirs)
            parts.append(_pattern(included.read_text(encoding="utf-8"), template_dirs) if included else "")
        last = match.end()
    tail = body[last:]
    parts.append(re.escape(_normalise(tail)) if tail.strip() else "")
    return r"\s*".join(p for p in parts if p)


def _find(name: str, template_dirs: list[Path]) -> Path | None:
    return next((d / name for d in template_dirs if (d / name).is_file()), None)


def trusted_scripts(template_dirs: list[Path], root: Path | None = None) -> list[TrustedScript]:
    """Every inline script in the templates (first directory wins, as in Jinja's loader)."""
    seen: dict[str, tuple[Path, Path]] = {}
    for folder in template_dirs:
        for path in sorted(folder.rglob("*.html")):
            seen.setdefault(path.relative_to(folder).as_posix(), (folder, path))
    scripts = []
    for name, (folder, path) in seen.items():
        text = path.read_text(encoding="utf-8")
        for match in _SCRIPT.finditer(text):
            if not _is_code(match.group(1)):
                continue
            pattern = _pattern(match.group(2), template_dirs)
            inside = root and path.is_relative_to(root) and ".venv" not in path.relative_to(root).parts
            label = path.relative_to(root).as_posix() if inside else f"{folder.parent.name}/templates/{name}"
            scripts.append(TrustedScript(label, re.compile(rf"^\s*{pattern}\s*$", re.DOTALL)))
    return scripts


def digest(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


def page_hashes(html: str, trusted: list[TrustedScript], page: str) -> list[str]:
    """Hashes of the page's inline scripts, each checked against the trusted templates."""
    hashes = []
    for match in _SCRIPT.finditer(html):
        if not _is_code(match.group(1)):
            continue
        body = match.group(2)
        normal = _normalise(body)
        if not any(t.pattern.match(normal) for t in trusted):
            raise CSPError(f"{page}: inline <script> that no trusted template (overrides/, Material) produces: "
                           f"{normal[:80]!r}; the Content-Security-Policy would block it")
        if digest(body) not in hashes:
            hashes.append(digest(body))
    return hashes


def _site_path(url: str, page_url: str, site_url: str) -> str | None:
    """``url`` as a path relative to the site root, or None if it leaves the site."""
    target = urljoin(page_url, url.strip())
    parts, root = urlsplit(target), urlsplit(site_url)
    if (parts.scheme, parts.netloc) != (root.scheme, root.netloc) or not parts.path.startswith(root.path):
        return None
    return parts.path[len(root.path):]


def _reviewed(path: str | None, patterns) -> bool:
    return path is not None and any(re.fullmatch(p, path) for p in patterns)


class _ScriptSources(HTMLParser):
    """Every script file a page names, as a browser's parser reads the tags:
    ``<script src>``, and SVG's ``<script href>`` / ``xlink:href``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.sources += [v or "" for k, v in attrs if k in ("src", "href", "xlink:href")]

    handle_startendtag = handle_starttag


def page_scripts(html: str, page_url: str, site_url: str, page: str) -> list[str]:
    """Site paths of the page's ``<script src>``, each checked against the reviewed list.

    ``page_url``: the page's absolute address (``site_url`` + its URL). A script
    that is no reviewed file of the site fails, naming the page.
    """
    parser = _ScriptSources()
    parser.feed(html)
    parser.close()
    paths = []
    for src in parser.sources:
        path = _site_path(src, page_url, site_url)
        if not _reviewed(path, REVIEWED_SCRIPTS):
            raise CSPError(f"{page}: <script src=\"{src[:80]}\"> is not a reviewed script of the site "
                           f"(REVIEWED_SCRIPTS in guide/pages/csp.py); the Content-Security-Policy would block it")
        if path not in paths:
            paths.append(path)
    return paths


def page_workers(html: str, page_url: str, site_url: str, page: str) -> list[str]:
    """Site paths of the workers a page may start: the guide's search worker,
    Material's (from the page's config script, checked), the service worker."""
    workers = [GUIDE_WORKER]
    config = _CONFIG_WORKER.search(html)
    if config:
        path = _site_path(config.group(1), page_url, site_url)
        if not _reviewed(path, [MATERIAL_WORKER]):
            raise CSPError(f"{page}: search worker {config.group(1)[:80]!r} is not Material's worker")
        workers.append(path)
    workers.append(SERVICE_WORKER)
    return workers


def policy(hashes: list[str], offline: bool = False, site_url: str = "", scripts: list[str] = (),
           workers: list[str] = ()) -> str:
    """The policy text.

    Online: ``script-src`` is the inline scripts' hashes and the absolute URL
    of each reviewed script the page loads (``scripts``, site paths, plus
    ``LOADED_BY_SCRIPTS``); ``worker-src`` the workers' URLs; no frames.
    Offline (file://): hashes and ``'self'`` (see the module docstring), frames
    from ``'self'`` for the search shim's frame, data: fonts.
    """
    directives = {k: list(v) for k, v in BASE_POLICY.items()}
    if offline:
        directives["script-src"] = ["'self'", *hashes]
        directives["worker-src"] = ["'self'"]
        directives["frame-src"] = ["'self'"]  # the iframe-worker shim's frame.html
        directives["font-src"].append("data:")
    else:
        if not site_url.startswith(("http://", "https://")):
            raise CSPError(f"site_url {site_url!r} is not an http(s) address: the policy names scripts by URL")
        root = site_url if site_url.endswith("/") else site_url + "/"
        files = [*scripts, *(p for p in LOADED_BY_SCRIPTS if p not in scripts)]
        directives["script-src"] = [*hashes, *(root + p for p in files)]
        directives["worker-src"] = [root + p for p in workers] or ["'none'"]
        directives["frame-src"] = ["'none'"]
    order = ["default-src", "script-src", "script-src-attr", "style-src", "img-src", "font-src", "connect-src",
             "worker-src", "frame-src", "media-src", "object-src", "base-uri", "form-action"]
    return "; ".join(f"{k} {' '.join(directives[k])}" for k in order)


PRINT_POLICY = {
    "default-src": ["'none'"],
    "script-src": ["'none'"],
    "script-src-attr": ["'none'"],
    "style-src": ["'self'"],  # + the hash of the view's own <style>
    "img-src": ["'self'", "data:"],  # Material's icons are data: SVGs in its CSS
    "font-src": ["'self'"],
    "connect-src": ["'none'"],
    "frame-src": ["'none'"],
    "media-src": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'none'"],
}


def print_policy(style_blocks: list[str]) -> str:
    """The PDF print view's policy: no script, no frame, no request but local
    styles, images and fonts; its inline ``<style>`` blocks by hash. (Which
    local files: the print view's request filter, guide/publish/pdf.py.)"""
    directives = {k: list(v) for k, v in PRINT_POLICY.items()}
    directives["style-src"] += [digest(block) for block in style_blocks]
    return "; ".join(f"{k} {' '.join(v)}" for k, v in directives.items())


def add_meta(html: str, content: str) -> str:
    """The policy as the first element after <meta charset>, before any script."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content}">'
    new, count = re.subn(r"(<meta charset=[^>]*>)", lambda m: m.group(1) + meta, html, count=1)
    if not count:
        new, count = re.subn(r"(<head[^>]*>)", lambda m: m.group(1) + meta, html, count=1)
    return new


def with_policy(html: str, trusted: list[TrustedScript], source: str, page_url: str, site_url: str = "",
                offline: bool = False) -> str:
    """A rendered page with its policy ``<meta>``: its inline scripts by hash
    (each must be a trusted template's), its script and worker files by URL
    (each reviewed); CSPError names ``source`` otherwise."""
    hashes = page_hashes(html, trusted, source)
    scripts = page_scripts(html, page_url, site_url, source)
    workers = page_workers(html, page_url, site_url, source)
    return add_meta(html, policy(hashes, offline=offline, site_url=site_url, scripts=scripts, workers=workers))
