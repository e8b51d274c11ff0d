"""MkDocs hooks: the guide's search (thin adapter over ``guide.search``).

* ``on_page_content``: table cells apart in the index (Material's search
  joins them otherwise); after hooks/pages.py's rewriters (listed after it);
* ``on_page_context`` / ``on_template_context`` (the 404 page): which index
  the page loads and which entries are its language (``search_scope``);
* ``on_post_build`` (-110, after mkdocs-static-i18n's -100, which writes
  the final combined index): the per-language indexes and the worker.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from guide import languages
from guide.data import ui as ui_strings
from guide.search import searchindex


def on_page_content(html, page, config, files):
    return searchindex.spaced_cells(html)


def on_page_context(context, page, config, nav):
    context["search_scope"] = _search_scope(config)
    return context


def on_template_context(context, template_name, config):
    # The 404 page is a theme template: it gets what pages get above.
    if template_name == "404.html":
        context["search_scope"] = _search_scope(config)
    return context


def _search_scope(config) -> dict:
    registry = languages.load(config.config_file_path)
    # The worker's version (see searchindex.worker_version), once per build.
    version = getattr(config, "_guide_search_worker", None)
    if version is None:
        source = Path(config.config_file_path).resolve().parent / "overrides" / searchindex.WORKER_DIR
        version = config._guide_search_worker = searchindex.worker_version(source)
    return {"lang": config.theme["language"], "defaultLang": registry.default.code, "prefixes": registry.prefixes,
            "worker": version, "setup": searchindex.MESSAGES["setup"]}


@event_priority(-110)
def on_post_build(config):
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        # One of mkdocs-static-i18n's per-language builds inside the outer one:
        # the outer call does the whole site once (it was done twice).
        return
    registry = languages.load(config.config_file_path)
    # The data pairs names in both scripts; the index gets the other spelling.
    data_dir = ui_strings.data_dir(Path(config.config_file_path).resolve().parent)
    try:
        searchindex.write_language_indexes(Path(config.site_dir), registry.prefixes, registry.default.code, data_dir)
        searchindex.write_worker(Path(config.site_dir))
    except searchindex.SearchIndexError as exc:
        raise PluginError(f"guide: {exc}") from exc
