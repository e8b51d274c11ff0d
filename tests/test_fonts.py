"""The self-hosted fonts: each face's file holds what fonts.css says it does,
fonts.css says what the font tool makes, and every character a page draws
finds one of our faces, at its weight, before the browser's fallback fonts.

The Latin faces of Arabic pages hold only the characters those pages use
(guide/publish/fonts.py), so an editor who adds a letter («ñ», a bold «X»)
is told here which character, on which page, at which weight, rather than
the reader seeing it in whatever font the phone has."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont

from conftest import LANGUAGES, PAGES, page_path
from guide.publish import fonts as font_tool

ROOT = Path(__file__).resolve().parent.parent
FONTS_CSS = ROOT / "docs" / "assets" / "stylesheets" / "fonts.css"
FIX = "add it to the face's unicodes in guide/publish/fonts.py and its unicode-range in fonts.css, then run `python -m tools fonts`"


@dataclass(frozen=True)
class Face:
    family: str
    weights: tuple[int, int]
    codepoints: frozenset[int]
    file: Path

    def __str__(self) -> str:
        return f'"{self.family}" {self.weights[0]}-{self.weights[1]} ({self.file.name})'


def load_faces(css_file: Path = FONTS_CSS) -> list[Face]:
    faces = []
    for block in re.findall(r"@font-face\s*{([^}]*)}", re.sub(r"/\*.*?\*/", "", css_file.read_text(encoding="utf-8"), flags=re.S)):
        family = re.search(r'font-family:\s*"([^"]+)"', block).group(1)
        src = re.search(r'url\("?([^")]+)"?\)', block).group(1)
        weight = [int(w) for w in re.search(r"font-weight:\s*([^;]+);", block).group(1).split()]
        unicode_range = re.search(r"unicode-range:\s*([^;]+);", block)
        codepoints = frozenset(subset.parse_unicodes(re.sub(r"\s+", "", unicode_range.group(1)))) if unicode_range \
            else frozenset(range(0x110000))
        faces.append(Face(family, (weight[0], weight[-1]), codepoints, (css_file.parent / src).resolve()))
    return faces


FACES = load_faces()


def matched_weight(desired: int, ranges: list[tuple[int, int]]) -> int:
    """The weight CSS font matching picks among a family's faces (CSS Fonts 4, 5.2)."""
    if any(lo <= desired <= hi for lo, hi in ranges):
        return desired
    below = [hi for lo, hi in ranges if hi < desired]
    above = [lo for lo, hi in ranges if lo > desired]
    if 400 <= desired <= 500 and any(w <= 500 for w in above):
        return min(w for w in above if w <= 500)
    if desired <= 500:
        return max(below) if below else min(above)
    return min(above) if above else max(below)


def face_for(char: str, families: list[str], weight: int, faces: list[Face] = FACES) -> Face | None:
    """The face that draws ``char``: per family in order, the faces at the
    matched weight (a family's unicode-range faces), else the next family.
    None: no face of ours has it, the browser falls back to a system font."""
    for family in families:
        own = [f for f in faces if f.family == family]
        if not own:
            return None
        weight_used = matched_weight(weight, [f.weights for f in own])
        for face in own:
            if face.weights[0] <= weight_used <= face.weights[1] and ord(char) in face.codepoints:
                return face
    return None


def families_of(font_family: str) -> list[str]:
    return [name.strip().strip("\"'") for name in font_family.split(",")]


# --- the font files and the stylesheet ------------------------------------------

@pytest.mark.parametrize("face", FACES, ids=str)
def test_each_face_file_has_a_glyph_for_its_whole_unicode_range(face):
    cmap = TTFont(str(face.file))["cmap"].getBestCmap()
    missing = sorted(face.codepoints - set(cmap))
    assert not missing, f"{face}: unicode-range promises {', '.join(f'U+{c:04X}' for c in missing[:20])}, the file lacks them"


@pytest.mark.parametrize("spec", font_tool.FONTS, ids=lambda s: s.output)
def test_fonts_css_ranges_are_what_the_font_tool_makes(spec):
    # The face that declares the file at the weight the tool makes it (a
    # regular file may also serve other weights for a few characters).
    faces = [f for f in FACES if f.file.name == spec.output
             and (spec.weight is None or f.weights[0] <= spec.weight <= f.weights[1])]
    assert faces, f"fonts.css has no @font-face for {spec.output}"
    wanted = set(subset.parse_unicodes(spec.unicode_range))
    for face in faces:
        assert set(face.codepoints) == wanted, (
            f"{face}: unicode-range and guide/publish/fonts.py differ: only in fonts.css "
            f"{sorted(f'U+{c:04X}' for c in set(face.codepoints) - wanted)}, only in the tool "
            f"{sorted(f'U+{c:04X}' for c in wanted - set(face.codepoints))}")


