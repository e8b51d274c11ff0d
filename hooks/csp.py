"""MkDocs hook: the Content-Security-Policy ``<meta>`` of every page (thin
adapter over ``guide.pages.csp``; the 404 pages get theirs in
hooks/notfound.py).

Inline scripts only by hashes derived from the trusted templates, never from
the page; script files only if reviewed, each by its exact URL. Anything else
fails the build. Last on each page (priority -100, listed after
hooks/pages.py, whose minifying must come first), so the policy sees the
final page.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from guide.pages import csp, pagememo


@event_priority(-100)
def on_post_page(output, page, config):
    return with_policy(output, config, source=f"docs/{page.file.src_uri}", url=page.url)


def with_policy(output: str, config, source: str, url: str) -> str:
    """``output`` with its policy; the trusted scripts are read once per build."""
    trusted = getattr(config, "_guide_trusted_scripts", None)
    if trusted is None:
        trusted = config._guide_trusted_scripts = csp.trusted_scripts(
            [Path(d) for d in config.theme.dirs], Path(config.config_file_path).resolve().parent)
    site_url = config.site_url or ""
    offline = os.environ.get("GUIDE_OFFLINE", "").lower() == "true"
    try:
        # A page unchanged since the last rebuild of `make serve` gets its last result.
        return pagememo.remembered(
            "csp", (output, tuple(trusted), source, url, site_url, offline),
            lambda: csp.with_policy(output, trusted, source, page_url=site_url + url, site_url=site_url,
                                    offline=offline))
    except csp.CSPError as exc:
        raise PluginError(str(exc)) from exc
