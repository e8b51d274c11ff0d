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

from pathlib import Path

from jinja2 import StrictUndefined
from jinja2.runtime import missing
from jinja2.sandbox import ImmutableSandboxedEnvironment
from mkdocs.exceptions import PluginError

from guide.editorial import editorcheck, macrocalls
from guide.render import boxes as render
from guide.data.loader import DataError, load_all
from guide.render.locale import page_language
from guide.render.boxes import MacroError, PageInfo, find_call_line

log = logging.getLogger("mkdocs.plugins.guide_data")


def _page_info(env) -> PageInfo:
    page = getattr(env, "page", None)
    src_uri = page.file.src_uri if page is not None else render.default_page()
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


class _MacrosOnly(ImmutableSandboxedEnvironment):
    """A sandbox in which a page can do one thing: call the guide's macros.
    Names other than the macros resolve to nothing (mkdocs-macros passes its
    whole context: config, page, plugin, …), no attribute or item of anything
    can be read, and nothing but the macros can be called."""

    def __init__(self, macros: dict, **options):
        super().__init__(**options)
        self.globals.clear()
        self.globals.update(macros)
        self.filters.clear()
        self.tests.clear()
        self._callables = {id(function) for function in macros.values()}
        macro_names = set(macros)

        class Context(self.context_class):
            def resolve_or_missing(self, key):
                return super().resolve_or_missing(key) if key in macro_names else missing

        self.context_class = Context

    def is_safe_attribute(self, obj, attr, value) -> bool:
        return False

    def is_safe_callable(self, obj) -> bool:
        return id(obj) in self._callables


def _sandbox(env) -> None:
    # mkdocs-macros builds its Environment after define_env and exposes it
    # only as the read-only property `env` over `_env`: this is the one place
    # that knows, and it fails the build if that ever changes.
    if isinstance(env.env, _MacrosOnly):
        return
    macros = {function.__name__: env.macros[function.__name__] for function in render.MACROS}
    sandbox = _MacrosOnly(macros, undefined=StrictUndefined, autoescape=False,
                          keep_trailing_newline=env.env.keep_trailing_newline)
    env._env = sandbox
    if env.env is not sandbox:
        raise PluginError("guide: could not sandbox mkdocs-macros' Jinja environment (its internals changed: "
                          "see macros/__init__.py)")


def on_pre_page_macros(env):
    _sandbox(env)
    page = env.page
    rel = f"docs/{page.file.src_uri}"
    problem = None
    if macrocalls.has_template_syntax(page.title or ""):
        problem = f"{rel}:1: front matter: field 'title': template syntax ({{{{, {{% or {{#) is not allowed in a title"
    elif page.file.abs_src_path:
        problem = editorcheck.engine_problem(Path(page.file.abs_src_path), rel, env.markdown,
                                             {f.__name__: f for f in render.MACROS})
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
