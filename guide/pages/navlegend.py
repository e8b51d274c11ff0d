"""The legend for the navigation's status marker (plain logic, no MkDocs).

Material marks `status: summary` pages in the navigation with an icon whose
meaning is only in a tooltip, which touch readers never see. This adds one
line at the end of the primary navigation (sidebar and phone drawer) that
shows the icon and says what it means, in the page's language. It goes inside
the <nav>, after its list: in the phone drawer the nav covers everything
behind it, so a legend placed after the nav was never seen there.
"""

from __future__ import annotations

import re
from html import escape

from guide.theme import material

_PRIMARY = material.PRIMARY_NAV
_NAV_TAG = re.compile(r"<nav\b|</nav>")


def add_legend(html: str, text: str, status: str = "summary") -> str:
    """Insert the legend at the end of the primary navigation when it shows the marker."""
    start = _PRIMARY.search(html)
    if not start:
        return html
    depth, end = 0, None
    for tag in _NAV_TAG.finditer(html, start.start()):
        depth += 1 if tag.group(0) == "<nav" else -1
        if depth == 0:
            end = tag.start()  # before the primary nav's own </nav>
            break
    if end is None or material.status_class(status) not in html[start.start():end]:
        return html
    legend = f'<p class="guide-nav-legend">{material.status_icon(status)}{escape(text)}</p>'
    return html[:end] + legend + html[end:]
