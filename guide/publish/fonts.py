"""Make the site's self-hosted fonts from the @fontsource npm packages.

The woff2 files in docs/assets/fonts/ are committed, so neither a build nor a
reader needs the network. This tool documents (and repeats) how they were made:
it fetches the packages with ``npm pack`` and subsets them with fontTools to
the characters the guide uses. Arabic and English text keep the variable
weight axis (one file for regular and bold); the Latin runs inside Arabic
pages use a small static regular face and a static bold (see LATIN_RUNS).
Each package is pinned to a version and to the registry's sha512 integrity
for it; a tarball with other bytes stops the tool before anything is written.
The Arabic face's dotted letters are pre-composed (precompose_dotted_letters:
WebKit misplaced their separate dot glyphs); the tool also writes that face
uncomposed to tests/data/fonts/, the reference tests compare it with. It can
compose the diacritics the pages type as well (FontSpec.compose_marks,
``--compose-marks``), which WebKit then draws right too; off for the budget.
tests/test_fonts.py checks that the committed files are this tool's output.

    python -m tools fonts          # needs npm and the network to the npm registry
"""

from __future__ import annotations

import base64
import copy
import hashlib
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib.woff2 import WOFF2FlavorData
from fontTools.designspaceLib import AxisDescriptor, DesignSpaceDocument, SourceDescriptor
from fontTools.merge import Merger
from fontTools.ttLib import TTFont
from fontTools.varLib import build as build_variable_font
from fontTools.varLib import instancer

from guide.publish.pdffonts import (compose_dotted_letters, compose_typed_marks, drop_split_mark_positioning,
                                    typed_mark_clusters)

ROOT = Path(__file__).resolve().parents[2]
FONT_DIR = ROOT / "docs" / "assets" / "fonts"
# The Arabic face as it was before dotted letters were pre-composed: the
# WebKit test's control (its shaping measure must fail on it) and the
# reference the composed face must shape like (tests/test_fonts.py).
CONTROL_DIR = ROOT / "tests" / "data" / "fonts"
CONTROL = "noto-naskh-arabic-wght-uncomposed.woff2"


@dataclass(frozen=True)
class Package:
    """An npm package at a pinned version, with the registry's ``integrity``
    for that version (``npm view NAME@VERSION dist.integrity``): a re-run
    that receives other bytes stops instead of committing them."""

    name: str
    version: str
    integrity: str  # "sha512-<base64>"

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"


@dataclass(frozen=True)
class FontSpec:
    package: Package
    source: str  # file inside the package
    output: str  # file name under docs/assets/fonts/
    licence: str  # licence file name under docs/assets/fonts/
    unicodes: str  # what the subset keeps; mirrored by unicode-range in fonts.css
    # OpenType features kept: what shaping needs, not the optional extras.
    features: tuple[str, ...] = ("kern", "liga", "ccmp", "mark", "mkmk")
    weight: int | None = None  # pin the weight axis (a static face), or keep it variable
    # More characters from other files of the same package (fontsource slices
    # a font by script), merged into this one face: (file, unicodes) pairs.
    merge: tuple[tuple[str, str], ...] = ()
    # Pre-compose dotted letters (see precompose_dotted_letters).
    compose: bool = False
    # Also pre-compose the diacritics the guide's text types with their
    # letters (see precompose_dotted_letters).
    compose_marks: bool = False

    @property
    def unicode_range(self) -> str:
        """Every code point the face covers, as fonts.css's unicode-range must say."""
        return ",".join([self.unicodes, *(unicodes for _, unicodes in self.merge)])


NASKH = Package("@fontsource-variable/noto-naskh-arabic", "5.3.0",
                "sha512-Ot0G5iln5MeLPKp1WNt6AGi4KHbPIVm0GEow2ED6rZ+8Rao+OuswhX4D+RPerc3aQ6teneLdqXSL8VPGorJvGg==")
NOTO_SANS = Package("@fontsource-variable/noto-sans", "5.3.0",
                    "sha512-e3ZuxzY9AL2psXPZlhwhnYrHUHv6PMoyK9MQ7croF0CUgURLqu9EMjW7q2FgVLwij1tjLsIHQrnwQ8aUcg4BiA==")

