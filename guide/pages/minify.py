"""Drop comments from the site's own stylesheets in the built site (plain
logic, no MkDocs). The sources keep their comments for editors; readers on
slow phones do not download them (2 kB gzip of site.css alone)."""

from __future__ import annotations

import re
from pathlib import Path

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def strip_css_comments(css: str) -> str:
    # Our stylesheets have no "/*" inside strings or url()s (checked by a test).
    text = _CSS_COMMENT.sub("", css)
    return re.sub(r"\n\s*\n+", "\n", text).strip() + "\n"


def minify_stylesheets(site_dir: Path, paths: list[str]) -> None:
    """Rewrite each built stylesheet in ``paths`` (relative to ``site_dir``)."""
    for rel in paths:
        target = Path(site_dir) / rel
        if target.suffix == ".css" and target.exists():
            target.write_text(strip_css_comments(target.read_text(encoding="utf-8")), encoding="utf-8")
