"""MkDocs hooks for the download block (thin adapter over ``guide.publish.downloads``).

When ``dist/downloads.json`` exists (written by ``python -m tools release``),
every page gets ``guide_downloads`` (the reader's-language PDF and the offline
archive, sizes localized) and the files are copied to ``downloads/`` in the
site. Without a manifest nothing is shown and nothing is copied.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError

from guide.data import ui as ui_strings
from guide.publish import downloads

_state: dict = {}


def on_config(config):
    directory = downloads.dist_dir()
    try:
        entries = downloads.load_manifest(directory)
    except downloads.ManifestError as exc:
        raise PluginError(str(exc)) from None
    offline = bool(config.extra.get("offline_edition"))
    _state.update(directory=directory, entries=entries, offline=offline, labels={})
    return config


def on_page_context(context, page, config, nav):
    entries = _state.get("entries")
    if not entries:
        context["guide_downloads"] = []
        return context
    lang = getattr(page.file, "locale", None) or config.theme["language"]
    if lang not in _state["labels"]:
        try:
            _state["labels"][lang] = downloads.load_labels(ui_strings.ui_file(Path(config.config_file_path).parent), lang)
        except downloads.ManifestError as exc:
            raise PluginError(str(exc)) from None
    labels = _state["labels"][lang]
    context["guide_downloads"] = downloads.block_items(entries, lang, labels, _state["offline"])
    context["guide_downloads_heading"] = labels["heading"]
    return context


def on_post_build(config):
    # The offline archive never contains itself; the online site gets everything.
    target = Path(config.site_dir) / "downloads"
    for entry in _state.get("entries") or []:
        if entry["kind"] == "offline" and _state["offline"]:
            continue
        target.mkdir(exist_ok=True)
        shutil.copy2(_state["directory"] / entry["file"], target / entry["file"])
