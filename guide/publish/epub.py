"""One EPUB 3 per language (reflowable), made from the built site.

``python -m tools epub`` builds the site (strict) into a temporary directory,
or takes ``--site-dir``, then for each language:

* takes each page's article HTML from the built site (like ``guide.publish.pdf``),
  in ``mkdocs.yml`` nav order without the home page: the about page (front
  matter), the eight chapters and the conclusion (body), the case-studies index
  and the glossary (back matter);
* turns it into clean XHTML through an allowlist (:func:`to_xhtml`): only the
  elements and attributes a reading system needs; no script, no Material chrome
  (permalinks, page dates, scroll wrappers); data tables become cards (a
  titled list of label/value pairs), which read on a 6-inch screen; Python-
  Markdown footnotes become EPUB footnotes (``epub:type="noteref"`` /
  ``"footnote"``); links to other pages become links between the book's files,
  links to pages outside the book (home page, other language) become text;
* adds a cover (an image drawn by Chromium from the guide's logo and title, and
  an XHTML cover page), a navigation document (``nav.xhtml``, pages and their
  sections, landmarks) and an NCX for older readers, the guide's fonts (static
  400/700 instances with one glyph per dotted Arabic letter, see
  ``guide.publish.pdffonts``, subset to the characters the book uses), full and
  accessibility metadata, and ``page-progression-direction`` for the language;
* zips it (``mimetype`` first, stored) into ``dist/guide-<lang>.epub`` and
  records it in ``dist/downloads.json``.

``check_epub`` runs EPUBCheck (Debian's ``epubcheck``) and returns its
messages; ``python -m tools epub`` and the release fail on any error or warning.
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from guide import languages, siteconfig
from guide.data import ui
from guide.engine import build_site
from guide.publish import downloads
from guide.publish import pdf as _pdf
from guide.theme import material

ROOT = Path(__file__).resolve().parents[2]
PUBLISHER = "Strong Cities Network"
BUDGET_BYTES = 1_000_000  # each EPUB (issue 22)
OPS = "OEBPS"
XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
# Fixed namespace for the books' identifiers: urn:uuid is uuid5(this, "<lang>/<edition date>"),
# the same for every build of one edition, different between languages and editions.
ID_NAMESPACE = uuid.UUID("6f1d2c0e-5b7a-5c43-9a55-2f3b1c9e4d21")


class EpubError(RuntimeError):
    pass


def add_arguments(parser) -> None:
    parser.add_argument("--out-dir", default=None, help="where the EPUBs go (default: dist/, or $GUIDE_DIST_DIR)")
    parser.add_argument("--site-dir", default=None,
                        help="use this already-built site (default: build one in a temporary directory)")
    parser.add_argument("--lang", action="append", help="only this language (repeatable; default: all)")
    parser.add_argument("--no-check", action="store_true", help="do not run EPUBCheck on the result")


# --- HTML -> a small tree -------------------------------------------------------

VOID = {"br", "hr", "img", "wbr", "col", "meta", "link", "input", "source"}


@dataclass
class El:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list = field(default_factory=list)  # El or str

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, El):
                yield from child.iter()


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = El("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = El(tag, {name: (value if value is not None else "") for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(El(tag, {n: (v if v is not None else "") for n, v in attrs}))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(fragment: str) -> El:
    builder = _TreeBuilder()
    builder.feed(fragment)
    builder.close()
    return builder.root


# --- the allowlist ----------------------------------------------------------------

# Elements kept as they are (with the attributes below); any other element is
# unwrapped (its content kept), except DROP, which go with their content.
ALLOWED = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "a", "span", "strong", "em", "b", "i", "u", "s", "abbr", "bdi",
    "bdo", "sup", "sub", "small", "mark", "q", "cite", "dfn", "code", "kbd", "samp", "var", "br", "hr", "wbr",
    "ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "section", "aside", "div", "blockquote", "pre", "figure", "figcaption", "img", "del", "ins", "time",
}
DROP = {"script", "style", "template", "noscript", "svg", "math", "button", "input", "select", "textarea",
        "form", "iframe", "object", "embed", "video", "audio", "canvas", "nav", "header", "footer", "link",
        "meta", "label", "dialog", "source", "picture"}
GLOBAL_ATTRS = {"id", "lang", "dir", "title", "class"}
TAG_ATTRS = {
    "a": {"href"}, "img": {"src", "alt"}, "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"}, "ol": {"start", "reversed"}, "li": {"value"}, "time": {"datetime"},
    "q": {"cite"}, "blockquote": {"cite"}, "bdo": {"dir"},
}
# Classes the book's stylesheet knows; any other class (Material's own) goes.
_KEEP_CLASS = re.compile(r"^(guide-[a-z0-9_-]+|admonition(-title)?|abstract|info|note|tip|warning|danger|"
                         r"example|quote|question|success|failure|bug|summary)$")
_DROP_CLASSES = {"headerlink", "guide-page-dates", material.SOURCE_FILE_CLASS, "footnote-backref"}
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_SAFE_SCHEMES = ("http:", "https:", "mailto:")
_DIR = {"rtl", "ltr", "auto"}


def clean_id(value: str) -> str:
    """An ID every EPUB checker accepts (an XML name without colons); links use the same mapping."""
    value = re.sub(r"[^\w.-]", "-", value.strip())
    if not value or not (value[0].isalpha() or value[0] == "_"):
        value = "x-" + value
    return value


@dataclass
class PageContext:
    """What the converter needs to know about the page it converts."""

    slug: str
    page_url: str  # file: URL of the built page
    page_files: dict[str, str]  # URL path of each book page -> its file in the book ("strategy.xhtml")
    images: dict[str, Path] = field(default_factory=dict)  # book path -> file on disk (filled in)
    site_dir: Path | None = None


def _link(raw: str, ctx: PageContext) -> str | None:
    """The href to write for ``raw``, or None to unwrap the link (target not in the book)."""
    raw = raw.strip()
    if raw.startswith("#"):
        return "#" + clean_id(unquote(raw[1:])) if len(raw) > 1 else None
    if _SCHEME.match(raw):
        return raw if raw.lower().startswith(_SAFE_SCHEMES) else None
    parts = urlsplit(urljoin(ctx.page_url, raw))
    path = unquote(parts.path)
    for url, name in ctx.page_files.items():
        if path in (url, url + "index.html") or path == url.rstrip("/") + ".html":
            return name + ("#" + clean_id(unquote(parts.fragment)) if parts.fragment else "")
    return None  # the home page, the other language, a download: not in this book


def _image(raw: str, ctx: PageContext) -> str | None:
    """The book path of a local raster image (copied into the book), else None (left out, said on stderr)."""
    if _SCHEME.match(raw) or ctx.site_dir is None:
        print(f"epub: {ctx.slug}: image {raw!r} left out (remote images would need the network)", file=sys.stderr)
        return None
    parts = urlsplit(urljoin(ctx.page_url, raw))
    source = Path(unquote(parts.path))
    if source.suffix.lower() not in (".png", ".jpg", ".jpeg", ".gif") or not source.is_file():
        # SVG would need its own cleaning for EPUB; no page has an image today.
        print(f"epub: {ctx.slug}: image {raw!r} left out (only PNG, JPEG and GIF files are carried)", file=sys.stderr)
        return None
    name = f"images/fig-{source.stem}{source.suffix.lower()}"  # "fig-": never the cover's name
    ctx.images[name] = source
    return name


def _attrs(element: El, ctx: PageContext) -> dict[str, str] | None:
    """The element's allowed attributes, cleaned; None if the element must be unwrapped (dead link)."""
    allowed = GLOBAL_ATTRS | TAG_ATTRS.get(element.tag, set())
    result: dict[str, str] = {}
    for name, value in element.attrs.items():
        if name not in allowed:
            continue
        if name == "id":
            value = clean_id(value)
        elif name == "class":
            value = " ".join(c for c in value.split() if _KEEP_CLASS.match(c))
            if not value:
                continue
        elif name == "dir" and value not in _DIR:
            continue
        elif name == "href":
            value = _link(value, ctx)
            if value is None:
                return None
        elif name == "src":
            value = _image(value, ctx)
            if value is None:
                return None
        result[name] = value
    if element.tag == "a" and "href" not in result and "href" in element.attrs:
        return None
    if element.tag == "img":
        if "src" not in result:
            return None
        result.setdefault("alt", "")
    return result


