"""Checks that see the page (issue 10): every page, both languages, at phone,
tablet and desktop widths, in headless Chromium.

One page load per page x width; all checks run in one `evaluate` (LAYOUT_JS)
and come back as a list of readable problems. The run also writes a contact
sheet, test-artifacts/layout/index.html: every page at 390 and 1366 px in both
languages (and, when tests/test_webkit.py has run, in WebKit at 390 px), for a
person to review the whole site at a glance (CI keeps it).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from conftest import ARTIFACTS, LANGUAGES, PAGES, page_path, webkit_shot_name

WIDTHS = (320, 390, 768, 1366)
PHONE = 420  # widths up to this are phones: tables become cards there
SHEET_WIDTHS = (390, 1366)  # the contact sheet's two columns
SHEET = ARTIFACTS / "layout"
# A row or card of a data box may be at most this tall on a phone: a mandate
# card (country, region, type, two or three lines of summary) needs about 350.
ROW_BOUND = 640
# Arabic reading measure on wide screens: characters per line of running text.
MEASURE = 85
ARABIC_MIN_PX = 15


def all_pages() -> list[tuple[str, str, str]]:
    """(lang, name, URL path) of every page, the 404 pages included."""
    pages = [(lang, slug, page_path(lang, slug)) for lang in LANGUAGES for slug in PAGES]
    pages += [(lang, "404", LANGUAGES[lang] + "404.html") for lang in LANGUAGES]
    return pages


# Everything runs in the page: returns ["problem", ...]. `o` carries the
# thresholds. Elements in the closed mobile drawer and the closed search
# overlay are off-screen by design and are not checked for overflow.
LAYOUT_JS = r"""
(o) => {
  const problems = [];
  const vw = document.documentElement.clientWidth;
  const phone = vw <= o.phone;
  const ARABIC = /[\u0600-\u06FF]/;
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    if (el.classList.length) s += "." + [...el.classList].slice(0, 2).join(".");
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return text ? `${s} «${text}»` : s;
  };
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return false;
    const cs = getComputedStyle(el);
    return cs.visibility !== "hidden" && cs.display !== "none" && parseFloat(cs.opacity) > 0;
  };
  const scrollsX = (el) => /(auto|scroll)/.test(getComputedStyle(el).overflowX);
  const inScroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (scrollsX(p)) return true;
    }
    return false;
  };
  const offCanvas = (el) => el.closest(".md-sidebar, .md-search, .md-skip, .md-select__inner, .md-tooltip");
  const scope = [...document.querySelectorAll(".md-header, .md-main, .md-footer, .guide-downloads")];
  const elements = scope.flatMap((root) => [root, ...root.querySelectorAll("*")]);

  // 1. Horizontal overflow of the document, and of any element outside a scroll container.
  if (document.documentElement.scrollWidth > vw + 1) {
    problems.push(`document is ${document.documentElement.scrollWidth}px wide in a ${vw}px viewport`);
  }
  for (const el of elements) {
    if (offCanvas(el) || !shown(el) || inScroller(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right > vw + 1 || r.left < -1) {
      problems.push(`overflows the viewport (${Math.round(r.left)}..${Math.round(r.right)} of ${vw}px): ${describe(el)}`);
    }
  }

  const article = document.querySelector("article.md-content__inner");
  const inArticle = article ? [...article.querySelectorAll("*")] : [];
  // 2. Tables and scroll boxes whose content is wider than the box (at every
  //    width: the reading measure makes a desktop column narrow too).
  for (const el of inArticle) {
    if (!shown(el) || !scrollsX(el)) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      problems.push(`scroll box content ${el.scrollWidth}px wider than its ${el.clientWidth}px box: ${describe(el)}`);
    }
  }
  if (phone) {
    // 3. Rows and cards taller than their text needs.
    for (const row of article ? article.querySelectorAll("tr, .guide-box:not(:has(table))") : []) {
      const h = row.getBoundingClientRect().height;
      const bound = row.matches("tr") ? o.rowBound : o.rowBound * 2;
      if (shown(row) && h > bound) problems.push(`row or card ${Math.round(h)}px tall (bound ${bound}): ${describe(row)}`);
    }
  }

  // 4. Arabic text under the minimum size; no Arabic word may be broken
  //    between letters (break-all / anywhere would cut inside a joined word).
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || seen.has(el) || !ARABIC.test(n.data)) continue;
    seen.add(el);
    if (el.closest("script, style, template, [hidden], .md-search__output") || !shown(el)) continue;
    const cs = getComputedStyle(el);
    if (parseFloat(cs.fontSize) < o.arabicMin - 0.05) {
      problems.push(`Arabic text at ${cs.fontSize}: ${describe(el)}`);
    }
    if (cs.wordBreak === "break-all" || cs.overflowWrap === "anywhere") {
      problems.push(`Arabic text may break inside words (word-break ${cs.wordBreak}, overflow-wrap ${cs.overflowWrap}): ${describe(el)}`);
    }
  }

  // 5. Text clipped by overflow: hidden (an ellipsis shows the cut and is allowed).
  for (const el of elements) {
    if (offCanvas(el) || !shown(el)) continue;
    const cs = getComputedStyle(el);
    if (!/(hidden|clip)/.test(cs.overflowX + cs.overflowY) || cs.textOverflow === "ellipsis") continue;
    if (!(el.textContent || "").trim() || el.getBoundingClientRect().width <= 2) continue;
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 2) {
      // Descendants that are themselves visually hidden do not count.
      const visible = [...el.querySelectorAll("*")].some((c) => shown(c) && (c.textContent || "").trim() &&
        (c.getBoundingClientRect().right > el.getBoundingClientRect().right + 1 ||
         c.getBoundingClientRect().left < el.getBoundingClientRect().left - 1 ||
         c.getBoundingClientRect().bottom > el.getBoundingClientRect().bottom + 2));
      if (visible) problems.push(`text clipped by overflow ${cs.overflowX}/${cs.overflowY}: ${describe(el)}`);
    }
  }

  // 6. Measure: lines of Arabic running text stay near 60-80 characters on wide screens.
  if (!phone && vw >= 1200 && document.documentElement.lang === "ar" && article) {
    for (const p of article.querySelectorAll(":scope > p")) {
      // Characters a reader sees: harakat and other combining marks take no room.
      const text = p.textContent.trim().replace(/[\u064B-\u065F\u0670\u0640]/g, "");
      const lh = parseFloat(getComputedStyle(p).lineHeight);
      const lines = Math.round(p.getBoundingClientRect().height / lh);
      if (lines < 3 || !ARABIC.test(text)) continue;
      const perLine = text.length / (lines - 0.5);
      if (perLine > o.measure) problems.push(`about ${Math.round(perLine)} characters a line: ${describe(p)}`);
    }
  }

  // 7. The hidden ¶ permalink never sits alone on a line under its heading.
  for (const link of article ? article.querySelectorAll(":is(h1, h2, h3) > a.headerlink") : []) {
    const before = link.previousSibling;
    if (!before) continue;
    const range = document.createRange();
    range.selectNodeContents(before);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    const last = rects[rects.length - 1];
    const own = link.getBoundingClientRect();
    if (last && own.top >= last.bottom - 2) problems.push(`permalink ¶ wraps onto its own line: ${describe(link.parentElement)}`);
  }

  // 8. Following a section link leaves its heading below the sticky header.
  const header = document.querySelector(".md-header");
  const headings = article ? [...article.querySelectorAll("h2[id], h3[id]")] : [];
  for (const h of headings) {
    location.hash = h.id;
    const top = h.getBoundingClientRect().top;
    const bottom = header ? header.getBoundingClientRect().bottom : 0;
    if (top < bottom - 1) problems.push(`#${h.id} under the sticky header after following its link (${Math.round(top)} < ${Math.round(bottom)})`);
  }
  return problems;
}
"""


@pytest.fixture(scope="module")
def sheet_dir() -> Path:
    SHEET.mkdir(parents=True, exist_ok=True)
    return SHEET


def shot_name(lang: str, name: str, width: int) -> str:
    return f"{lang}-{name}-{width}.jpg"


BEFORE_AFTER = ("naskh-before-after-chromium-2x.png", "naskh-before-after-webkit-2x.png")


def write_sheet(directory: Path) -> Path:
    """The contact sheet: one row per page, Chromium at 390 and 1366 px and
    WebKit at 390 px, both languages; above it the Arabic font before and after
    its dotted letters were pre-composed, at 2x in both engines."""
    rows = []
    for lang, name, path in all_pages():
        cells = []
        for file, width, label in [(shot_name(lang, name, w), w, f"Chromium {w} px") for w in SHEET_WIDTHS] + \
                                  [(webkit_shot_name(lang, name), 390, "WebKit 390 px")]:
            if (directory / file).exists():
                cells.append(f'<td><a href="{file}"><img src="{file}" loading="lazy" alt="{html.escape(path)}, {label}" '
                             f'width="{width // 2 if width < 1000 else 480}"></a></td>')
            else:
                cells.append("<td>(not taken)</td>")
        rows.append(f"<tr><th>{html.escape(lang)}<br>{html.escape(path or '/')}</th>{''.join(cells)}</tr>")
    # The Arabic EPUB in a reading system (Foliate), when `python -m tools epub-screenshot` has run.
    epub_shots = sorted(directory.glob("epub-*.png"))
    if epub_shots:
        cells = "".join(f'<td><a href="{s.name}"><img src="{s.name}" loading="lazy" alt="{html.escape(s.stem)}" '
                        f'width="320"></a><br>{html.escape(s.stem)}</td>' for s in epub_shots)
        rows.append(f"<tr><th>EPUB in Foliate<br>(tools/epub_screenshot.py)</th><td colspan=2><table><tr>{cells}"
                    "</tr></table></td></tr>")
    compare = "".join(
        f'<figure><a href="{f}"><img src="{f}" width="390" alt="{f}"></a><figcaption>{f}</figcaption></figure>'
        for f in BEFORE_AFTER if (directory / f).exists())
    out = directory / "index.html"
    out.write_text(
        "<!doctype html><html lang=en><meta charset=utf-8><title>Contact sheet: every page in Chromium and WebKit</title>"
        "<style>body{font:14px sans-serif}td,th{vertical-align:top;padding:6px;border-bottom:1px solid #ccc}"
        "img{border:1px solid #999}figure{display:inline-block;margin:0 12px 12px 0}</style>"
        "<h1>Every page: Chromium at 390 and 1366 px, WebKit at 390 px</h1>"
        + (f"<h2>Noto Naskh Arabic before and after pre-composing its dotted letters (2x)</h2>{compare}" if compare else "")
        + "<table><tr><th>page</th><th>Chromium 390 px</th><th>Chromium 1366 px</th><th>WebKit 390 px</th></tr>"
        f"{''.join(rows)}</table>",
        encoding="utf-8")
    return out


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_layout_every_page(browser, server_url, sheet_dir, lang, width):
    context = browser.new_context(viewport={"width": width, "height": 800 if width > PHONE else 720})
    page = context.new_page()
    problems = []
    try:
        for page_lang, name, path in all_pages():
            if page_lang != lang:
                continue
            page.goto(server_url + path, wait_until="load")
            page.evaluate("document.fonts.ready")
            if width in SHEET_WIDTHS:
                page.screenshot(path=str(sheet_dir / shot_name(lang, name, width)), full_page=True,
                                type="jpeg", quality=45)
            found = page.evaluate(LAYOUT_JS, {"phone": PHONE, "rowBound": ROW_BOUND, "measure": MEASURE,
                                              "arabicMin": ARABIC_MIN_PX})
            problems += [f"/{path} at {width}px: {p}" for p in found]
    finally:
        context.close()
        write_sheet(sheet_dir)
    assert not problems, f"{len(problems)} layout problems:\n" + "\n".join(problems[:60])


@pytest.mark.site
def test_contact_sheet_lists_every_page_in_both_widths(sheet_dir):
    sheet = write_sheet(sheet_dir).read_text(encoding="utf-8")
    for lang, name, _ in all_pages():
        for width in SHEET_WIDTHS:
            assert shot_name(lang, name, width) in sheet


def test_built_stylesheets_drop_comments_but_keep_every_rule(site_dir):
    from guide.pages.minify import strip_css_comments

    for name in ("site.css", "fonts.css", "print.css"):
        source = (Path(__file__).resolve().parent.parent / "docs/assets/stylesheets" / name).read_text(encoding="utf-8")
        built = (site_dir / "assets/stylesheets" / name).read_text(encoding="utf-8")
        assert "/*" not in built and built == strip_css_comments(source)
        # A "/*" inside a string would have eaten rules: braces stay balanced,
        # and every selector of the source is still there.
        assert built.count("{") == built.count("}") > 3
        for selector in re.findall(r"^([.#:\w@\[][^{/]*)\{", strip_css_comments(source), re.MULTILINE):
            assert selector in built, (name, selector)


def test_built_scripts_drop_comments_and_still_parse(site_dir):
    import shutil
    import subprocess

    from guide.pages.minify import strip_js_comments

    node = shutil.which("node")
    for name in ("language-switch.js", "search-counts.js", "not-found.js"):
        source = (Path(__file__).resolve().parent.parent / "docs/assets/javascripts" / name).read_text(encoding="utf-8")
        built = site_dir / "assets/javascripts" / name
        text = built.read_text(encoding="utf-8")
        assert text == strip_js_comments(source) and len(text) < len(source), name
        assert "/*" not in text and not re.search(r"^\s*//", text, re.MULTILINE), name
        # A "//" or "/*" inside a string would have cut code: the built file still parses.
        if node:
            proc = subprocess.run([node, "--check", str(built)], capture_output=True, text=True)
            assert proc.returncode == 0, f"{name}: {proc.stderr}"


def test_page_indentation_goes_but_preformatted_text_and_scripts_stay():
    from guide.pages.minify import collapse_indentation

    page = ('<div>\n    <p>one\n      two</p>\n\n  <pre><code>a\n    b</code></pre>\n'
            '  <script>\n    var x = 1;\n  </script>\n  <code>x  \n   y</code>\n</div>')
    assert collapse_indentation(page) == ('<div>\n<p>one\ntwo</p>\n<pre><code>a\n    b</code></pre>\n'
                                          '<script>\n    var x = 1;\n  </script>\n<code>x  \n   y</code>\n</div>')


def test_built_pages_have_no_template_indentation(site_dir):
    for lang, name, path in all_pages():
        file = site_dir / (path if path.endswith(".html") else path + "index.html")
        text = re.sub(r"<(pre|code|script|style|textarea)\b.*?</\1>", "", file.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"\n[ \t]+\S", text), f"{lang}/{name}: indented line left"


def test_inline_scripts_lose_comments_and_still_parse(site_dir, tmp_path):
    import shutil
    import subprocess

    node = shutil.which("node")
    for lang, name, path in all_pages():
        file = site_dir / (path if path.endswith(".html") else path + "index.html")
        for i, (attrs, body) in enumerate(re.findall(r"<script\b([^>]*)>(.*?)</script>", file.read_text(encoding="utf-8"), re.S)):
            if "src=" in attrs or "json" in attrs or not body.strip():
                continue
            assert "/*" not in body and not re.search(r"^\s*//", body, re.M), f"{lang}/{name}: comment left in {body[:60]!r}"
            if node and name in ("index", "strategy", "404"):
                script = tmp_path / f"{lang}-{name}-{i}.js"
                script.write_text(body, encoding="utf-8")
                proc = subprocess.run([node, "--check", str(script)], capture_output=True, text=True)
                assert proc.returncode == 0, f"{lang}/{name}: inline script does not parse: {proc.stderr}"
