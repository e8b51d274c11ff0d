"""Material for MkDocs' page markup, file names and variables, in one place.

Everything the core reads or writes of Material's own markup is here: the
class names and regular expressions over the pages Material renders, the file
names its plugins write, and the CSS variables of its theme. The page
rewriters (guide/pages/), the publishers (guide/publish/) import these names,
so a Material upgrade re-checks this module and ``overrides/`` only
(hooks/material_theme.py, RE_VERIFY). Plain Python, no engine import.

Verified with Material 9.8.1 (hooks/material_theme.py, MATERIAL_VERIFIED).
"""

from __future__ import annotations

import re

# --- The page frame -------------------------------------------------------

# The article that holds a page's text: where page content starts.
ARTICLE_CLASS = "md-content__inner"
TYPESET_CLASS = "md-typeset"
# Any <article> whose class list has the content class (langparts).
ARTICLE_OPEN = re.compile(rf"<article\b[^>]*\bclass=\"[^\"]*\b{ARTICLE_CLASS}\b[^\"]*\"[^>]*>")
# Exactly the one Material renders around page content (pdf).
ARTICLE_OPEN_EXACT = re.compile(rf'<article class="{ARTICLE_CLASS} {TYPESET_CLASS}">')
ARTICLE_OPEN_TEXT = f'<article class="{ARTICLE_CLASS} {TYPESET_CLASS}">'


def page_frame(article_class: str, inner_html: str) -> str:
    """``inner_html`` in Material's main / content / article frame, so the
    theme's stylesheet lays it out as a page (the offline fallback page)."""
    return (f'<main class="md-main"><div class="md-main__inner md-grid"><div class="md-content">'
            f'<article class="{ARTICLE_CLASS} {TYPESET_CLASS} {article_class}">{inner_html}</article>'
            "</div></div></main>")


def typeset_open(extra_class: str) -> str:
    """A ``<div>`` the theme's text styles apply to (the print view)."""
    return f'<div class="{TYPESET_CLASS} {extra_class}">'


# --- Header, navigation, search overlay, language menu --------------------

# The header's title: (opening)(title before the colon)(": ")(rest)(closing).
# French sets a space before the colon («villes : prévenir»): a plain space
# stays with the title (a line may break after it), a no-break space
# (U+00A0, U+202F) goes with the colon (a break before it would strand it).
HEADER_TOPIC = re.compile(
    r'(<div class="md-header__topic"[^>]*>\s*<span class="md-ellipsis">\s*)([^<]*?\S ?)([\u00a0\u202f]?: )([^<]*?)(\s*</span>)')
# The primary navigation (sidebar and phone drawer).
PRIMARY_NAV = re.compile(r'<nav class="md-nav md-nav--primary"')


def status_class(status: str) -> str:
    """The class Material gives a page's ``status`` marker in the navigation."""
    return f"md-status--{status}"


def status_icon(status: str) -> str:
    """Material's status icon (drawn by its stylesheet), hidden from screen readers."""
    return f'<span class="md-status {status_class(status)}" aria-hidden="true"></span>'


# The search overlay, a dialog without an accessible name in 9.8.1, and the
# query box whose label it can take.
SEARCH_DIALOG = re.compile(r'<div class="md-search" data-md-component="search" role="dialog"(?![^>]*aria-label)')
SEARCH_QUERY_LABEL = re.compile(r'<input type="text" class="md-search__input" name="query" aria-label="([^"]*)"')
# The language menu's class: its names are in a system font on purpose.
LANGUAGE_MENU_CLASS = "md-select"
# Ids Material's own elements use (__config, __search, …): page ids never
# start so.
RESERVED_ID_PREFIX = "__"

# --- Theme variables and markup the publishers strip or restyle -----------

# The site's primary colour is set in Material's variable (site.css:
# --md-primary-fg-color); web app manifests and icons use the same value.
PRIMARY_COLOR = "#0b5c66"
TEXT_FONT_VAR = "--md-text-font"
CODE_FONT_VAR = "--md-code-font"
# Material's "source file" block (page dates) that a book leaves out.
SOURCE_FILE_CLASS = "md-source-file"

# --- Files Material's plugins write or ship -------------------------------

# The search plugin's combined index, its per-language config files, and the
# offline plugin's script form of the index (file:// cannot fetch JSON).
SEARCH_INDEX_JSON = "search/search_index.json"
SEARCH_INDEX_JS = "search/search_index.js"


def search_config_file(lang: str) -> str:
    """The per-language search-index file pages load (config only)."""
    return f"search/search_index.{lang}.json"


SEARCH_INDEX_FILES = "search_index*.json"  # glob in search/
# Material's own search (lunr and its worker), theme files no page of this
# site loads unless the evaluation baselines use Material's worker.
LUNR_DIR = "assets/javascripts/lunr/"
MATERIAL_SEARCH_FILES = re.compile(r"assets/javascripts/(?:lunr/.*|workers/search\.[^/]*\.js)")
LUNR_SCRIPTS = r"assets/javascripts/lunr/(min/)?[\w.-]+\.js"
PALETTE_FILES = re.compile(r"assets/stylesheets/palette\.[^/]*\.css")
DEFAULT_FAVICON = "assets/images/favicon.png"
# Folders of theme scripts a reader's saved copy never needs (lunr, workers).
SEARCH_SCRIPT_DIRS = ("assets/javascripts/lunr/", "assets/javascripts/workers/")
# The lunr scripts Material's search worker loads: the stemmer support and
# lunr.multi (several languages), lunr.<lang> for each non-English index
# language; tinyseg is for Japanese, wordcut for Hindi/Thai.
LUNR_BASE_SCRIPTS = ("lunr.stemmer.support.min.js", "lunr.multi.min.js")


def lunr_language_script(lang: str) -> str:
    """The lunr script for one index language."""
    return f"lunr.{lang}.min.js"


LUNR_EXTRA_SCRIPTS = {"tinyseg.js": {"ja"}, "wordcut.js": {"hi", "th"}}  # file -> languages needing it
# Material's bundle and search worker, by site path ([0-9a-f]{8} is its
# content hash), as regular expressions.
BUNDLE_SCRIPT = r"assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js"
SEARCH_WORKER = r"assets/javascripts/workers/search\.[0-9a-f]{8}\.min\.js"
# Material's stylesheets (globs in assets/stylesheets/), main before palette.
STYLESHEET_GLOBS = ("main.*.min.css", "palette.*.min.css")
MAIN_STYLESHEET_GLOB = STYLESHEET_GLOBS[0]

# --- The page's __config ---------------------------------------------------

# Material's JSON config script in every page: features, search worker path, …
CONFIG_SCRIPT = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.DOTALL)
# The search worker path named in it.
CONFIG_SEARCH_WORKER = re.compile(r'<script id="__config" type="application/json">.*?"search":\s*"([^"]+)"', re.DOTALL)
