"""The data and macros in the real, strict build: bad data stops it with one
readable line and leaves no site behind; the built pages carry the boxes."""

from __future__ import annotations

import html as html_lib
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import LANGUAGES
from guide.data.loader import DATA_DIR_ENV, load_all
from guide.render.boxes import case_usage
from guide.engine import build_site

ROOT = Path(__file__).resolve().parent.parent
LATIN_DIGIT = re.compile(r"[0-9]")


def error_lines(stderr: str) -> list[str]:
    """The messages of MkDocs' ``ERROR   -  <message>`` log lines."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", stderr)  # MkDocs colours its log
    return [re.sub(r"^ERROR\s+-\s+", "", line) for line in plain.splitlines() if line.startswith("ERROR")]


def broken_build(tmp_path: Path, old: str, new: str, file: str = "cases.yml"):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    target = tmp_path / "out" / "site"
    proc = build_site(target, env={DATA_DIR_ENV: str(data)})
    return proc, path, target


def assert_nothing_left(target: Path) -> None:
    assert not target.exists(), "a failed build must not leave a site behind"
    assert list(target.parent.iterdir()) == [], "the staging directory must be removed"


@pytest.mark.site
def test_bad_data_stops_the_build_with_one_line(tmp_path):
    proc, path, target = broken_build(tmp_path, "      ar: \"للمكتب خطة استراتيجية أعلنها", "      fr: \"للمكتب خطة استراتيجية أعلنها")
    assert proc.returncode != 0
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "id: newark-ovptr" in line)
    summary = next(i for i in range(start, len(lines)) if lines[i].strip() == "summary:") + 1
    errors = error_lines(proc.stderr)
    assert errors[0] == (f"{path}:{summary}: case 'newark-ovptr': field 'summary.ar': "
                         "Field required (+1 more error in this file)")
    assert "Traceback" not in proc.stderr
    assert_nothing_left(target)


@pytest.mark.site
def test_malformed_yaml_stops_the_build(tmp_path):
    proc, path, target = broken_build(tmp_path, "  - id: iraq\n", "  - id: iraq\n  country: [\n", "mandates.yml")
    assert proc.returncode != 0
    errors = error_lines(proc.stderr)
    assert re.fullmatch(rf"{re.escape(str(path))}:\d+: YAML syntax error: .+", errors[0])
    assert "Traceback" not in proc.stderr
    assert_nothing_left(target)


@pytest.mark.site
def test_unknown_case_id_on_a_page_stops_the_build(tmp_path):
    # Renaming an id in the data orphans the pages' calls: the build names the page and line.
    proc, _path, target = broken_build(tmp_path, "  - id: newark-ovptr\n", "  - id: newark-renamed\n")
    assert proc.returncode != 0
    page = ROOT / "docs" / "ar" / "strategy.md"
    line = next(i for i, text in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
                if 'case_box("newark-ovptr")' in text)
    errors = error_lines(proc.stderr)
    assert errors[0].startswith(f"docs/ar/strategy.md:{line}: case_box: unknown case id 'newark-ovptr' "
                                "(known: newark-renamed, london-shared-endeavour-fund")
    assert "Traceback" not in proc.stderr and "Macro Rendering Error" not in proc.stderr
    assert_nothing_left(target)


# --- the real site (one shared strict build) --------------------------------

def built(site_dir: Path, lang: str, slug: str) -> str:
    return (site_dir / LANGUAGES[lang] / slug / "index.html").read_text(encoding="utf-8")


def boxes(html: str) -> list[str]:
    return re.findall(r'<(?:section|div) class="guide-box[^"]*".*?</(?:section|div)>\s*(?=<|$)', html, re.S)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_strategy_page_has_the_mandates_table(site_dir, lang):
    html = built(site_dir, lang, "strategy")
    table = re.search(r'<div class="guide-box guide-mandates".*?</table>', html, re.S).group(0)
    assert len(re.findall(r"<tr data-mandate=", table)) == len(load_all(ROOT / "data").mandates)
    assert len(re.findall(r'<th scope="col">', table)) == 4
    if lang == "ar":
        assert not LATIN_DIGIT.search(html_lib.unescape(re.sub(r"<[^>]+>", "", table)))


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_case_box_call_renders_a_box(site_dir, lang):
    usage = case_usage(ROOT / "docs", lang)
    assert usage, "no page calls case_box yet"
    for case_id, slugs in usage.items():
        for slug in slugs:
            html = built(site_dir, lang, slug) if slug != "index" else \
                (site_dir / LANGUAGES[lang] / "index.html").read_text(encoding="utf-8")
            assert f'id="case-{case_id}"' in html, f"{lang}/{slug}: no box for {case_id}"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_cases_page_links_resolve(site_dir, lang):
    html = built(site_dir, lang, "cases")
    assert html.count("<tr data-case=") == len(load_all(ROOT / "data").cases)
    page_dir = site_dir / LANGUAGES[lang] / "cases"
    links = re.findall(r'<a href="([^"]+)"', re.search(r'guide-cases-index.*?</table>', html, re.S).group(0))
    assert links
    for href in links:
        parts = urlsplit(href)
        if parts.netloc:  # the "taken from" column links to the public source
            assert parts.scheme == "https", f"{lang}/cases: source link not https: {href}"
            continue
        target = (page_dir / parts.path / "index.html").resolve()
        assert target.is_file(), f"{lang}/cases: broken link {href}"
        if parts.fragment:
            assert f'id="{parts.fragment}"' in target.read_text(encoding="utf-8"), f"{lang}/cases: missing anchor {href}"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_glossary_page_and_tooltips(site_dir, lang):
    data = load_all(ROOT / "data")
    html = built(site_dir, lang, "glossary")
    assert len(re.findall(r'<dt id="term-', html)) == len(data.glossary)
    strategy = built(site_dir, lang, "strategy")
    title = {"en": "national–local cooperation", "ar": "التعاون الوطني المحلي (national–local cooperation)"}[lang]
    # (another hook may mark the Latin run inside the <abbr> with its own lang)
    assert re.search(rf'<abbr title="{re.escape(title)}">(?:<span lang="en" dir="ltr">)?NLC(?:</span>)?</abbr>', strategy)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_box_links_resolve_on_every_page(site_dir, lang):
    for page in sorted((site_dir / LANGUAGES[lang]).glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        for box in re.findall(r'<section class="guide-box.*?</section>', html, re.S):
            for href in re.findall(r'<a href="([^"]+)"', box):
                if href.startswith("https://"):
                    continue
                target = (page.parent / urlsplit(href).path / "index.html").resolve()
                assert target.is_file(), f"{page.relative_to(site_dir)}: broken box link {href}"


# --- the offline variant (use_directory_urls: false) ------------------------

@pytest.fixture(scope="module")
def offline_site(tmp_path_factory) -> Path:
    if not (ROOT / "mkdocs.offline.yml").is_file():
        pytest.fail("mkdocs.offline.yml is missing: the offline edition's config is needed here")
    base = tmp_path_factory.mktemp("offline")
    target = base / "site"
    proc = build_site(target, "mkdocs.offline.yml",
                      env={"GUIDE_OFFLINE": "true", "GUIDE_DIST_DIR": str(base / "dist")})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return target


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_box_links_work_without_directory_urls(offline_site, lang):
    pages = sorted((offline_site / LANGUAGES[lang]).glob("*.html"))
    checked = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for block in re.findall(r'<(?:section|div|ul) class="guide-(?:box|chapter-list)[^"]*".*?</(?:section|table|ul)>', html, re.S):
            for href in re.findall(r'<a href="([^"]+)"', block):
                if href.startswith("https://"):
                    continue
                parts = urlsplit(href)
                target = (page.parent / parts.path)
                assert parts.path.endswith(".html") and target.is_file(), f"{page.name}: broken link {href}"
                if parts.fragment:
                    assert f'id="{parts.fragment}"' in target.read_text(encoding="utf-8")
                checked += 1
    assert checked > 20


def test_arabic_boxes_print_arabic_indic_digits(site_dir):
    checked = 0
    arabic_pages = [site_dir / "index.html"] + sorted(
        p for p in site_dir.glob("*/index.html") if p.parent.name != LANGUAGES["en"].strip("/"))
    for page in arabic_pages:
        html = page.read_text(encoding="utf-8")
        for block in re.findall(r'<section class="guide-box.*?</section>|<table class="guide-table">.*?</table>'
                                r'|<ul class="guide-chapter-list".*?</ul>|<div class="guide-glossary".*?</dl>', html, re.S):
            text = html_lib.unescape(re.sub(r"<[^>]+>", "", block))
            assert not LATIN_DIGIT.search(text), f"{page.relative_to(site_dir)}: Latin digit in {text[:120]!r}"
            checked += 1
    assert checked >= 15  # 13 case boxes, key questions, tables, lists