def test_faces_of_one_family_and_weight_do_not_overlap():
    """Where two faces of a family at the same weight both cover a character,
    the browser silently uses the later one: every character has one face."""
    for i, a in enumerate(FACES):
        for b in FACES[i + 1:]:
            if a.family == b.family and a.weights[0] <= b.weights[1] and b.weights[0] <= a.weights[1]:
                both = sorted(a.codepoints & b.codepoints)
                assert not both, f"{a} and {b} both cover {', '.join(f'U+{c:04X}' for c in both[:10])}"


def test_every_committed_font_is_used_by_fonts_css():
    used = {f.file.name for f in FACES}
    unused = sorted(p.name for p in (ROOT / "docs" / "assets" / "fonts").glob("*.woff2") if p.name not in used)
    assert not unused, f"fonts nobody loads: {unused}"


def test_face_lookup_follows_css_font_matching():
    """The model the page check relies on, against cases whose answer is known."""
    regular = Face("Runs", (400, 400), frozenset(map(ord, "abc(")), Path("r"))
    bold = Face("Runs", (700, 700), frozenset(map(ord, "ab")), Path("b"))
    arabic = Face("Naskh", (400, 700), frozenset([0x0628, 0x20]), Path("n"))
    faces = [regular, bold, arabic]
    assert face_for("a", ["Naskh", "Runs"], 700, faces) is bold
    assert face_for("a", ["Naskh", "Runs"], 300, faces) is regular  # lighter than 400: the 400 face
    assert face_for("c", ["Naskh", "Runs"], 400, faces) is regular
    # Bold "c" and "(": the family's bold face lacks them; CSS does not take
    # the family's regular face instead, it goes on to the fallback fonts.
    assert face_for("c", ["Naskh", "Runs", "sans-serif"], 700, faces) is None
    assert face_for("(", ["Naskh", "Runs"], 700, faces) is None
    assert face_for("\u0628", ["Naskh", "Runs"], 600, faces) is arabic
    assert face_for(" ", ["Naskh", "Runs"], 400, faces) is arabic
    assert matched_weight(450, [(400, 400), (700, 700)]) == 400
    assert matched_weight(600, [(400, 400), (700, 700)]) == 700
    assert matched_weight(300, [(700, 700)]) == 700


# --- every page, as the browser styles it ---------------------------------------

# Every text node of the page (hidden ones too: the drawer, the search panel),
# and the search box's placeholder, grouped by computed font-family and weight.
COLLECT = r"""() => {
  const runs = {};
  function add(el, text) {
    const style = getComputedStyle(el);
    if (style.textTransform === "uppercase") text += text.toUpperCase();
    const key = style.fontFamily + "|" + style.fontWeight;
    runs[key] = (runs[key] || "") + text;
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (el && !el.closest("script, style, template, svg")) add(el, node.data);
  }
  for (const input of document.querySelectorAll("input[placeholder]")) add(input, input.placeholder);
  return runs;
}"""

SKIP = set("\n\r\t")


def drawn(char: str) -> bool:
    # Line breaks, tabs and format characters (bidi marks, joiners, soft
    # hyphen) are never looked up in a font by themselves.
    return char not in SKIP and unicodedata.category(char) != "Cf"


def problems_in(runs: dict[str, str], where: str) -> list[str]:
    ours = {f.family for f in FACES}
    problems = []
    for key, text in runs.items():
        font_family, _, weight = key.rpartition("|")
        families = families_of(font_family)
        if not ours & set(families):
            continue  # set in a system font on purpose (code, the English pages' «العربية»)
        for char in sorted(c for c in set(text) if drawn(c)):
            if face_for(char, families, int(weight)) is None:
                problems.append(f"{where}: {char!r} (U+{ord(char):04X}) at weight {weight} has no face "
                                f"in {', '.join(families[:2])}: {FIX}")
    return problems


