"""mkdocs-macros adapter: ``define_env`` only registers the guide's macros.

Loading and validating ``data/`` (``guide.data.loader``) and rendering
(``guide.render.boxes``) are plain functions that know nothing about MkDocs. This
file wires them to mkdocs-macros and turns their errors into one clear line:
bad data stops the build before any page is rendered; a bad macro call stops it
naming the page.
"""

from __future__ import annotations

import functools
import logging

from mkdocs.exceptions import PluginError

from guide.render import boxes as render
from guide.data.loader import DataError, load_all
from guide.render.locale import page_language
from guide.render.boxes import MacroError, PageInfo, find_call_line

log = logging.getLogger("mkdocs.plugins.guide_data")


def _page_info(env) -> PageInfo:
    page = getattr(env, "page", None)
    src_uri = page.file.src_uri if page is not None else "ar/index.md"
    conf = env.conf
    return PageInfo(src_uri=src_uri, use_directory_urls=bool(conf.get("use_directory_urls", True)),
                    docs_dir=conf.get("docs_dir"))


def _fail(env, error: Exception):
    page = getattr(env, "page", None)
    where = f"docs/{page.file.src_uri}" if page is not None else "docs"
    line = None
    if page is not None and isinstance(error, MacroError) and error.macro and page.file.abs_src_path:
        try:
            with open(page.file.abs_src_path, encoding="utf-8") as source:
                line = find_call_line(source.read(), error.macro, error.argument)
        except OSError:
            pass
    log.error(f"{where}{f':{line}' if line else ''}: {error}")
    # mkdocs-macros would wrap an ordinary exception in a traceback dump;
    # SystemExit passes through it, after the one line above.
    raise SystemExit(1)


def _macro(env, data, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(data, _page_info(env), *args, **kwargs)
        except (MacroError, TypeError) as error:
            _fail(env, error)
    return wrapper


def define_env(env):
    try:
        data = load_all()
    except DataError as error:
        # A PluginError is printed by MkDocs as one "ERROR - ..." line, exit 1.
        raise PluginError(str(error)) from None

    for function in render.MACROS:
        env.macro(_macro(env, data, function), function.__name__)
    env.variables["guide_data"] = data


def on_post_page_macros(env):
    # Site-wide <abbr> tooltips: abbreviation definitions in the page language.
    data = env.variables.get("guide_data")
    if data is None or env.page is None:
        return
    lang = page_language(env.page.file.src_uri)
    env.markdown = env.markdown.rstrip("\n") + "\n\n" + render.abbreviations(data, lang) + "\n"
