"""External links that cannot reach back into the guide (``rel="noopener"``).

A page opened from one of our links in a new tab gets ``window.opener`` unless
the link says ``noopener``; we add it at build time to every link that leaves
the site (another origin), keeping any ``rel`` values already there. Plain
Python over the serialised page, no MkDocs import.
"""

from __future__ import annotations

import html as htmllib
import re
from urllib.parse import urlsplit

_ANCHOR = re.compile(r"<a\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.IGNORECASE)
_HREF = re.compile(r"""\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_REL = re.compile(r"""\srel\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def origin(url: str) -> tuple[str, str] | None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return parts.scheme.lower(), parts.netloc.lower()


def is_external(href: str, site_url: str) -> bool:
    """True for an absolute http(s) link to another origin than ``site_url``'s."""
    target = origin(htmllib.unescape(href.strip()))
    if target is None:
        return False
    return target != origin(site_url or "")


def secure_external_links(page_html: str, site_url: str) -> str:
    """Add ``noopener`` to the ``rel`` of every external ``<a href>``."""

    def fix(match: re.Match) -> str:
        attrs = match.group(1)
        href = _HREF.search(attrs)
        if not href or not is_external(next(g for g in href.groups() if g is not None), site_url):
            return match.group(0)
        rel = _REL.search(attrs)
        if rel is None:
            return f'<a{attrs} rel="noopener">'
        values = (next((g for g in rel.groups() if g is not None), "")).split()
        if "noopener" in (v.lower() for v in values):
            return match.group(0)
        new_rel = f' rel="{" ".join(values + ["noopener"])}"'
        return f"<a{attrs[:rel.start()]}{new_rel}{attrs[rel.end():]}>"

    return _ANCHOR.sub(fix, page_html)
