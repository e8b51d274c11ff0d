"""Ship only what readers load.

MkDocs copies every static file of the theme into the site, and Material's
search plugin and MkDocs write files next to the pages. Of those, no page,
script, manifest, service worker or offline list of this site loads:

* Material's lunr files (``assets/javascripts/lunr/``, wordcut.js alone
  677 kB) and its search worker (``material.MATERIAL_SEARCH_FILES``):
  the guide's worker searches the pre-built index (``guide/search/``). The
  evaluation's baselines, which search with Material's worker, take them from
  the installed theme (``tools/searcheval.py``);
* source maps (``*.map``): only a browser's developer tools read them;
* ``palette.*.css``: Material links it only when ``theme.palette`` is set
  (the colours are in site.css);
* ``assets/images/favicon.png``: Material's default icon; ``theme.favicon``
  names the site's own;
* ``partials/*.js``: templates' includes (search-lazy.js is written into the
  pages inline), copied because they are not ``.html``;
* the iframe-worker shim (``assets/vendor/iframe-worker/``) outside the
  offline archive, and its ``SOURCE.txt`` everywhere: excluded by
  ``exclude_docs`` in mkdocs.yml / mkdocs.offline.yml, not here;
* ``sitemap.xml.gz``: MkDocs writes it next to ``sitemap.xml``, which is the
  one crawlers are told about (robots.txt conventions, search consoles);
* Material's combined search index (``material.SEARCH_INDEX_JSON``, every
  document of both languages, about 300 kB); pages load the per-language
  config file (``material.search_config_file``) and
  the pre-built index. Tools and tests that need the documents (the offline
  archive's page counts, the search parity tests, the bench) ask for a copy
  outside the site with ``GUIDE_SEARCH_DOCS=<path>``.

Theme files are left out before they are copied (``skip_theme_file``, from
the hook's ``on_files``); the files the build itself writes are removed after
it (``prune_output``, the hook's last ``on_post_build``). Plain Python, no
MkDocs import: ``hooks/shipped.py`` is the adapter.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from guide.theme import material

SEARCH_DOCS_ENV = "GUIDE_SEARCH_DOCS"
COMBINED_INDEX = material.SEARCH_INDEX_JSON

_MATERIAL_SEARCH = material.MATERIAL_SEARCH_FILES
_SOURCE_MAP = re.compile(r".*\.map")
_PALETTE = material.PALETTE_FILES
_PARTIAL = re.compile(r"partials/.*")
# The comment naming a source map, on a script's or stylesheet's last line.
_MAP_COMMENT = re.compile(rb"\n?(?://# sourceMappingURL=[^\s*]+|/\*# sourceMappingURL=[^\s*]+ \*/)\s*$")


def skip_theme_file(path: str, *, palette: bool, favicon: str | None) -> str | None:
    """Why a theme's static file (its path in the site) is not copied, or None
    to copy it. ``palette``: ``theme.palette`` is set;
    ``favicon``: ``theme.favicon``."""
    if _SOURCE_MAP.fullmatch(path):
        return "a source map (only developer tools read it)"
    if _PARTIAL.fullmatch(path):
        return "a template include (written into the pages)"
    if _MATERIAL_SEARCH.fullmatch(path):
        return "Material's search (the guide's worker searches the pre-built index)"
    if not palette and _PALETTE.fullmatch(path):
        return "Material's palette stylesheet (no theme.palette)"
    if path == material.DEFAULT_FAVICON and favicon != path:
        return "Material's default favicon (theme.favicon is another file)"
    return None


def prune_output(site_dir: Path, keep_search_docs: str | os.PathLike | None = None) -> dict[str, int]:
    """Remove what the build wrote that no reader loads; return {path: bytes}.

    ``keep_search_docs``: where to move the combined index (``COMBINED_INDEX``, for tools
    and tests), else it is deleted. The comments naming source maps that are
    not in the site go from the scripts and stylesheets (a browser's developer
    tools would ask for them)."""
    site_dir = Path(site_dir)
    removed: dict[str, int] = {}
    for path in site_dir.rglob("sitemap.xml.gz"):
        removed[path.relative_to(site_dir).as_posix()] = path.stat().st_size
        path.unlink()
    index = site_dir / COMBINED_INDEX
    if index.is_file():
        removed[COMBINED_INDEX] = index.stat().st_size
        if keep_search_docs:
            target = Path(keep_search_docs)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(index, target)
        else:
            index.unlink()
    for path in [*site_dir.rglob("*.js"), *site_dir.rglob("*.css")]:
        data = path.read_bytes()
        match = _MAP_COMMENT.search(data[-300:])
        if not match:
            continue
        name = match.group(0).split(b"=", 1)[1].split(b" ")[0].strip().decode("utf-8", "replace")
        if (path.parent / name).is_file():
            continue
        cut = len(data) - 300 + match.start() if len(data) > 300 else match.start()
        path.write_bytes(data[:cut] + b"\n")
        removed[path.relative_to(site_dir).as_posix() + " (source map comment)"] = len(data) - cut - 1
    return removed


def search_docs_path() -> str | None:
    """``GUIDE_SEARCH_DOCS``: where a build keeps the combined search documents."""
    return os.environ.get(SEARCH_DOCS_ENV) or None
