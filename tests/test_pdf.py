"""The PDF of each language: printed from the session's built site, then read
back with pypdf and poppler (pdftotext, pdftoppm) as a reader's tools would.

The first pages are saved as PNG in test-artifacts/ for a human look at the
Arabic shaping and direction."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from guide.pages import csp
from guide.publish import downloads, pdf

ROOT = Path(__file__).resolve().parent.parent
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# Direction controls pdftotext puts around right-to-left runs.
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Arabic letters with their diacritics (tanween, shadda, harakat) and tatweel.
_ARABIC_WORD = re.compile(r"[\u0621-\u065f\u0670-\u06d3]+")


def need(tool: str) -> str:
    path = shutil.which(tool)
    if not path:
        pytest.fail(f"{tool} not found: run `make system-deps` (Debian package poppler-utils)")
    return path


def pdftotext(path: Path, *args: str) -> str:
    out = subprocess.run([need("pdftotext"), "-enc", "UTF-8", *args, str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    return _BIDI_CONTROLS.sub("", out)


def chapter_titles() -> dict[str, dict[str, str]]:
    """slug -> {lang: title}: data/chapters.yml, else the pages' front matter."""
    data_file = ROOT / "data" / "chapters.yml"
    if data_file.exists():
        chapters = yaml.safe_load(data_file.read_text(encoding="utf-8"))["chapters"]
        return {c["slug"]: dict(c["title"]) for c in chapters}
    titles = {}
    for lang in ("ar", "en"):
        for page in (ROOT / "docs" / lang).glob("*.md"):
            meta = yaml.safe_load(page.read_text(encoding="utf-8").split("---")[1])
            titles.setdefault(page.stem, {})[lang] = meta["title"]
    return titles


