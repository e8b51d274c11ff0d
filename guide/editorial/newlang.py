"""Scaffold a new language: ``python -m tools new-lang fr``.

What it writes (and nothing else: adding a language touches configuration,
content and ``data/ui.yml`` only):

* ``mkdocs.yml``: an entry at the end of the i18n plugin's ``languages:`` list,
  with the language's facts under ``extra.language`` (guide/languages.py).
  Direction, script, digits and search analysis come from the options (for a
  left-to-right Latin-script language the defaults fit); the name, chapter
  label, month names and site name are written as ``TRANSLATE: <text of the
  source language>``;
* ``docs/<code>/<page>.md`` for every page of the source language: a stub with
  ``status: untranslated`` and the source's title to translate;
* ``data/ui.yml``: ``<code>: "TRANSLATE: <source text>"`` added to every string,
  and a ``language.<code>`` string (how each language names the new one in the
  translation notices), to write in every language.

What it does not write: the data files' records (cases, glossary, ...). Each
keeps its shape (``ar:``, ``en:``, ...), and the new language is added to each
record by hand.

Nothing is published half-translated. Until every marker is replaced, every
stub translated (``status: complete`` or ``summary``) and every data record
has the language, the build stops at the first one with one line naming the
file, line and field, and ``python -m tools status`` lists them all. We chose
this over falling back to the default language: a page or a box in another
language with a notice would have to be built, checked and tested in two
forms, and a reader who picked French would get Arabic text.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

from guide import languages, siteconfig
from guide.data import ui

ROOT = Path(__file__).resolve().parents[2]
MARK = languages.UNTRANSLATED
# What the i18n plugin accepts as a locale (mkdocs-static-i18n's rule, simplified).
_CODE = re.compile(r"^[a-z]{2}(?:-[A-Z]{2})?$")


class NewLanguageError(Exception):
    pass


def add_arguments(parser) -> None:
    parser.add_argument("code", help="the language's code (ISO 639-1, e.g. fr); its pages go to docs/<code>/")
    parser.add_argument("--name", help="the language's own name, for the language menu (e.g. Français)")
    parser.add_argument("--english-name", help="its English name, for editors' messages (e.g. French)")
    parser.add_argument("--dir", choices=languages.DIRECTIONS, default="ltr")
    parser.add_argument("--script", choices=languages.SCRIPTS, default="latin")
    parser.add_argument("--digits", choices=languages.DIGITS, default="latin")
    parser.add_argument("--analysis", choices=languages.ANALYSES, default="generic",
                        help="search analysis (generic unless the language has one of its own)")
    parser.add_argument("--from", dest="source", help="the language the markers quote (default: the default language)")


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escaping is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def config_entry(code: str, registry, source, name: str | None, english_name: str | None, dir: str,
                 script: str, digits: str, analysis: str, site_name: str | None) -> str:
    others = [lang for lang in registry if lang.script != script]
    runs = f"{{{others[0].script}: {others[0].code}}}" if others else "{}"
    months = ", ".join(_q(f"{MARK} {month}") for month in source.months)
    lines = [
        f"        - locale: {code}",
        f"          name: {_q(name or f'{MARK} the name of {code} in {code}')}",
        "          build: true",
        f"          site_name: {_q(f'{MARK} {site_name}')}" if site_name else None,
        "          extra:",
        "            language:",
        f"              english_name: {_q(english_name or f'{MARK} the English name of {code}')}",
        f"              dir: {dir}",
        f"              script: {script}",
        f"              digits: {digits}",
        f"              analysis: {analysis}",
        f"              runs: {runs}",
        f"              chapter: {_q(f'{MARK} ' + source.chapter)}",
        f"              months: [{months}]",
        "              currency: symbol",
    ]
    return "\n".join(line for line in lines if line is not None) + "\n"


def add_to_config(config_path: Path, entry: str) -> None:
    """Insert ``entry`` after the last language of the i18n plugin's list."""
    lines = config_path.read_text(encoding="utf-8").split("\n")
    in_i18n, list_line, indent = False, None, 0
    for number, text in enumerate(lines):
        if re.match(r"^\s*-\s*i18n:\s*$", text):
            in_i18n = True
        elif in_i18n and re.match(r"^\s*languages:\s*$", text):
            list_line, indent = number, len(text) - len(text.lstrip())
            break
    if list_line is None:
        raise NewLanguageError(f"{config_path.name}: no `languages:` list under the i18n plugin")
    end = list_line + 1
    for number in range(list_line + 1, len(lines)):
        text = lines[number]
        if text.strip() and len(text) - len(text.lstrip()) <= indent:
            break
        if text.strip():
            end = number + 1
    lines[end:end] = entry.rstrip("\n").split("\n")
    config_path.write_text("\n".join(lines), encoding="utf-8")


