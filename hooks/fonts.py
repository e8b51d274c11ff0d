"""MkDocs hook: preload the optional font files a page draws (thin adapter over
``guide.pages.fontpreload``; the template preloads the ones every page draws)."""

from __future__ import annotations

from mkdocs.plugins import event_priority

from guide import languages
from guide.pages import fontpreload, pagememo


def on_post_page(output, page, config):
    lang = config.theme["language"]
    # The registry is an input too (a language's script decides its optional faces).
    registry = languages.load(config.config_file_path)
    return pagememo.remembered("preloads", (output, lang, pagememo.same(registry)), lambda: fontpreload.add_preloads(output, lang))


# Before hooks/notfound.py, which writes each language's 404 page itself.
@event_priority(10)
def on_post_template(output, template_name, config):
    # The 404 page is rendered from its template, without on_post_page.
    if template_name == "404.html":
        return fontpreload.add_preloads(output, config.theme["language"])
    return output