# Arabic letters, the harakat (fathatan to sukun), tatweel, Arabic punctuation
# and digits (with the decimal and thousands separators), the joiners (ZWNJ,
# ZWJ) and the LRM mark the font has, and the spaces (so a purely Arabic line
# needs no Latin font). The other bidi controls (RLM, the isolates) are not in
# the source font and need no glyph: the browser does not draw them.
# Left out, as no page uses them: Persian/Urdu letters, the combining
# maddah/hamza (U+0653-0655: editors type the composed letters أ إ آ ؤ ئ), the
# superscript alef U+0670 (and with it the Allah ligature) and the ornate
# parentheses (1.4 kB). tests/test_fonts.py fails, naming the character and
# page, if a page starts to use one.
# U+2026: the source file has no ellipsis; the tool draws one from three of
# its dots (add_ellipsis), so that a truncated Arabic line (the header's
# title on a phone) ends in the Naskh face, which is loaded, rather than in a
# system font (a face that is not loaded yet when the browser truncates the
# line is never used for it under font-display: optional).
# Variable (400-700): one file serves regular and bold Arabic.
ARABIC = FontSpec(
    package=NASKH,
    source="package/files/noto-naskh-arabic-arabic-wght-normal.woff2",
    output="noto-naskh-arabic-wght.woff2",
    licence="OFL-noto-naskh-arabic.txt",
    unicodes="U+0020,U+00A0,U+060C,U+061B,U+061F,U+0621-063A,U+0640-0652,U+0660-066C,U+200C-200E,U+2026",
    features=("ccmp", "isol", "init", "medi", "fina", "rlig", "liga", "calt", "mark", "mkmk", "curs", "kern"),
    compose=True,
    # The diacritics the pages type, composed with their letters, so WebKit
    # (which draws a run's glyphs at its first glyph's height) draws them where
    # they belong: +2.7 kB (BENCHMARKS.md, "Diacritics the text carries").
    # New text with a new (letter, diacritic) pair: tests/test_fonts.py names
    # it; run `python -m tools fonts` and `python -m tools reviewed-files --update`.
    compose_marks=True,
)

# Basic Latin and Latin-1 and common typography. The letters of the European
# city names the guide cites (Brčko, Dąbrowa Górnicza, Gdańsk) are not in
# fontsource's "latin" file but in its "latin-ext" one, hence a second, tiny
# face with its own unicode-range: only pages that use those letters load it.
# (fontsource's latin file has no U+201B or U+2030: left out, so fonts.css
# promises only what the file has.)
LATIN_UNICODES = ("U+0020-007E,U+00A0-00FF,U+0152-0153,U+2013-2014,U+2018-201A,U+201C-201E,U+2022,"
                  "U+2026,U+20AC,U+2122")
LATIN_EXT_UNICODES = "U+0104-0107,U+010C-010D,U+0118-0119,U+0141-0144,U+015A-015B,U+0160-0161,U+0179-017E"
NOTO_SANS_LATIN = "package/files/noto-sans-latin-wght-normal.woff2"
NOTO_SANS_LATIN_EXT = "package/files/noto-sans-latin-ext-wght-normal.woff2"

# English pages: variable, so headings and bold text get real weights.
LATIN = FontSpec(NOTO_SANS, NOTO_SANS_LATIN, "noto-sans-wght.woff2", "OFL-noto-sans.txt", LATIN_UNICODES)
LATIN_EXT = FontSpec(NOTO_SANS, NOTO_SANS_LATIN_EXT, "noto-sans-ext-wght.woff2", "OFL-noto-sans.txt",
                     LATIN_EXT_UNICODES)

# Latin runs inside Arabic pages (acronyms, names, the parentheses and digits
# around them): one static regular face and one static bold, each a third of
# the variable file, covering exactly what the Arabic pages draw in Latin:
# ASCII, « », © and the permalinks' ¶ (which the Naskh subset lacks), dashes
# and quotes, plus the accented letters of the names the pages cite (Górnicza,
# München; and from the latin-ext file, merged in: Dąbrowa, Brčko, Gdańsk, Paweł).
# One regular file instead of three: a chapter with accented names no
# longer loads two more faces for four letters (issue 10: 120 kB budget).
# A page that uses a letter not listed here fails tests/test_fonts.py, which
# names the letter: add it here and to fonts.css, then run the tool.
# Not * @ X ^ _ ` ~ (no Arabic page or its search text draws them: 0.35 kB,
# which the Strategy chapter's first visit needs) nor the ellipsis (the
# Naskh face, first in the Arabic pages' stack, has one).
LATIN_RUNS_UNICODES = ("U+0020-0029,U+002B-003F,U+0041-0057,U+0059-005D,U+0061-007D,U+00A9,U+00AB,U+00B6,U+00BB,"
                       "U+00F3,U+00FC,U+2013-2014,U+2018-201A,U+201C-201E,U+2022")
