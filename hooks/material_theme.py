"""The Material for MkDocs version this site was verified with, and what to
re-verify when it changes.

Several parts of the site depend on Material's internals rather than on
documented options: its markup (class names the page rewriters and scripts
look for), its search-index format and worker protocol, its translation keys
and the template blocks we override. A new Material release may change any of
them without an error. So the build stops when the installed version is not
the verified one, and names what to check; after checking, a maintainer sets
MATERIAL_VERIFIED. tests/test_material_seam.py keeps RE_VERIFY complete: every
file that names Material's markup or protocol must be listed here. The core's
Python knows Material's markup in one module, guide/theme/material.py (plus
Material's search-index format in guide/search/).
"""

from __future__ import annotations

from importlib import metadata

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

MATERIAL_VERIFIED = "9.8.1"

# File → what in it depends on Material (re-check each after an upgrade).
RE_VERIFY: dict[str, str] = {
    "overrides/main.html": "the blocks it overrides (content, fonts, footer, libs, site_meta, styles); site_meta "
                           "is our own copy because Material's takes its hreflang links from extra.alternate, "
                           "which is the language menu's list of homes, not the page's own absolute alternates",
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
    "guide/theme/material.py": "Material's page markup, class names, CSS variables and file names the page "
                               "rewriters (guide/pages/) and publishers (guide/publish/) use",
    "guide/search/searchindex.py": "Material's search-index format (config, docs: location/title/text) and "
                                   "its worker protocol's message types (MESSAGES)",
    "guide/search/prebuilt.py": "Material's search config it mirrors (the tokenizer's separator, the index "
                                "config it reads) and the result fields its worker answers with",
    "overrides/partials/logo.html": "Material's logo partial it replaces",
    "overrides/partials/page-notices.html": "the admonition classes Material styles (admonition, warning, info)",
    "docs/assets/stylesheets/site.css": "md- classes and --md- variables it restyles",
    "docs/assets/stylesheets/print.css": "md- classes it hides or restyles in the print view",
    "tools/bench.py": "md-search-result classes, the __config translations, search_index.<lang>.json",
    "tools/zensical_report.py": "the search_index.<lang>.json files it looks for",
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


# Before every other on_config of the guide (hooks/checks.py is 100): an
# unverified Material stops the build before anything reads its files.
@event_priority(110)
def on_config(config):
    problem = version_problem(installed_version())
    if problem:
        raise PluginError(problem)
    return config
