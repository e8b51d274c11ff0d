"""Material behind a guarded seam: the verified version, the list of what to
re-verify on upgrade, and a string for every translation key Material's
templates use, in every language (pure Python, no build)."""

from __future__ import annotations

import importlib.util
import re
from importlib import metadata
from pathlib import Path

import material
import pytest

from guide import siteconfig
from guide.data import yamlinput

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(material.__file__).parent / "templates"


def _hook():
    spec = importlib.util.spec_from_file_location("material_theme_hook", ROOT / "hooks" / "material_theme.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HOOK = _hook()

# Keys Material's templates use that a page of this site never renders: each
# with the condition that keeps it so, checked below against mkdocs.yml.
NOT_RENDERED = {
    "blog.": "the blog plugin is not enabled",
    "readtime.": "the blog plugin is not enabled",
    "rss.": "the rss plugin is not enabled",
    "consent.": "extra.consent is not set",
}
# Set by overrides/partials/language.html itself, not read from ui.yml.
SETTINGS = {"language", "direction"}


def material_keys() -> set[str]:
    keys = set()
    for template in TEMPLATES.rglob("*.html"):
        keys.update(re.findall(r"""lang\.t\(\s*['"]([a-z0-9._]+)['"]\s*\)""", template.read_text(encoding="utf-8")))
    return keys


def test_the_hook_runs_first_and_material_is_the_verified_version():
    config = siteconfig.load_config()
    assert config["hooks"][0] == "hooks/material_theme.py"
    assert HOOK.version_problem(metadata.version("mkdocs-material")) is None
    # MkDocs orders events by priority first, listing second: the check must
    # outrank every other hook's on_config (hooks/checks.py reads files at 100).
    others = {}
    for path in config["hooks"][1:]:
        spec = importlib.util.spec_from_file_location(f"hook_{Path(path).stem}", ROOT / path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if hasattr(module, "on_config"):
            others[path] = getattr(module.on_config, "mkdocs_priority", 0)
    assert others, "no other hook has on_config (nothing compared)"
    first = getattr(HOOK.on_config, "mkdocs_priority", 0)
    assert all(first > p for p in others.values()), f"material_theme {first} vs {others}"


def test_another_material_version_stops_the_build_naming_what_to_reverify(monkeypatch):
    problem = HOOK.version_problem("9.9.0")
    assert problem and "9.9.0" in problem and HOOK.MATERIAL_VERIFIED in problem
    assert "RE_VERIFY" in problem and "\n" not in problem
    monkeypatch.setattr(HOOK, "installed_version", lambda: "9.9.0")
    with pytest.raises(HOOK.PluginError, match="re-verify the"):
        HOOK.on_config({})


# Material's markup (md-* classes and variables, data-md-*), its page config
# (__config), its bundle and search worker files, its search index, its
# search config's "separator" (its tokenizer), its translation API, its
# admonition classes.
MARKER = re.compile(r"\bmd-[a-z]|data-md-|search_index|lang\.t\(|__search|__config|\bbundle\.|workers/search"
                    r"|class=\"admonition\b|[\"']separator[\"']")
CORE = ("guide/pages/", "guide/publish/")


def test_every_file_that_names_materials_internals_is_listed_to_reverify():
    # Every file that names Material's internals (MARKER). The page rewriters and
    # publishers (guide/pages/, guide/publish/) spell none of it (the test
    # below): they import guide/theme/material.py.
    places = [*ROOT.glob("guide/**/*.py"), *ROOT.glob("hooks/*.py"), *ROOT.glob("tools/**/*.py"),
              *ROOT.glob("overrides/**/*.html"), *ROOT.glob("overrides/**/*.js"), *ROOT.glob("overrides/**/*.css"),
              *ROOT.glob("docs/assets/javascripts/*.js"), *ROOT.glob("docs/assets/stylesheets/*.css")]
    found = {str(p.relative_to(ROOT)) for p in places
             if p.name != "material_theme.py" and not str(p.relative_to(ROOT)).startswith(CORE)
             and MARKER.search(p.read_text(encoding="utf-8"))}
    # A template of ours at the path of one of Material's replaces it.
    found |= {str(p.relative_to(ROOT)) for p in (ROOT / "overrides").rglob("*.html")
              if (TEMPLATES / p.relative_to(ROOT / "overrides")).is_file()}
    missing = sorted(found - set(HOOK.RE_VERIFY))
    assert not missing, f"files that depend on Material's internals, not in RE_VERIFY: {missing}"
    gone = sorted(f for f in HOOK.RE_VERIFY if not (ROOT / f).is_file())
    assert not gone, f"RE_VERIFY names files that do not exist: {gone}"


def test_material_templates_use_the_keys_this_test_knows():
    keys = material_keys()
    assert len(keys) > 30 and "search.placeholder" in keys, "the key scan no longer finds Material's keys"


def test_every_material_translation_key_has_a_string_in_every_language():
    ui = yamlinput.parse(yamlinput.read(ROOT / "data" / "ui.yml", "data/ui.yml"), "data/ui.yml").data
    languages = siteconfig.languages(siteconfig.load_config())
    assert len(languages) >= 2
    problems = []
    for key in sorted(material_keys()):
        if key in SETTINGS or any(key.startswith(prefix) for prefix in NOT_RENDERED):
            continue
        entry = ui.get(f"material.{key}")
        if not isinstance(entry, dict):
            problems.append(f"material.{key}: no entry in data/ui.yml")
            continue
        problems += [f"material.{key}: no {lang} string" for lang in languages if not str(entry.get(lang) or "").strip()]
    assert not problems, problems


def test_the_keys_left_out_are_for_features_this_site_does_not_use():
    config = siteconfig.load_config()
    plugins = {next(iter(p)) if isinstance(p, dict) else p for p in config.get("plugins") or []}
    assert not plugins & {"blog", "material/blog", "rss"}, plugins
    assert "consent" not in (config.get("extra") or {})
    # One language partial for every language sets Material's own settings.
    partial = (ROOT / "overrides" / "partials" / "language.html").read_text(encoding="utf-8")
    assert all(f'"{key}"' in partial for key in SETTINGS), f"language.html does not set {SETTINGS}"
    assert not (ROOT / "overrides" / "partials" / "languages").exists(), "a per-language partial is back"


def test_the_core_names_materials_markup_in_the_theme_module_only():
    # The page rewriters and publishers import Material's markup from
    # guide/theme/material.py; only that module (and the search index's
    # format, guide/search/) may spell it.
    spelled = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("guide/**/*.py")
                     if str(p.relative_to(ROOT)).startswith(CORE)
                     and MARKER.search(p.read_text(encoding="utf-8")))
    assert not spelled, f"Material's markup outside guide/theme/material.py: {spelled}"
    listed = sorted(f for f in HOOK.RE_VERIFY if f.startswith(("guide/pages/", "guide/publish/")))
    assert not listed, f"RE_VERIFY lists page or publish modules again: {listed}"
