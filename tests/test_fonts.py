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
