"""MkDocs hook: the site's own stylesheets and scripts without their comments
(thin adapter over ``guide.pages.minify``; pages are minified in
hooks/pages.py, before their CSP)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import event_priority

from guide.pages import minify


@event_priority(-110)  # after mkdocs-static-i18n (-100); before the offline lists hash the files (-120)
def on_post_build(config):
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return  # one of mkdocs-static-i18n's per-language builds: the outer one does it once
    # Our stylesheets (the print view's included).
    minify.minify_stylesheets(Path(config.site_dir), [*map(str, config.extra_css), "assets/stylesheets/print.css"])
    # Our scripts (the 404 page's and search's, which pages load themselves, included).
    scripts = [getattr(script, "path", script) for script in config.extra_javascript]
    minify.minify_scripts(Path(config.site_dir), [*map(str, scripts), "assets/javascripts/not-found.js",
                                                  "assets/javascripts/search-counts.js"])
