"""The EPUB of each language: made once from the session's built site, then
checked as a reading system and EPUBCheck see it.

EPUBCheck (Debian's ``epubcheck``) must report no error and no warning; every
internal link must land on a file and an ID; the pages, their text and their
boxes must come in the built site's order; metadata and fonts must be there.
A person looks at the Arabic book in Foliate with ``python -m tools
epub-screenshot`` (pictures in test-artifacts/layout/)."""

from __future__ import annotations

import html as html_lib
import io
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from guide.publish import downloads, epub, pdf

ROOT = Path(__file__).resolve().parent.parent
NS = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf",
      "dc": "http://purl.org/dc/elements/1.1/", "ncx": "http://www.daisy.org/z3986/2005/ncx/"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
LANGS = ("ar", "en")


@pytest.fixture(scope="module")
def books(site_dir, browser, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("epub-dist")
    entries = epub.build_epubs(out, site_dir=site_dir, browser=browser)
    return {"dir": out, "entries": {e["lang"]: e for e in entries}}


def book(books, lang: str) -> zipfile.ZipFile:
    return zipfile.ZipFile(books["dir"] / f"guide-{lang}.epub")


def opf(zf: zipfile.ZipFile) -> tuple[str, ET.Element]:
    path = re.search(r'full-path="([^"]+)"', zf.read("META-INF/container.xml").decode()).group(1)
    return path, ET.fromstring(zf.read(path))


def documents(zf: zipfile.ZipFile) -> dict[str, ET.Element]:
    """Every XHTML document, parsed as XML (a parse error fails the test: the book must be well-formed)."""
    return {name: ET.fromstring(zf.read(name)) for name in zf.namelist() if name.endswith(".xhtml")}


def spine_files(zf: zipfile.ZipFile) -> list[str]:
    path, package = opf(zf)
    base = str(Path(path).parent)
    items = {i.get("id"): i.get("href") for i in package.find("opf:manifest", NS)}
    return [f"{base}/{items[ref.get('idref')]}" for ref in package.find("opf:spine", NS)]


def text_of(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


@pytest.fixture(scope="module")
def slugs() -> list[str]:
    return pdf.nav_slugs(pdf.load_config())


@pytest.fixture(scope="module")
def epubcheck_reports(books) -> dict:
    """EPUBCheck on both books at once (two JVMs: most of their time is start-up and class loading)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(len(LANGS)) as pool:
        reports = pool.map(lambda lang: epub.epubcheck_report(books["dir"] / f"guide-{lang}.epub"), LANGS)
        return dict(zip(LANGS, reports))


# --- the files --------------------------------------------------------------------

def test_both_epubs_written_recorded_and_within_budget(books):
    manifest = downloads.load_manifest(books["dir"])  # also checks sizes against the files
    assert {e["file"] for e in manifest} == {"guide-ar.epub", "guide-en.epub"}
    for lang in LANGS:
        path = books["dir"] / f"guide-{lang}.epub"
        entry = books["entries"][lang]
        assert entry["kind"] == "epub" and entry["sha256"] == downloads.sha256_of(path)
        assert path.stat().st_size <= epub.BUDGET_BYTES, f"{path.name}: {path.stat().st_size} bytes > 1 MB"
        with zipfile.ZipFile(path) as zf:
            first = zf.infolist()[0]
            assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
            assert zf.read("mimetype") == b"application/epub+zip"
        # The OCF rule readers rely on: "mimetype" at byte 30, right after the first local header.
        assert path.read_bytes()[30:58] == b"mimetypeapplication/epub+zip"


@pytest.mark.parametrize("lang", LANGS)
def test_epubcheck_reports_no_error_and_no_warning(epubcheck_reports, lang):
    report = epubcheck_reports[lang]
    messages = epub.check_epub(Path(), report)
    bad = [epub.format_message(m) for m in messages if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    assert not bad, f"guide-{lang}.epub:\n" + "\n".join(bad)
    # EPUBCheck really read this book (it cannot pass by not running): its report names it.
    checker, publication = report["checker"], report["publication"]
    assert checker["checkerVersion"] and checker["nFatal"] == checker["nError"] == checker["nWarning"] == 0
    assert publication["language"] == lang and publication["ePubVersion"].startswith("3")
    assert publication["identifier"].startswith("urn:uuid:") and publication["nSpines"] == len(
        pdf.nav_slugs(pdf.load_config())) + 2
    assert publication["hasFixedFormat"] is False and publication["isScripted"] is False
    assert {"Noto Naskh Arabic,400", "Noto Naskh Arabic,700", "Noto Sans,400"} <= set(publication["embeddedFonts"])


# --- order, links, content ------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_pages_in_nav_order_with_the_sites_titles(books, site_dir, slugs, lang):
    prefix = "" if lang == "ar" else "en/"
    with book(books, lang) as zf:
        spine = [Path(name).name for name in spine_files(zf)]
        assert spine == ["cover.xhtml", "nav.xhtml"] + [f"{slug}.xhtml" for slug in slugs]
        assert slugs[:10] == ["about", "introduction", "mapping", "strategy", "primary-prevention",
                              "secondary-prevention", "tertiary-prevention", "implementation",
                              "sensitive-issues", "conclusion"]
        docs = documents(zf)
        nav = next(root for name, root in docs.items() if name.endswith("nav.xhtml"))
        toc = nav.find(".//x:nav[@id='toc']", NS)
        assert toc.get(EPUB_TYPE) == "toc"
        top = [a.get("href") for a in toc.findall("x:ol/x:li/x:a", NS)]
        assert top == [f"{slug}.xhtml" for slug in slugs]
        for slug in slugs:
            site_page = pdf.page_file(site_dir, prefix, slug)
            title = pdf.heading_text(pdf.article_html(site_page.read_text(encoding="utf-8"), str(site_page)))
            root = docs[f"OEBPS/{slug}.xhtml"]
            assert text_of(root.find(".//x:h1", NS)) == " ".join(title.split()), slug
            # Front matter (about), body (chapters, conclusion), back matter (cases index, glossary).
            part = {"about": "frontmatter", "cases": "backmatter", "glossary": "backmatter"}.get(slug, "bodymatter")
            assert root.find("x:body", NS).get(EPUB_TYPE) == part, slug


@pytest.mark.parametrize("lang", LANGS)
def test_every_internal_link_resolves(books, lang):
    with book(books, lang) as zf:
        docs = documents(zf)
        ids = {name: {e.get("id") for e in root.iter() if e.get("id")} for name, root in docs.items()}
        links, with_fragment, broken = 0, 0, []
        sources = [(name, a.get("href")) for name, root in docs.items() for a in root.iter(f"{{{NS['x']}}}a")]
        ncx_name = next(n for n in zf.namelist() if n.endswith(".ncx"))
        sources += [(ncx_name, c.get("src")) for c in ET.fromstring(zf.read(ncx_name)).iter(f"{{{NS['ncx']}}}content")]
        for name, href in sources:
            if href is None:
                broken.append(f"{name}: <a> without href")
                continue
            if re.match(r"^[a-z][a-z0-9+.-]*:", href):
                assert href.startswith(("https:", "http:", "mailto:")), href
                continue
            links += 1
            target, _, fragment = href.partition("#")
            target_name = str(Path(name).parent / target) if target else name
            if target_name not in ids:
                broken.append(f"{name}: {href} (no such file)")
            elif fragment:
                with_fragment += 1
                if fragment not in ids[target_name]:
                    broken.append(f"{name}: {href} (no id {fragment!r})")
        assert not broken, "\n".join(broken[:30])
        # The cases index links every case in its chapter; the contents link every section.
        assert links > 100 and with_fragment > 80, (links, with_fragment)


def _blocks_and_boxes(root: epub.El, site: bool) -> tuple[list[str], list[tuple]]:
    """(texts of p/h/li/dt/dd outside data tables, boxes as (kind, key)), in document order."""
    blocks, boxes = [], []

    def walk(node, in_table):
        if isinstance(node, str):
            return
        classes = node.classes()
        if classes & {"headerlink", "guide-page-dates", "guide-cards__caption"}:
            return
        if "guide-box" in classes:
            kind = next(c for c in sorted(classes) if c.startswith("guide-") and c != "guide-box")
            if "guide-case" in classes:
                key = node.attrs.get("id")
            elif site:
                key = [" ".join(th.text().split()) for th in node.iter() if th.tag == "th" and th.attrs.get("scope") == "row"] \
                    or [" ".join(li.text().split()) for li in node.iter() if li.tag == "li"]
            else:
                key = [" ".join(p.text().split()) for p in node.iter() if "guide-card__title" in p.classes()] \
                    or [" ".join(li.text().split()) for li in node.iter() if li.tag == "li"]
            boxes.append((kind, str(key)))
        in_table = in_table or node.tag == "table" or "guide-card" in classes
        if node.tag in ("p", "h1", "h2", "h3", "h4", "li", "dt", "dd") and not in_table:
            text = " ".join(node.text().replace("¶", "").split())
            if text:
                blocks.append(text)
        for child in node.children:
            walk(child, in_table)

    walk(root, False)
    return blocks, boxes


@pytest.mark.parametrize("lang", LANGS)
def test_text_and_boxes_in_the_sites_reading_order(books, site_dir, slugs, lang):
    """Every paragraph, heading and list item, and every box (case studies, key
    questions, the mandates table, the cases index, glossary and termbase), in
    the order of the built site's pages."""
    prefix = "" if lang == "ar" else "en/"
    counts = {}
    with book(books, lang) as zf:
        for slug in slugs:
            site_page = pdf.page_file(site_dir, prefix, slug)
            site_tree = epub.parse(pdf.article_html(site_page.read_text(encoding="utf-8"), str(site_page)))
            book_tree = epub.parse(re.sub(r"^<\?xml[^>]*>|<!DOCTYPE[^>]*>", "", zf.read(f"OEBPS/{slug}.xhtml").decode()))
            site_blocks, site_boxes = _blocks_and_boxes(site_tree, site=True)
            book_blocks, book_boxes = _blocks_and_boxes(book_tree, site=False)
            assert len(site_blocks) >= 5, f"{lang}/{slug}: the site page has almost no text?"
            assert book_blocks == site_blocks, f"{lang}/{slug}: text differs or is out of order"
            assert book_boxes == site_boxes, f"{lang}/{slug}: boxes differ or are out of order"
            for kind, _ in book_boxes:
                counts[kind] = counts.get(kind, 0) + 1
    # The guide's boxes are all there (a page that lost its boxes on both sides would pass the above).
    assert counts.get("guide-case", 0) >= 20 and counts.get("guide-questions", 0) >= 1, counts
    assert counts.get("guide-mandates") == 1 and counts.get("guide-cases-index") == 1, counts


def test_mandates_table_reads_as_cards(books):
    """Each country of the mandates table is a card: its name, then label/value pairs."""
    with book(books, "en") as zf:
        root = ET.fromstring(zf.read("OEBPS/strategy.xhtml"))
    box = next(d for d in root.iter(f"{{{NS['x']}}}div") if "guide-mandates" in (d.get("class") or ""))
    assert box.find(".//x:table", NS) is None
    cards = [d for d in box.iter(f"{{{NS['x']}}}div") if d.get("class") == "guide-card"]
    assert len(cards) >= 10
    for card in cards:
        labels = [text_of(dt) for dt in card.findall(".//x:dt", NS)]
        assert labels == ["Region", "Type of mandate", "In brief"], labels
        assert text_of(card.find("x:p", NS))


@pytest.mark.parametrize("lang", LANGS)
def test_clean_xhtml_no_script_no_site_chrome(books, lang):
    allowed = epub.ALLOWED | {"html", "head", "body", "title", "meta", "link", "nav", "img"}
    with book(books, lang) as zf:
        assert not [n for n in zf.namelist() if n.endswith(".js")]
        for name, root in documents(zf).items():
            for element in root.iter():
                tag = element.tag.split("}")[-1]
                assert tag in allowed, f"{name}: <{tag}>"
                for attr in element.attrib:
                    assert not attr.startswith(("on", "data-", "aria-")), f"{name}: <{tag} {attr}>"
                classes = (element.get("class") or "").split()
                assert not [c for c in classes if c.startswith("md-") or c == "headerlink"], f"{name}: {classes}"
            assert "¶" not in "".join(root.itertext()), f"{name}: permalink sign left"


# --- metadata ------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_metadata_and_direction(books, lang):
    config = pdf.load_config()
    site_name = next(l["site_name"] for l in pdf.languages(config) if l["locale"] == lang)
    edition = config["extra"]["edition"][lang]
    with book(books, lang) as zf:
        _, package = opf(zf)
        meta = package.find("opf:metadata", NS)

        def dc(name):
            return [e.text for e in meta.findall(f"dc:{name}", NS)]

        def prop(name):
            return [e.text for e in meta.findall("opf:meta", NS) if e.get("property") == name]

        assert dc("title") == [site_name]
        assert dc("language") == [lang]
        assert dc("publisher") == ["Strong Cities Network"]
        assert dc("date") == [str(edition.get("updated") or edition["published"])]
        identifier = dc("identifier")[0]
        assert identifier == package.find("opf:metadata/dc:identifier", NS).text
        assert identifier.startswith("urn:uuid:") and uuid.UUID(identifier[9:]).version == 5
        assert identifier == epub.book_identifier(lang, dc("date")[0])  # stable for the edition
        assert dc("source")[0].startswith("https://strongcitiesnetwork.org/")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", prop("dcterms:modified")[0])
        assert "textual" in prop("schema:accessMode") and prop("schema:accessModeSufficient") == ["textual"]
        assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= set(prop("schema:accessibilityFeature"))
        assert prop("schema:accessibilityHazard") == ["none"]
        assert len(prop("schema:accessibilitySummary")[0]) > 40
        cover = [i for i in package.find("opf:manifest", NS) if "cover-image" in (i.get("properties") or "")]
        assert len(cover) == 1 and cover[0].get("media-type") == "image/jpeg"
        assert len(zf.read("OEBPS/" + cover[0].get("href"))) > 20000
        spine = package.find("opf:spine", NS)
        assert spine.get("page-progression-direction") == ("rtl" if lang == "ar" else "ltr")
        for name, root in documents(zf).items():
            assert root.get("lang") == lang and root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang, name
            assert root.get("dir") == ("rtl" if lang == "ar" else "ltr"), name
    other = epub.book_identifier("en" if lang == "ar" else "ar", dc("date")[0])
    assert other != identifier


# --- fonts ----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_fonts_embedded_subset_and_cover_every_character(books, lang):
    from fontTools.ttLib import TTFont

    with book(books, lang) as zf:
        _, package = opf(zf)
        fonts = [i.get("href") for i in package.find("opf:manifest", NS) if i.get("media-type") == "font/ttf"]
        css = zf.read("OEBPS/css/book.css").decode()
        cmaps = {}
        for href in fonts:
            assert f'url("../{href}")' in css, f"{href} not declared in book.css"
            font = TTFont(io.BytesIO(zf.read(f"OEBPS/{href}")))
            assert "fvar" not in font, f"{href}: variable font (reading systems want static faces)"
            cmaps[href] = set(font.getBestCmap())
        texts = [" ".join(root.itertext()) for root in documents(zf).values()]
        texts.append(" ".join(ET.fromstring(zf.read("OEBPS/toc.ncx")).itertext()))
    used = epub.book_chars(texts)
    covered = set().union(*cmaps.values())
    missing = sorted(used - covered)
    assert not missing, f"characters without a glyph in the embedded fonts: {[chr(c) + f' U+{c:04X}' for c in missing]}"
    for href, cmap in cmaps.items():  # subset: nothing the book does not use
        assert cmap <= used | {0x20, 0xA0}, f"{href}: {len(cmap - used)} characters the book never uses"
    arabic = [h for h in fonts if "naskh" in h]
    assert len(arabic) == 2, fonts  # regular and bold
    if lang == "ar":
        assert css.index("Noto Naskh Arabic") < css.index('"Noto Sans"', css.index("html, body"))


def test_arabic_dotted_letters_are_one_glyph_each(books):
    """The embedded Naskh draws a dotted letter as one glyph (as the PDF fonts do):
    shaping common words gives no separate dot glyphs (GDEF marks)."""
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    with book(books, "ar") as zf:
        data = zf.read("OEBPS/fonts/noto-naskh-arabic-wght-400.ttf")
    font = TTFont(io.BytesIO(data))
    classes = font["GDEF"].table.GlyphClassDef.classDefs
    order = font.getGlyphOrder()
    hb_font = hb.Font(hb.Face(data))
    for word in ("الدليل", "المدن", "التطرف", "شبكة", "الوقاية", "الاستقطاب"):
        buf = hb.Buffer()
        buf.add_str(word)
        buf.guess_segment_properties()
        hb.shape(hb_font, buf)
        marks = [order[i.codepoint] for i in buf.glyph_infos if classes.get(order[i.codepoint]) == 3]
        assert not marks, f"{word}: separate mark glyphs {marks}"
        assert all(i.codepoint for i in buf.glyph_infos), f"{word}: .notdef in the shaped word"


# --- the converter on markup the site does not have yet -------------------------------------

def _ctx(slug="strategy"):
    return epub.PageContext(slug, f"file:///site/en/{slug}/index.html",
                            {"/site/en/strategy/": "strategy.xhtml", "/site/en/glossary/": "glossary.xhtml"})


def test_footnotes_become_epub_noterefs_and_footnotes():
    import markdown

    html = markdown.markdown("A claim.[^src] Another.[^2]\n\n[^src]: The source.\n[^2]: Second note.",
                             extensions=["footnotes"])
    out = epub.to_xhtml(html, _ctx())
    root = ET.fromstring(f'<div xmlns="{NS["x"]}" xmlns:epub="http://www.idpf.org/2007/ops">{out}</div>')
    refs = [a for a in root.iter(f"{{{NS['x']}}}a") if a.get(EPUB_TYPE) == "noteref"]
    notes = [n for n in root.iter(f"{{{NS['x']}}}aside") if n.get(EPUB_TYPE) == "footnote"]
    assert len(refs) == 2 and len(notes) == 2
    note_ids = {n.get("id") for n in notes}
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    for ref in refs:
        assert ref.get("href")[1:] in note_ids
    for note in notes:
        back = note.find(".//x:a", NS)
        assert back.get("href")[1:] in ids  # the number links back to the reference
    assert ":" not in "".join(ids)
    assert text_of(notes[0]).startswith("1. The source.") and text_of(notes[1]).startswith("2. Second note.")
    assert notes[0].find("x:p/x:a", NS).get("href") == "#fnref-src"  # the number, inside the first paragraph


def test_allowlist_drops_scripts_handlers_and_dead_links():
    html = ('<p onclick="x()">Read <a href="../glossary/#term-cve">CVE</a>, <a href="../">home</a>, '
            '<a href="javascript:alert(1)">js</a>, <a href="https://example.org/" rel="noopener">out</a>'
            '<script>alert(1)</script><span class="md-foo" data-x="1">kept</span></p>'
            '<h2 id="a:b">T<a class="headerlink" href="#a:b">¶</a></h2><a href="#a:b">up</a>')
    out = epub.to_xhtml(html, _ctx())
    assert out == ('<p>Read <a href="glossary.xhtml#term-cve">CVE</a>, home, js, '
                   '<a href="https://example.org/">out</a><span>kept</span></p>'
                   '<h2 id="a-b">T</h2><a href="#a-b">up</a>')


def test_download_block_offers_the_epub_in_the_pages_language():
    entries = [{"file": f"guide-{l}.{k}", "kind": k, "lang": l, "bytes": 250_000} for l in LANGS for k in ("pdf", "epub")]
    labels = {"pdf": "PDF", "epub": "E-book", "offline": "Offline", "kb": "KB", "mb": "MB"}
    items = downloads.block_items(entries, "ar", labels, offline_edition=False)
    assert [(i["file"], i["mime"]) for i in items] == [("guide-ar.pdf", "application/pdf"),
                                                       ("guide-ar.epub", "application/epub+zip")]
    assert items[1]["meta"] == "EPUB، ٢٥٠ KB"


def test_site_lists_the_epub_of_each_language_in_the_download_block(books, tmp_path):
    """A site built with the EPUBs' manifest offers each page's EPUB, with its type and size, and ships the file."""
    import yaml

    from guide.engine import build_site

    ui = yaml.safe_load((ROOT / "data" / "ui.yml").read_text(encoding="utf-8"))
    site = tmp_path / "site"
    proc = build_site(site, env={"GUIDE_DIST_DIR": str(books["dir"])})
    assert proc.returncode == 0, proc.stderr[-3000:]
    for lang, path in (("ar", "strategy/index.html"), ("en", "en/strategy/index.html")):
        html = (site / path).read_text(encoding="utf-8")
        block = re.search(r'<aside class="guide-downloads".*?</aside>', html, re.DOTALL).group(0)
        links = re.findall(r'<a class="guide-downloads__link" href="([^"]+)"[^>]*type="([^"]+)"[^>]*>([^<]*)</a>', block)
        assert [(h.rsplit("/", 1)[1], t) for h, t, _ in links] == [(f"guide-{lang}.epub", "application/epub+zip")]
        expected = ui["downloads.epub"][lang]
        if lang == "en":  # English pages carry curly quotes (guide/pages/quotes.py)
            from guide.pages.quotes import curl
            expected = html_lib.unescape(curl(expected)[0])
        assert html_lib.unescape(links[0][2]).strip() == expected
        assert "EPUB" in block
        target = (site / path).parent.joinpath(links[0][0]).resolve()
        assert target.read_bytes() == (books["dir"] / f"guide-{lang}.epub").read_bytes()


def test_local_raster_images_are_carried_and_others_left_out(tmp_path, capsys):
    site = tmp_path / "site"
    (site / "en" / "strategy").mkdir(parents=True)
    (site / "assets").mkdir()
    (site / "assets" / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (site / "assets" / "logo.svg").write_text("<svg/>")
    ctx = epub.PageContext("strategy", (site / "en" / "strategy" / "index.html").as_uri(), {}, site_dir=site)
    out = epub.to_xhtml('<p><img src="../../assets/map.png" alt="Map"><img src="../../assets/logo.svg" alt="">'
                        '<img src="https://example.org/x.png" alt="x"></p>', ctx)
    assert out == '<p><img src="images/fig-map.png" alt="Map"/></p>'
    assert ctx.images == {"images/fig-map.png": site / "assets" / "map.png"}
    err = capsys.readouterr().err
    assert "logo.svg' left out" in err and "x.png' left out" in err