LATIN_RUNS_EXT_UNICODES = "U+0105,U+010D,U+0142,U+0144"
LATIN_RUNS = FontSpec(NOTO_SANS, NOTO_SANS_LATIN, "noto-sans-400.woff2", "OFL-noto-sans.txt",
                      LATIN_RUNS_UNICODES, weight=400,
                      merge=((NOTO_SANS_LATIN_EXT, LATIN_RUNS_EXT_UNICODES),))

# Their real bold (static 700), so bold Latin inside Arabic is drawn, not
# synthesised by the browser; downloaded only by a page with such a run. Bold
# runs are box titles, acronyms and names: the face holds exactly the letters
# they use (each letter is about 60 bytes; all of A-Z and a-z would add 1.5 kB
# to the Strategy chapter) and the marks around them: ( ) . « ». Other bold
# punctuation (the colon after a bold Arabic phrase, in every page's header;
# the slash in a glossary term) is drawn from the regular file, which every
# Arabic page has loaded anyway (fonts.css), so a page without bold Latin does
# not download this file for one colon or slash.
# A bold letter not listed fails tests/test_fonts.py, naming it.
LATIN_RUNS_BOLD_UNICODES = ("U+0028-0029,U+002E,U+0043,U+0045-0046,U+0048,U+004D,U+004F-0050,U+0052-0054,"
                            "U+0056,U+0061-0065,U+0068-0069,U+006E-006F,U+0072-0076,U+00AB,U+00BB,U+00FC")
LATIN_RUNS_BOLD = FontSpec(NOTO_SANS, NOTO_SANS_LATIN, "noto-sans-700.woff2", "OFL-noto-sans.txt",
                           LATIN_RUNS_BOLD_UNICODES, weight=700)

FONTS = (ARABIC, LATIN, LATIN_EXT, LATIN_RUNS, LATIN_RUNS_BOLD)


class FontsError(Exception):
    """A package could not be fetched or is not the pinned one."""


def _options(spec: FontSpec) -> subset.Options:
    options = subset.Options()
    options.layout_features = list(spec.features)
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False  # woff2 for screens: browsers ignore most hinting
    return options


def _subset(source: Path, spec: FontSpec, unicodes: str) -> TTFont:
    options = _options(spec)
    font = subset.load_font(str(source), options, lazy=False)
    if spec.weight is not None:
        font = instancer.instantiateVariableFont(font, {"wght": spec.weight})
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(unicodes))
    subsetter.subset(font)
    return font


def precompose_dotted_letters(font: TTFont, marked_words: Sequence[str] = ()) -> TTFont:
    """The font with each dotted letter drawn as one glyph.

    Noto Naskh Arabic 2.x builds a dotted letter from two glyphs: ``ccmp``
    splits e.g. YEH into a dotless shape and a "two dots below" mark, which
    GPOS then places. WebKit (WebKitGTK 2.50, so likely Safari) draws those
    dots detached and shifted, and the words' baselines drift; Chromium and
    HarfBuzz place them right. The fix is the PDF fonts' one
    (guide/publish/pdffonts.py): a composite glyph per (shape, dots) pair GSUB
    can produce, dots where GPOS puts them, and a last ``rlig`` lookup that
    swaps the pair for it; diacritics an editor types stay GPOS marks (they
    attach to the composite as to its shape). A variable font is composed at
    each end of its one ``wght`` axis and re-built from those two masters
    (the source has one region, 400 to 700, so this interpolates as it did).
    tests/test_webkit.py measures the result in WebKit.

    ``marked_words``: words with typed diacritics (:func:`vocalised_words`)
    whose (letter, diacritic) pairs are composed too (pdffonts'
    compose_typed_marks): WebKitGTK draws every glyph of a run at the first
    glyph's vertical GPOS offset (horizontal ones are right), so a diacritic
    GPOS moves onto its letter is drawn at the height of the run's first
    glyph (a ḍamma under its letter) and, where a diacritic is that first
    glyph, its letters at the diacritic's height. Pairs the words do not have
    stay GPOS marks. The same pairs are composed in both masters.
    """
    if "fvar" not in font:
        font.flavor = None
        compose_dotted_letters(font, typed_marks=False, only_produced=True)
        drop_split_mark_positioning(font)
        add_ellipsis(font)
        if marked_words:
            compose_typed_marks(font, typed_mark_clusters(font, marked_words))
        return font
    axes = font["fvar"].axes
    if [axis.axisTag for axis in axes] != ["wght"] or axes[0].defaultValue != axes[0].minValue:
        raise FontsError("precompose_dotted_letters: expects one wght axis whose default is its minimum")
    axis = axes[0]
    document = DesignSpaceDocument()
    descriptor = AxisDescriptor()
    descriptor.tag, descriptor.name = "wght", "Weight"
    descriptor.minimum, descriptor.default, descriptor.maximum = axis.minValue, axis.defaultValue, axis.maxValue
    document.addAxis(descriptor)
    clusters = None
    for value in (axis.minValue, axis.maxValue):
        master = instancer.instantiateVariableFont(copy.deepcopy(font), {"wght": value})
        master.flavor = None
        compose_dotted_letters(master, typed_marks=False, only_produced=True)
        drop_split_mark_positioning(master)
        add_ellipsis(master)
        if marked_words:
            if clusters is None:  # the same glyphs in both masters, as the variable font needs
                clusters = typed_mark_clusters(master, marked_words)
            compose_typed_marks(master, clusters)
        source = SourceDescriptor()
        source.font, source.name, source.location = master, f"wght{value:g}", {"Weight": value}
        document.addSource(source)
    composed, _, _ = build_variable_font(document)
    if marked_words:
        trim_composite_deltas(composed, (".mark", ".mark2"))
    for tag in ("name", "fvar"):  # the source's names and axis
        if tag in font:
            composed[tag] = font[tag]
    composed["head"].created, composed["head"].modified = font["head"].created, font["head"].modified
    composed.recalcTimestamp = False
    return composed


