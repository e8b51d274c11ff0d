"""One walk over the text nodes of serialised HTML, for the rewriters that
change text and never markup: curly quotes (guide/pages/quotes.py) and the
language of parts (guide/pages/langparts.py).

Tags are found with one regular expression (comments, CDATA, declarations,
start and end tags with quoted attributes); a stack of open elements says
whether a text node is inside an element whose content the caller skips
(code, an element of another language, ...). End tags that HTML lets a page
omit (``</p>``, ``</li>``) are tolerated: an end tag closes the nearest open
element of its name. Plain Python, no MkDocs import.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
TAG = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<!(?:[^>])*>"
                 r"|<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.DOTALL)


def tag_name(tag: re.Match) -> str:
    """A tag's element name in lower case ("" for a comment or declaration)."""
    return (tag.group(2) or "").lower()


def walk(html: str, skips: Callable[[str, str], bool]
         ) -> Iterator[tuple[str, bool, re.Match | None]]:
    """``(text, skipped, tag)`` for each text node of ``html`` in order (possibly
    empty), with the tag that follows it (None after the last). ``skipped``:
    the node is inside an element for which ``skips(name, attributes)`` was
    true, or inside one of its descendants."""
    stack: list[tuple[str, bool]] = []  # (element name, its content skipped)
    pos = 0
    for tag in TAG.finditer(html):
        yield html[pos:tag.start()], bool(stack) and stack[-1][1], tag
        pos = tag.end()
        closing, name, attrs = tag.group(1), tag_name(tag), tag.group(3) or ""
        if not name or name in VOID or attrs.rstrip().endswith("/"):
            continue
        if closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    del stack[i:]
                    break
        else:
            stack.append((name, (bool(stack) and stack[-1][1]) or skips(name, attrs)))
    yield html[pos:], bool(stack) and stack[-1][1], None