def _convert(node, ctx: PageContext) -> list:
    if isinstance(node, str):
        return [node]
    classes = node.classes()
    if node.tag in DROP or classes & _DROP_CLASSES:
        return []
    if node.tag == "table" and "data-cards" in node.attrs:
        return _cards(node, ctx)
    if node.tag == "div" and "footnote" in classes:
        return _footnotes(node, ctx)
    if node.tag == "sup" and node.attrs.get("id", "").startswith("fnref"):
        return _noteref(node, ctx)
    children = [c for child in node.children for c in _convert(child, ctx)]
    if node.tag == "details":
        return [El("div", {"class": "guide-details"}, children)]
    if node.tag == "summary":
        return [El("p", {"class": "guide-details__summary"}, [El("strong", {}, children)])]
    if node.tag not in ALLOWED:
        return children
    if node.tag == "aside":  # a note box: some reading systems hide or pop up every <aside>
        node = El("div", node.attrs, node.children)
    attrs = _attrs(node, ctx)
    if attrs is None:
        return [] if node.tag == "img" else children
    return [El(node.tag, attrs, children)]


def _cards(table: El, ctx: PageContext) -> list:
    """A data table as cards: the caption, then per row its header as a title and a
    list of (column label, cell) pairs. Rows become ``div.guide-card``."""
    headers: list[str] = []
    out: list = []
    for element in table.iter():
        if element.tag == "caption":
            out.append(El("p", {"class": "guide-cards__caption"}, _convert_children(element, ctx)))
        elif element.tag == "thead":
            headers = [th.text().strip() for th in element.iter() if th.tag == "th"]
    rows = [row for row in table.iter() if row.tag == "tr" and not _inside(table, row, "thead")]
    for row in rows:
        card_attrs = {"class": "guide-card"}
        if "id" in row.attrs:
            card_attrs["id"] = clean_id(row.attrs["id"])
        card = El("div", card_attrs)
        fields = El("dl", {"class": "guide-card__fields"})
        cells = [c for c in row.children if isinstance(c, El) and c.tag in ("th", "td")]
        for index, cell in enumerate(cells):
            content = _convert_children(cell, ctx)
            extra = {k: v for k, v in (_attrs(El("span", {k: cell.attrs[k] for k in ("lang", "dir", "id")
                                                           if k in cell.attrs}), ctx) or {}).items()}
            if index == 0 and cell.tag == "th":
                card.children.append(El("p", {"class": "guide-card__title", **extra}, [El("strong", {}, content)]))
                continue
            label = cell.attrs.get("data-label") or (headers[index] if index < len(headers) else "")
            fields.children.append(El("dt", {}, [label]))
            fields.children.append(El("dd", extra, content))
        if fields.children:
            card.children.append(fields)
        out.append(card)
    return out


def _inside(root: El, target: El, tag: str) -> bool:
    def walk(node, within):
        if node is target:
            return within
        for child in node.children:
            if isinstance(child, El):
                found = walk(child, within or child.tag == tag)
                if found is not None:
                    return found
        return None
    return bool(walk(root, False))


def _convert_children(node: El, ctx: PageContext) -> list:
    return [c for child in node.children for c in _convert(child, ctx)]


