"""The language registry (guide/languages.py): read from mkdocs.yml's i18n list,
checked, and the one source of codes, prefixes, directions, digits, dates and
chapter labels; Localized data fields validated against it."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from guide import languages, siteconfig
from guide.data.loader import DataError, load_all
from guide.data.models import Localized

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "threelang"


def real_config() -> dict:
    return siteconfig.load_config(ROOT / "mkdocs.yml")


def entries(config: dict) -> list[dict]:
    return next(p["i18n"]["languages"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)


def test_the_sites_registry():
    registry = languages.load()
    assert registry.codes == ("ar", "en") and registry.default.code == "ar"
    assert registry.prefixes == {"ar": "", "en": "en/"}
    assert [lang.code for lang in registry.others("ar")] == ["en"]
    ar, en = registry.get("ar"), registry.get("en")
    assert (ar.dir, ar.digits, ar.analysis, en.dir, en.digits, en.analysis) == \
        ("rtl", "arabic-indic", "arabic", "ltr", "latin", "english")
    assert ar.chapter_label(3) == "الفصل الثالث" and ar.chapter_label(12) == "الفصل ١٢"
    assert en.chapter_label(3) == "Chapter 3"
    assert ar.format_date(30, 1, 2025) == "٣٠ يناير ٢٠٢٥" and en.format_date(12, 9, 2023) == "12 September 2023"
    assert siteconfig.languages(real_config()) == ("ar", "en")


def test_urls_and_paths_map_to_languages():
    registry = languages.load(FIXTURE / "mkdocs.yml")
    assert registry.language_of_url("fr/strategy/") == "fr"
    assert registry.language_of_url("en") == "en"
    assert registry.language_of_url("strategy/") == "ar"
    assert registry.language_of_url("french-page/") == "ar"  # a prefix is a whole folder
    assert registry.language_of_path("fr/glossary.md") == "fr"
    assert registry.language_of_path("assets/x.md") == "ar"
    assert [lang.code for lang in registry.others("en")] == ["ar", "fr"]


def test_the_default_comes_first_and_a_link_sets_the_prefix():
    config = real_config()
    langs = entries(config)
    langs.reverse()
    langs[0]["link"] = "/english/"
    registry = languages.from_config(config)
    assert registry.codes == ("ar", "en") and registry.prefixes["en"] == "english/"


@pytest.mark.parametrize("change, message", [
    (lambda e: e[1]["extra"]["language"].pop("dir"), r"languages\[en\]\.extra\.language\.dir: expected one of rtl, ltr"),
    (lambda e: e[1]["extra"]["language"].update(months=["x"] * 11), r"\.months: expected the twelve month names"),
    (lambda e: e[1]["extra"]["language"].update(chapter="Chapter"), r"\.chapter: needs \{n\}"),
    (lambda e: e[1]["extra"]["language"].update(runs={"arabic": "fa"}), r"runs\.arabic: 'fa' is not a configured"),
    (lambda e: e[1].pop("extra"), r"languages\[en\]\.extra\.language: missing"),
    (lambda e: e[1].update(default=True), r"exactly one `default: true`"),
])
def test_a_broken_language_entry_is_named(change, message):
    config = copy.deepcopy(real_config())
    change(entries(config))
    with pytest.raises(languages.LanguageError, match=message):
        languages.from_config(config)


def test_a_broken_entry_stops_the_editor_check_on_its_line(tmp_path):
    from guide.editorial import editorcheck

    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("              analysis: english\n",
                                                                     "              analysis: englisch\n")
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    line = text.split("\n").index("              analysis: englisch") + 1
    message = editorcheck._config_line(tmp_path, str(pytest.raises(languages.LanguageError, languages.load,
                                                                    tmp_path / "mkdocs.yml").value))
    assert message.startswith(f"mkdocs.yml:{line}: plugins.i18n.languages[en].extra.language.analysis: ")


def test_inherit_is_followed():
    assert languages.load(ROOT / "mkdocs.offline.yml").codes == ("ar", "en")


def test_localized_is_checked_against_the_registry():
    three = languages.load(FIXTURE / "mkdocs.yml")
    value = Localized.model_validate({"ar": "نص", "en": "text", "fr": "texte"}, context={"languages": three})
    assert value.get("fr") == "texte" and value["ar"] == "نص"
    with pytest.raises(Exception, match="Field required"):
        Localized.model_validate({"ar": "نص", "en": "text"}, context={"languages": three})
    with pytest.raises(Exception, match="unknown language 'fr'"):
        Localized.model_validate({"ar": "نص", "en": "text", "fr": "texte"})  # the site's two languages
    with pytest.raises(Exception, match="French text must use Latin digits"):
        Localized.model_validate({"ar": "نص", "en": "text", "fr": "texte ٣"}, context={"languages": three})


def test_an_unknown_language_key_names_file_line_and_field(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for path in (ROOT / "data").glob("*.yml"):
        (data / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    path = data / "ui.yml"
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("case.label:"))
    lines[number] = "case.label: {ar: مثال, en: Example, de: Beispiel}"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_all(data)
    assert str(info.value).startswith(f"{path}:{number + 1}: key 'case.label': field 'de': unknown language 'de' "
                                      f"(configured: ar, en)")


def test_the_fixture_data_loads_with_three_languages():
    data = load_all(FIXTURE / "data")
    assert data.ui["notfound.other"].get("fr") == "Ce site en français"
    assert data.chapters[0].proposed_title == ["fr"]
    # Every string the site has, the fixture has (in three languages): a new key needs its French too.
    assert yaml.safe_load((FIXTURE / "data" / "ui.yml").read_text(encoding="utf-8")).keys() >= \
        yaml.safe_load((ROOT / "data" / "ui.yml").read_text(encoding="utf-8")).keys()


def test_a_relative_config_path_is_read_from_the_working_directory(monkeypatch):
    # The registry remembers resolved paths (it is asked for thousands of times
    # a build); a relative path still means the working directory's file.
    monkeypatch.chdir(ROOT)
    assert languages.load("mkdocs.yml").codes == ("ar", "en")
    monkeypatch.chdir(FIXTURE)
    assert languages.load("mkdocs.yml").codes == ("ar", "en", "fr")
    monkeypatch.chdir(ROOT)
    assert languages.load("mkdocs.yml").codes == ("ar", "en")


def test_the_data_is_read_again_when_a_file_changes(tmp_path):
    # load_all keeps its last result for the same bytes (three loads a build).
    import shutil

    data = shutil.copytree(ROOT / "data", tmp_path / "data")
    first = load_all(data)
    assert load_all(data) is first
    ui = data / "ui.yml"
    ui.write_text(ui.read_text(encoding="utf-8") + "\nnot a mapping line\n", encoding="utf-8")
    with pytest.raises(DataError, match="ui.yml"):
        load_all(data)


def test_the_config_being_built_gives_the_languages(monkeypatch):
    # hooks/checks.py names the config being built; modules that ask for the
    # registry without a path then get its languages, not the repository's.
    # setenv first, so that the fixture's undo removes what use_config sets.
    monkeypatch.setenv(languages.CONFIG_ENV, str(ROOT / "mkdocs.yml"))
    assert languages.load().codes == ("ar", "en")
    languages.use_config(FIXTURE / "mkdocs.yml")
    assert languages.load().codes == ("ar", "en", "fr")
