"""Make the site's self-hosted fonts from the @fontsource npm packages.

The woff2 files in docs/assets/fonts/ are committed, so neither a build nor a
reader needs the network. This tool documents (and repeats) how they were made:
it fetches the packages with ``npm pack`` and subsets them with fontTools to
the characters the guide uses. Arabic and English text keep the variable
weight axis (one file for regular and bold); the Latin runs inside Arabic
pages use a small static regular face (see LATIN_RUNS).

    python -m tools fonts          # needs npm and the network to the npm registry
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.varLib import instancer

ROOT = Path(__file__).resolve().parents[2]
FONT_DIR = ROOT / "docs" / "assets" / "fonts"


@dataclass(frozen=True)
class FontSpec:
    package: str  # npm package, pinned
    source: str  # file inside the package
    output: str  # file name under docs/assets/fonts/
    licence: str  # licence file name under docs/assets/fonts/
    unicodes: str  # what the subset keeps; mirrored by unicode-range in fonts.css
    # OpenType features kept: what shaping needs, not the optional extras.
    features: tuple[str, ...] = ("kern", "liga", "ccmp", "mark", "mkmk")
    weight: int | None = None  # pin the weight axis (a static face), or keep it variable


# Arabic letters, the harakat and hamza marks, tatweel, Arabic punctuation and
# digits, the joiners and bidi marks that mixed Arabic/Latin runs need, ornate
# parentheses, and the spaces (so a purely Arabic line needs no Latin font).
# Persian/Urdu letters are left out: the guide does not use them.
# Variable (400-700): one file serves regular and bold Arabic.
ARABIC = FontSpec(
    package="@fontsource-variable/noto-naskh-arabic@5.3.0",
    source="package/files/noto-naskh-arabic-arabic-wght-normal.woff2",
    output="noto-naskh-arabic-wght.woff2",
    licence="OFL-noto-naskh-arabic.txt",
    unicodes="U+0020,U+00A0,U+060C,U+061B,U+061F,U+0621-063A,U+0640-0655,U+0660-066C,U+0670,"
    "U+200C-200F,U+2066-2069,U+FD3E-FD3F",
    features=("ccmp", "isol", "init", "medi", "fina", "rlig", "liga", "calt", "mark", "mkmk", "curs", "kern"),
)

# Basic Latin and Latin-1 and common typography. The letters of the European
# city names the guide cites (Brčko, Dąbrowa Górnicza, Gdańsk) are not in
# fontsource's "latin" file but in its "latin-ext" one, hence a second, tiny
# face with its own unicode-range: only pages that use those letters load it.
LATIN_UNICODES = ("U+0020-007E,U+00A0-00FF,U+0152-0153,U+2013-2014,U+2018-201E,U+2022,"
                  "U+2026,U+2030,U+20AC,U+2122")
LATIN_EXT_UNICODES = "U+0104-0107,U+010C-010D,U+0118-0119,U+0141-0144,U+015A-015B,U+0160-0161,U+0179-017E"
NOTO_SANS = "@fontsource-variable/noto-sans@5.3.0"
NOTO_SANS_LATIN = "package/files/noto-sans-latin-wght-normal.woff2"
NOTO_SANS_LATIN_EXT = "package/files/noto-sans-latin-ext-wght-normal.woff2"

# English pages: variable, so headings and bold text get real weights.
LATIN = FontSpec(NOTO_SANS, NOTO_SANS_LATIN, "noto-sans-wght.woff2", "OFL-noto-sans.txt", LATIN_UNICODES)
LATIN_EXT = FontSpec(NOTO_SANS, NOTO_SANS_LATIN_EXT, "noto-sans-ext-wght.woff2", "OFL-noto-sans.txt",
                     LATIN_EXT_UNICODES)

# Latin runs inside Arabic pages (acronyms, names): static regular, a third
# of the variable file, and a static bold (below). Split in two: what almost
# every Arabic page needs (ASCII, « », © and the permalinks' ¶, which the Naskh subset lacks,
# dashes and quotes) and the accented letters and signs a few pages need.
# This keeps an Arabic chapter's first visit within the 120 KB budget.
LATIN_RUNS_CORE_UNICODES = "U+0020-007E,U+00A9,U+00AB,U+00B6,U+00BB,U+2013-2014,U+2018-201E,U+2022,U+2026"
LATIN_RUNS_REST_UNICODES = ("U+00A0-00A8,U+00AA,U+00AC-00B5,U+00B7-00BA,U+00BC-00FF,U+0152-0153,U+2030,U+20AC,U+2122")
LATIN_RUNS = FontSpec(NOTO_SANS, NOTO_SANS_LATIN, "noto-sans-400.woff2", "OFL-noto-sans.txt",
                      LATIN_RUNS_CORE_UNICODES, weight=400)
LATIN_RUNS_REST = FontSpec(NOTO_SANS, NOTO_SANS_LATIN, "noto-sans-400-more.woff2", "OFL-noto-sans.txt",
                           LATIN_RUNS_REST_UNICODES, weight=400)
LATIN_EXT_RUNS = FontSpec(NOTO_SANS, NOTO_SANS_LATIN_EXT, "noto-sans-ext-400.woff2", "OFL-noto-sans.txt",
                          LATIN_EXT_UNICODES, weight=400)

# Their real bold (static 700), so bold Latin inside Arabic is drawn, not
# synthesised by the browser; downloaded only by a page with such a run, and
# kept to the letters (bold runs are titles and acronyms; their punctuation
# and digits fall back to the regular face) to stay within the budget.
LATIN_RUNS_BOLD_UNICODES = "U+0041-005A,U+0061-007A"
LATIN_RUNS_BOLD = FontSpec(NOTO_SANS, NOTO_SANS_LATIN, "noto-sans-700.woff2", "OFL-noto-sans.txt",
                           LATIN_RUNS_BOLD_UNICODES, weight=700)

FONTS = (ARABIC, LATIN, LATIN_EXT, LATIN_RUNS, LATIN_RUNS_REST, LATIN_EXT_RUNS, LATIN_RUNS_BOLD)


def subset_font(source: Path, spec: FontSpec, output: Path) -> int:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = list(spec.features)
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False  # woff2 for screens: browsers ignore most hinting
    font = subset.load_font(str(source), options, lazy=False)
    if spec.weight is not None:
        font = instancer.instantiateVariableFont(font, {"wght": spec.weight})
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(spec.unicodes))
    subsetter.subset(font)
    subset.save_font(font, str(output), options)
    return output.stat().st_size


def fetch_package(package: str, workdir: Path) -> Path:
    out = subprocess.run(
        ["npm", "pack", "--silent", package], cwd=workdir, check=True, capture_output=True, text=True
    )
    tarball = workdir / out.stdout.strip().splitlines()[-1]
    target = workdir / tarball.stem
    with tarfile.open(tarball) as tar:
        tar.extractall(target, filter="data")
    return target


def main(args=None) -> int:
    FONT_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        unpacked_by_package: dict[str, Path] = {}
        for spec in FONTS:
            if spec.package not in unpacked_by_package:
                unpacked_by_package[spec.package] = fetch_package(spec.package, Path(tmp))
            unpacked = unpacked_by_package[spec.package]
            size = subset_font(unpacked / spec.source, spec, FONT_DIR / spec.output)
            shutil.copyfile(unpacked / "package" / "LICENSE", FONT_DIR / spec.licence)
            print(f"{spec.output}: {size:,} bytes from {spec.package}")
    return 0
