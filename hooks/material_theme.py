"""The Material for MkDocs version this site was verified with, and what to
re-verify when it changes.

Several parts of the site depend on Material's internals rather than on
documented options: its markup (class names the page rewriters and scripts
look for), its search-index format and worker protocol, its translation keys
and the template blocks we override. A new Material release may change any of
them without an error. So the build stops when the installed version is not
the verified one, and names what to check; after checking, a maintainer sets
MATERIAL_VERIFIED. tests/test_material_seam.py keeps RE_VERIFY complete: every
file that names Material's markup or protocol must be listed here.
"""

from __future__ import annotations

from importlib import metadata

from mkdocs.exceptions import PluginError

MATERIAL_VERIFIED = "9.8.1"

# File → what in it depends on Material (re-check each after an upgrade).
RE_VERIFY: dict[str, str] = {
    "overrides/main.html": "the blocks it overrides (above, content, fonts, footer, libs, site_meta, styles)",
    "overrides/404.html": "extends main.html; nav items",
    "overrides/partials/language.html": "Material's language partial it replaces: the t(key) macro, the search settings",
    "overrides/partials/guide-strings.html": "translation keys (tests/test_material_seam.py lists them)",
    "overrides/partials/copyright.html": "the partial it replaces",
    "overrides/partials/downloads.html": "md- classes it reuses",
    "overrides/partials/page-dates.html": "md- classes it reuses",
    "overrides/partials/save-offline.html": "md- classes it reuses",
    "overrides/partials/search-counts.html": "search result markup",
    "overrides/partials/search-lazy.html": "search form markup and config block",
    "overrides/partials/search-lazy.js": "Material's search bootstrap it wraps (Worker, the index XMLHttpRequest; "
                                         "9.x has no worker extension point, see its header) and the setup message",
    "overrides/partials/source.html": "the partial it replaces",
    "overrides/assets/javascripts/guide-search/worker.js": "the worker protocol: setup/query data, result shape",
    "overrides/assets/javascripts/guide-offline/save.js": "md-button, the class its button reuses",
    "overrides/assets/javascripts/guide-offline/sw.js": "the per-language search_index file names it caches",
    "docs/assets/javascripts/language-switch.js": "the language selector markup",
    "docs/assets/javascripts/search-counts.js": "search result markup",
    "guide/pages/a11yfix.py": "the md-search__input / data-md-component markup it fixes",
    "guide/pages/fontpreload.py": "md-select, the language menu markup it reads",
    "guide/pages/htmlpolicy.py": "md- classes allowed in page content",
    "guide/pages/langparts.py": "md-content__inner, where page text starts",
    "guide/pages/navlegend.py": "md-nav / md-status markup of the navigation",
    "guide/pages/pagemeta.py": "md-header__topic / md-ellipsis markup of the header title",
    "guide/publish/epub.py": "md- markup it strips (md-source-file and others)",
    "guide/publish/icons.py": "--md-primary-fg-color, the theme colour it reads",
    "guide/publish/offline.py": "Material's offline plugin output, search_index.js",
    "guide/publish/pdf.py": "md-typeset / md-content__inner markup and the md- font variables",
    "guide/publish/saveoffline.py": "md-content / md-main markup of the page frame it writes",
    "guide/publish/shipped.py": "Material's file names it leaves out (lunr/, workers/search.*.js, palette, maps)",
    "guide/search/searchindex.py": "Material's search-index format (config, docs: location/title/text) and "
                                   "its worker protocol's message types (MESSAGES)",
    "tools/searcheval.py": "Material's worker and lunr files (workers/search.*.min.js, lunr/) for the baselines, "
                           "the __config block, the worker it finds by URL",
}


def installed_version() -> str:
    return metadata.version("mkdocs-material")


def version_problem(installed: str) -> str | None:
    """One line for the maintainer when the installed Material is not the verified one."""
    if installed == MATERIAL_VERIFIED:
        return None
    return (f"mkdocs-material {installed} is installed, but this site was verified with {MATERIAL_VERIFIED}: "
            f"re-verify the {len(RE_VERIFY)} files listed in hooks/material_theme.py (RE_VERIFY) and run "
            "`make test`, then set MATERIAL_VERIFIED there")


def on_config(config):
    problem = version_problem(installed_version())
    if problem:
        raise PluginError(problem)
    return config
