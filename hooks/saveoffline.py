"""MkDocs hooks for "Save this guide for offline reading" (thin adapter over
``guide.publish.saveoffline``): after the build, the service worker at the
site's root, the per-language lists of files to save, the offline fallback
pages and the web app manifests. Nothing of it in the file:// zip edition
(``extra.offline_edition``), where service workers do not exist."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from guide import languages
from guide.data import ui as ui_strings
from guide.pages import csp, minify, notices
from guide.publish import saveoffline
from guide.theme import material


def _enabled(config) -> bool:
    return not config.extra.get("offline_edition") and os.environ.get("GUIDE_OFFLINE", "").lower() != "true"


def on_page_context(context, page, config, nav):
    context["guide_save_offline"] = _enabled(config)
    context["guide_offline_size"] = saveoffline.SIZE_TOKEN
    return context


@event_priority(-120)  # after hooks/minify.py and hooks/search.py (-110): minified assets and search indexes are final
def on_post_build(config):
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return  # one of mkdocs-static-i18n's inner per-language builds: the outer one does it once
    if not _enabled(config):
        return
    root = Path(config.config_file_path).resolve().parent
    site_dir = Path(config.site_dir)
    if i18n is None:
        prefixes, default = {config.theme["language"]: ""}, config.theme["language"]
    else:  # the language registry (guide/languages.py): the languages built, their prefixes
        registry = languages.load(config.config_file_path)
        prefixes, default = registry.prefixes, registry.default.code
    base = urlsplit(config.site_url or "/").path or "/"
    base = base if base.endswith("/") else base + "/"
    stylesheets = sorted(p.relative_to(site_dir).as_posix() for p in (site_dir / "assets/stylesheets").glob(material.MAIN_STYLESHEET_GLOB))
    stylesheets += [str(css) for css in config.extra_css]
    # Our scripts without their comments, before they are listed and hashed.
    minify.minify_scripts(site_dir, ["assets/javascripts/guide-offline/save.js"])
    try:
        ui = notices.load_ui(ui_strings.ui_file(root))
        saveoffline.write_all(site_dir, root / "overrides" / saveoffline.SW_SOURCE, prefixes, default, ui,
                              csp.policy([], site_url=config.site_url or ""), base, stylesheets)
    except (OSError, notices.UIError, saveoffline.SaveOfflineError) as exc:
        raise PluginError(f"guide: {exc}") from exc