def test_every_character_on_every_page_has_one_of_our_faces(server_url, page):
    pages = [(lang, page_path(lang, slug)) for lang in LANGUAGES for slug in PAGES]
    pages += [(lang, LANGUAGES[lang] + "404.html") for lang in LANGUAGES]
    problems = []
    for _, path in pages:
        page.goto(server_url + path)
        runs = page.evaluate(COLLECT)
        assert runs, path
        problems += problems_in(runs, path or "index")
    assert not problems, f"{len(problems)} characters without a face:\n" + "\n".join(sorted(set(problems))[:40])


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_search_results_text_has_one_of_our_faces(site_dir, lang):
    """Search shows titles and text of any page of the language (regular weight)."""
    docs = json.loads((site_dir / "search" / f"search_index.{lang}.json").read_text(encoding="utf-8"))["docs"]
    text = "".join(re.sub(r"<[^>]+>", "", d.get("title", "") + d.get("text", "")) for d in docs)
    css = (site_dir / "assets" / "stylesheets" / "site.css").read_text(encoding="utf-8")
    stack = re.search(r'html\[lang="ar"\]\s*{\s*--md-text-font:\s*([^;]+);', css) if lang == "ar" \
        else re.search(r':root\s*{[^}]*--md-text-font:\s*([^;]+);', css)
    problems = problems_in({f"{stack.group(1)}|400": text}, f"search/search_index.{lang}.json")
    assert not problems, "\n".join(problems[:40])


def test_the_check_names_a_character_a_page_would_draw_in_a_fallback_font():
    runs = {'"Noto Naskh Arabic", "Noto Sans Runs", sans-serif|400': "دليل (Gdańsk) mañana",
            '"Noto Naskh Arabic", "Noto Sans Runs", sans-serif|700': "Fund X"}
    problems = problems_in(runs, "ar/example/")
    assert any("'ñ' (U+00F1) at weight 400" in p for p in problems), problems
    assert any("'X' (U+0058) at weight 700" in p for p in problems), problems
    assert not any("'ń'" in p or "'d'" in p or "'F'" in p for p in problems), problems


def test_font_tool_refuses_a_package_with_other_bytes(tmp_path):
    tarball = tmp_path / "pkg.tgz"
    tarball.write_bytes(b"the bytes the registry sent")
    import base64
    import hashlib
    right = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    font_tool.verify_integrity(tarball, font_tool.Package("@x/y", "1.0.0", right))
    wrong = font_tool.Package("@x/y", "1.0.0", font_tool.NOTO_SANS.integrity)
    with pytest.raises(font_tool.FontsError, match=r"@x/y@1\.0\.0: .* not the pinned sha512-e3Zu"):
        font_tool.verify_integrity(tarball, wrong)


# --- the Arabic face: dotted letters pre-composed -------------------------------

NASKH = ROOT / "docs" / "assets" / "fonts" / font_tool.ARABIC.output
CONTROL = font_tool.CONTROL_DIR / font_tool.CONTROL


def _hb_font(path: Path, weight: int):
    import io

    import uharfbuzz as hb

    font = TTFont(str(path))
    font.flavor = None
    raw = io.BytesIO()
    font.save(raw)
    hb_font = hb.Font(hb.Face(raw.getvalue()))
    hb_font.set_variations({"wght": weight})
    return font, hb_font


def _shape(hb_font, text: str):
    import uharfbuzz as hb

    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(hb_font, buf, {})
    return buf


def _arabic_words(site_dir: Path) -> list[str]:
    """Every distinct Arabic word (with its diacritics) the built pages show."""
    words = set()
    for page in site_dir.rglob("*.html"):
        text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
        words.update(re.findall(r"[\u0621-\u0652\u0640]+", text))
    return sorted(words)


def _ink(font: TTFont, hb_font, text: str) -> tuple[int, int, int, int, int]:
    """(advance, left, right, top, bottom) of ``text``'s ink, in font units."""
    buf = _shape(hb_font, text)
    pen, box = 0, [0, 0, 0, 0]
    first = True
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions):
        extents = hb_font.get_glyph_extents(info.codepoint)
        if extents and extents.width:
            x0, y0 = pen + pos.x_offset + extents.x_bearing, pos.y_offset + extents.y_bearing
            edges = [x0, x0 + extents.width, y0, y0 + extents.height]
            box = edges if first else [min(box[0], edges[0]), max(box[1], edges[1]), max(box[2], edges[2]),
                                       min(box[3], edges[3])]
            first = False
        pen += pos.x_advance
    return (pen, *box)


