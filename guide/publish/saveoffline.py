"""Save the guide for offline reading in the browser (issue 22): plain logic, no MkDocs.

After a build, per language:

- ``offline/<lang>.json``: the list a reader's browser stores when they tap
  "Save this guide for offline reading": every page of the language, the
  assets those pages use (stylesheets, scripts, fonts, images), the language's
  pre-built search index (``search/<lang>/…``) and worker, the offline fallback
  page and the web app manifest; per file its size and a short SHA-256, and
  for the whole list a ``version`` (a hash of the files) and the build's date.
  The service worker (``sw.js``) checks every file it downloads against its
  hash, so a saved copy can only ever hold one build.
- ``offline/<lang>.html``: the short page the service worker shows, in the
  saved language, for a page that is not saved (the other language) when the
  network is off.
- ``<prefix>manifest.webmanifest``: the web app manifest of the language
  (installable: name, short name, lang, dir, start URL, scope, colours, icons).
- ``sw.js`` at the site's root (its scope must cover every page), written from
  the reviewed source in ``overrides/assets/javascripts/guide-offline/sw.js``,
  never from ``docs/``: a file an editor puts at ``docs/sw.js`` fails the build.

The pages carry a placeholder for the size of their language's copy (the list
is only known once every page is written); ``fill_sizes`` replaces it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import posixpath
import re
from datetime import datetime, timezone
from html import escape
from pathlib import Path

from guide import languages
from guide.pages import minify, notices, pagemeta
from guide.theme import material

SIZE_TOKEN = "@@guide-offline-size@@"
LIST_DIR = "offline"
SW_NAME = "sw.js"
SW_SOURCE = Path("assets") / "javascripts" / "guide-offline" / "sw.js"
MANIFEST_NAME = "manifest.webmanifest"
ICONS = (("assets/images/icon-192.png", 192), ("assets/images/icon-512.png", 512))
THEME_COLOR = material.PRIMARY_COLOR
BACKGROUND_COLOR = "#ffffff"
# Files a reader's copy never needs: source maps, Material's lunr search (the
# guide's own worker searches), the file:// shim of the zip edition.
_SKIP = re.compile(r"\.map$|" + "|".join("^" + re.escape(d) for d in material.SEARCH_SCRIPT_DIRS) + "|^assets/vendor/")
# Text files a host compresses (as tools/webserve.py and GitHub Pages do).
_COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".webmanifest", "/")
_REF = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"'#?]+)""", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')#?]+)""")
# Loaded by the pages' scripts, not named in their HTML.
_LAZY = ("assets/javascripts/search-counts.js", "assets/javascripts/guide-search/worker.js",
         "assets/javascripts/guide-offline/save.js")
UI_KEYS = ("offline.title", "offline.save", "offline.size", "offline.saving", "offline.saved", "offline.saved-date",
           "offline.failed", "offline.remove", "offline.removed", "offline.update", "offline.update-accept",
           "offline.fallback-title", "offline.fallback-text", "offline.fallback-home", "offline.app-name",
           "offline.app-short-name", "downloads.kb", "downloads.mb")


class SaveOfflineError(Exception):
    """The build cannot write the offline lists (a missing file, a stray sw.js)."""


def _url_of(html_path: str) -> str:
    """``strategy/index.html`` -> ``strategy/``; ``index.html`` -> ``""`` (the directory URL)."""
    return html_path[: -len("index.html")] if html_path.endswith("index.html") else html_path


def _resolve(base_url: str, ref: str) -> str | None:
    if re.match(r"^[a-z][a-z0-9+.-]*:|^//", ref, re.IGNORECASE):
        return None  # another scheme or origin: never part of the copy
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base_url) if not base_url.endswith("/")
                                               else base_url, ref))
    return None if joined.startswith("..") else joined.lstrip("./") if joined != "." else ""


def pages_of(site_dir: Path, lang: str, prefixes: dict[str, str], default: str) -> list[str]:
    """Site-relative paths of the language's HTML pages (directory URLs), sorted."""
    pages = []
    for path in sorted(site_dir.rglob("index.html")):
        rel = path.relative_to(site_dir).as_posix()
        if rel.startswith(LIST_DIR + "/") or languages.language_of_url(rel, prefixes, default) != lang:
            continue
        pages.append(rel)
    return pages


