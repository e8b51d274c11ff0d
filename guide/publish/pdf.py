"""One PDF per language, printed by headless Chromium from the built site.

``python -m tools pdf`` builds the site (strict) into a temporary directory,
then for each language assembles a print view next to it: one HTML document
(``lang``/``dir`` set) with a cover, a table of contents and the article
content of the ten pages in ``mkdocs.yml`` nav order, styled by the site's own
CSS, fonts and ``print.css``. Chromium prints it twice: the first pass tells
on which page each chapter starts (read with pypdf from the PDF's named
destinations), the second prints the contents with those page numbers.
Page numbers are CSS page-margin boxes (Arabic-Indic digits in Arabic).

Output: ``dist/guide-ar.pdf``, ``dist/guide-en.pdf``, recorded in
``dist/downloads.json``.
"""

from __future__ import annotations

import html as _html
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from guide import languages as language_registry
from guide.pages import csp, pagemeta
from guide.publish import downloads
from guide import siteconfig
from guide.data import ui
from guide.engine import build_site
from guide.theme import material

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def is_rtl(code: str) -> bool:
    """A configured right-to-left language (mkdocs.yml, guide/languages.py)."""
    return pagemeta.direction(code) == "rtl"


_ARTICLE_OPEN = material.ARTICLE_OPEN_EXACT
_TAG = re.compile(r"<[^>]+>")
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
_PAGE_DATES = re.compile(r'<aside class="[^"]*\bguide-page-dates\b[^"]*">.*?</aside>', re.DOTALL)
_ATTR = re.compile(r'(\s)(id|href|src)="([^"]*)"')


class PdfError(RuntimeError):
    pass


def add_arguments(parser) -> None:
    parser.add_argument("--out-dir", default=None, help="where the PDFs go (default: dist/, or $GUIDE_DIST_DIR)")
    parser.add_argument("--site-dir", default=None,
                        help="use this already-built site (default: build one in a temporary directory)")
    parser.add_argument("--lang", action="append", help="only this language (repeatable; default: all)")


# --- configuration -----------------------------------------------------------

load_config = siteconfig.load_config

def nav_slugs(config: dict) -> list[str]:
    """The pages in reading order from ``nav`` (home page excluded)."""
    slugs = [slug for slug in siteconfig.nav_slugs(config) if Path(slug).name != "index"]
    if not slugs:
        raise PdfError("mkdocs.yml: 'nav' lists no pages besides index.md")
    return slugs


def languages(config: dict) -> list[dict]:
    """``[{locale, default, name, site_name, site_description}]`` from the i18n plugin."""
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            result = []
            for lang in plugin["i18n"]["languages"]:
                result.append({
                    "locale": lang["locale"], "default": bool(lang.get("default")),
                    "site_name": lang.get("site_name") or config["site_name"],
                    "site_description": lang.get("site_description") or config.get("site_description", ""),
                })
            return result
    raise PdfError("mkdocs.yml: no i18n plugin languages")


# --- reading the built site ----------------------------------------------------

def page_file(site_dir: Path, prefix: str, slug: str) -> Path:
    for candidate in (site_dir / prefix / slug / "index.html", site_dir / prefix / f"{slug}.html"):
        if candidate.is_file():
            return candidate
    raise PdfError(f"built page missing for '{prefix}{slug}' in {site_dir}")


