"""Offline edition: the whole site as a zip that works from file:// with no network.

``python -m tools offline`` builds with ``mkdocs.offline.yml`` (no directory
URLs, local iframe-worker shim, Material's offline plugin), then:

* makes sure the index as a script (``material.SEARCH_INDEX_JS``, what Material loads under file://)
  holds the pages of *every* language, rewriting it from the final combined
  index (kept outside the site: guide/publish/shipped.py) if plugin order
  left it with one language only;
* drops what the archive does not need (source maps, lunr languages the
  index does not use, sitemaps, the save-for-offline files and icons, the 404
  pages) and the absolute ``hreflang`` links, which
  make Material fetch the online sitemap when a page is opened;
* embeds the fonts in the fonts stylesheet as ``data:`` URLs and drops the
  pages' font preloads: browsers treat a font file under file:// as
  cross-origin and refuse it, so pages would show the fallback fonts;
* refuses to package a page that would load anything from http(s), and any
  script file that is not a reviewed one (the offline Content-Security-Policy
  can only say 'self', so the names are held here: guide/pages/csp.py);
* writes ``guide-offline/VERSION.txt`` (build date, commit), the zip, its
  ``.sha256``, and records it in ``dist/downloads.json``;
* fails if the archive is over the size budget.

The PDFs already listed in the manifest are copied into the archive by the
site build (``downloads/``), so run ``python -m tools pdf`` first (``release``
does both in the right order).
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from guide import languages
from guide.pages import csp
from guide.publish import downloads, saveoffline, shipped
from guide.search import searchindex
from guide.engine import build_site
from guide.theme import material

ROOT = Path(__file__).resolve().parents[2]
CONFIG = "mkdocs.offline.yml"
ARCHIVE = "guide-offline.zip"
TOP_DIR = "guide-offline"  # the folder the archive unpacks to
BUDGET_MB = 8.0  # stated in docs-dev/reader-features.md; both languages and both PDFs
# Fixed timestamp for zip members: the archive's bytes depend on content only.
ZIP_DATE = (2020, 1, 1, 0, 0, 0)

_ALTERNATE_LINK = re.compile(r'\s*<link rel="alternate" hreflang="[^"]*" href="[^"]*">')
_FONT_PRELOAD = re.compile(r'\s*<link rel="preload" href="[^"]*" as="font"[^>]*>')
_FONT_URL = re.compile(r'url\("([^":]+\.woff2)"\)')
_OPTIONAL = re.compile(r"font-display:\s*optional")
# Things a browser fetches on its own: script/img/source/iframe src and <link href>.
_FETCHED = re.compile(
    r'<(?:script|img|source|iframe|audio|video)\b[^>]*\bsrc="(https?:)?//[^"]*"'
    r'|<link\b(?![^>]*\brel="(?:canonical|alternate|prev|next)")[^>]*\bhref="(https?:)?//[^"]*"',
    re.IGNORECASE,
)


# Script files the archive may hold, besides the pages' reviewed scripts and
# workers (guide/pages/csp.py): the search shim's frame script, the search
# index as scripts (file:// cannot fetch), and the lunr files Material's own
# worker may need (prune() drops them with the guide's worker).
ARCHIVE_SCRIPTS = (
    r"assets/vendor/iframe-worker/frame\.js",
    re.escape(material.SEARCH_INDEX_JS),
    r"search/[a-z]{2}(?:-[A-Z]{2})?/(meta|words|[kbs]/\d+)\.js",  # a code: fr, pt-BR
    material.LUNR_SCRIPTS,
)


class OfflineError(RuntimeError):
    pass


def add_arguments(parser) -> None:
    parser.add_argument("--out-dir", default=None, help="where the zip goes (default: dist/, or $GUIDE_DIST_DIR)")
    parser.add_argument("--budget-mb", type=float, default=BUDGET_MB,
                        help=f"fail if the archive is larger (default: {BUDGET_MB})")
    parser.add_argument("--keep-site", default=None, help="also keep the unpacked offline site in this directory")


def fix_index_script(site_dir: Path, languages: list[str], index_json: Path | None = None) -> dict:
    """Write the index script (``material.SEARCH_INDEX_JS``) from the final combined index; check every language is in it.

    ``index_json``: the combined index the build kept outside the site
    (``GUIDE_SEARCH_DOCS``, guide/publish/shipped.py), else the one in the site.
    Returns ``{language: number of indexed pages}``.
    """
    index_json = index_json or site_dir / material.SEARCH_INDEX_JSON
    if not index_json.is_file():
        raise OfflineError(f"{index_json} missing: is the search plugin enabled in mkdocs.yml?")
    data = json.loads(index_json.read_text(encoding="utf-8"))
    counts = {lang: 0 for lang in languages}
    for doc in data["docs"]:
        if "#" in doc["location"]:
            continue  # sections; count pages only
        first = doc["location"].split("/", 1)[0]
        lang = first if first in counts and "/" in doc["location"] else languages[0]
        counts[lang] += 1
    missing = [lang for lang, n in counts.items() if n == 0]
    if missing:
        raise OfflineError(f"{index_json}: no pages indexed for {', '.join(missing)}")
    index_js = site_dir / material.SEARCH_INDEX_JS
    wanted = searchindex.script_form(data)
    if not index_js.is_file() or index_js.read_text(encoding="utf-8") != wanted:
        # The offline plugin ran before i18n finished merging the languages.
        print(f"offline: {material.SEARCH_INDEX_JS} did not match the combined index; rewritten", file=sys.stderr)
        index_js.write_text(wanted, encoding="utf-8")
    return counts


def prune(site_dir: Path, search_langs: list[str]) -> int:
    """Delete files the offline reader never loads; return bytes saved."""
    saved = 0

    def drop(path: Path):
        nonlocal saved
        saved += path.stat().st_size
        path.unlink()

    for path in list(site_dir.rglob("*.map")):
        drop(path)
    # Under file:// Material loads the index script, never the JSON indexes.
    for path in list((site_dir / "search").glob(material.SEARCH_INDEX_FILES)):
        drop(path)
    # Theme partials MkDocs copies from overrides/ (search-lazy.js is included
    # into the pages at build time; nothing loads the file).
    for path in list((site_dir / "partials").rglob("*.js")) if (site_dir / "partials").is_dir() else []:
        drop(path)
    # Save-for-offline (service worker, its lists and fallback pages, web app
    # manifests) serves the web site only: the archive is already offline.
    for path in [site_dir / "sw.js", *site_dir.rglob("manifest.webmanifest")]:
        if path.is_file():
            drop(path)
    # ... and its web app manifests' icons.
    for name, _ in saveoffline.ICONS:
        if (site_dir / name).is_file():
            drop(site_dir / name)
    # Under file:// no server answers a missing address with a 404 page: the
    # "not found" pages (one per language) and their script are never shown.
    for path in [*site_dir.rglob("404.html"), site_dir / "assets" / "javascripts" / "not-found.js"]:
        if path.is_file():
            drop(path)
    for folder in (site_dir / "offline", site_dir / "assets" / "javascripts" / "guide-offline"):
        for path in list(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file():
                drop(path)
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        for path in list(site_dir.rglob(name)):
            drop(path)
    # Material's search worker loads lunr.stemmer.support, lunr.multi (several
    # languages) and lunr.<lang> for each non-English index language; tinyseg
    # is for Japanese, wordcut for Hindi/Thai.
    # With the guide's worker (search_langs empty) none of them is loaded.
    keep = ({*material.LUNR_BASE_SCRIPTS} | {material.lunr_language_script(lang) for lang in search_langs}
            if search_langs else set())
    lunr = site_dir / material.LUNR_DIR
    for path in list(lunr.rglob("*.js")):
        if path.name in keep:
            continue
        if material.LUNR_EXTRA_SCRIPTS.get(path.name, set()) & set(search_langs):
            continue
        drop(path)
    return saved


def inline_fonts(site_dir: Path) -> int:
    """Put every woff2 a stylesheet names into it as a ``data:`` URL; delete the files.

    Chromium refuses font files under file:// ("blocked by CORS policy": a
    file:// page's origin is 'null'), so the pages fell back to the reader's own
    fonts. A ``data:`` URL is no request at all (the offline policy allows it: guide/pages/csp.py).
    ``font-display: optional`` becomes ``swap``: online, the preload makes the
    font ready for the first paint; a data: font, without one, is ready a few
    milliseconds after it, and "optional" would then keep the fallback font for
    the page's life. Returns the bytes the unpacked stylesheets grew by, less
    the files removed.
    """
    inlined: set[Path] = set()
    grown = 0
    for sheet in sorted((site_dir / "assets").rglob("*.css")):
        css = sheet.read_text(encoding="utf-8")

        def embed(match):
            font = (sheet.parent / match.group(1)).resolve()
            if not font.is_file():
                raise OfflineError(f"{sheet.relative_to(site_dir)}: font {match.group(1)} not in the build")
            inlined.add(font)
            return f'url("data:font/woff2;base64,{base64.b64encode(font.read_bytes()).decode()}")'

        new = _FONT_URL.sub(embed, css)
        if new != css:
            new = _OPTIONAL.sub("font-display: swap", new)
            sheet.write_text(new, encoding="utf-8")
            grown += len(new.encode()) - len(css.encode())
    for font in inlined:
        grown -= font.stat().st_size
        font.unlink()  # the licence texts next to them stay
    return grown


def localize_pages(site_dir: Path) -> list[Path]:
    """Strip absolute hreflang alternates and font preloads (the fonts are
    inline: a preload would fetch the file:// font, fail and warn); fail on any
    page that would load from the network."""
    pages = sorted(site_dir.rglob("*.html"))
    problems = []
    for page in pages:
        html = page.read_text(encoding="utf-8")
        cleaned = _FONT_PRELOAD.sub("", _ALTERNATE_LINK.sub("", html))
        if cleaned != html:
            page.write_text(cleaned, encoding="utf-8")
        for match in _FETCHED.finditer(cleaned):
            problems.append(f"{page.relative_to(site_dir)}: {match.group(0)[:160]}")
    if problems:
        raise OfflineError("offline pages would load from the network:\n  " + "\n  ".join(problems))
    return pages


def check_scripts(site_dir: Path) -> None:
    """Every script file in the archive is a reviewed one (see ARCHIVE_SCRIPTS)."""
    allowed = [*csp.REVIEWED_SCRIPTS, *map(re.escape, csp.LOADED_BY_SCRIPTS), re.escape(csp.GUIDE_WORKER),
               csp.MATERIAL_WORKER, *ARCHIVE_SCRIPTS]
    stray = [path.relative_to(site_dir).as_posix() for path in sorted(site_dir.rglob("*"))
             if path.suffix.lower() in (".js", ".mjs") and path.is_file()
             and not any(re.fullmatch(p, path.relative_to(site_dir).as_posix()) for p in allowed)]
    if stray:
        raise OfflineError(f"{stray[0]}: a script file that is not reviewed (guide/pages/csp.py REVIEWED_SCRIPTS, "
                           f"guide/publish/offline.py ARCHIVE_SCRIPTS) would be in the archive"
                           + (f" ({len(stray) - 1} more)" if len(stray) > 1 else ""))


def write_version(site_dir: Path, stamp: dict, counts: dict, registry: languages.Registry | None = None) -> None:
    pages = ", ".join(f"{lang}: {n} pages" for lang, n in counts.items())
    starts = [f"{lang.prefix}index.html ({lang.english_name})" for lang in (registry or languages.load(ROOT / CONFIG))]
    which = starts[0] if len(starts) == 1 else ", ".join(starts[:-1]) + " or " + starts[-1]
    (site_dir / "VERSION.txt").write_text(
        "A Guide for Cities: Preventing Hate, Extremism & Polarisation — offline edition\n"
        f"built: {stamp['built']}\ncommit: {stamp['commit']}\nindexed for search: {pages}\n"
        f"Open {which} in a browser.\n",
        encoding="utf-8",
    )


def write_zip(site_dir: Path, zip_path: Path, stamp: dict) -> None:
    """Zip ``site_dir`` under ``TOP_DIR/``, members sorted, fixed timestamps; atomic."""
    tmp = zip_path.with_name(zip_path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.comment = f"guide offline edition; built {stamp['built']}; commit {stamp['commit']}".encode()
        for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{TOP_DIR}/{path.relative_to(site_dir).as_posix()}", ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            # Already-compressed files gain nothing from deflate.
            if path.suffix in {".woff2", ".pdf", ".gz", ".png", ".jpg"}:
                info.compress_type = zipfile.ZIP_STORED
            zf.writestr(info, path.read_bytes())
    tmp.replace(zip_path)


def build_offline(out_dir: Path, budget_mb: float = BUDGET_MB, keep_site: Path | None = None) -> dict:
    """Build the archive into ``out_dir``; return its manifest entry."""
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = downloads.version_stamp(ROOT)
    with tempfile.TemporaryDirectory(prefix="guide-offline-") as tmp:
        site_dir = Path(tmp) / TOP_DIR
        # GUIDE_DIST_DIR: the site build takes the PDFs to include from the same place.
        # The combined search index is not shipped (guide/publish/shipped.py):
        # kept next to the site for the page counts below.
        docs = Path(tmp) / "search-docs.json"
        proc = build_site(site_dir, CONFIG, env={"GUIDE_OFFLINE": "true", "GUIDE_DIST_DIR": str(out_dir),
                                                 shipped.SEARCH_DOCS_ENV: str(docs)})
        if proc.returncode:
            sys.stderr.write(proc.stderr[-6000:])
            raise OfflineError(f"offline build failed (exit {proc.returncode})")
        check_features(site_dir / "index.html")
        config = json.loads(docs.read_text(encoding="utf-8"))["config"]
        # The guide's worker (config "guide") needs no lunr language file.
        search_langs = [] if "guide" in config else list(config["lang"])
        counts = fix_index_script(site_dir, languages_of(site_dir), docs)
        saved = prune(site_dir, search_langs)
        fonts_grown = inline_fonts(site_dir)
        localize_pages(site_dir)
        check_scripts(site_dir)
        write_version(site_dir, stamp, counts)
        zip_path = out_dir / ARCHIVE
        write_zip(site_dir, zip_path, stamp)
        if keep_site:
            keep_site = Path(keep_site).resolve()
            if keep_site.exists():
                shutil.rmtree(keep_site)
            shutil.copytree(site_dir, keep_site)
    entry = downloads.file_entry(zip_path, "offline", None, stamp)
    (out_dir / f"{ARCHIVE}.sha256").write_text(f"{entry['sha256']}  {ARCHIVE}\n", encoding="utf-8")
    size_mb = entry["bytes"] / 1e6
    print(f"offline: {zip_path} {size_mb:.2f} MB (budget {budget_mb:g} MB; "
          f"pruned {saved / 1e6:.2f} MB; fonts inlined: unpacked {fonts_grown / 1e3:+.1f} kB); "
          f"search index: {counts}; commit {stamp['commit']}")
    if size_mb > budget_mb:
        zip_path.unlink()
        raise OfflineError(f"{ARCHIVE} is {size_mb:.2f} MB, over the {budget_mb:g} MB budget (docs-dev/reader-features.md)")
    downloads.update_manifest(out_dir, [entry])
    return entry


def check_features(page: Path) -> None:
    """Instant navigation fetches pages with XHR, which file:// refuses: it must be off."""
    match = material.CONFIG_SCRIPT.search(page.read_text(encoding="utf-8"))
    features = json.loads(match.group(1)).get("features", []) if match else []
    if any(f.startswith("navigation.instant") for f in features):
        raise OfflineError("mkdocs.yml enables navigation.instant, which does not work from file://; "
                           "turn it off for the offline edition")


def languages_of(site_dir: Path) -> list[str]:
    """Languages built: the default at the root, the others in two-letter folders."""
    others = sorted(p.name for p in site_dir.iterdir() if p.is_dir() and (p / "index.html").is_file())
    default = re.search(r'<html lang="([^"]+)"', (site_dir / "index.html").read_text(encoding="utf-8")).group(1)
    return [default] + [lang for lang in others if lang != default]


def main(args) -> int:
    out_dir = Path(args.out_dir) if args.out_dir else downloads.dist_dir()
    try:
        build_offline(out_dir, args.budget_mb, args.keep_site)
    except (OfflineError, downloads.ManifestError) as exc:
        print(f"offline: error: {exc}", file=sys.stderr)
        return 1
    return 0
