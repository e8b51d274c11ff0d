"""MkDocs hooks: the editor's input checked before anything is published
(thin adapter over ``guide.editorial`` and ``guide.pages.htmlpolicy``).

* ``on_config`` (first of the guide's, priority 100): the file allowlist on
  every build, then the editor pre-pass unless ``python -m tools build`` ran it;
* ``on_page_content``: each page's rendered content (Markdown, raw HTML,
  boxes from data/) against the HTML allowlist, before hooks/pages.py
  rewrites it (listed before it in mkdocs.yml).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from guide import languages
from guide.editorial import editorcheck, files
from guide.pages import htmlpolicy, pagememo

log = logging.getLogger("mkdocs.hooks.guide")


@event_priority(100)
def on_config(config):
    # The languages are those of the config being built, for every module.
    languages.use_config(config.config_file_path)
    # The file allowlist on every build, pre-pass or not (it is fast): no
    # symbolic link or unreviewed file is ever read or published.
    try:
        files.check(Path(config.config_file_path).resolve().parent)
    except files.FileError as exc:
        raise PluginError(str(exc)) from None
    # Editor input (guide/editorial/editorcheck.py) before any page is rendered, for
    # `mkdocs build`/`serve` too; `python -m tools build` ran it already.
    if not os.environ.get("GUIDE_EDITOR_CHECKED") and not getattr(config, "_guide_editor_checked", False):
        problem = editorcheck.first_problem(Path(config.config_file_path).resolve().parent)
        if problem:
            raise PluginError(problem)
        config._guide_editor_checked = True
    return config


def on_page_content(html, page, config, files):
    # Editor input as the browser will see it: the rendered content against
    # the HTML allowlist; hooks/pages.py then publishes its serialisation.
    finding = pagememo.remembered("allowlist", (html,), lambda: htmlpolicy.first_finding(html))
    if finding is None:
        return html
    rel = f"docs/{page.file.src_uri}"
    # A box names its data file (data/<kind>.yml, checked by the allowlist);
    # never open a path an editor could have written.
    source = finding.source_file if finding.source_file and htmlpolicy.is_data_file(finding.source_file) else None
    if source:
        source = f"data/{Path(source).name}"
    where = source or rel
    path = Path(_config_root(page)) / source if source else Path(page.file.abs_src_path)
    try:
        line = htmlpolicy.source_line(path.read_text(encoding="utf-8").split("\n"), finding)
    except OSError:
        line = None
    log.error(f"{where}:{line or 1}: {htmlpolicy.message(finding)}"
              + (f" (in a box on {rel})" if source else ""))
    # One line, no traceback (MkDocs would wrap a PluginError in "Error reading page").
    raise SystemExit(1)


def _config_root(page) -> Path:
    # The repository: docs/<lang>/<page>.md is two folders below it.
    return Path(page.file.abs_src_path).resolve().parents[len(Path(page.file.src_uri).parts)]
