"""MkDocs hooks: what the guide does to each page (thin adapter over
``guide.pages``): the reader's notes and dates, the interface strings for the
templates, the page rewriters. Only event plumbing lives here; what to
compute is in plain modules that know nothing about MkDocs, so the logic
survives a move to another engine (Material reaches end of life in 2027).

Beside it, each named after what it does: hooks/checks.py (editor input),
hooks/search.py, hooks/csp.py (last on every page), hooks/notfound.py (the
404 pages), hooks/minify.py (the site's own assets).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from markupsafe import escape
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from guide import languages
from guide.data import ui as ui_strings
from guide.theme import bytecode
from guide.pages import (a11yfix, gitdates, htmlpolicy, langparts, minify, navlegend, notices, pagemeta, pagememo,
                         quotes, safelinks, tablecards)

log = logging.getLogger("mkdocs.hooks.guide")


def on_page_context(context, page, config, nav):
    # Absolute hreflang alternates (+ x-default) for the page head. Runs after
    # mkdocs-static-i18n (priority 50) has attached each file's alternates.
    alternates = {lang: f.url for lang, f in getattr(page.file, "alternates", {}).items()}
    context["hreflang_alternates"] = pagemeta.hreflang_links(config.site_url or "", alternates)
    context.update(_reader_notes(page, config))
    return context


def on_env(env, config, files):
    # UI strings for the templates that are not pages (Material's interface
    # strings, footer, logo, 404): `guide_ui[key][lang]`, from data/ui.yml.
    env.globals["guide_ui"] = _reader_state(config)["ui"]
    # The language registry (mkdocs.yml), for the templates that name another
    # language's direction or Material's search settings (404, language.html).
    env.globals["guide_languages"] = {
        lang.code: {"dir": lang.dir, "prefix": lang.prefix, "analysis": lang.analysis}
        for lang in _registry(config)}
    env.globals["guide_default_language"] = _registry(config).default.code
    # Compiled templates kept across `mkdocs serve` rebuilds (source-checked).
    env.bytecode_cache = bytecode.CACHE
    return env


def on_nav(nav, config, files):
    # Material marks pages with front matter `status:` in the navigation; its
    # tooltip text comes from extra.status. Summary pages get a localized one
    # (complete pages get no marker, see site.css). Runs once per language build.
    # Material prints it unescaped into a title="" attribute (its theme
    # templates do not autoescape), so it goes in escaped.
    ui = _reader_state(config)["ui"]
    config.extra["status"] = {"summary": str(escape(ui["nav.status.summary"][config.theme["language"]]))}
    return nav


def on_page_content(html, page, config, files):
    # hooks/checks.py checked the content against the HTML allowlist; it is
    # published as the allowlist's own serialisation (what was checked).
    # Markdown tables become cards on phones (site.css): label their cells.
    html = pagememo.remembered("published", (html,), lambda: tablecards.label_cells(htmlpolicy.sanitised(html)))
    # Arabic H1s have no Latin letters to make an id from (toc gives "_1"):
    # use the H1 id of the first Latin-script language's page (English), so
    # the languages share it.
    html, old = pagemeta.readable_h1_id(html, _latin_h1_id(page, config))
    if old:
        for item in page.toc.items:
            if item.id == old:
                item.id = _latin_h1_id(page, config)
    # Curly quotes and apostrophes where the language asks for them (English;
    # here, so the search index has them too).
    if _registry(config).get(config.theme["language"]).quotes == "curly":
        html = quotes.curl_html(html, quotes.curly_codes(_registry(config)))
    return html


def _latin_h1_id(page, config) -> str | None:
    # Taken from the Latin-script page's source after the allowlist ran: held to its id rule.
    found = _latin_h1_id_raw(page, config)
    return found if found and htmlpolicy.id_allowed(found) else None


def _latin_h1_id_raw(page, config) -> str | None:
    folder, _, name = page.file.src_uri.partition("/")
    latin = _registry(config).with_script("latin")
    if not name or not latin or folder == latin[0].code:
        return None
    source = Path(page.file.abs_src_path).resolve().parents[len(Path(name).parts)] / latin[0].code / name
    if not source.exists():
        return None
    return pagemeta.h1_id_from_markdown(source.read_text(encoding="utf-8"))


# After the plugins; hooks/csp.py (listed after this one, same priority) then
# adds the policy to the final page.
@event_priority(-100)
def on_post_page(output, page, config):
    lang = config.theme["language"]
    legend = _reader_state(config)["ui"]["nav.status.legend"][lang]
    # the codes of the languages with curly quotes, when this page's is one
    curly = quotes.curly_codes(_registry(config)) if _registry(config).get(lang).quotes == "curly" else ()
    site_url = config.site_url or ""
    # A page unchanged since the last rebuild of `make serve` gets its last result
    # (the registry too is an input: the language of parts reads its `runs`).
    return pagememo.remembered("finish", (output, lang, legend, curly, site_url, pagememo.same(_registry(config))),
                               lambda: _finish(output, lang, legend, curly, site_url))


def _finish(output: str, lang: str, legend: str, curly: tuple[str, ...], site_url: str) -> str:
    # Material puts dir= on <body> only; the document element should carry it too.
    output = pagemeta.set_html_dir(output, lang)
    # The header's titles: the part after the colon goes whole or not at all on a phone.
    output = pagemeta.split_header_titles(output)
    # The navigation's ⓘ marker for summary pages, explained under the navigation.
    output = navlegend.add_legend(output, legend)
    # Curly quotes in the rest of the page too (titles, navigation,
    # interface strings, the legend), where the language has them.
    if curly:
        output = quotes.curl_html(output, curly)
    # Language of parts: Latin runs in Arabic articles get lang="en", and the
    # like (each language's `runs` in mkdocs.yml).
    output = langparts.mark_language_runs(output, lang)
    # Material's search dialog has no accessible name.
    output = a11yfix.name_search_dialog(output)
    # Links to other sites get rel="noopener".
    output = safelinks.secure_external_links(output, site_url)
    # Without the templates' indentation (<pre> untouched), and inline
    # scripts without their comments (before the CSP hashes them).
    return minify.strip_inline_script_comments(minify.collapse_indentation(output))


def _registry(config):
    # The language registry of the config being built (guide/languages.py).
    return languages.load(config.config_file_path)


def _reader_state(config) -> dict:
    # Once per build: git dates (one `git log` for every file) and UI strings.
    # Stored on the config object because mkdocs-static-i18n re-runs the build
    # (and on_config) per language with the same config, while `mkdocs serve`
    # makes a new config on every rebuild, so edits show up at once.
    state = getattr(config, "_guide_reader_state", None)
    if state is None:
        root = Path(config.config_file_path).resolve().parent
        try:
            top = gitdates.repo_root(root)
            dates, lag_dates = gitdates.change_dates(root, (os.path.relpath(config.docs_dir, root),))
        except gitdates.NoHistory as exc:
            top, dates, lag_dates = root, None, None
            log.info("guide: no git history (%s); pages show no 'last updated' date "
                     "and no translation notices", exc)
        # The same data folder the macros use (GUIDE_DATA_DIR points elsewhere).
        try:
            ui = notices.load_ui(ui_strings.ui_file(root))
        except (OSError, notices.UIError) as exc:
            raise PluginError(f"guide: {exc}") from exc
        state = {"root": root, "top": top, "dates": dates, "lag_dates": lag_dates, "ui": ui}
        config._guide_reader_state = state
    return state


def _reader_notes(page, config) -> dict:
    # Notices above the page, dates and source file below it (issue 7.2-7.4).
    state = _reader_state(config)
    src = Path(page.file.abs_src_path).resolve()
    lang = getattr(page.file, "locale", None) or page.file.src_uri.split("/")[0]
    folder, _, name = page.file.src_uri.partition("/")
    if lang not in _registry(config) or folder != lang or not name:
        return {}  # not a page of a language folder
    facts = notices.page_facts(src, lang, name, state["dates"], state["top"], (page.meta or {}).get("status"),
                               state["lag_dates"])
    source_path = src.relative_to(state["root"]).as_posix()
    try:
        edition = notices.check_edition(config.extra.get("edition") or {})
    except ValueError as exc:
        raise PluginError(f"guide: {exc}") from exc
    dates = notices.dates(facts, state["ui"], edition, source_path, page.edit_url)
    return {"page_notices": notices.notices(facts, state["ui"]), "page_dates": dates}