def _noteref(sup: El, ctx: PageContext) -> list:
    """``<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>`` -> an EPUB noteref."""
    link = next((e for e in sup.iter() if e.tag == "a" and e.attrs.get("href", "").startswith("#")), None)
    if link is None:
        return _convert_children(sup, ctx)
    return [El("sup", {}, [El("a", {"epub:type": "noteref", "role": "doc-noteref", "id": clean_id(sup.attrs["id"]),
                                    "href": "#" + clean_id(unquote(link.attrs["href"][1:]))}, [link.text()])])]


def _footnotes(div: El, ctx: PageContext) -> list:
    """Python-Markdown's footnote list -> one ``aside epub:type="footnote"`` per note,
    its number a link back to the reference."""
    notes = []
    number = 0
    for item in div.iter():
        if item.tag != "li" or not item.attrs.get("id", "").startswith("fn"):
            continue
        number += 1
        back = next((e.attrs["href"] for e in item.iter()
                     if e.tag == "a" and "footnote-backref" in e.classes() and e.attrs.get("href")), None)
        content = [c for c in _convert_children(item, ctx) if not (isinstance(c, str) and not c.strip())]
        marker = El("a", {"href": "#" + clean_id(unquote(back[1:]))}, [f"{number}."]) if back else f"{number}."
        if content and isinstance(content[0], El) and content[0].tag == "p":
            content[0].children[:0] = [marker, " "]  # the number starts the note's first paragraph
        else:
            content[:0] = [marker, " "]
        notes.append(El("aside", {"epub:type": "footnote", "role": "doc-footnote", "id": clean_id(item.attrs["id"]),
                                  "class": "guide-footnote"}, content))
    return [El("section", {"class": "guide-footnotes", "epub:type": "footnotes"}, notes)] if notes else []


# --- XHTML output -------------------------------------------------------------------

def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attr(text: str) -> str:
    return _escape_text(text).replace('"', "&quot;")


def serialize(nodes: list) -> str:
    out: list[str] = []

    def write(node):
        if isinstance(node, str):
            out.append(_escape_text(node))
            return
        attrs = "".join(f' {name}="{_escape_attr(value)}"' for name, value in node.attrs.items())
        if node.tag in VOID:
            out.append(f"<{node.tag}{attrs}/>")
            return
        out.append(f"<{node.tag}{attrs}>")
        for child in node.children:
            write(child)
        out.append(f"</{node.tag}>")

    for node in nodes:
        write(node)
    return "".join(out)


def _collapse_empty(nodes: list) -> list:
    """Drop elements left empty by the allowlist (a span whose only child was a permalink)."""
    result = []
    for node in nodes:
        if isinstance(node, El):
            node.children = _collapse_empty(node.children)
            if not node.children and node.tag in ("span", "div", "p", "strong", "em", "section", "aside") \
                    and "id" not in node.attrs:
                continue
        result.append(node)
    return result


def to_xhtml(fragment: str, ctx: PageContext) -> str:
    """The article HTML of a built page as the body content of an EPUB XHTML document."""
    nodes = _collapse_empty(_convert_children(parse(fragment), ctx))
    return serialize(nodes).strip()


def document(body: str, title: str, lang: str, css: str = "book.css", body_type: str = "",
             head_extra: str = "") -> str:
    direction = "rtl" if _pdf.is_rtl(lang) else "ltr"
    body_attrs = f' epub:type="{body_type}"' if body_type else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="{XHTML_NS}" xmlns:epub="{EPUB_NS}" lang="{lang}" xml:lang="{lang}" dir="{direction}">\n'
        f'<head>\n<meta charset="utf-8"/>\n<title>{_escape_text(title)}</title>\n'
        f'<link rel="stylesheet" type="text/css" href="css/{css}"/>\n{head_extra}</head>\n'
        f'<body dir="{direction}"{body_attrs}>\n{body}\n</body>\n</html>\n'
    )


# --- the book's parts ----------------------------------------------------------------

# epub:type of each page's body and section (structural semantics vocabulary).
def page_semantics(slug: str) -> tuple[str, str]:
    if slug == "about":
        return "frontmatter", "preface"
    if slug == "glossary":
        return "backmatter", "glossary"
    if slug == "cases":
        return "backmatter", "appendix"
    if slug == "conclusion":
        return "bodymatter", "conclusion"
    return "bodymatter", "chapter"


def edition_date(config: dict, lang: str) -> str:
    """The language's edition date: ``extra.edition.<lang>.updated``, else ``published``."""
    edition = ((config.get("extra") or {}).get("edition") or {}).get(lang) or {}
    date = edition.get("updated") or edition.get("published")
    if not date:
        raise EpubError(f"mkdocs.yml: extra.edition.{lang} has neither 'updated' nor 'published'")
    return str(date)


def book_identifier(lang: str, edition: str) -> str:
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, f'{lang}/{edition}')}"


def ui_strings(lang: str) -> dict:
    """The EPUB's strings from data/ui.yml (guide/data/ui.py)."""
    keys = {"contents": "pdf.contents", "cover": "epub.cover", "landmarks": "epub.landmarks",
            "start": "epub.start", "summary": "epub.accessibility", "publisher": "epub.publisher"}
    try:
        return ui.strings(ui.ui_file(ROOT), lang, keys, "the EPUB")
    except ui.UIError as exc:
        raise EpubError(str(exc)) from None


def section_titles(body: str) -> list[tuple[str, str]]:
    """(id, text) of the h2 headings of a converted page, for the navigation document."""
    result = []
    for element in parse(body).iter():
        if element.tag == "h2" and element.attrs.get("id"):
            result.append((element.attrs["id"], " ".join(element.text().split())))
    return result