def article_html(page_html: str, where: str) -> str:
    """The inner HTML of Material's ``<article>`` (the page content)."""
    match = _ARTICLE_OPEN.search(page_html)
    if not match:
        raise PdfError(f"{where}: no {material.ARTICLE_OPEN_TEXT}")
    depth, pos = 1, match.end()
    for tag in re.finditer(r"<(/?)article\b", page_html[pos:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return page_html[pos:pos + tag.start()]
    raise PdfError(f"{where}: <article> is not closed")


def heading_text(fragment: str) -> str:
    match = re.search(r"<h1\b[^>]*>(.*?)</h1>", fragment, re.DOTALL)
    if not match:
        return ""
    return _html.unescape(_TAG.sub("", _HEADERLINK.sub("", match.group(1)))).strip()


def rewrite(fragment: str, slug: str, page_url: str, chapter_urls: dict[str, str]) -> str:
    """Make a page's content work inside the one-document print view.

    IDs get a ``<slug>--`` prefix (the same section ID appears in several
    chapters); links to sections and chapters of this language become links
    inside the PDF; other site links become plain text; assets become
    absolute ``file:`` URLs.
    """
    fragment = _HEADERLINK.sub("", fragment)
    # Web-only page furniture: "last updated / source file / edit" notes.
    fragment = _PAGE_DATES.sub("", fragment)

    def fix(match: re.Match) -> str:
        space, attr, value = match.groups()
        raw = _html.unescape(value)
        if attr == "id":
            return f'{space}id="{slug}--{value}"'
        if raw.startswith("#"):
            return f'{space}{attr}="#{slug}--{_html.escape(raw[1:])}"'
        if re.match(r"^[a-z][a-z0-9+.-]*:", raw, re.I):  # http:, mailto:, data:...
            return match.group(0)
        target = urljoin(page_url, raw)
        parts = urlsplit(target)
        path = unquote(parts.path)
        if attr == "href":
            for other, url in chapter_urls.items():
                if path in (url, url + "index.html") or path == url.rstrip("/") + ".html":
                    anchor = f"{other}--{parts.fragment}" if parts.fragment else f"chapter-{other}"
                    return f'{space}href="#{_html.escape(anchor)}"'
            if path.endswith("/") or path.endswith(".html"):
                return f'{space}data-site-link="{_html.escape(path)}"'  # home page or the other language
        return f'{space}{attr}="{_html.escape(target)}"'

    fragment = _ATTR.sub(fix, fragment)
    # Links that went nowhere in the PDF are unwrapped: keep the text, drop the <a>.
    fragment = re.sub(r'<a\b[^>]*\bdata-site-link="[^"]*"[^>]*>(.*?)</a>', r"\1", fragment, flags=re.DOTALL)
    return fragment


# --- the print view ------------------------------------------------------------

def ui_strings(lang: str) -> dict:
    """``pdf.*`` strings from data/ui.yml (guide/data/ui.py)."""
    keys = {"contents": "pdf.contents", "edition": "pdf.edition"}
    try:
        return ui.strings(ui.ui_file(ROOT), lang, keys, "the PDF cover and contents")
    except ui.UIError as exc:
        raise PdfError(str(exc)) from None


_FONT_FACE = re.compile(r"@font-face\s*{([^}]*)}")
STATIC_WEIGHTS = (400, 700)


def static_fonts(site_dir: Path, out_dir: Path) -> str:
    """``@font-face`` CSS for PDF-ready copies of the fonts in the site's fonts.css.

    Same families and ranges, pinned to weights 400 and 700, with one glyph per
    Arabic letter (see ``guide.publish.pdffonts`` for why). A static face (e.g. the
    regular-only Latin face of Arabic pages) is served from the variable file
    of the same font when there is one: Chromium would otherwise embolden it
    for bold text, and an emboldened face goes into the PDF as a Type 3 font.
    """
    from guide.publish import pdffonts

    css_file = site_dir / "assets" / "stylesheets" / "fonts.css"
    faces = []
    for block in _FONT_FACE.findall(css_file.read_text(encoding="utf-8")):
        family = re.search(r'font-family:\s*"([^"]+)"', block)
        src = re.search(r'url\("?([^")]+)"?\)', block)
        if not (family and src):
            raise PdfError(f"{css_file}: @font-face without font-family or url(): {block.strip()[:80]}")
        path = (css_file.parent / src.group(1)).resolve()
        faces.append((block, family.group(1), path))

    def coverage(block: str, path: Path) -> tuple[str, str]:
        # A font can be split into files by script (latin, latin-ext): the
        # variable sibling of a static face is the one covering the same range.
        unicode_range = re.search(r"unicode-range:\s*([^;]+);", block)
        return pdffonts.family_name(path), re.sub(r"\s+", "", unicode_range.group(1)) if unicode_range else ""

    variable_by_coverage = {coverage(block, path): path for block, _, path in faces if pdffonts.is_variable(path)}

    rules = []
    for block, family, font_path in faces:
        unicode_range = re.search(r"unicode-range:\s*([^;]+);", block)
        style = re.search(r"font-style:\s*([a-z]+)", block)
        if not pdffonts.is_variable(font_path):
            font_path = variable_by_coverage.get(coverage(block, font_path), font_path)
        if pdffonts.is_variable(font_path):
            weights = [(w, "1 549" if w == 400 else "550 1000") for w in STATIC_WEIGHTS]
        else:  # no variable sibling: keep the declared weight
            declared = re.search(r"font-weight:\s*([^;]+);", block)
            weights = [(400, declared.group(1).strip() if declared else "400")]
        for weight, weight_range in weights:
            target = out_dir / f"{font_path.stem}-{weight}.ttf"
            if not target.exists():  # a file shared by several @font-face rules is made once
                pdffonts.pdf_font(font_path, weight, target)
            rules.append(
                f'@font-face {{ font-family: "{family}"; src: url("{target.as_uri()}") format("truetype"); '
                f"font-weight: {weight_range}; font-style: {style.group(1) if style else 'normal'};"
                + (f" unicode-range: {unicode_range.group(1).strip()};" if unicode_range else "") + " }"
            )
    return "\n".join(rules)


def stylesheet_links(site_dir: Path) -> list[str]:
    css = site_dir / "assets" / "stylesheets"
    names = [name for pattern in material.STYLESHEET_GLOBS for name in sorted(p.name for p in css.glob(pattern))]
    # fonts.css is replaced by static_fonts() in the print view.
    names += ["site.css", "print.css"]
    missing = [n for n in names if not (css / n).is_file()]
    if missing:
        raise PdfError(f"{css}: missing {', '.join(missing)}")
    return [(css / n).as_uri() for n in names]


def print_view(site_dir: Path, lang: dict, slugs: list[str], prefix: str, labels: dict,
               stamp: dict, page_numbers: dict[str, int] | None,
               font_css: str = "") -> tuple[str, dict[str, str]]:
    """The print view's HTML and the chapter titles (slug -> title)."""
    code = lang["locale"]
    direction = pagemeta.direction(code)
    local = language_registry.load().get(code).digits_of
    site_root = site_dir.as_uri() + "/"
    chapter_urls = {slug: urlsplit(urljoin(site_root, f"{prefix}{slug}/")).path for slug in slugs}
    chapters, titles = [], {}
    for slug in slugs:
        path = page_file(site_dir, prefix, slug)
        content = article_html(path.read_text(encoding="utf-8"), str(path))
        titles[slug] = heading_text(content) or slug
        body = rewrite(content, slug, path.as_uri(), chapter_urls)
        chapters.append(f'<section class="print-chapter" id="chapter-{slug}">\n{body}\n</section>')

    toc = []
    for slug in slugs:
        number = local(str(page_numbers[slug])) if page_numbers else "0"
        toc.append(f'<li><a href="#chapter-{slug}">{_html.escape(titles[slug])}</a>'
                   f'<span class="print-toc__leader"></span><span class="print-toc__page">{number}</span></li>')

    edition = local(labels["edition"].format(date=stamp["built"][:10], commit=stamp["commit"]))
    logo = site_dir / "assets" / "images" / "logo.svg"
    links = "\n".join(f'<link rel="stylesheet" href="{href}">' for href in stylesheet_links(site_dir))
    counter = "arabic-indic" if language_registry.load().get(code).digits == "arabic-indic" else "decimal"
    style = f"""
{font_css}
  /* Page numbers in the reader's digits; none on the cover. */
  @page {{ @bottom-center {{ content: counter(page, {counter}); font-family: var({material.TEXT_FONT_VAR}); font-size: 9pt; color: #444; }} }}
  @page :first {{ @bottom-center {{ content: none; }} }}
  body {{ margin: 0; }}
  /* Code (file names...) in the site's own Latin face, not a system monospace. */
  :root {{ {material.CODE_FONT_VAR}: "Noto Sans Runs", "Noto Sans"; }}
"""
    # No script, no frame, no request but local styles, images and fonts
    # (guide/pages/csp.py); render() refuses files outside the site.
    policy = csp.print_policy([style])
    document = f"""<!doctype html>
<html lang="{code}" dir="{direction}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<title>{_html.escape(lang["site_name"])}</title>
{links}
<style>{style}</style>
</head>
<body dir="{direction}">
{material.typeset_open("print-view")}
<section class="print-cover">
  {f'<img class="print-cover__logo" src="{logo.as_uri()}" alt="">' if logo.is_file() else ''}
  <h1 class="print-cover__title">{_html.escape(lang["site_name"])}</h1>
  <p class="print-cover__subtitle">{_html.escape(lang["site_description"])}</p>
  <p class="print-cover__meta">Strong Cities Network<br>{_html.escape(edition)}</p>
</section>
<nav class="print-toc" id="toc">
  <h2>{_html.escape(labels["contents"])}</h2>
  <ol>
  {"".join(toc)}
  </ol>
</nav>
{"".join(chapters)}
</div>
</body>
</html>
"""
    return document, titles


def chapter_pages(pdf_path: Path, slugs: list[str]) -> dict[str, int]:
    """1-based page on which each chapter starts, from the PDF's named destinations."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf_path))
    dests = reader.named_destinations
    pages = {}
    for slug in slugs:
        dest = dests.get(f"/chapter-{slug}") or dests.get(f"chapter-{slug}")
        if dest is None:
            raise PdfError(f"{pdf_path}: no destination 'chapter-{slug}' (contents links missing?)")
        pages[slug] = reader.get_destination_page_number(dest) + 1
    return pages


def local_file(url: str, roots: list[Path]) -> bool:
    """Whether ``url`` is a ``file:`` URL of a file under one of ``roots``
    (symbolic links followed: a link inside the site to a file outside is outside)."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    try:
        path = Path(unquote(parts.path)).resolve()
    except (OSError, RuntimeError, ValueError):
        return False
    return any(path.is_relative_to(root.resolve()) for root in roots)


def render(browser, html_file: Path, pdf_path: Path, roots: list[Path] | None = None) -> None:
    """Print ``html_file``. Its browser loads files under ``roots`` (default:
    the print view's folder, i.e. the site) and data: URLs, nothing else: no
    other file of the machine, nothing from the network. A refused request
    fails the print, naming it."""
    roots = roots or [html_file.parent]
    refused = []

    def only_the_site(route):
        url = route.request.url
        if url.startswith("data:") or local_file(url, roots):
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    context = browser.new_context()
    try:
        context.route("**/*", only_the_site)
        page = context.new_page()
        page.goto(html_file.as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready.then(() => document.fonts.status)")
        page.pdf(path=str(pdf_path), prefer_css_page_size=True, print_background=True, outline=True, tagged=True)
        if refused:  # (also what printing itself asked for, e.g. lazy images)
            pdf_path.unlink(missing_ok=True)
            raise PdfError(f"{html_file.name}: the print view asked for {refused[0][:120]} (outside the site; "
                           f"refused{f', and {len(refused) - 1} more' if len(refused) > 1 else ''})")
    finally:
        context.close()


def build_pdfs(out_dir: Path, site_dir: Path | None = None, only: list[str] | None = None,
               browser=None) -> list[dict]:
    """Print the PDFs into ``out_dir``; return their manifest entries.

    ``browser``: a running Playwright Chromium to use (the test suite passes its
    own: Playwright's sync API cannot be started twice in one thread).
    """
    from playwright.sync_api import sync_playwright

    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    config = load_config()
    slugs = nav_slugs(config)
    langs = [lang for lang in languages(config) if not only or lang["locale"] in only]
    stamp = downloads.version_stamp(ROOT)
    if not Path(CHROMIUM).exists():
        raise PdfError(f"Chromium not found at {CHROMIUM}: run `make system-deps` (Debian package 'chromium')")
    with tempfile.TemporaryDirectory(prefix="guide-pdf-") as tmp:
        if site_dir is None:
            site_dir = Path(tmp) / "site"
            # No manifest while printing: the PDFs must not depend on older downloads.
            proc = build_site(site_dir, env={"GUIDE_DIST_DIR": str(Path(tmp) / "no-dist")})
            if proc.returncode:
                sys.stderr.write(proc.stderr[-6000:])
                raise PdfError(f"site build failed (exit {proc.returncode})")
        site_dir = Path(site_dir).resolve()
        fonts_dir = Path(tmp) / "fonts"
        fonts_dir.mkdir()
        font_css = static_fonts(site_dir, fonts_dir)
        if browser is not None:
            entries = _print_all(browser, site_dir, Path(tmp), out_dir, langs, slugs, stamp, font_css)
        else:
            with sync_playwright() as pw:
                own = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                try:
                    entries = _print_all(own, site_dir, Path(tmp), out_dir, langs, slugs, stamp, font_css)
                finally:
                    own.close()
    downloads.update_manifest(out_dir, entries)
    return entries


def _print_all(browser, site_dir: Path, tmp: Path, out_dir: Path, langs: list[dict], slugs: list[str],
               stamp: dict, font_css: str) -> list[dict]:
    from pypdf import PdfReader

    entries = []
    # What the print view may load: the site and the print fonts made for it.
    roots = [site_dir, Path(tmp) / "fonts"]
    for lang in langs:
        code = lang["locale"]
        prefix = "" if lang["default"] else f"{code}/"
        labels = ui_strings(code)
        html_file = site_dir / f".print-{code}.html"
        final = out_dir / f"guide-{code}.pdf"
        draft = Path(tmp) / f"draft-{code}.pdf"
        try:
            document, _ = print_view(site_dir, lang, slugs, prefix, labels, stamp, None, font_css)
            html_file.write_text(document, encoding="utf-8")
            render(browser, html_file, draft, roots)
            numbers = chapter_pages(draft, slugs)
            document, _ = print_view(site_dir, lang, slugs, prefix, labels, stamp, numbers, font_css)
            html_file.write_text(document, encoding="utf-8")
            render(browser, html_file, draft, roots)
            if chapter_pages(draft, slugs) != numbers:
                raise PdfError(f"guide-{code}.pdf: contents page numbers moved in the second pass")
        finally:
            html_file.unlink(missing_ok=True)  # leave the (possibly caller's) site as it was
        partial = final.with_name(final.name + ".tmp")
        shutil.copyfile(draft, partial)
        partial.replace(final)  # never a half-written PDF under the final name
        entry = downloads.file_entry(final, "pdf", code, stamp)
        entries.append(entry)
        pages = len(PdfReader(str(final)).pages)
        print(f"pdf: {final} {entry['bytes'] / 1e6:.2f} MB, {pages} pages")
    return entries


def main(args) -> int:
    out_dir = Path(args.out_dir) if args.out_dir else downloads.dist_dir()
    try:
        build_pdfs(out_dir, Path(args.site_dir) if args.site_dir else None, args.lang)
    except (PdfError, downloads.ManifestError) as exc:
        print(f"pdf: error: {exc}", file=sys.stderr)
        return 1
    return 0
