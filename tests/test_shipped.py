"""Every file of the deployed site and of the offline archive is loaded by
something: a page (link, script, img, srcset, an <a> a reader follows), a
stylesheet's url(), a script's fetch/importScripts/register list, the web app
manifest, the service worker's offline lists, or a convention (the home page,
the host's 404 page, sitemap.xml for crawlers, the fonts' licence, the
archive's VERSION.txt). A file nothing loads fails the test, named.

The scripts' lists are modelled here from their sources (each rule names the
string its script must hold, so a rule whose script no longer does it stops
counting): see ``SCRIPT_RULES``. guide/publish/shipped.py leaves out what
nothing loads."""

from __future__ import annotations

import json
import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

ARTIFACT = "shipped-files.json"
# Links that name a page but make no browser fetch it (a reader can still
# follow an <a>): they add nothing a reader loads beyond what <a> links reach.
_NOT_FETCHED_RELS = {"canonical", "alternate", "prev", "next"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
_SCOPE = re.compile(r"window\.__searchScope\s*=\s*(\{.*?\});", re.S)
_LANG = re.compile(r'<html\b[^>]*\blang="([^"]+)"')


class _Refs(HTMLParser):
    """Every URL an element names (href, src, srcset, poster, data)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []  # (url, what names it)
        self.not_found_homes: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = set((attrs.get("rel") or "").lower().split())
        if tag == "link" and rel & _NOT_FETCHED_RELS and not rel - _NOT_FETCHED_RELS:
            return
        # data-script: the save-offline block's script, which language-switch.js loads on demand.
        for name in ("href", "src", "poster", "data", "data-script"):
            if attrs.get(name):
                self.urls.append((attrs[name], f"<{tag} {name}>"))
        for name in ("srcset", "imagesrcset"):
            for candidate in (attrs.get(name) or "").split(","):
                if candidate.strip():
                    self.urls.append((candidate.split()[0], f"<{tag} {name}>"))
        if "data-not-found-home" in attrs and attrs.get("href"):
            self.not_found_homes.append(attrs["href"])
        self._inline = tag == "script" and not attrs.get("src") and attrs.get("type") in (None, "text/javascript")

    def handle_data(self, data):
        # An inline script that adds a <script> for a file (search-counts.js
        # when search opens) names the file as a string.
        if getattr(self, "_inline", False):
            for url in re.findall(r'"([^"\s]+\.js)"', data):
                self.urls.append((url, "inline <script> (adds a <script src>)"))

    def handle_endtag(self, tag):
        if tag == "script":
            self._inline = False


class Site:
    """A built site on disk: its files and how a URL maps to one."""

    def __init__(self, root: Path, site_url: str = ""):
        self.root = Path(root)
        self.site_url = site_url
        self.base = urlsplit(site_url).path or "/"
        self.files = sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file())
        self.present = set(self.files)

    def resolve(self, url: str, from_file: str) -> str | None:
        """The site file a URL names from ``from_file`` (None: not this site's)."""
        url = url.strip()
        if not url or url.startswith(("#", "data:", "mailto:", "tel:", "javascript:", "blob:")):
            return None
        if self.site_url and url.startswith(self.site_url):
            url = self.base + url[len(self.site_url):]
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return None
        here = self.base + from_file
        path = unquote(urlsplit(urljoin(here, parts.path)).path) if parts.path else here
        if not path.startswith(self.base):
            return None
        rel = path[len(self.base):]
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        elif rel not in self.present and f"{rel}/index.html" in self.present:
            rel += "/index.html"
        return rel

    def text(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8", errors="replace")


def _guide_worker_files(site: Site, lang: str, config: dict) -> list[str]:
    """What the guide's worker imports for ``lang``: meta.js, words.js and the
    shards whose numbers meta.js declares (worker.js names each kind)."""
    folder = (config.get("guide") or {}).get(lang, {}).get("dir")
    if not folder:
        return []
    prefix = f"search/{folder}/"
    meta_file = prefix + "meta.js"
    if meta_file not in site.present:
        return [meta_file]
    meta = json.loads(re.match(r"^guideSearch\.meta\((.*)\);\s*$", site.text(meta_file), re.S).group(1))
    pieces = max((d["firstPiece"] + d["pieces"] for d in meta.get("docs", [])), default=0)
    out = [meta_file, prefix + "words.js"]
    out += [f"{prefix}k/{n}.js" for n in range(meta.get("shards", 0))]
    out += [f"{prefix}b/{n}.js" for n in range(meta.get("pairShards", 0))]
    out += [f"{prefix}s/{n}.js" for n in range(pieces)]
    return out


def _search_config(site: Site, lang: str) -> dict:
    for rel in (f"search/search_index.{lang}.json", "search/search_index.js"):
        if rel in site.present:
            text = site.text(rel)
            return json.loads(text[text.index("{"):])["config"]
    return {}


def loaders(site: Site, offline: bool = False) -> dict[str, str]:
    """``{file: what loads it}`` for every file reachable from the conventions."""
    found: dict[str, str] = {}
    queue: deque[str] = deque()

    def reach(rel: str | None, why: str):
        if rel and rel in site.present and rel not in found:
            found[rel] = why
            queue.append(rel)

    # Conventions: the home page; the host's "not found" page; the sitemap
    # crawlers read; the archive's read-me.
    for rel, why in (("index.html", "the home page"), ("404.html", "the host's 404 page (GitHub Pages)"),
                     ("sitemap.xml", "crawlers' sitemap"), ("robots.txt", "crawlers' robots.txt"),
                     ("VERSION.txt", "the archive's read-me (what to open)")):
        if not offline or rel in ("index.html", "VERSION.txt"):
            reach(rel, why)
    while queue:
        rel = queue.popleft()
        if rel.endswith(".html"):
            _from_page(site, rel, reach, offline)
        elif rel.endswith(".css"):
            css = site.text(rel)
            for m in _CSS_URL.finditer(css):
                reach(site.resolve(m.group(2) or m.group(4), rel), f"{rel} url()")
        elif rel.endswith(".webmanifest"):
            manifest = json.loads(site.text(rel))
            for icon in manifest.get("icons", []):
                reach(site.resolve(icon["src"], rel), f"{rel} icons")
            reach(site.resolve(manifest.get("start_url", ""), rel), f"{rel} start_url")
        elif rel.endswith(".js"):
            _from_script(site, rel, reach)
    # The fonts' licence (SIL OFL 1.1, condition 2) travels with the fonts.
    fonts = any("@font-face" in site.text(r) for r in found if r.endswith(".css"))
    for rel in site.files:
        if fonts and re.fullmatch(r"assets/fonts/OFL-[\w.-]+\.txt", rel):
            reach(rel, "the licence of the fonts the stylesheets load")
    return found


def _from_page(site: Site, rel: str, reach, offline: bool) -> None:
    html = site.text(rel)
    refs = _Refs()
    refs.feed(html)
    for url, what in refs.urls:
        reach(site.resolve(url, rel), f"{rel} {what}")
    lang = (_LANG.search(html) or [None, ""])[1]
    scope_m = _SCOPE.search(html)
    scope = json.loads(scope_m.group(1)) if scope_m else None
    # Material's bundle asks for search/search_index.json; the inline
    # search-lazy.js renames it to the page's language; under file:// the
    # bundle loads search/search_index.js instead.
    bundle = next((u for u, _ in refs.urls if re.search(r"bundle\.[^/]*\.js$", u)), None)
    if bundle and scope:
        if offline:
            reach("search/search_index.js", f"{rel}: Material's bundle under file://")
        else:
            reach(site.resolve(f"search/search_index.{scope['lang']}.json", "index.html"),
                  f"{rel}: Material's index request, renamed by search-lazy.js")
        worker = "assets/javascripts/guide-search/worker.js"
        reach(worker, f"{rel}: search-lazy.js starts the guide's worker")
        for path in _guide_worker_files(site, scope["lang"], _search_config(site, scope["lang"])):
            reach(path, f"{worker} (importScripts/fetch) for {rel}")
    if any(re.search(r"guide-offline/save\.js$", u) for u, _ in refs.urls) and lang:
        reach("sw.js", f"{rel}: save.js registers it")
        reach(f"offline/{lang}.json", f"{rel}: save.js fetches the language's list")
        reach(f"offline/{lang}.html", f"{rel}: sw.js shows it for a page the saved copy lacks")
    if any(re.search(r"not-found\.js$", u) for u, _ in refs.urls):
        for home in refs.not_found_homes:
            target = site.resolve(home, rel)
            reach(target and target.replace("index.html", "404.html"), f"{rel}: not-found.js sends missing pages there")


def _from_script(site: Site, rel: str, reach) -> None:
    source = site.text(rel)
    for pattern, needle, targets in SCRIPT_RULES:
        if re.fullmatch(pattern, rel) and needle in source:
            for target in targets(site, rel):
                reach(target, f"{rel} ({needle})")


def _offline_lists(site: Site, rel: str) -> list[str]:
    out = []
    for listed in sorted(r for r in site.files if re.fullmatch(r"offline/[\w-]+\.json", r)):
        lang = Path(listed).stem
        out += [site.resolve(f["path"], "index.html") for f in json.loads(site.text(listed))["files"]]
        out += [listed, f"offline/{lang}.html"]
    return out


# (script, a string its source must hold, the files it loads).
SCRIPT_RULES = [
    # sw.js saves each language's list (offline/<lang>.json) and shows offline/<lang>.html.
    (r"sw\.js", '"offline/"', _offline_lists),
    # The offline shim runs a worker in frame.html, next to it; frame.html's script is a <script src>.
    (r"assets/vendor/iframe-worker/shim\.js", '"frame.html"',
     lambda site, rel: [str(Path(rel).parent / "frame.html")]),
]


def unloaded(site: Site, offline: bool = False) -> list[str]:
    found = loaders(site, offline)
    return [rel for rel in site.files if rel not in found]


def _report(site: Site, offline: bool, artifacts_dir: Path, name: str) -> list[str]:
    found = loaders(site, offline)
    missing = [rel for rel in site.files if rel not in found]
    path = artifacts_dir / ARTIFACT
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    data[name] = {"loaded": found, "not_loaded": missing,
                  "bytes": sum((site.root / r).stat().st_size for r in site.files)}
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    return missing


@pytest.mark.site
def test_every_file_of_the_site_is_loaded_by_something(site_dir, site_url, artifacts_dir):
    missing = _report(Site(site_dir, site_url), False, artifacts_dir, "site")
    assert not missing, (f"{len(missing)} file(s) of site/ that nothing loads (guide/publish/shipped.py): "
                         + ", ".join(missing[:40]))


@pytest.mark.site
def test_every_file_of_the_offline_archive_is_loaded_by_something(offline_site, artifacts_dir):
    missing = _report(Site(offline_site), True, artifacts_dir, "offline")
    assert not missing, (f"{len(missing)} file(s) of the offline archive that nothing loads: "
                         + ", ".join(missing[:40]))


# --- the check itself, on small made-up sites (no build) ----------------------

def _write(root: Path, files: dict[str, str]) -> Site:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return Site(root, "https://example.org/guide/")


def test_a_file_nothing_loads_is_named(tmp_path):
    site = _write(tmp_path, {
        "index.html": '<html lang="en"><link rel="stylesheet" href="a.css"><a href="p/">p</a>'
                      '<link rel="canonical" href="https://example.org/guide/old/"></html>',
        "a.css": '@font-face{src:url("fonts/f.woff2")} .x{background:url(img/bg.png)}',
        "fonts/f.woff2": "", "img/bg.png": "", "p/index.html": "<img srcset='../img/x.png 2x'>",
        "img/x.png": "", "old/index.html": "only a canonical link names it", "stray.js": "",
        "assets/fonts/OFL-x.txt": "licence", "sitemap.xml.gz": "",
    })
    assert unloaded(site) == ["old/index.html", "sitemap.xml.gz", "stray.js"]
    assert loaders(site)["img/bg.png"] == "a.css url()"


def test_scripts_load_only_what_their_source_names(tmp_path):
    site = _write(tmp_path, {
        "index.html": '<html lang="ar"><script src="assets/javascripts/guide-offline/save.js"></script></html>',
        "assets/javascripts/guide-offline/save.js": 'register(root + "sw.js")',
        "sw.js": 'fetch(ROOT + "offline/" + lang + ".json")',
        "offline/ar.json": json.dumps({"files": [{"path": ""}, {"path": "saved.png"}]}),
        "offline/ar.html": "", "saved.png": "",
        "assets/vendor/iframe-worker/shim.js": 'new URL("frame.html")',
        "assets/vendor/iframe-worker/frame.html": '<script src="frame.js"></script>',
        "assets/vendor/iframe-worker/frame.js": "",
    })
    # Nothing loads the shim here, so neither its frame nor the frame's script.
    assert unloaded(site) == ["assets/vendor/iframe-worker/frame.html", "assets/vendor/iframe-worker/frame.js",
                              "assets/vendor/iframe-worker/shim.js"]
    (tmp_path / "sw.js").write_text("// lists nothing", encoding="utf-8")
    assert "saved.png" in unloaded(Site(tmp_path, site.site_url))


# --- guide/publish/shipped.py --------------------------------------------------

def test_theme_files_no_page_loads_are_not_copied():
    from guide.publish.shipped import skip_theme_file

    def skip(path, palette=False, favicon="assets/images/favicon.svg"):
        return skip_theme_file(path, palette=palette, favicon=favicon)

    for path in ("assets/javascripts/lunr/wordcut.js", "assets/javascripts/lunr/min/lunr.ar.min.js",
                 "assets/javascripts/workers/search.a7633da7.min.js", "assets/javascripts/bundle.x.min.js.map",
                 "assets/stylesheets/palette.fb2fffe2.min.css", "assets/images/favicon.png",
                 "partials/search-lazy.js"):
        assert skip(path), path
    for path in ("assets/javascripts/bundle.x.min.js", "assets/stylesheets/main.x.min.css",
                 "assets/javascripts/guide-search/worker.js", "assets/images/icon-192.png"):
        assert skip(path) is None, path
    # A palette or a PNG favicon in mkdocs.yml is loaded by the pages.
    assert skip("assets/stylesheets/palette.fb2fffe2.min.css", palette=True) is None
    assert skip("assets/images/favicon.png", favicon="assets/images/favicon.png") is None


def test_build_outputs_no_reader_loads_are_removed(tmp_path):
    from guide.publish.shipped import prune_output

    site = tmp_path / "site"
    (site / "search").mkdir(parents=True)
    (site / "search" / "search_index.json").write_text('{"docs": []}', encoding="utf-8")
    (site / "search" / "search_index.ar.json").write_text("{}", encoding="utf-8")
    (site / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    (site / "sitemap.xml.gz").write_bytes(b"gz")
    (site / "a.js").write_text("var a=1;\n//# sourceMappingURL=a.js.map\n", encoding="utf-8")
    (site / "b.js").write_text("var b=1;\n//# sourceMappingURL=b.js.map", encoding="utf-8")
    (site / "b.js.map").write_text("{}", encoding="utf-8")
    removed = prune_output(site, tmp_path / "kept" / "docs.json")
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == [
        "a.js", "b.js", "b.js.map", "search/search_index.ar.json", "sitemap.xml"]
    assert (tmp_path / "kept" / "docs.json").read_text(encoding="utf-8") == '{"docs": []}'
    assert (site / "a.js").read_text(encoding="utf-8") == "var a=1;\n"  # its map is not shipped
    assert "sourceMappingURL" in (site / "b.js").read_text(encoding="utf-8")  # its map is
    assert set(removed) == {"search/search_index.json", "sitemap.xml.gz", "a.js (source map comment)"}
    # Without a place to keep it (a deploy build), the combined index is deleted.
    (site / "search" / "search_index.json").write_text('{"docs": []}', encoding="utf-8")
    assert "search/search_index.json" in prune_output(site)
    assert not (site / "search" / "search_index.json").exists()
