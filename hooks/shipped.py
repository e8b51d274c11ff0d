"""MkDocs hooks: ship only what readers load (thin adapter over
``guide.publish.shipped``). Theme files no page loads are not copied; after
the search indexes are written (hooks/search.py, -110) and before the offline
lists hash the site (hooks/saveoffline.py, -120), what the build wrote that
no reader loads goes."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.plugins import event_priority

from guide.publish import shipped

log = logging.getLogger("mkdocs.hooks.guide")


@event_priority(-110)  # after mkdocs-static-i18n (-100), which rebuilds the file list per language
def on_files(files, config):
    docs = Path(config.docs_dir).resolve()
    for file in list(files):
        if Path(file.src_dir or docs).resolve() == docs:
            continue  # the docs' own files: the allowlist (guide/editorial/files.py) decides
        reason = shipped.skip_theme_file(file.src_uri, palette=bool(config.theme.get("palette")), favicon=config.theme.get("favicon"))
        if reason:
            files.remove(file)
    return files


@event_priority(-115)
def on_post_build(config):
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return  # one of mkdocs-static-i18n's per-language builds: the outer one does it once
    removed = shipped.prune_output(Path(config.site_dir), shipped.search_docs_path())
    log.debug("guide: not shipped: %s", ", ".join(removed))
