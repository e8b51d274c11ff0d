"""MkDocs hooks: the thin adapter between the engine and the guide's own logic.

Only event plumbing lives here; what to compute is in plain modules
(``guide.pages``) that know nothing about MkDocs, so the logic survives a
move to another engine (Material reaches end of life in 2027).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import escape
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from guide import languages
from guide.data import ui as ui_strings
from guide.editorial import editorcheck, files
from guide.pages import a11yfix, csp, gitdates, htmlpolicy, langparts, minify, navlegend, notices, pagemeta, quotes, safelinks, tablecards
from guide.search import searchindex

log = logging.getLogger("mkdocs.hooks.guide")


@event_priority(100)
def on_config(config):
    # The file allowlist on every build, pre-pass or not (it is fast): no
    # symbolic link or unreviewed file is ever read or published.
    try:
        files.check(Path(config.config_file_path).resolve().parent)
    except files.FileError as exc:
        raise PluginError(str(exc)) from None
    # Editor input (guide/editorial/editorcheck.py) before any page is rendered, for
    # `mkdocs build`/`serve` too; `python -m tools build` ran it already.
    if not os.environ.get("GUIDE_EDITOR_CHECKED") and not getattr(config, "_guide_editor_checked", False):
        problem = editorcheck.first_problem(Path(config.config_file_path).resolve().parent)
        if problem:
            raise PluginError(problem)
        config._guide_editor_checked = True
    return config


def on_page_context(context, page, config, nav):
    # Absolute hreflang alternates (+ x-default) for the page head. Runs after
    # mkdocs-static-i18n (priority 50) has attached each file's alternates.
    alternates = {lang: f.url for lang, f in getattr(page.file, "alternates", {}).items()}
    context["hreflang_alternates"] = pagemeta.hreflang_links(config.site_url or "", alternates)
    context.update(_reader_notes(page, config))
    # Which search index the page loads and which entries are its language.
    context["search_scope"] = _search_scope(config)
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
    return env


def on_template_context(context, template_name, config):
    # The 404 page is a theme template, not a page: give it what pages get from
    # on_page_context (search scope), and point its language menu at the
    # other language's home page rather than the last page built.
    if template_name == "404.html":
        context["search_scope"] = _search_scope(config)
        prefixes, _ = _languages(config)
        base = urlsplit(config.site_url or "/").path or "/"
        # mkdocs-static-i18n sets the menu per page as the attribute
        # config.extra.alternate (Jinja reads that first), so set both.
        current = getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []
        homes = [dict(alt, link=base + prefixes[alt["lang"]]) if alt.get("lang") in prefixes else alt
                 for alt in current]
        config.extra["alternate"] = homes
        config.extra.alternate = homes
    return context


def on_post_template(output, template_name, config):
    # One 404 page per language: Arabic at /404.html, English at /en/404.html.
    # mkdocs-static-i18n builds every language into the same site_dir, so the
    # English build would overwrite the Arabic 404: write it under en/ and
    # give MkDocs back the Arabic page kept from the first (default) build.
    if template_name != "404.html":
        return output
    prefixes, default = _languages(config)
    lang = config.theme["language"]
    output = minify.strip_inline_script_comments(minify.collapse_indentation(pagemeta.set_html_dir(output, lang)))
    # The 404 pages carry the policy like every page.
    url = ("" if lang == default or lang not in prefixes else prefixes[lang]) + "404.html"
    output = _with_csp(output, None, config, url=url, source="overrides/404.html")
    if lang == default or lang not in prefixes:
        _NOT_FOUND[config.site_dir] = output
        return output
    target = Path(config.site_dir) / prefixes[lang] / "404.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(output, encoding="utf-8")
    return _NOT_FOUND.get(config.site_dir, output)


_NOT_FOUND: dict[str, str] = {}  # site_dir -> the default language's 404 page


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
    # Editor input as the browser will see it, first: the rendered content
    # (Markdown, raw HTML, boxes from data/) against the HTML allowlist.
    _check_content(html, page)
    # Published as the allowlist's own serialisation (what was checked).
    html = htmlpolicy.sanitised(html)
    # Markdown tables become cards on phones (site.css): label their cells.
    html = tablecards.label_cells(html)
    # Cells apart in the search index (Material's search joins them otherwise).
    html = searchindex.spaced_cells(html)
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
        html = quotes.curl_html(html)
    return html


def _check_content(html, page) -> None:
    finding = htmlpolicy.first_finding(html)
    if finding is None:
        return
    rel = f"docs/{page.file.src_uri}"
    # A box names its data file (data/<kind>.yml, checked by the allowlist);
    # never open a path an editor could have written.
    source = finding.source_file if finding.source_file and htmlpolicy.is_data_file(finding.source_file) else None
    if source:
        source = f"data/{Path(source).name}"
    where = source or rel
    path = Path(config_root(page)) / source if source else Path(page.file.abs_src_path)
    try:
        line = htmlpolicy.source_line(path.read_text(encoding="utf-8").split("\n"), finding)
    except OSError:
        line = None
    log.error(f"{where}:{line or 1}: {htmlpolicy.message(finding)}"
              + (f" (in a box on {rel})" if source else ""))
    # One line, no traceback (MkDocs would wrap a PluginError in "Error reading page").
    raise SystemExit(1)


def config_root(page) -> Path:
    # The repository: docs/<lang>/<page>.md is two folders below it.
    return Path(page.file.abs_src_path).resolve().parents[len(Path(page.file.src_uri).parts)]


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


# Last (after the plugins), so the policy sees the final page.
@event_priority(-100)
def on_post_page(output, page, config):
    # Material puts dir= on <body> only; the document element should carry it too.
    output = pagemeta.set_html_dir(output, config.theme["language"])
    # The header's titles: the part after the colon goes whole or not at all on a phone.
    output = pagemeta.split_header_titles(output)
    # The navigation's ⓘ marker for summary pages, explained under the navigation.
    ui = _reader_state(config)["ui"]
    output = navlegend.add_legend(output, ui["nav.status.legend"][config.theme["language"]])
    # Curly quotes in the rest of the page too (titles, navigation,
    # interface strings, the legend), where the language has them.
    if _registry(config).get(config.theme["language"]).quotes == "curly":
        output = quotes.curl_html(output)
    # Language of parts: Latin runs in Arabic articles get lang="en", and the
    # like (each language's `runs` in mkdocs.yml).
    output = langparts.mark_language_runs(output, config.theme["language"])
    # Material's search dialog has no accessible name.
    output = a11yfix.name_search_dialog(output)
    # Links to other sites get rel="noopener".
    output = safelinks.secure_external_links(output, config.site_url or "")
    # Without the templates' indentation (<pre> untouched), and inline
    # scripts without their comments (before the CSP hashes them).
    output = minify.strip_inline_script_comments(minify.collapse_indentation(output))
    return _with_csp(output, page, config)


def _with_csp(output, page, config, url=None, source=None):
    # Content-Security-Policy <meta> (guide/pages/csp.py): inline scripts only by
    # hashes derived from the trusted templates, never from the page; script
    # files only if reviewed, each by its exact URL. Anything else fails the build.
    trusted = getattr(config, "_guide_trusted_scripts", None)
    if trusted is None:
        root = Path(config.config_file_path).resolve().parent
        trusted = csp.trusted_scripts([Path(d) for d in config.theme.dirs], root)
        config._guide_trusted_scripts = trusted
    source = source or f"docs/{page.file.src_uri}"
    site_url = config.site_url or ""
    page_url = site_url + (url if url is not None else page.url)
    offline = os.environ.get("GUIDE_OFFLINE", "").lower() == "true"
    try:
        hashes = csp.page_hashes(output, trusted, source)
        scripts = csp.page_scripts(output, page_url, site_url, source)
        workers = csp.page_workers(output, page_url, site_url, source)
        content = csp.policy(hashes, offline=offline, site_url=site_url, scripts=scripts, workers=workers)
    except csp.CSPError as exc:
        raise PluginError(str(exc)) from exc
    return csp.add_meta(output, content)


def _registry(config):
    # The language registry of the config being built (guide/languages.py).
    return languages.load(config.config_file_path)


def _languages(config) -> tuple[dict[str, str], str]:
    # {locale: URL prefix} from mkdocs-static-i18n ({"ar": "", "en": "en/"}) and the default.
    i18n = config.plugins.get("i18n")
    if i18n is None:
        lang = config.theme["language"]
        return {lang: ""}, lang
    prefixes, default = {}, None
    for language in i18n.config.languages:
        if language.default:
            default = language.locale
        prefixes[language.locale] = "" if language.default else language.link.strip("/") + "/"
    return prefixes, default or next(iter(prefixes))


def _search_scope(config) -> dict:
    prefixes, default = _languages(config)
    scope = {"lang": config.theme["language"], "defaultLang": default, "prefixes": prefixes,
             "prebuilt": searchindex.uses_prebuilt()}
    if scope["prebuilt"]:
        # The worker's version (see searchindex.worker_version), once per build.
        version = getattr(config, "_guide_search_worker", None)
        if version is None:
            source = Path(config.config_file_path).resolve().parent / "overrides" / searchindex.WORKER_DIR
            version = config._guide_search_worker = searchindex.worker_version(source)
        scope["worker"] = version
    return scope


@event_priority(-110)
def on_post_build(config):
    # Per-language search indexes next to the combined one (guide/search/searchindex.py).
    # After mkdocs-static-i18n (-100), which writes the final combined index.
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        # One of mkdocs-static-i18n's per-language builds inside the outer one:
        # the outer call below does the whole site once (it was done twice).
        return
    prefixes, default = _languages(config)
    # Our stylesheets without their comments (the print view's included).
    minify.minify_stylesheets(Path(config.site_dir), [*map(str, config.extra_css), "assets/stylesheets/print.css"])
    # Our scripts without their comments (the 404 page's and search's, which
    # pages load themselves, included).
    scripts = [getattr(script, "path", script) for script in config.extra_javascript]
    minify.minify_scripts(Path(config.site_dir), [*map(str, scripts), "assets/javascripts/not-found.js",
                                                  "assets/javascripts/search-counts.js"])
    # The data pairs names in both scripts; the index gets the other spelling.
    data_dir = Path(os.environ.get("GUIDE_DATA_DIR") or Path(config.config_file_path).resolve().parent / "data")
    try:
        searchindex.write_language_indexes(Path(config.site_dir), prefixes, default, data_dir)
        searchindex.write_worker(Path(config.site_dir))
    except searchindex.SearchIndexError as exc:
        raise PluginError(f"guide: {exc}") from exc


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