def trim_composite_deltas(font: TTFont, suffixes: tuple[str, ...]) -> int:
    """Store in ``gvar`` only the component offsets that vary, for the
    composite glyphs whose names end in ``suffixes``: not the base's offset
    (always 0, 0) nor the phantom points (the advance, which browsers take
    from HVAR, as it is the base's). Returns the glyphs trimmed."""
    glyf, gvar = font["glyf"], font["gvar"]
    trimmed = 0
    for name, variations in gvar.variations.items():
        glyph = glyf[name]
        if not name.endswith(suffixes) or not glyph.isComposite():
            continue
        count = len(glyph.components)
        kept = []
        for variation in variations:
            variation.coordinates = [None if i >= count or delta == (0, 0) else delta
                                     for i, delta in enumerate(variation.coordinates)]
            if any(delta is not None for delta in variation.coordinates):
                kept.append(variation)
        gvar.variations[name] = kept
        trimmed += 1
    return trimmed


def vocalised_words(root: Path = ROOT) -> list[str]:
    """Every distinct Arabic word with a diacritic in the guide's sources
    (the pages and the data files): the clusters the Arabic face composes."""
    words = set()
    for path in sorted([*(root / "docs").rglob("*.md"), *(root / "data").rglob("*.yml")]):
        words.update(re.findall(r"[\u0621-\u063a\u0640-\u0652]*[\u064b-\u0652][\u0621-\u063a\u0640-\u0652]*",
                                path.read_text(encoding="utf-8")))
    return sorted(words)


def add_ellipsis(font: TTFont) -> None:
    """Give an Arabic face without U+2026 an ellipsis: three of its own dots
    (the dot BEH's decomposition splits off), on the baseline, evenly spaced."""
    from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent

    cmap = font.getBestCmap()
    if 0x2026 in cmap or 0x0628 not in cmap:
        return
    dot = None
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for st in lookup.SubTable:
            mapping = getattr(st, "mapping", None)
            if lookup.LookupType == 2 and mapping and cmap[0x0628] in mapping:
                dot = mapping[cmap[0x0628]][1]
    if dot is None:
        raise FontsError("add_ellipsis: the font does not split a dot off BEH")
    glyf, hmtx = font["glyf"], font["hmtx"]
    outline = glyf[dot]
    outline.recalcBounds(glyf)
    width = outline.xMax - outline.xMin
    gap = round(width * 0.6)
    glyph = Glyph()
    glyph.numberOfContours, glyph.components = -1, []
    for i in range(3):
        component = GlyphComponent()
        component.glyphName, component.flags = dot, 0
        component.x, component.y = gap + i * (width + gap) - outline.xMin, -outline.yMin
        glyph.components.append(component)
    name = "ellipsis"
    order = list(font.getGlyphOrder()) + [name]
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    glyf.glyphs[name] = glyph
    glyph.recalcBounds(glyf)
    hmtx.metrics[name] = (3 * width + 4 * gap, glyph.xMin)
    font["GDEF"].table.GlyphClassDef.classDefs[name] = 1
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[0x2026] = name


