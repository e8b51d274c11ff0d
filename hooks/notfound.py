"""MkDocs hooks: one 404 page per language (theme template ``overrides/404.html``).

The 404 page is a theme template, not a page: it gets the language menu
pointed at each language's home (``on_template_context``; its search scope
comes from hooks/search.py), and ``on_post_template`` gives it what pages get
in ``on_post_page`` (``dir`` on ``<html>``, minifying, the CSP) and writes it
per language: Arabic at /404.html, English at /en/404.html.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError

from guide import languages
from guide.pages import csp, minify, pagemeta

TEMPLATE = "404.html"
_NOT_FOUND: dict[str, str] = {}  # site_dir -> the default language's 404 page


def on_template_context(context, template_name, config):
    # Point the 404 page's language menu at the other languages' home pages
    # rather than the last page built.
    if template_name == TEMPLATE:
        prefixes = languages.load(config.config_file_path).prefixes
        base = urlsplit(config.site_url or "/").path or "/"
        # mkdocs-static-i18n sets the menu per page as the attribute
        # config.extra.alternate (Jinja reads that first), so set both.
        current = getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []
        homes = [dict(alt, link=base + prefixes[alt["lang"]]) if alt.get("lang") in prefixes else alt
                 for alt in current]
        config.extra["alternate"] = homes
        config.extra.alternate = homes
    return context


def on_post_template(output, template_name, config):
    # mkdocs-static-i18n builds every language into the same site_dir, so the
    # English build would overwrite the Arabic 404: write it under en/ and
    # give MkDocs back the Arabic page kept from the first (default) build.
    if template_name != TEMPLATE:
        return output
    registry = languages.load(config.config_file_path)
    prefixes, default = registry.prefixes, registry.default.code
    lang = config.theme["language"]
    output = minify.strip_inline_script_comments(minify.collapse_indentation(pagemeta.set_html_dir(output, lang)))
    # The 404 pages carry the policy like every page (hooks/csp.py).
    url = ("" if lang == default or lang not in prefixes else prefixes[lang]) + TEMPLATE
    output = _with_policy(output, config, url)
    if lang == default or lang not in prefixes:
        _NOT_FOUND[config.site_dir] = output
        return output
    target = Path(config.site_dir) / prefixes[lang] / TEMPLATE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(output, encoding="utf-8")
    return _NOT_FOUND.get(config.site_dir, output)


def _with_policy(output: str, config, url: str) -> str:
    # As hooks/csp.py does for pages (the trusted scripts are shared on the config).
    trusted = getattr(config, "_guide_trusted_scripts", None)
    if trusted is None:
        trusted = config._guide_trusted_scripts = csp.trusted_scripts(
            [Path(d) for d in config.theme.dirs], Path(config.config_file_path).resolve().parent)
    site_url = config.site_url or ""
    try:
        return csp.with_policy(output, trusted, "overrides/404.html", page_url=site_url + url, site_url=site_url,
                               offline=os.environ.get("GUIDE_OFFLINE", "").lower() == "true")
    except csp.CSPError as exc:
        raise PluginError(str(exc)) from exc
