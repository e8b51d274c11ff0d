"""One module per concern: digits (guide/languages.py), Arabic spelling
normalisation (guide/editorial/arabic.py), Latin runs (guide/pages/langparts.py)
and the interface strings (guide/data/ui.py). Each is tested here, and a scan
keeps other modules from growing their own copy again. The search's analysis
(guide/search/) keeps its own, in step with its browser side, and is not
scanned."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from guide import languages
from guide.data import ui
from guide.editorial import arabic
from guide.pages import langparts
from guide.publish import downloads, epub, pdf
from guide.render import boxes, locale

ROOT = Path(__file__).resolve().parent.parent
HOMES = {"digits": "guide/languages.py", "ui": "guide/data/ui.py", "arabic": "guide/editorial/arabic.py",
         "latin": "guide/pages/langparts.py"}


def core_sources() -> dict[str, str]:
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8")
            for p in [*ROOT.glob("guide/**/*.py"), *ROOT.glob("hooks/*.py"), *ROOT.glob("tools/*.py")]
            if not str(p.relative_to(ROOT)).startswith("guide/search/")}


def test_digits_both_ways():
    assert languages.arabic_indic_digits("1,234.5 %") == "١٬٢٣٤٫٥ ٪"
    assert languages.latin_digits("٢٠٢٣ و۱۹") == "2023 و19"
    assert languages.latin_digits(languages.arabic_indic_digits("0123456789")) == "0123456789"
    assert re.fullmatch(f"[{languages.ARABIC_INDIC_DIGITS}]+", "٠٩۰۹")
    # Per language: Arabic converts, English keeps Latin digits.
    assert locale.localize_digits("1.4", "ar") == "١٫٤" and locale.localize_digits("1.4", "en") == "1.4"
    assert downloads.human_size(1_400_000, "ar", {"mb": "م.ب", "kb": "ك.ب"}) == "١٫٤ م.ب"


def test_arabic_folding():
    assert arabic.fold("إِدارَة") == "اداره"
    assert arabic.fold_alef("أإآٱة") == "ااااة"  # ta marbuta kept: only alef is folded
    words = ["الإدارة", "أمن", "باب", "اتصال"]
    assert sorted(words, key=lambda w: boxes.sort_key(w, "ar")) == ["اتصال", "الإدارة", "أمن", "باب"]


def test_latin_runs_in_plain_text_and_tokens():
    runs = [m.group(0) for m in langparts.LATIN_TEXT_RUN.finditer("أطلق MOPAC صندوقًا مع Google.org و P/CVE")]
    assert runs == ["MOPAC", "Google.org", "P/CVE"]
    assert [m.group(0) for m in langparts.LATIN_TOKEN.finditer("مجموعة G20 عام 2017")] == ["G20", "2017"]


def test_ui_strings_from_the_data_folder_the_build_uses(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(ROOT / "data" / "ui.yml", data / "ui.yml")
    text = (data / "ui.yml").read_text(encoding="utf-8")
    (data / "ui.yml").write_text(re.sub(r"(?m)^pdf\.contents: .*$", 'pdf.contents: {ar: "فهرس التجربة", en: "Trial contents"}',
                                        text), encoding="utf-8")
    monkeypatch.setenv("GUIDE_DATA_DIR", str(data))
    assert ui.ui_file(ROOT) == data / "ui.yml"
    # The PDF and EPUB covers read the same folder as the site (they read the tree's data/ before).
    assert pdf.ui_strings("en")["contents"] == "Trial contents"
    assert epub.ui_strings("ar")["contents"] == "فهرس التجربة"
    # Parsed again when the file changes.
    (data / "ui.yml").write_text(re.sub(r"(?m)^pdf\.edition: .*\n", "", text), encoding="utf-8")
    with pytest.raises(pdf.PdfError, match=r"ui\.yml: missing UI string\(s\) pdf\.edition\.en \(needed by the PDF"):
        pdf.ui_strings("en")
    with pytest.raises(downloads.ManifestError, match="downloads.heading.fr"):
        downloads.load_labels(data / "ui.yml", "fr")
    with pytest.raises(ui.UIError, match="missing"):
        ui.read(tmp_path / "nowhere.yml")


def test_no_other_module_keeps_its_own_copy():
    digit_table = re.compile(r"maketrans\([^)]*(?:0123456789|[\u0660-\u0669])")
    digit_class = re.compile(r"\\u0660-\\u0669|[\u0660]-[\u0669]")
    ui_read = re.compile(r"""["']ui\.yml["']""")
    alef_table = re.compile(r"maketrans\([^)]*[أإآ]")
    latin_class = re.compile(r"A-Za-z\\u00C0-\\u024F")
    found = []
    for rel, text in core_sources().items():
        for concern, pattern in (("digits", digit_table), ("digits", digit_class), ("ui", ui_read),
                                 ("arabic", alef_table), ("latin", latin_class)):
            if rel != HOMES[concern] and pattern.search(text):
                found.append(f"{rel}: its own {concern} ({pattern.pattern})")
    assert not found, found


def test_latin_sorting_folds_accents(monkeypatch):
    # French (the three-language fixture): "économie" and "État" sort among the e's, not after z.
    monkeypatch.setenv("GUIDE_CONFIG", str(ROOT / "tests" / "fixtures" / "threelang" / "mkdocs.yml"))
    words = ["zone", "État", "ville", "économie", "etat", "Europe"]
    assert sorted(words, key=lambda w: boxes.sort_key(w, "fr")) == ["économie", "etat", "État", "Europe", "ville", "zone"]
    assert sorted(["b", "A", "a"], key=lambda w: boxes.sort_key(w, "en")) == ["A", "a", "b"]