def subset_font(package_dir: Path, spec: FontSpec, output: Path) -> int:
    font = _subset(package_dir / spec.source, spec, spec.unicodes)
    if spec.compose:
        font = precompose_dotted_letters(font, vocalised_words() if spec.compose_marks else ())
    if spec.merge:
        with tempfile.TemporaryDirectory() as tmp:
            parts = [font, *(_subset(package_dir / source, spec, unicodes) for source, unicodes in spec.merge)]
            paths = []
            for i, part in enumerate(parts):
                part.flavor = None
                paths.append(str(Path(tmp) / f"part{i}.ttf"))
                part.save(paths[-1])
            merged = Merger().merge(paths)
            # The merger stamps the current time: keep the source's, so a
            # re-run writes the same bytes.
            merged["head"].created, merged["head"].modified = font["head"].created, font["head"].modified
            merged.recalcTimestamp = False
            font = merged
    web_only(font)
    options = _options(spec)
    options.flavor = "woff2"
    font.flavorData = WOFF2FlavorData(transformedTables={"glyf", "loca", "hmtx"})  # hmtx: no stored side bearings
    subset.save_font(font, str(output), options)
    return output.stat().st_size


def web_only(font: TTFont) -> None:
    """Drop what no browser reads: the style attributes (STAT) and the named
    instances of a variable font (CSS picks weights by number), with their names."""
    if "STAT" in font:
        del font["STAT"]
    keep = set()
    if "fvar" in font:
        fvar = font["fvar"]
        fvar.instances = []
        keep = {axis.axisNameID for axis in fvar.axes}
    # Names from 256 up label axes, instances and style attributes; a static
    # instance keeps them though nothing refers to them any more.
    font["name"].names = [n for n in font["name"].names if n.nameID < 256 or n.nameID in keep]


def verify_integrity(tarball: Path, package: Package) -> None:
    algorithm, _, expected = package.integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
    if digest != expected:
        raise FontsError(f"{package.spec}: the downloaded tarball's {algorithm} is {algorithm}-{digest}, "
                         f"not the pinned {package.integrity} (guide/publish/fonts.py)")


def fetch_package(package: Package, workdir: Path) -> Path:
    try:
        out = subprocess.run(["npm", "pack", "--silent", package.spec], cwd=workdir, check=True,
                             capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise FontsError(f"npm pack {package.spec} failed: {getattr(exc, 'stderr', '') or exc}".strip()) from None
    tarball = workdir / out.stdout.strip().splitlines()[-1]
    verify_integrity(tarball, package)
    target = workdir / tarball.stem
    with tarfile.open(tarball) as tar:
        tar.extractall(target, filter="data")
    return target


def add_arguments(parser) -> None:
    parser.add_argument("--out", type=Path, default=FONT_DIR, help="where to write the woff2 files (default: the site's)")
    parser.add_argument("--compose-marks", action="store_true",
                        help="compose the typed diacritics too, whatever ARABIC.compose_marks says (to measure it)")


def make_all(out_dir: Path, control_dir: Path | None, compose_marks: bool = False) -> list[tuple[str, int]]:
    """Fetch the pinned packages and write every face (and the control) to ``out_dir``
    (``compose_marks``: the composing faces compose diacritics too)."""
    made = []
    with tempfile.TemporaryDirectory() as tmp:
        unpacked_by_package: dict[Package, Path] = {}
        for spec in FONTS:
            if spec.package not in unpacked_by_package:
                unpacked_by_package[spec.package] = fetch_package(spec.package, Path(tmp))
        for spec in FONTS:
            unpacked = unpacked_by_package[spec.package]
            if compose_marks and spec.compose:
                spec = FontSpec(**{**spec.__dict__, "compose_marks": True})
            made.append((spec.output, subset_font(unpacked, spec, out_dir / spec.output)))
            shutil.copyfile(unpacked / "package" / "LICENSE", out_dir / spec.licence)
            if spec.compose and control_dir is not None:
                control_dir.mkdir(parents=True, exist_ok=True)
                uncomposed = FontSpec(**{**spec.__dict__, "compose": False, "compose_marks": False})
                made.append((CONTROL, subset_font(unpacked, uncomposed, control_dir / CONTROL)))
    return made


def main(args=None) -> int:
    import sys

    out_dir = getattr(args, "out", None) or FONT_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        made = make_all(out_dir, CONTROL_DIR if out_dir == FONT_DIR else out_dir,
                        compose_marks=getattr(args, "compose_marks", False))
    except FontsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for name, size in made:
        print(f"{name}: {size:,} bytes")
    if out_dir != FONT_DIR:
        return 0
    for stale in sorted(set(FONT_DIR.glob("*.woff2")) - {FONT_DIR / spec.output for spec in FONTS}):
        stale.unlink()  # a face that was merged away: fonts.css no longer names it
        print(f"{stale.name}: removed")
    return 0
