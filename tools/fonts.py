"""Make the site's self-hosted fonts from the @fontsource npm packages.

The woff2 files in docs/assets/fonts/ are committed, so neither a build nor a
reader needs the network. This tool documents (and repeats) how they were made:
it fetches the packages with ``npm pack`` and subsets them with fontTools to
the characters the guide uses, keeping the variable weight axis, so one small
file per script serves both regular and bold text.

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

ROOT = Path(__file__).resolve().parent.parent
FONT_DIR = ROOT / "docs" / "assets" / "fonts"


@dataclass(frozen=True)
class FontSpec:
    package: str  # npm package, pinned
    source: str  # file inside the package
    output: str  # file name under docs/assets/fonts/
    licence: str  # licence file name under docs/assets/fonts/
    unicodes: str  # what the subset keeps; mirrored by unicode-range in fonts.css


# Arabic letters, harakat, Arabic punctuation and digits, the joiners and bidi
# marks that mixed Arabic/Latin runs need, and ornate parentheses.
ARABIC = FontSpec(
    package="@fontsource-variable/noto-naskh-arabic@5.3.0",
    source="package/files/noto-naskh-arabic-arabic-wght-normal.woff2",
    output="noto-naskh-arabic-wght.woff2",
    licence="OFL-noto-naskh-arabic.txt",
    unicodes="U+0600-0605,U+060C-061F,U+0621-065F,U+0660-066D,U+0670,U+067E,U+0686,U+06A4,"
    "U+06AF,U+06CC,U+06F0-06F9,U+200C-200F,U+2066-2069,U+FD3E-FD3F",
)

# Basic Latin and Latin-1, plus the letters of the European city names the guide
# cites (Brčko, Dąbrowa Górnicza, Gdańsk, München) and common typography.
LATIN = FontSpec(
    package="@fontsource-variable/noto-sans@5.3.0",
    source="package/files/noto-sans-latin-wght-normal.woff2",
    output="noto-sans-wght.woff2",
    licence="OFL-noto-sans.txt",
    unicodes="U+0020-007E,U+00A0-00FF,U+0104-0107,U+010C-010D,U+0118-0119,U+0141-0144,"
    "U+0152-0153,U+015A-015B,U+0160-0161,U+0179-017E,U+2013-2014,U+2018-201E,U+2022,"
    "U+2026,U+2030,U+20AC,U+2122",
)

FONTS = (ARABIC, LATIN)


def subset_font(source: Path, spec: FontSpec, output: Path) -> int:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # Arabic shaping needs init/medi/fina/rlig/mark...
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
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
        for spec in FONTS:
            unpacked = fetch_package(spec.package, Path(tmp))
            size = subset_font(unpacked / spec.source, spec, FONT_DIR / spec.output)
            shutil.copyfile(unpacked / "package" / "LICENSE", FONT_DIR / spec.licence)
            print(f"{spec.output}: {size:,} bytes from {spec.package}")
    return 0