def nav_document(lang: str, title: str, labels: dict, pages: list[dict]) -> str:
    items = []
    for page in pages:
        subs = "".join(f'<li><a href="{page["file"]}#{_escape_attr(i)}">{_escape_text(t)}</a></li>'
                       for i, t in page["sections"])
        items.append(f'<li><a href="{page["file"]}">{_escape_text(page["title"])}</a>'
                     + (f"<ol>{subs}</ol>" if subs else "") + "</li>")
    first_body = next(p for p in pages if p["body_type"] == "bodymatter")
    body = (
        f'<nav epub:type="toc" id="toc" role="doc-toc">\n<h1>{_escape_text(labels["contents"])}</h1>\n'
        f'<ol>\n{chr(10).join(items)}\n</ol>\n</nav>\n'
        f'<nav epub:type="landmarks" id="landmarks" hidden="hidden">\n<h2>{_escape_text(labels["landmarks"])}</h2>\n<ol>\n'
        f'<li><a epub:type="cover" href="cover.xhtml">{_escape_text(labels["cover"])}</a></li>\n'
        f'<li><a epub:type="toc" href="nav.xhtml#toc">{_escape_text(labels["contents"])}</a></li>\n'
        f'<li><a epub:type="bodymatter" href="{first_body["file"]}">{_escape_text(labels["start"])}</a></li>\n'
        '</ol>\n</nav>'
    )
    return document(body, title, lang, body_type="frontmatter")


def ncx_document(identifier: str, title: str, lang: str, pages: list[dict]) -> str:
    points, order = [], 0
    for page in pages:
        order += 1
        inner = []
        for i, text in page["sections"]:
            order += 1
            inner.append(f'<navPoint id="np{order}" playOrder="{order}"><navLabel><text>{_escape_text(text)}</text>'
                         f'</navLabel><content src="{page["file"]}#{_escape_attr(i)}"/></navPoint>')
        start = order - len(inner)
        points.append(f'<navPoint id="np{start}" playOrder="{start}"><navLabel><text>{_escape_text(page["title"])}'
                      f'</text></navLabel><content src="{page["file"]}"/>{"".join(inner)}</navPoint>')
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="{lang}">\n'
        f'<head><meta name="dtb:uid" content="{identifier}"/><meta name="dtb:depth" content="2"/>'
        '<meta name="dtb:totalPageCount" content="0"/><meta name="dtb:maxPageNumber" content="0"/></head>\n'
        f'<docTitle><text>{_escape_text(title)}</text></docTitle>\n<navMap>\n{chr(10).join(points)}\n</navMap>\n</ncx>\n'
    )


def stylesheet(lang: str, faces: list[dict]) -> str:
    """The book's CSS: the embedded faces, the reading font stack, boxes and cards.

    No ``direction`` or ``unicode-bidi`` (EPUB forbids them in CSS): the
    markup's ``dir`` attributes isolate the foreign runs, as the site's do.
    """
    rules = [f'@font-face {{ font-family: "{f["family"]}"; font-weight: {f["weight"]}; font-style: normal; '
             f'src: url("../fonts/{f["file"]}"); }}' for f in faces]
    families = []
    language = languages.load().get(lang)
    # The Arabic face first for a language written in Arabic script (not for
    # any right-to-left one); list numbers in the language's own digits.
    arabic_first = language.script == "arabic"
    for face in sorted(faces, key=lambda f: (not f["arabic"]) if arabic_first else f["arabic"]):
        if face["family"] not in families:
            families.append(face["family"])
    stack = ", ".join(f'"{name}"' for name in families) + (", serif" if arabic_first else ", sans-serif")
    line = "1.8" if arabic_first else "1.5"
    return "\n".join(rules) + f"""
html, body {{ font-family: {stack}; }}
body {{ margin: 0 0.4em; line-height: {line}; widows: 2; orphans: 2; }}
h1, h2, h3, h4 {{ line-height: 1.35; color: #0b5c66; page-break-after: avoid; break-after: avoid; }}
h1 {{ font-size: 1.5em; margin: 0.6em 0 0.8em; }}
h2 {{ font-size: 1.25em; margin: 1.4em 0 0.5em; }}
h3 {{ font-size: 1.1em; margin: 1.2em 0 0.4em; }}
p {{ margin: 0.5em 0; }}
a {{ color: #0b5c66; }}
abbr {{ text-decoration: none; border: none; }}
ul, ol {{ margin: 0.5em 0; padding-inline-start: 1.4em; -webkit-padding-start: 1.4em; }}
dt {{ font-weight: bold; margin-top: 0.6em; }}
dd {{ margin: 0.1em 0 0.4em; margin-inline-start: 1em; -webkit-margin-start: 1em; }}
.admonition, .guide-box {{ margin: 1em 0; padding: 0.5em 0.7em; border: 1px solid #9bbcc0;
  border-inline-start: 4px solid #0b5c66; -webkit-border-start: 4px solid #0b5c66; background: #f4f8f8; }}
.guide-box {{ page-break-inside: avoid; break-inside: avoid; }}
.guide-box.guide-mandates, .guide-box.guide-cases-index, .guide-box.guide-termbase {{
  page-break-inside: auto; break-inside: auto; }}
.admonition-title, .guide-box__kind {{ font-weight: bold; color: #0b5c66; margin: 0 0 0.2em; font-size: 0.9em; }}
.guide-box__title {{ font-weight: bold; font-size: 1.05em; margin: 0.1em 0 0.2em; }}
.guide-box__meta, .guide-box__source, .guide-glossary__source, .guide-box__subtitle {{ font-size: 0.9em; color: #333; }}
.guide-figures {{ list-style: none; padding: 0; margin: 0.5em 0; }}
.guide-figures li {{ margin: 0.2em 0; }}
.guide-figure__value {{ color: #0b5c66; }}
.guide-tag {{ font-weight: bold; }}
.guide-cards__caption {{ font-weight: bold; color: #0b5c66; margin: 0 0 0.4em; }}
.guide-card {{ border-top: 1px solid #9bbcc0; padding: 0.4em 0; page-break-inside: avoid; break-inside: avoid; }}
.guide-card__title {{ margin: 0.1em 0; }}
.guide-card__fields {{ margin: 0; }}
.guide-card__fields dt {{ font-size: 0.85em; color: #0b5c66; margin-top: 0.3em; }}
.guide-card__fields dd {{ margin: 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.9em; }}
th, td {{ border: 1px solid #9bbcc0; padding: 0.2em 0.3em; vertical-align: top; }}
.guide-footnotes {{ margin-top: 2em; border-top: 1px solid #9bbcc0; font-size: 0.9em; }}
.cover {{ margin: 0; padding: 0; text-align: center; }}
.cover img {{ max-width: 100%; max-height: 100%; height: auto; }}
nav ol {{ list-style: none; padding-inline-start: 0; -webkit-padding-start: 0; }}
nav ol ol {{ padding-inline-start: 1.2em; -webkit-padding-start: 1.2em; }}
nav li {{ margin: 0.3em 0; }}
nav a {{ text-decoration: none; }}
nav > ol > li > a {{ font-weight: bold; }}
""" + ("ol { list-style-type: arabic-indic; }\nnav ol { list-style: none; }\n"
       if language.digits == "arabic-indic" else "")


