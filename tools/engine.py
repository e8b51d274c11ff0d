"""MkDocs hooks: the thin adapter between the engine and the guide's own logic.

Only event plumbing lives here; what to compute is in plain modules
(``tools.pagemeta``) that know nothing about MkDocs, so the logic survives a
move to another engine (Material reaches end of life in 2027).
"""

from __future__ import annotations

from tools import pagemeta


def on_page_context(context, page, config, nav):
    # Absolute hreflang alternates (+ x-default) for the page head. Runs after
    # mkdocs-static-i18n (priority 50) has attached each file's alternates.
    alternates = {lang: f.url for lang, f in getattr(page.file, "alternates", {}).items()}
    context["hreflang_alternates"] = pagemeta.hreflang_links(config.site_url or "", alternates)
    return context


def on_post_page(output, page, config):
    # Material puts dir= on <body> only; the document element should carry it too.
    return pagemeta.set_html_dir(output, config.theme["language"])