@pytest.mark.parametrize("weight", [400, 700])
def test_naskh_draws_every_letter_of_every_page_as_one_glyph(site_dir, weight):
    """No dot is a glyph of its own placed by GPOS after shaping (WebKit
    misplaces those): every letter of every word the pages show, both weights."""
    from guide.publish.pdffonts import split_marks

    font, hb_font = _hb_font(NASKH, weight)
    dots = {font.getGlyphID(g) for g in split_marks(font)}
    assert dots, "the face no longer splits dots off letters: is the check still needed?"
    loose = []
    for word in _arabic_words(site_dir):
        buf = _shape(hb_font, word)
        # A split-off mark the font draws in place (the hamza under lam-alef:
        # no offset) is harmless; one that GPOS moves is what WebKit misplaces.
        if any(info.codepoint in dots and (pos.x_offset or pos.y_offset)
               for info, pos in zip(buf.glyph_infos, buf.glyph_positions)):
            loose.append(word)
    assert not loose, f"{len(loose)} words still draw a dot as a separate, GPOS-placed glyph: {loose[:20]}"


@pytest.mark.parametrize("weight", [400, 700])
def test_precomposed_naskh_shapes_like_the_font_it_was_made_from(site_dir, weight):
    """Same advances and the same ink (within 2 font units, the rounding of
    interpolated offsets) as the uncomposed face, for every word the pages
    show: the diacritics sit where they sat, above or below the dots."""
    composed, composed_hb = _hb_font(NASKH, weight)
    control, control_hb = _hb_font(CONTROL, weight)
    differ = []
    for word in _arabic_words(site_dir):
        a, b = _ink(composed, composed_hb, word), _ink(control, control_hb, word)
        if max(abs(x - y) for x, y in zip(a, b)) > 2:
            differ.append(f"{word}: {a} != {b}")
    assert not differ, f"{len(differ)} words shape differently:\n" + "\n".join(differ[:20])


# --- the typed diacritics, composed with their letters (font tool: compose_marks) ---

_TYPED = re.compile(r"[\u064b-\u0652]")


@pytest.fixture(scope="module")
def composed_candidate(tmp_path_factory) -> Path:
    """The Arabic face as the font tool makes it with ``compose_marks``,
    from the uncomposed subset it starts from (the control): no npm."""
    font = font_tool.precompose_dotted_letters(TTFont(str(CONTROL)), font_tool.vocalised_words())
    path = tmp_path_factory.mktemp("naskh") / "composed.ttf"
    font.save(str(path))
    return path


def _gpos_placed_marks(path: Path, weight: int, words: list[str]) -> list[str]:
    """The words of ``words`` that, shaped in the font at ``path``, still
    draw a mark glyph GPOS moves (what WebKit draws at the wrong height)."""
    font, hb_font = _hb_font(path, weight)
    classes, order = font["GDEF"].table.GlyphClassDef.classDefs, font.getGlyphOrder()
    loose = []
    for word in words:
        buf = _shape(hb_font, word)
        if any(classes.get(order[info.codepoint]) == 3 and (pos.x_offset or pos.y_offset)
               for info, pos in zip(buf.glyph_infos, buf.glyph_positions)):
            loose.append(word)
    return loose


@pytest.mark.parametrize("weight", [400, 700])
def test_composing_diacritics_keeps_every_page_word_as_it_was(site_dir, composed_candidate, weight):
    """Composed from the words of the guide's sources, the face draws every
    vocalised word of the built pages with no GPOS-placed mark, and every
    word of the pages with the same advances and ink as the uncomposed
    face (within 2 font units): the diacritics sit where they sat."""
    words = _arabic_words(site_dir)
    vocalised = [w for w in words if _TYPED.search(w)]
    assert len(vocalised) > 100, "the pages no longer type diacritics: is composing them still needed?"
    loose = _gpos_placed_marks(composed_candidate, weight, vocalised)
    assert not loose, (f"{len(loose)} words of the pages keep a GPOS-placed diacritic although the tool "
                       f"composes the sources' ones (text the sources do not have?): {loose[:20]}")
    assert _gpos_placed_marks(CONTROL, weight, vocalised), "the control composes diacritics: nothing measured"
    composed, composed_hb = _hb_font(composed_candidate, weight)
    control, control_hb = _hb_font(CONTROL, weight)
    differ = []
    for word in words:
        a, b = _ink(composed, composed_hb, word), _ink(control, control_hb, word)
        if max(abs(x - y) for x, y in zip(a, b)) > 2:
            differ.append(f"{word}: {a} != {b}")
    assert not differ, f"{len(differ)} words shape differently:\n" + "\n".join(differ[:20])