# --- fonts -------------------------------------------------------------------------------

_FONT_FACE = re.compile(r"@font-face\s*{([^}]*)}")
WEIGHTS = (400, 700)


def font_sources(site_dir: Path) -> list[tuple[str, Path]]:
    """(CSS family for the book, font file) of each variable face in the site's fonts.css.

    A family split into several files (Noto Sans: latin, latin-ext) gets one
    family name per file ("Noto Sans", "Noto Sans 2"): the reading system
    falls back from one to the next per character, which needs no unicode-range
    (many reading systems ignore it). The small static "runs" faces are left
    out: the variable faces cover the same characters.
    """
    from guide.publish import pdffonts

    css_file = site_dir / "assets" / "stylesheets" / "fonts.css"
    seen: dict[str, int] = {}
    result, paths = [], set()
    for block in _FONT_FACE.findall(css_file.read_text(encoding="utf-8")):
        family = re.search(r'font-family:\s*"([^"]+)"', block)
        src = re.search(r'url\("?([^")]+)"?\)', block)
        if not (family and src):
            raise EpubError(f"{css_file}: @font-face without font-family or url(): {block.strip()[:80]}")
        path = (css_file.parent / src.group(1)).resolve()
        if path in paths or not pdffonts.is_variable(path):
            continue
        paths.add(path)
        seen[family.group(1)] = seen.get(family.group(1), 0) + 1
        name = family.group(1) + ("" if seen[family.group(1)] == 1 else f" {seen[family.group(1)]}")
        result.append((name, path))
    if not result:
        raise EpubError(f"{css_file}: no variable font faces found")
    return result


def book_chars(texts: list[str]) -> set[int]:
    """Code points a reader sees: everything but whitespace controls and format characters."""
    chars = set()
    for text in texts:
        for ch in text:
            if ch in "\n\r\t" or unicodedata.category(ch) == "Cf" and ch not in "\u200c\u200d":
                continue
            chars.add(ord(ch))
    return chars


_ARABIC_RUN = re.compile(r"[\u0600-\u06ff\u200c\u200d]+")
_COMPOSED = (".dots", ".mark", ".mark2")  # suffixes of pdffonts' composite glyphs


def prune_composites(font, words: set[str]) -> int:
    """Keep only the composite glyphs (see ``pdffonts``) that shaping ``words`` produces.

    ``compose_dotted_letters`` adds one glyph for every (letter form, mark)
    pair the font could meet, thousands of them; a subset keeps every pair
    whose parts it keeps. Each of ``words`` is shaped with HarfBuzz; the
    ligatures to composites no word uses are removed, so the subset drops
    them. A reading system that meets a pair anyway (a word split between two
    elements) draws the letter and its mark as two glyphs, as the site does.
    Returns how many composites were kept.
    """
    import io

    import uharfbuzz as hb

    data = io.BytesIO()
    font.save(data)
    hb_font = hb.Font(hb.Face(data.getvalue()))
    order = font.getGlyphOrder()
    used: set[str] = set()
    for word in words:
        buf = hb.Buffer()
        buf.add_str(word)
        buf.guess_segment_properties()
        hb.shape(hb_font, buf)
        used.update(order[info.codepoint] for info in buf.glyph_infos)
    gsub = font["GSUB"].table
    kept = 0
    for lookup in gsub.LookupList.Lookup:
        if lookup.LookupType != 4:
            continue
        for st in lookup.SubTable:
            for first, ligatures in list(st.ligatures.items()):
                keep = [lig for lig in ligatures if not lig.LigGlyph.endswith(_COMPOSED) or lig.LigGlyph in used]
                kept += sum(lig.LigGlyph.endswith(_COMPOSED) for lig in keep)
                if keep:
                    st.ligatures[first] = keep
                else:
                    del st.ligatures[first]
    return kept


