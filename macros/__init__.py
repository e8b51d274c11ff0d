"""mkdocs-macros adapter: ``define_env`` only registers the guide's macros.

Loading and validating ``data/`` (``guide.data.loader``) and rendering
(``guide.render.boxes``) are plain functions that know nothing about MkDocs. This
file wires them to mkdocs-macros and turns their errors into one clear line:
bad data stops the build before any page is rendered; a bad macro call stops it
naming the page.

Editor text is never run as template code. Before mkdocs-macros renders a page,
``on_pre_page_macros`` checks exactly the text it is about to render against
the allowlist of ``guide/editorial/macrocalls.py`` (the guide's macro calls
with literal arguments, nothing else) and refuses a page title with template
syntax, so a page that would fail is never rendered; and it swaps
mkdocs-macros' Jinja environment for a sandboxed one that knows only the
guide's macros (no includes, no Python internals), in case anything ever
slipped past the allowlist.
"""

from __future__ import annotations

import functools
import logging

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from mkdocs.exceptions import PluginError

from guide.editorial import macrocalls
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


def _sandbox(env) -> None:
    # mkdocs-macros builds its Environment after define_env and exposes it
    # only as the read-only property `env` over `_env`: this is the one place
    # that knows, and it fails the build if that ever changes.
    if isinstance(env.env, ImmutableSandboxedEnvironment):
        return
    sandbox = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                                            keep_trailing_newline=env.env.keep_trailing_newline)
    sandbox.globals.clear()
    sandbox.globals.update({function.__name__: env.macros[function.__name__] for function in render.MACROS})
    sandbox.filters.clear()
    sandbox.tests.clear()
    env._env = sandbox
    if env.env is not sandbox:
        raise PluginError("guide: could not sandbox mkdocs-macros' Jinja environment (its internals changed: "
                          "see macros/__init__.py)")


def on_pre_page_macros(env):
    _sandbox(env)
    page = env.page
    rel = f"docs/{page.file.src_uri}"
    source = ""
    if page.file.abs_src_path:
        with open(page.file.abs_src_path, encoding="utf-8", errors="replace") as handle:
            source = handle.read().replace("\r\n", "\n")
    # The body mkdocs-macros renders is the file after its front matter: count
    # the lines before it so messages give the file's true line.
    body = env.markdown
    offset = source.find(body) if body and body in source else -1
    first_line = source.count("\n", 0, offset) + 1 if offset >= 0 else 1
    problem = None
    if macrocalls.has_template_syntax(page.title or ""):
        line = next((n for n, text in enumerate(source.split("\n"), 1) if text.startswith("title:")), 1)
        problem = f"{rel}:{line}: front matter: field 'title': template syntax ({{{{, {{% or {{#) is not allowed in a title"
    else:
        try:
            macrocalls.calls(body, rel, {f.__name__: f for f in render.MACROS}, first_line=first_line)
        except macrocalls.MacroCallError as error:
            problem = str(error)
    if problem:
        log.error(problem)
        raise SystemExit(1)


def on_post_page_macros(env):
    # Site-wide <abbr> tooltips: abbreviation definitions in the page language.
    data = env.variables.get("guide_data")
    if data is None or env.page is None:
        return
    lang = page_language(env.page.file.src_uri)
    env.markdown = env.markdown.rstrip("\n") + "\n\n" + render.abbreviations(data, lang) + "\n"
