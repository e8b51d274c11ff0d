"""MkDocs hook: preload the optional font files a page draws (thin adapter over
``guide.pages.fontpreload``; the template preloads the ones every page draws)."""

from __future__ import annotations

from guide.pages import fontpreload


def on_post_page(output, page, config):
    return fontpreload.add_preloads(output, config.theme["language"])