def embed_fonts(sources: list[tuple[str, Path]], chars: set[int], out_dir: Path,
                texts: list[str] = ()) -> list[dict]:
    """Static, dotted-letter-composed subsets of the site's fonts for ``chars``
    (``texts``: the book's text, whose Arabic words decide which composites stay)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from guide.publish import pdffonts

    words = {w for text in texts for w in _ARABIC_RUN.findall(text)}
    faces = []
    for family, path in sources:
        cmap = set(TTFont(str(path), lazy=True).getBestCmap())
        wanted = chars & cmap
        if not wanted - {0x20, 0xA0}:
            continue  # the book uses nothing of this face
        arabic = 0x0627 in cmap
        for weight in WEIGHTS:
            font = pdffonts.static_instance(path, weight)
            if pdffonts.compose_dotted_letters(font):
                prune_composites(font, words)
            options = subset.Options()
            options.layout_features = ["*"]
            options.name_IDs = ["*"]
            options.name_languages = ["*"]
            options.notdef_outline = True
            options.hinting = False
            options.glyph_names = False
            options.drop_tables += ["DSIG"]
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=sorted(wanted))
            subsetter.subset(font)
            name = f"{path.name.split('.')[0]}-{weight}.ttf"
            font.flavor = None
            font.save(str(out_dir / name))
            faces.append({"family": family, "weight": weight, "file": name, "arabic": arabic,
                          "chars": sorted(wanted)})
    return faces


# --- the cover -----------------------------------------------------------------------------

COVER_SIZE = (1200, 1800)


def cover_html(site_dir: Path, lang: str, title: str, subtitle: str, edition: str,
               publisher: str = PUBLISHER) -> str:
    """The cover drawn in the site's fonts (loaded before drawing: the site's
    ``font-display: optional`` would let Chromium draw in a fallback font)."""
    direction = "rtl" if _pdf.is_rtl(lang) else "ltr"
    logo = (site_dir / "assets" / "images" / "logo.svg").read_text(encoding="utf-8")
    faces = "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); font-weight: 400 700; font-display: block; }}'
        for family, path in font_sources(site_dir))
    family = ('"Noto Naskh Arabic", "Noto Sans"' if languages.load().get(lang).script == "arabic"
              else '"Noto Sans", "Noto Naskh Arabic"')
    width, height = COVER_SIZE
    return f"""<!doctype html>
