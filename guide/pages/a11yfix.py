"""Small accessibility repairs to Material's page shell, at build time.

Material 9.8.1 renders the search overlay as ``<div role="dialog">`` with no
accessible name (axe: aria-dialog-name, serious). We give it the name of the
search box it contains, which Material already localizes ("بحث" / "Search").
Plain Python over the serialised page, no MkDocs import.
"""

from __future__ import annotations

from guide.theme import material

_DIALOG = material.SEARCH_DIALOG
_QUERY_LABEL = material.SEARCH_QUERY_LABEL


def name_search_dialog(page_html: str) -> str:
    """Add ``aria-label`` (the search box's own label) to the search dialog."""
    label = _QUERY_LABEL.search(page_html)
    if not label:
        return page_html
    return _DIALOG.sub(lambda m: f'{m.group(0)} aria-label="{label.group(1)}"', page_html, count=1)