def page_stub(source_page: Path, source_code: str) -> str:
    text = source_page.read_text(encoding="utf-8")
    match = re.match(r"\A---\n(.*?)\n---\n", text, re.DOTALL)
    meta = yaml.safe_load(match.group(1)) if match else {}
    meta = meta if isinstance(meta, dict) else {}
    title = str(meta.get("title") or source_page.stem)
    out = ["---", f"title: {_q(f'{MARK} {title}')}",
           f"description: {_q(MARK + ' ' + str(meta.get('description') or ''))}",
           "status: untranslated"]
    if meta.get("hide"):
        out.append("hide:")
        out += [f"  - {item}" for item in meta["hide"]]
    out += ["---", "", f"# {MARK} {title}", "",
            f"{MARK} this page, from docs/{source_code}/{source_page.name}; then set `status: complete`.", ""]
    return "\n".join(out)


_UI_LINE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*):\s*\{.*\}\s*$")


def add_to_ui(ui_path: Path, code: str, source_code: str) -> list[str]:
    """Add ``code: "TRANSLATE: <source text>"`` to every one-line string; return
    the keys it could not extend (written some other way: add those by hand)."""
    lines = ui_path.read_text(encoding="utf-8").split("\n")
    skipped = []
    for number, text in enumerate(lines):
        match = _UI_LINE.match(text)
        if not match:
            if re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*:", text):
                skipped.append(text.split(":", 1)[0])
            continue
        entry = (yaml.safe_load(text) or {}).get(match.group(1))
        if not isinstance(entry, dict) or source_code not in entry:
            skipped.append(match.group(1))
            continue
        if code in entry:
            continue
        closing = text.rstrip().rfind("}")
        lines[number] = text[:closing].rstrip() + f", {code}: {_q(f'{MARK} ' + str(entry[source_code]))}}}"
    ui_path.write_text("\n".join(lines), encoding="utf-8")
    return skipped


def add_language_name(ui_path: Path, code: str, codes: list[str], english_name: str | None) -> None:
    """``language.<code>``, after the other languages' (the notices' ``{language}``),
    marked in every language: each names the new language in its own words."""
    lines = ui_path.read_text(encoding="utf-8").split("\n")
    named = english_name or code
    entry = ", ".join(f"{c}: {_q(f'{MARK} {named}')}" for c in codes)
    last = max((i for i, line in enumerate(lines) if line.startswith("language.")), default=None)
    line = f"language.{code}: {{{entry}}}"
    if last is None:
        lines[-1:] = [lines[-1], line] if lines[-1] else [line, ""]
    else:
        lines.insert(last + 1, line)
    ui_path.write_text("\n".join(lines), encoding="utf-8")


def new_language(root: Path, code: str, name: str | None = None, english_name: str | None = None,
                 dir: str = "ltr", script: str = "latin", digits: str = "latin", analysis: str = "generic",
                 source_code: str | None = None) -> dict:
    """Scaffold ``code`` in the tree at ``root``; return what was written."""
    if not _CODE.match(code):
        raise NewLanguageError(f"{code!r} is not a language code such as fr or pt-BR")
    config_path = root / "mkdocs.yml"
    registry = languages.load(config_path)
    if code in registry:
        raise NewLanguageError(f"mkdocs.yml: {code!r} is already configured")
    source = registry.get(source_code) if source_code else registry.default
    pages_dir = root / "docs" / code
    if pages_dir.exists():
        raise NewLanguageError(f"docs/{code}/ already exists: move it away first")
    config = siteconfig.load_config(config_path)
    entries = next(plugin["i18n"]["languages"] for plugin in config["plugins"]
                   if isinstance(plugin, dict) and "i18n" in plugin)
    source_entry = next(entry for entry in entries if str(entry.get("locale")) == source.code)
    site_name = source_entry.get("site_name") or config.get("site_name")
    add_to_config(config_path, config_entry(code, registry, source, name, english_name, dir, script, digits,
                                            analysis, site_name))
    pages_dir.mkdir(parents=True)
    written = []
    for page in sorted((root / "docs" / source.code).glob("*.md")):
        (pages_dir / page.name).write_text(page_stub(page, source.code), encoding="utf-8")
        written.append(f"docs/{code}/{page.name}")
    skipped = add_to_ui(root / "data" / ui.FILE_NAME, code, source.code)
    add_language_name(root / "data" / ui.FILE_NAME, code, [*registry.codes, code], english_name)
    return {"pages": written, "skipped": skipped, "source": source.code}


def main(args) -> int:
    try:
        done = new_language(ROOT, args.code, args.name, args.english_name, args.dir, args.script, args.digits,
                            args.analysis, args.source)
    except (NewLanguageError, languages.LanguageError) as error:
        print(f"new-lang: {error}", file=sys.stderr)
        return 1
    print(f"added {args.code} to mkdocs.yml (plugins: i18n: languages), {len(done['pages'])} page stubs in "
          f"docs/{args.code}/, and a {MARK!r} string per key in data/ui.yml (quoting {done['source']})")
    for key in done["skipped"]:
        print(f"  data/ui.yml: {key}: not a one-line string: add {args.code} by hand")
    print(f"next: replace every {MARK!r} (the build refuses them), translate the pages, and add {args.code} to "
          f"every record in data/*.yml; `python -m tools status` lists what is left")
    return 0