<html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">
<style>
  {faces}
  html, body {{ margin: 0; width: {width}px; height: {height}px; }}
  body {{ box-sizing: border-box; padding: 150px 110px; display: flex; flex-direction: column;
         background: #0b5c66; color: #fff; font-family: {family}; }}
  .logo {{ width: 260px; height: 260px; color: #fff; }}
  .logo svg {{ width: 100%; height: 100%; }}
  h1 {{ font-size: 96px; line-height: 1.35; margin: 90px 0 50px; font-weight: 700; }}
  p.sub {{ font-size: 46px; line-height: 1.5; margin: 0; opacity: .92; }}
  .foot {{ margin-top: auto; font-size: 44px; line-height: 1.5; border-top: 4px solid #fff; padding-top: 36px; }}
</style></head>
<body><div class="logo">{logo}</div>
<h1>{_html.escape(title)}</h1><p class="sub">{_html.escape(subtitle)}</p>
<div class="foot">{_html.escape(publisher)}<br>{_html.escape(edition)}</div></body></html>"""


def draw_cover(browser, html_file: Path, target: Path) -> None:
    context = browser.new_context(viewport={"width": COVER_SIZE[0], "height": COVER_SIZE[1]})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                  else route.abort())
    page = context.new_page()
    page.goto(html_file.as_uri(), wait_until="load")
    page.evaluate("""async () => {
        for (const el of document.querySelectorAll("h1, p, div")) {
            const cs = getComputedStyle(el);
            await document.fonts.load(`${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`, el.textContent);
        }
        return document.fonts.ready;
    }""")
    missing = page.evaluate("""() => ['"Noto Naskh Arabic"', '"Noto Sans"'].filter(f =>
        ![...document.fonts].some(face => face.family === f.slice(1, -1) && face.status === "loaded"))""")
    if missing:
        raise EpubError(f"cover: font(s) {missing} did not load")
    page.screenshot(path=str(target), type="jpeg", quality=82)
    context.close()


# --- metadata and the package -------------------------------------------------------------------

def modified_stamp() -> str:
    """dcterms:modified (CCYY-MM-DDThh:mm:ssZ); SOURCE_DATE_EPOCH fixes it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc) if epoch else _dt.datetime.now(_dt.timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def package_document(*, lang: str, title: str, description: str, identifier: str, date: str, modified: str,
                     source: str, rights: str, summary: str, pages: list[dict], faces: list[dict],
                     images: list[str]) -> str:
    direction = "rtl" if _pdf.is_rtl(lang) else "ltr"
    e = _escape_text
    manifest = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>',
        '<item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>',
        '<item id="cover-image" href="images/cover.jpg" media-type="image/jpeg" properties="cover-image"/>',
        '<item id="css" href="css/book.css" media-type="text/css"/>',
    ]
    for i, face in enumerate(faces):
        manifest.append(f'<item id="font{i}" href="fonts/{face["file"]}" media-type="font/ttf"/>')
    types = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}
    for i, name in enumerate(images):
        manifest.append(f'<item id="img{i}" href="{name}" media-type="{types[Path(name).suffix]}"/>')
    for page in pages:
        manifest.append(f'<item id="p-{page["slug"]}" href="{page["file"]}" media-type="application/xhtml+xml"/>')
    spine = ['<itemref idref="cover" linear="yes"/>', '<itemref idref="nav" linear="yes"/>']
    spine += [f'<itemref idref="p-{page["slug"]}"/>' for page in pages]
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "alternativeText",
                "displayTransformability"]
    a11y = "\n".join(
        ['<meta property="schema:accessMode">textual</meta>',
         '<meta property="schema:accessMode">visual</meta>',
         '<meta property="schema:accessModeSufficient">textual</meta>']
        + [f'<meta property="schema:accessibilityFeature">{f}</meta>' for f in features]
        + ['<meta property="schema:accessibilityHazard">none</meta>',
           f'<meta property="schema:accessibilitySummary">{e(summary)}</meta>'])
    return f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid" xml:lang="{lang}" dir="{direction}"
         prefix="ibooks: http://vocabulary.itunes.apple.com/rdf/ibooks/vocabulary-extensions-1.0/">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="bookid">{e(identifier)}</dc:identifier>
<dc:title id="title">{e(title)}</dc:title>
<meta refines="#title" property="title-type">main</meta>
<dc:description>{e(description)}</dc:description>
<dc:language>{lang}</dc:language>
<dc:creator id="creator" xml:lang="en" dir="ltr">{e(PUBLISHER)}</dc:creator>
<meta refines="#creator" property="role" scheme="marc:relators">aut</meta>
<dc:publisher xml:lang="en" dir="ltr">{e(PUBLISHER)}</dc:publisher>
<dc:date>{e(date)}</dc:date>
<dc:source>{e(source)}</dc:source>
<dc:rights>{e(rights)}</dc:rights>
<meta property="dcterms:modified">{modified}</meta>
<meta name="cover" content="cover-image"/>
<meta property="rendition:layout">reflowable</meta>
<meta property="ibooks:specified-fonts">true</meta>
{a11y}
</metadata>
<manifest>
{chr(10).join(manifest)}
</manifest>
<spine toc="ncx" page-progression-direction="{direction}">
{chr(10).join(spine)}
</spine>
</package>
"""


CONTAINER = """<?xml version="1.0" encoding="utf-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/package.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"""


def write_zip(target: Path, files: dict[str, bytes], when: tuple) -> None:
    """The EPUB container: ``mimetype`` first and stored, everything else deflated."""
    partial = target.with_name(target.name + ".tmp")
    with zipfile.ZipFile(partial, "w") as zf:
        info = zipfile.ZipInfo("mimetype", date_time=when)
        info.compress_type = zipfile.ZIP_STORED
        zf.writestr(info, b"application/epub+zip")
        for name in sorted(files, key=lambda n: (not n.startswith("META-INF/"), n)):
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[name], compresslevel=9)
    partial.replace(target)


# --- building -----------------------------------------------------------------------------------

def build_book(site_dir: Path, lang: dict, slugs: list[str], config: dict, work: Path,
               browser) -> dict[str, bytes]:
    """Every file of one language's EPUB (path inside the container -> bytes)."""
    code = lang["locale"]
    prefix = "" if lang["default"] else f"{code}/"
    labels = ui_strings(code)
    site_root = site_dir.as_uri() + "/"
    page_files = {urlsplit(urljoin(site_root, f"{prefix}{slug}/")).path: f"{slug}.xhtml" for slug in slugs}
    files: dict[str, bytes] = {}
    pages, images = [], {}
    for slug in slugs:
        path = _pdf.page_file(site_dir, prefix, slug)
        article = _pdf.article_html(path.read_text(encoding="utf-8"), str(path))
        ctx = PageContext(slug, path.as_uri(), page_files, site_dir=site_dir)
        body = to_xhtml(article, ctx)
        images.update(ctx.images)
        title = _pdf.heading_text(article) or slug
        body_type, section_type = page_semantics(slug)
        pages.append({"slug": slug, "file": f"{slug}.xhtml", "title": title, "body": body,
                      "body_type": body_type, "section_type": section_type, "sections": section_titles(body)})
    for page in pages:
        content = f'<section epub:type="{page["section_type"]}">\n{page["body"]}\n</section>'
        files[f"{OPS}/{page['file']}"] = document(content, page["title"], code, body_type=page["body_type"]).encode()
    title = lang["site_name"]
    files[f"{OPS}/nav.xhtml"] = nav_document(code, title, labels, pages).encode()

    edition = edition_date(config, code)
    identifier = book_identifier(code, edition)
    files[f"{OPS}/toc.ncx"] = ncx_document(identifier, title, code, pages).encode()
    alt = f"{title}. {lang['site_description']}"
    cover_body = (f'<section class="cover" epub:type="cover"><img src="images/cover.jpg" '
                  f'alt="{_escape_attr(alt)}"/></section>')
    files[f"{OPS}/cover.xhtml"] = document(cover_body, labels["cover"], code).encode()

    # The cover image: Chromium draws the logo, title and edition date.
    from guide.pages.notices import format_date

    edition_label = format_date(_dt.date.fromisoformat(edition), code)
    cover_page = site_dir / f".epub-cover-{code}.html"
    cover_jpg = work / f"cover-{code}.jpg"
    try:
        cover_page.write_text(cover_html(site_dir, code, title, lang["site_description"], edition_label,
                                         labels["publisher"]),
                              encoding="utf-8")
        draw_cover(browser, cover_page, cover_jpg)
    finally:
        cover_page.unlink(missing_ok=True)
    files[f"{OPS}/images/cover.jpg"] = cover_jpg.read_bytes()
    for name, source in sorted(images.items()):
        files[f"{OPS}/{name}"] = source.read_bytes()

    # Fonts: subsets for exactly the characters of the book's documents.
    texts = [parse(re.sub(r"^<\?xml[^>]*>|<!DOCTYPE[^>]*>", "", data.decode())).text()
             for name, data in files.items() if name.endswith((".xhtml", ".ncx"))]
    fonts_dir = work / f"fonts-{code}"
    fonts_dir.mkdir(exist_ok=True)
    faces = embed_fonts(font_sources(site_dir), book_chars(texts), fonts_dir, texts)
    for face in faces:
        files[f"{OPS}/fonts/{face['file']}"] = (fonts_dir / face["file"]).read_bytes()
    files[f"{OPS}/css/book.css"] = stylesheet(code, faces).encode()

    from guide.pages.notices import GUIDE_URL

    files[f"{OPS}/package.opf"] = package_document(
        lang=code, title=title, description=lang["site_description"], identifier=identifier, date=edition,
        modified=modified_stamp(), source=GUIDE_URL, rights=config.get("copyright") or f"© {PUBLISHER}",
        summary=labels["summary"], pages=pages, faces=faces, images=sorted(images)).encode()
    files["META-INF/container.xml"] = CONTAINER.encode()
    check_links(files)
    return files


def check_links(files: dict[str, bytes]) -> None:
    """Every internal href names a file of the book and, with a fragment, an ID in it."""
    ids: dict[str, set[str]] = {}
    trees = {}
    for name, data in files.items():
        if name.endswith(".xhtml"):
            tree = parse(re.sub(r"^<\?xml[^>]*>|<!DOCTYPE[^>]*>", "", data.decode()))
            trees[name] = tree
            ids[name] = {e.attrs["id"] for e in tree.iter() if "id" in e.attrs}
    problems = []
    for name, tree in trees.items():
        base = name.rsplit("/", 1)[0]
        for element in tree.iter():
            href = element.attrs.get("href") if element.tag == "a" else None
            if not href or _SCHEME.match(href):
                continue
            target, _, fragment = href.partition("#")
            target_name = f"{base}/{target}" if target else name
            if target_name not in ids:
                problems.append(f"{name}: link to missing file {href!r}")
            elif fragment and fragment not in ids[target_name]:
                problems.append(f"{name}: link {href!r}: no id {fragment!r} in {target or 'this file'}")
    if problems:
        raise EpubError("broken internal links:\n  " + "\n  ".join(problems[:20]))


def build_epubs(out_dir: Path, site_dir: Path | None = None, only: list[str] | None = None,
                browser=None, check: bool = False) -> list[dict]:
    """Write ``guide-<lang>.epub`` into ``out_dir``; return their manifest entries.

    ``browser``: a running Playwright Chromium (the test suite passes its own).
    ``check``: run EPUBCheck and fail on any error or warning.
    """
    from playwright.sync_api import sync_playwright

    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    config = siteconfig.load_config()
    slugs = _pdf.nav_slugs(config)
    langs = [lang for lang in _pdf.languages(config) if not only or lang["locale"] in only]
    stamp = downloads.version_stamp(ROOT)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (_dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc) if epoch
            else _dt.datetime.now(_dt.timezone.utc)).timetuple()[:6]
    entries = []
    with tempfile.TemporaryDirectory(prefix="guide-epub-") as tmp:
        work = Path(tmp)
        if site_dir is None:
            site_dir = work / "site"
            proc = build_site(site_dir, env={"GUIDE_DIST_DIR": str(work / "no-dist")})
            if proc.returncode:
                sys.stderr.write(proc.stderr[-6000:])
                raise EpubError(f"site build failed (exit {proc.returncode})")
        site_dir = Path(site_dir).resolve()

        def run(chromium):
            for lang in langs:
                files = build_book(site_dir, lang, slugs, config, work, chromium)
                target = out_dir / f"guide-{lang['locale']}.epub"
                write_zip(target, files, when)
                if check:
                    problems = [m for m in check_epub(target) if m["severity"] not in ("INFO", "USAGE")]
                    if problems:
                        raise EpubError(f"{target.name}: EPUBCheck reports {len(problems)} problem(s):\n  "
                                        + "\n  ".join(format_message(m) for m in problems[:20]))
                entry = downloads.file_entry(target, "epub", lang["locale"], stamp)
                entries.append(entry)
                print(f"epub: {target} {entry['bytes'] / 1e6:.2f} MB"
                      + (", EPUBCheck: no errors or warnings" if check else ""))

        if browser is not None:
            run(browser)
        else:
            with sync_playwright() as pw:
                own = pw.chromium.launch(executable_path=_pdf.CHROMIUM, args=_pdf.CHROMIUM_ARGS, headless=True)
                try:
                    run(own)
                finally:
                    own.close()
    downloads.update_manifest(out_dir, entries)
    return entries


# --- EPUBCheck ----------------------------------------------------------------------------------

def epubcheck_command() -> list[str]:
    """How to run EPUBCheck: Debian's /usr/bin/epubcheck is the jar itself (run by binfmt when
    registered), so it is started with ``java -jar``; $EPUBCHECK overrides."""
    explicit = os.environ.get("EPUBCHECK")
    path = explicit or shutil.which("epubcheck")
    if not path:
        raise EpubError("epubcheck not found: run `make system-deps` (Debian package 'epubcheck')")
    if os.path.realpath(path).endswith(".jar"):
        java = shutil.which("java")
        if not java:
            raise EpubError("java not found (EPUBCheck needs it): run `make system-deps`")
        return [java, "-jar", os.path.realpath(path)]
    return [path]


def epubcheck_report(path: Path) -> dict:
    """EPUBCheck's JSON report for ``path`` (``checker``, ``publication``, ``messages``...)."""
    with tempfile.TemporaryDirectory(prefix="epubcheck-") as tmp:
        report = Path(tmp) / "report.json"
        proc = subprocess.run([*epubcheck_command(), str(path), "--json", str(report)],
                              capture_output=True, text=True)
        if not report.is_file():
            raise EpubError(f"EPUBCheck did not run (exit {proc.returncode}): {proc.stderr[-2000:]}")
        data = json.loads(report.read_text(encoding="utf-8"))
    data["exit"] = proc.returncode
    data["stderr"] = proc.stderr
    return data


def check_epub(path: Path, report: dict | None = None) -> list[dict]:
    """EPUBCheck's messages for ``path``: [{severity, id, message, locations}] (INFO/USAGE included)."""
    data = report if report is not None else epubcheck_report(path)
    messages = []
    for m in data.get("messages", []):
        locations = [f"{loc.get('path')}:{loc.get('line')}:{loc.get('column')}" for loc in m.get("locations", [])]
        messages.append({"severity": m.get("severity"), "id": m.get("ID"), "message": m.get("message"),
                         "locations": locations})
    if data["exit"] and not any(m["severity"] in ("ERROR", "FATAL") for m in messages):
        raise EpubError(f"EPUBCheck failed (exit {data['exit']}) without messages: {data['stderr'][-2000:]}")
    return messages


def format_message(m: dict) -> str:
    where = m["locations"][0] if m["locations"] else ""
    return f"{m['severity']} {m['id']} {where}: {m['message']}"


def main(args) -> int:
    out_dir = Path(args.out_dir) if args.out_dir else downloads.dist_dir()
    try:
        build_epubs(out_dir, Path(args.site_dir) if args.site_dir else None, args.lang, check=not args.no_check)
    except (EpubError, _pdf.PdfError, downloads.ManifestError) as exc:
        print(f"epub: error: {exc}", file=sys.stderr)
        return 1
    return 0