def files_for(site_dir: Path, lang: str, prefixes: dict[str, str], default: str) -> list[str]:
    """Every file a reader's saved copy of ``lang`` needs, as site-relative URLs
    (pages as their directory URL: ``strategy/``)."""
    wanted: dict[str, None] = {}
    assets: dict[str, None] = {}
    for rel in pages_of(site_dir, lang, prefixes, default):
        url = _url_of(rel)
        wanted[url] = None
        html = (site_dir / rel).read_text(encoding="utf-8")
        for ref in _REF.findall(html):
            target = _resolve(url, ref)
            if target and (site_dir / target).is_file() and not target.endswith(".html"):
                assets[target] = None
    for lazy in _LAZY:
        assets[lazy] = None
    # Stylesheets' fonts and images.
    for css in [a for a in assets if a.endswith(".css")]:
        for ref in _CSS_URL.findall((site_dir / css).read_text(encoding="utf-8")):
            target = _resolve(css, ref)
            if target and (site_dir / target).is_file():
                assets[target] = None
    search = site_dir / "search"
    assets[material.search_config_file(lang)] = None
    for path in sorted((search / lang).rglob("*")):
        if path.is_file():
            assets[path.relative_to(site_dir).as_posix()] = None
    assets[f"{LIST_DIR}/{lang}.html"] = None
    assets[prefixes[lang] + MANIFEST_NAME] = None
    for icon, _ in ICONS:
        assets[icon] = None
    missing = [a for a in assets if not (site_dir / a).is_file()]
    if missing:
        raise SaveOfflineError(f"offline copy of '{lang}': missing in the site: {', '.join(missing[:5])}")
    return list(wanted) + sorted(a for a in assets if not _SKIP.search(a))


def _disk_path(site_dir: Path, url: str) -> Path:
    return site_dir / (url + "index.html" if url == "" or url.endswith("/") else url)


# sha256 of a file -> its gzip size. Compressing is most of the lists' cost;
# each list is made twice per build, and `make serve` rebuilds on every edit
# with nearly all files unchanged.
_GZIP_SIZES: dict[str, int] = {}


def _gzip_size(data: bytes, digest: str) -> int:
    size = _GZIP_SIZES.get(digest)
    if size is None:
        if len(_GZIP_SIZES) > 20_000:
            _GZIP_SIZES.clear()
        size = _GZIP_SIZES[digest] = len(gzip.compress(data, 6))
    return size


def file_entry(site_dir: Path, url: str) -> dict:
    data = _disk_path(site_dir, url).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    compressed = _gzip_size(data, digest) if url.endswith(_COMPRESSIBLE) or url == "" else len(data)
    return {"path": url, "bytes": len(data), "transfer": min(compressed, len(data)), "hash": digest[:16]}


def build_list(site_dir: Path, lang: str, prefixes: dict[str, str], default: str, ui: dict, built: datetime) -> dict:
    files = [file_entry(site_dir, url) for url in files_for(site_dir, lang, prefixes, default)]
    version = hashlib.sha256("".join(f"{f['path']}\0{f['hash']}\n" for f in files).encode()).hexdigest()[:16]
    texts = {key: ui[key][lang] for key in UI_KEYS}
    return {
        "lang": lang, "version": version, "built": built.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "date": notices.format_date(built, lang),
        "pages": sum(1 for f in files if f["path"] == "" or f["path"].endswith("/")),
        "bytes": sum(f["bytes"] for f in files), "transfer": sum(f["transfer"] for f in files),
        "ui": texts, "files": files,
    }


def human_size(n: int, lang: str, ui: dict) -> str:
    from guide.publish.downloads import human_size as size

    return size(n, lang, {"kb": ui["downloads.kb"][lang], "mb": ui["downloads.mb"][lang]})


def fallback_page(lang: str, ui: dict, prefixes: dict[str, str], policy: str, base: str,
                  stylesheets: list[str]) -> str:
    """The page shown offline for a page that is not saved (``offline/<lang>.html``):
    in the saved language, with the site's stylesheets and a link to the saved home.
    The service worker answers the unsaved page's own URL with it, so its links
    are absolute from the site's path ``base`` (``/`` or ``/guide/``), not relative."""
    direction = pagemeta.direction(lang)
    t = {key: escape(ui[key][lang]) for key in ("offline.fallback-title", "offline.fallback-text",
                                               "offline.fallback-home", "offline.app-name")}
    home = base + prefixes[lang]
    return (
        f'<!doctype html><html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<title>{t["offline.fallback-title"]} - {t["offline.app-name"]}</title>'
        + "".join(f'<link rel="stylesheet" href="{base}{css}">' for css in stylesheets)
        + f'<link rel="icon" href="{base}assets/images/favicon.svg" type="image/svg+xml"></head>'
        f'<body dir="{direction}">'
        + material.page_frame("guide-offline-fallback",
                              f'<h1>{t["offline.fallback-title"]}</h1><p>{t["offline.fallback-text"]}</p>'
                              f'<p><a href="{home}">{t["offline.fallback-home"]}</a></p>')
        + "</body></html>\n"
    )