@pytest.mark.parametrize("weight", [400, 700])
def test_shipped_naskh_composes_every_diacritic_the_pages_type(site_dir, weight):
    """The maintainer's signal, once the shipped face composes diacritics: a
    page with a (letter, diacritic) pair the committed font does not compose
    (new text) names its words; run `python -m tools fonts` (which composes
    the pairs of docs/ and data/) and `python -m tools reviewed-files --update`.
    Until then those words draw as before (GPOS marks: right in Chromium,
    misplaced by WebKit)."""
    if not font_tool.ARABIC.compose_marks:
        pytest.skip("the shipped face does not compose diacritics (fonts.ARABIC.compose_marks is off)")
    vocalised = [w for w in _arabic_words(site_dir) if _TYPED.search(w)]
    loose = _gpos_placed_marks(NASKH, weight, vocalised)
    assert not loose, (f"{len(loose)} words of the pages have a diacritic the Arabic face does not compose: "
                       f"{loose[:20]}; run `python -m tools fonts` and `python -m tools reviewed-files --update`")


@pytest.mark.slow
def test_committed_fonts_are_what_the_font_tool_makes(tmp_path):
    """The woff2 files (and the control) are the tool's output from the pinned
    packages, byte for byte. Needs npm and the registry; without them it is
    skipped outside CI and fails in CI."""
    import os
    import shutil

    if not shutil.which("npm"):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("npm is needed to re-make the fonts")
        pytest.skip("npm not installed")
    try:
        made = font_tool.make_all(tmp_path, tmp_path)
    except font_tool.FontsError as exc:
        if os.environ.get("CI", "").lower() == "true" or "not the pinned" in str(exc):
            raise
        pytest.skip(f"the npm registry is not reachable: {exc}")
    differ = []
    for name, _ in made:
        committed = (font_tool.CONTROL_DIR if name == font_tool.CONTROL else font_tool.FONT_DIR) / name
        if committed.read_bytes() != (tmp_path / name).read_bytes():
            differ.append(name)
    assert not differ, f"not what `python -m tools fonts` makes: {differ}"


# --- a first visit: no system font ------------------------------------------------

# Elements whose own text the browser draws (hidden ones included: CDP reports
# nothing for them), except those set in a system font on purpose: code and
# the language menu's «العربية».
PROBE_JS = r"""() => {
  let n = 0;
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest("script, style, template, svg, code, pre, .md-select")) continue;
    if ([...el.childNodes].some(c => c.nodeType === 3 && c.data.trim())) el.setAttribute("data-font-probe", n++);
  }
  return n;
}"""

def system_fonts_on_first_visit(browser, url: str) -> tuple[dict, list[str], list[str]]:
    """A cold visit at phone size: (system font -> glyphs, with sample text),
    the font files preloaded, and the font files fetched."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        fetched = []
        page.on("request", lambda r: fetched.append(r.url) if r.url.endswith(".woff2") else None)
        page.goto(url, wait_until="load")
        page.evaluate("document.fonts.ready.then(() => 0)")
        page.wait_for_timeout(200)
        page.evaluate(PROBE_JS)
        cdp = context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        system: dict[str, list] = {}
        for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-font-probe]"})["nodeIds"]:
            for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
                if not font["isCustomFont"]:
                    text = cdp.send("DOM.getOuterHTML", {"nodeId": node})["outerHTML"]
                    system.setdefault(font["familyName"], []).append(re.sub(r"<[^>]+>", "", text).strip()[:60])
        preloaded = page.eval_on_selector_all("link[rel=preload][as=font]", "ls => ls.map(l => l.href)")
        return system, preloaded, sorted(set(fetched))
    finally:
        context.close()


def test_a_first_visit_draws_no_text_in_a_system_font(browser, server_url):
    """Every page of both languages, each in a fresh browser (empty cache) at
    390 px: CDP's CSS.getPlatformFontsForNode names only the site's web fonts
    for every element with text, and every font file preloaded is one the page
    then uses (guide/pages/fontpreload.py decides which, per page)."""
    pages = [page_path(lang, slug) for lang in LANGUAGES for slug in PAGES]
    pages += [LANGUAGES[lang] + "404.html" for lang in LANGUAGES]
    problems = []
    for path in pages:
        # A preloaded face is used only if it is in memory by the first layout;
        # on a machine busy with other work that can miss by chance, so a page
        # is tried three times. A face that is not preloaded misses every time.
        for _ in range(3):
            system, preloaded, fetched = system_fonts_on_first_visit(browser, server_url + path)
            if not system:
                break
        for family, texts in system.items():
            problems.append(f"/{path}: {len(texts)} elements drawn (partly) in the system font {family}: {texts[:3]}")
        unused = sorted(set(preloaded) - set(fetched))
        if unused:
            problems.append(f"/{path}: preloaded but not used: {unused}")
        late = sorted(set(fetched) - set(preloaded))
        if late:
            problems.append(f"/{path}: font files fetched without a preload (too late for font-display: optional): {late}")
    assert not problems, "\n".join(problems)
