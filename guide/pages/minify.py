"""Lighter built files (plain logic, no MkDocs): what a reader on a slow phone
downloads on every page, without what only editors need.

- our stylesheets without comments and indentation (2 kB gzip of site.css);
- our scripts without their comments (the sources keep them for editors),
  the inline ones in every page included (guide/pages/csp.py hashes what is
  left, and builds its trusted patterns from the templates the same way);
- every page without the indentation the templates leave (about 0.5 kB gzip
  on the Strategy chapter): line breaks stay, so text reads and wraps the
  same; <pre>, <code>, <script>, <style> and <textarea> are kept as written.
"""

from __future__ import annotations

import re
from pathlib import Path

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
# Our scripts: block comments, and comment lines (a line that starts with //).
# Neither appears inside a string or regular expression in them (a test runs
# each built script through `node --check` and compares its code tokens).
_JS_COMMENT = re.compile(r"/\*.*?\*/|^[ \t]*//[^\n]*$", re.DOTALL | re.MULTILINE)
_KEEP_AS_IS = re.compile(r"<(pre|code|script|style|textarea)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
_INDENT = re.compile(r"\n[ \t\n]+")


def strip_css_comments(css: str) -> str:
    # Our stylesheets have no "/*" inside strings or url()s (checked by a test),
    # and no string that runs over a line, so indentation is never inside one.
    text = _CSS_COMMENT.sub("", css)
    return re.sub(r"\n\s+", "\n", text).strip() + "\n"


def strip_js_comments(js: str) -> str:
    return re.sub(r"\n\s+", "\n", _JS_COMMENT.sub("", js)).strip() + "\n"


def drop_js_comments(js: str) -> str:
    """Only the comments (no other change): for template text, where the
    spacing is matched loosely anyway (guide/pages/csp.py)."""
    return _JS_COMMENT.sub("", js)


_INLINE_SCRIPT = re.compile(r"(<script\b([^>]*)>)(.*?)(</script>)", re.DOTALL | re.IGNORECASE)


def strip_inline_script_comments(html: str) -> str:
    """Every inline script of a page (not JSON data, not src=) without comments and indentation."""
    def strip(match: re.Match) -> str:
        attrs, body = match.group(2), match.group(3)
        kind = re.search(r"\btype\s*=\s*[\"']?([^\"'\s>]+)", attrs, re.IGNORECASE)
        if re.search(r"\bsrc\s*=", attrs, re.IGNORECASE) or not body.strip() or \
                (kind and kind.group(1).lower() not in ("text/javascript", "module", "application/javascript")):
            return match.group(0)
        return match.group(1) + strip_js_comments(body).rstrip("\n") + match.group(4)

    return _INLINE_SCRIPT.sub(strip, html)


def collapse_indentation(html: str) -> str:
    """``html`` with every run of line breaks and indentation between lines
    reduced to one line break, outside the elements that keep their spaces."""
    parts, last = [], 0
    for match in _KEEP_AS_IS.finditer(html):
        parts.append(_INDENT.sub("\n", html[last:match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(_INDENT.sub("\n", html[last:]))
    return "".join(parts)


def minify_stylesheets(site_dir: Path, paths: list[str]) -> None:
    """Rewrite each built stylesheet in ``paths`` (relative to ``site_dir``)."""
    for rel in paths:
        target = Path(site_dir) / rel
        if target.suffix == ".css" and target.exists():
            target.write_text(strip_css_comments(target.read_text(encoding="utf-8")), encoding="utf-8")


def minify_scripts(site_dir: Path, paths: list[str]) -> None:
    """Rewrite each of our built scripts in ``paths`` (relative to ``site_dir``)."""
    for rel in paths:
        target = Path(site_dir) / rel
        if target.suffix == ".js" and target.exists():
            target.write_text(strip_js_comments(target.read_text(encoding="utf-8")), encoding="utf-8")