@pytest.fixture(scope="module")
def pdfs(site_dir, browser, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("pdf-dist")
    entries = pdf.build_pdfs(out, site_dir=site_dir, browser=browser)
    return {"dir": out, "entries": {e["lang"]: e for e in entries}}


@pytest.fixture(scope="module")
def slugs() -> list[str]:
    return pdf.nav_slugs(pdf.load_config())


def test_both_pdfs_written_and_recorded(pdfs):
    manifest = downloads.load_manifest(pdfs["dir"])  # also checks sizes against the files
    assert {e["file"] for e in manifest} == {"guide-ar.pdf", "guide-en.pdf"}
    for lang, entry in pdfs["entries"].items():
        path = pdfs["dir"] / f"guide-{lang}.pdf"
        assert path.read_bytes().startswith(b"%PDF-")
        assert entry["sha256"] == downloads.sha256_of(path)
        assert entry["built"] and entry["commit"]


def test_reading_order_comes_from_nav(slugs):
    # The ten pages of the guide, in the guide's order (nav may add appendices after them).
    assert slugs[:10] == ["about", "introduction", "mapping", "strategy", "primary-prevention",
                          "secondary-prevention", "tertiary-prevention", "implementation",
                          "sensitive-issues", "conclusion"]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_pages_and_embedded_fonts(pdfs, slugs, lang):
    reader = PdfReader(str(pdfs["dir"] / f"guide-{lang}.pdf"))
    assert len(reader.pages) >= len(slugs) + 2, "cover + contents + at least a page per chapter"
    fonts = {}
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            font = font.get_object()
            fonts[str(font.get("/BaseFont", "[none]"))] = str(font["/Subtype"])
    assert "/Type3" not in fonts.values(), f"unnamed Type 3 fonts (variable fonts?): {fonts}"
    names = " ".join(fonts)
    if lang == "ar":
        assert "NotoNaskhArabic" in names, fonts
    assert "NotoSans" in names, fonts
    # Only the site's own faces: nothing from the system's fallback fonts. (A
    # fallback means the text has characters the subsets in docs/assets/fonts lack.)
    others = [name for name in fonts if "Noto" not in name]
    if others:
        chars = set()

        def collect(text, cm, tm, font, size):
            if font is not None and "Noto" not in str(font.get("/BaseFont", "")):
                chars.update(text.strip())

        for page in reader.pages:
            page.extract_text(visitor_text=collect)
        pytest.fail(f"guide-{lang}.pdf uses fallback fonts {others} for {sorted(chars)}: "
                    "characters missing from the site's font subsets (python -m tools fonts)")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_titles_in_order_with_correct_contents_page_numbers(pdfs, slugs, lang):
    """Every chapter title is extractable text; the contents' page numbers point at the chapters."""
    path = pdfs["dir"] / f"guide-{lang}.pdf"
    titles = chapter_titles()
    reader = PdfReader(str(path))
    pages = [pdftotext(path, "-f", str(n), "-l", str(n)) for n in range(1, len(reader.pages) + 1)]
    starts = pdf.chapter_pages(path, slugs)
    assert list(starts.values()) == sorted(starts.values()), "chapters out of order"
    toc = pages[1]
    for slug in slugs:
        if slug not in titles:
            continue  # an appendix page without a chapters.yml entry
        title = titles[slug][lang]
        if lang == "ar":
            # Real words in logical order: the title's Arabic words, consecutive.
            words = _ARABIC_WORD.findall(title)
            assert " ".join(words) in " ".join(_ARABIC_WORD.findall(pages[starts[slug] - 1])), \
                f"'{title}' not on its first page ({starts[slug]}) as whole words"
        else:
            assert " ".join(title.split()) in " ".join(pages[starts[slug] - 1].split()), title
        number = str(starts[slug]).translate(ARABIC_INDIC) if lang == "ar" else str(starts[slug])
        assert re.search(rf"(?<![\d٠-٩]){number}(?![\d٠-٩])", toc), f"contents lack page {number} for {slug}"


def words_with_boxes(path: Path, page: int) -> tuple[float, float, list[tuple[float, float, float, float, str]]]:
    """(page width, page height, [(xMin, yMin, xMax, yMax, word)]) from ``pdftotext -bbox``."""
    out = subprocess.run([need("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    width, height = (float(v) for v in re.search(r'<page width="([\d.]+)" height="([\d.]+)"', out).groups())
    words = [(float(a), float(b), float(c), float(d), _BIDI_CONTROLS.sub("", w)) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)]
    return width, height, words


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_page_numbers_on_every_page_but_the_cover(pdfs, lang):
    """The page's number, alone in the bottom margin (Arabic-Indic digits in Arabic)."""
    path = pdfs["dir"] / f"guide-{lang}.pdf"
    count = len(PdfReader(str(path)).pages)
    missing = []
    for n in range(1, count + 1):
        width, height, words = words_with_boxes(path, n)
        # Words whose top is inside the bottom margin (22 mm; body text ends above it).
        footer = [w for _, y0, _, _, w in words if y0 > height - 20 * 72 / 25.4]
        label = str(n).translate(ARABIC_INDIC) if lang == "ar" else str(n)
        if n == 1:
            assert not footer, f"the cover has a page number: {footer}"
        elif footer != [label]:
            missing.append((n, footer))
    assert not missing, f"pages without their number at the foot: {missing}"


def test_arabic_text_is_whole_words_in_logical_order(pdfs):
    """Dotted letters must not come apart: few one-letter 'words', and known phrases intact."""
    text = pdftotext(pdfs["dir"] / "guide-ar.pdf")
    words = _ARABIC_WORD.findall(text)
    assert len(words) > 2000
    single = [w for w in words if len(w) == 1]
    assert len(single) / len(words) < 0.01, f"{len(single)} one-letter fragments, e.g. {single[:20]}"
    # Common words with dots on several letters, as the reader typed them.
    for word in ("الدليل", "المدن", "الوقاية", "التطرف", "شبكة"):
        assert word in words, f"'{word}' not extracted as a whole word"


def test_direction_of_headings(pdfs, slugs):
    """Arabic headings sit at the right margin, English ones at the left."""
    for lang in ("ar", "en"):
        path = pdfs["dir"] / f"guide-{lang}.pdf"
        width, _, words = words_with_boxes(path, pdf.chapter_pages(path, slugs)[slugs[0]])
        top = min(y0 for _, y0, *_ in words)
        heading = [(x0, x1) for x0, y0, x1, *_ in words if abs(y0 - top) < 2]  # the first line: the H1
        if lang == "ar":
            assert max(x1 for _, x1 in heading) > width * 0.8, f"Arabic heading not right-aligned: {heading}"
        else:
            assert min(x0 for x0, _ in heading) < width * 0.2, f"English heading not left-aligned: {heading}"


def test_first_pages_saved_for_review(pdfs, artifacts_dir):
    for lang in ("ar", "en"):
        prefix = artifacts_dir / f"pdf-{lang}"
        subprocess.run([need("pdftoppm"), "-f", "1", "-l", "3", "-r", "60", "-png",
                        str(pdfs["dir"] / f"guide-{lang}.pdf"), str(prefix)], check=True)
        shots = sorted(artifacts_dir.glob(f"pdf-{lang}-*.png"))
        assert len(shots) >= 3 and all(s.stat().st_size > 5000 for s in shots)


# --- the print view reads nothing but the site (issue 18) -----------------------

PASSWD = Path("/etc/passwd")


def test_print_view_runs_no_script_and_reads_no_file_outside_the_site(site_dir, browser, tmp_path):
    """A page whose content tries to read /etc/passwd in the print view (frame,
    object, embed, script file, fetch from a script, an event handler): the
    policy stops each before any request, the content around it is printed, and
    no byte of the file (nor any mark a script would write) is in the PDF."""
    site = tmp_path / "site"
    shutil.copytree(site_dir, site)
    page = site / "en" / "strategy" / "index.html"
    html = page.read_text(encoding="utf-8")
    attack = ('<p>PRINTED-MARK</p>'
              '<iframe src="file:///etc/passwd"></iframe><object data="file:///etc/passwd"></object>'
              '<embed src="file:///etc/passwd"><script src="file:///etc/passwd"></script>'
              '<script>document.body.insertAdjacentText("afterbegin", "SCRIPT-RAN");'
              ' fetch("file:///etc/passwd").then(r => r.text()).then(t => document.body.append(t))</script>'
              '<img src="missing.png" onerror="document.body.append(\'HANDLER-RAN\')">')
    page.write_text(html.replace("</article>", attack + "</article>", 1), encoding="utf-8")
    out = tmp_path / "out"
    pdf.build_pdfs(out, site_dir=site, only=["en"], browser=browser)
    text = pdftotext(out / "guide-en.pdf")
    assert "PRINTED-MARK" in text  # the injected content did reach the print view
    assert "SCRIPT-RAN" not in text and "HANDLER-RAN" not in text
    first = PASSWD.read_text(encoding="utf-8").splitlines()[0]
    assert first.split(":")[0] + ":x:" not in text and first not in text
    assert PASSWD.read_bytes()[:40] not in (out / "guide-en.pdf").read_bytes()


@pytest.mark.parametrize("element", ['<img src="file:///etc/passwd">',
                                     '<link rel="stylesheet" href="file:///etc/passwd">',
                                     '<img src="leak.txt">'])  # a link inside the site to a file outside
def test_print_view_refuses_files_outside_the_site_and_the_network(browser, tmp_path, element):
    """What the policy lets a page ask for (images, styles, fonts: local files)
    still comes only from the site: the request is refused, the print fails
    naming it, and no PDF is written."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "leak.txt").symlink_to(PASSWD)
    (site / "ok.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', encoding="utf-8")
    view = site / ".print-en.html"
    view.write_text(f'<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" '
                    f'content="{csp.print_policy([])}"></head><body><img src="ok.svg"><p>x</p>{element}</body></html>',
                    encoding="utf-8")
    target = tmp_path / "out.pdf"
    with pytest.raises(pdf.PdfError, match=r"\.print-en\.html: the print view asked for \S+ \(outside the site"):
        pdf.render(browser, view, target, [site])
    assert not target.exists()
    # The same view without the element prints.
    view.write_text(view.read_text(encoding="utf-8").replace(element, ""), encoding="utf-8")
    pdf.render(browser, view, target, [site])
    assert target.stat().st_size > 0


def test_print_view_asks_nothing_of_the_network(browser, tmp_path):
    """Network addresses in the print view: blocked by its policy before any
    request (and the request filter would refuse them): a local server sees nothing."""
    import http.server
    import threading

    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    site = tmp_path / "site"
    site.mkdir()
    view = site / ".print-en.html"
    view.write_text(f'<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" '
                    f'content="{csp.print_policy([])}"><link rel="stylesheet" href="{base}/a.css"></head><body>'
                    f'<img src="{base}/b.png"><iframe src="{base}/c.html"></iframe><p>x</p></body></html>',
                    encoding="utf-8")
    try:
        pdf.render(browser, view, tmp_path / "out.pdf", [site])
    finally:
        server.shutdown()
        server.server_close()
    assert hits == []


def test_local_file_follows_links_out_of_the_site(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "b.css").write_text("", encoding="utf-8")
    (site / "out").symlink_to(PASSWD.parent)
    assert pdf.local_file((site / "a" / "b.css").as_uri(), [site])
    assert pdf.local_file((site / "a" / "b.css").as_uri().replace("/a/", "/a/../a/"), [site])
    assert not pdf.local_file((site / "out" / "passwd").as_uri(), [site])
    assert not pdf.local_file(site.as_uri() + "/../x", [site])
    assert not pdf.local_file("file:///etc/passwd", [site])
    assert not pdf.local_file("https://example.org/x", [site])