def web_manifest(lang: str, ui: dict, prefixes: dict[str, str]) -> dict:
    """The language's web app manifest (written at ``<prefix>manifest.webmanifest``:
    its start URL and scope are the language's home, relative to the manifest)."""
    up = "../" * prefixes[lang].count("/")
    icons = []
    for path, size in ICONS:
        for purpose in ("any", "maskable"):
            icons.append({"src": up + path, "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose})
    return {
        "id": "./", "name": ui["offline.app-name"][lang], "short_name": ui["offline.app-short-name"][lang],
        "lang": lang, "dir": pagemeta.direction(lang), "start_url": "./", "scope": "./",
        "display": "standalone", "theme_color": THEME_COLOR, "background_color": BACKGROUND_COLOR,
        "icons": icons,
    }


def write_sw(site_dir: Path, source: Path, prefixes: dict[str, str], default: str) -> None:
    """``sw.js`` at the site's root from the reviewed source (languages filled in).
    A ``sw.js`` already there came from ``docs/``: refuse it."""
    target = site_dir / SW_NAME
    if target.exists():
        raise SaveOfflineError(f"docs/{SW_NAME}: the site's service worker is written by the build "
                               f"(from overrides/{SW_SOURCE.as_posix()}); remove docs/{SW_NAME}")
    text = source.read_text(encoding="utf-8")
    marker = "/*LANGUAGES*/{}"
    if marker not in text:
        raise SaveOfflineError(f"{source}: the marker {marker} is missing")
    languages = {"prefixes": prefixes, "default": default}
    text = minify.strip_js_comments(text.replace(marker, json.dumps(languages, separators=(",", ":"))))
    target.write_text(text, encoding="utf-8")
    # The theme copies overrides/ as is: no second copy of the worker (the only one is at the root).
    copy = site_dir / SW_SOURCE
    if copy.exists():
        copy.unlink()


def fill_sizes(site_dir: Path, lang: str, pages: list[str], text: str) -> None:
    for rel in pages:
        path = site_dir / rel
        html = path.read_text(encoding="utf-8")
        if SIZE_TOKEN in html:
            path.write_text(html.replace(SIZE_TOKEN, escape(text)), encoding="utf-8")


def build_date() -> datetime:
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)


def write_all(site_dir: Path, sw_source: Path, prefixes: dict[str, str], default: str, ui: dict,
              policy: str, base: str, stylesheets: list[str]) -> dict[str, dict]:
    """Everything the save-for-offline feature needs in the built site; returns the lists."""
    missing = [k for k in UI_KEYS for lang in prefixes if not (ui.get(k) or {}).get(lang)]
    if missing:
        raise SaveOfflineError(f"data/ui.yml: missing {missing[0]} (every key in both languages)")
    # The build's own paths: a file of the same name from docs/ would be silently replaced.
    taken = [p for p in [LIST_DIR, *(prefix + MANIFEST_NAME for prefix in prefixes.values())]
             if (site_dir / p).exists()]
    if taken:
        raise SaveOfflineError(f"docs/{taken[0]}: this path is the build's own (save for offline reading); "
                               "rename or remove it")
    write_sw(site_dir, sw_source, prefixes, default)
    (site_dir / LIST_DIR).mkdir()
    built = build_date()
    lists = {}
    for lang in prefixes:
        (site_dir / LIST_DIR / f"{lang}.html").write_text(fallback_page(lang, ui, prefixes, policy, base, stylesheets), encoding="utf-8")
        manifest = site_dir / prefixes[lang] / MANIFEST_NAME
        manifest.parent.mkdir(parents=True, exist_ok=True)
        manifest.write_text(json.dumps(web_manifest(lang, ui, prefixes), ensure_ascii=False, indent=1) + "\n",
                            encoding="utf-8")
    for lang in prefixes:
        pages = pages_of(site_dir, lang, prefixes, default)
        first = build_list(site_dir, lang, prefixes, default, ui, built)
        # Rounded up to 100 kB: a new build that changes a few pages leaves the
        # others byte-identical (so a saved copy's update fetches only those).
        shown = -(-first["transfer"] // 100_000) * 100_000
        fill_sizes(site_dir, lang, pages, human_size(shown, lang, ui))
        lists[lang] = build_list(site_dir, lang, prefixes, default, ui, built)
        (site_dir / LIST_DIR / f"{lang}.json").write_text(
            json.dumps(lists[lang], ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return lists
