"""Content-Security-Policy for every page (plain logic, no MkDocs).

The policy allows the site's own scripts, styles, fonts and images, and inline
scripts only by hash. The hashes are derived at build time from the *trusted
template sources*, never from page content: every inline ``<script>`` in
``overrides/`` and in Material's templates becomes a pattern (its literal text,
with each ``{{ … }}`` a hole that admits only URL or JSON characters, so no
code can be slipped into one). A script on a built page gets its hash only if
it matches one of those patterns; one that matches none fails the build naming
the page, so a changed template is picked up by itself and an injected script
is never allowed.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from guide.pages import minify

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_JINJA = re.compile(r"\{\{-?(.*?)-?\}\}|\{%-?\s*include\s+[\"']([^\"']+)[\"'][^%]*-?%\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
# What a template expression inside a trusted script may expand to.
_URL_HOLE = r"[\w./:%~-]*"
_JSON_HOLE = r"\{[^<;()`=]*\}"

BASE_POLICY = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],  # Material's icons are data: SVGs in its CSS
    "font-src": ["'self'"],
    "connect-src": ["'self'", "data:"],  # search index; the sitemap stub answers with a data: URL
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "object-src": ["'none'"],
}


class CSPError(Exception):
    """An inline script on a page comes from no trusted template."""


@dataclass(frozen=True)
class TrustedScript:
    source: str  # template file it comes from, e.g. overrides/main.html
    pattern: re.Pattern


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _is_code(attrs: str) -> bool:
    if re.search(r"\bsrc\s*=", attrs, re.IGNORECASE):
        return False
    kind = re.search(r"\btype\s*=\s*[\"']?([^\"'\s>]+)", attrs, re.IGNORECASE)
    return not kind or kind.group(1).lower() in ("text/javascript", "module", "application/javascript")


def _pattern(body: str, template_dirs: list[Path]) -> str:
    # Pages ship their inline scripts without comments (guide/pages/minify.py):
    # match against the template's code the same way.
    body = minify.drop_js_comments(body)
    parts, last = [], 0
    for match in _JINJA.finditer(body):
        parts.append(re.escape(_normalise(body[last:match.start()])) if body[last:match.start()].strip() else "")
        if match.group(1) is not None:
            parts.append(_JSON_HOLE if "tojson" in match.group(1) else _URL_HOLE)
        elif match.group(2):
            included = _find(match.group(2), template_dirs)
            parts.append(_pattern(included.read_text(encoding="utf-8"), template_dirs) if included else "")
        last = match.end()
    tail = body[last:]
    parts.append(re.escape(_normalise(tail)) if tail.strip() else "")
    return r"\s*".join(p for p in parts if p)


def _find(name: str, template_dirs: list[Path]) -> Path | None:
    return next((d / name for d in template_dirs if (d / name).is_file()), None)


def trusted_scripts(template_dirs: list[Path], root: Path | None = None) -> list[TrustedScript]:
    """Every inline script in the templates (first directory wins, as in Jinja's loader)."""
    seen: dict[str, tuple[Path, Path]] = {}
    for folder in template_dirs:
        for path in sorted(folder.rglob("*.html")):
            seen.setdefault(path.relative_to(folder).as_posix(), (folder, path))
    scripts = []
    for name, (folder, path) in seen.items():
        text = path.read_text(encoding="utf-8")
        for match in _SCRIPT.finditer(text):
            if not _is_code(match.group(1)):
                continue
            pattern = _pattern(match.group(2), template_dirs)
            inside = root and path.is_relative_to(root) and ".venv" not in path.relative_to(root).parts
            label = path.relative_to(root).as_posix() if inside else f"{folder.parent.name}/templates/{name}"
            scripts.append(TrustedScript(label, re.compile(rf"^\s*{pattern}\s*$", re.DOTALL)))
    return scripts


def digest(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


def page_hashes(html: str, trusted: list[TrustedScript], page: str) -> list[str]:
    """Hashes of the page's inline scripts, each checked against the trusted templates."""
    hashes = []
    for match in _SCRIPT.finditer(html):
        if not _is_code(match.group(1)):
            continue
        body = match.group(2)
        normal = _normalise(body)
        if not any(t.pattern.match(normal) for t in trusted):
            raise CSPError(f"{page}: inline <script> that no trusted template (overrides/, Material) produces: "
                           f"{normal[:80]!r}; the Content-Security-Policy would block it")
        if digest(body) not in hashes:
            hashes.append(digest(body))
    return hashes


def policy(hashes: list[str], offline: bool = False) -> str:
    """The policy text. Offline (file://), inline scripts cannot be listed by
    hash: the iframe-worker shim that runs search there writes an inline
    bootstrap script into its iframe whose text holds the worker's absolute
    file:// URL, i.e. wherever the reader unzipped the archive. Browsers ignore
    'unsafe-inline' next to hashes, so the offline policy allows inline scripts
    without hashes; everything else stays as strict (no other origin, no eval,
    no plugins, nothing fetched or sent anywhere but the archive's own files).
    Offline fonts are ``data:`` URLs in the fonts stylesheet (browsers refuse
    font files from file://: guide/publish/offline.py), so font-src admits data:
    there, and only there."""
    directives = {k: list(v) for k, v in BASE_POLICY.items()}
    directives["script-src"] += ["'unsafe-inline'"] if offline else hashes
    if offline:
        directives["font-src"].append("data:")
    return "; ".join(f"{k} {' '.join(v)}" for k, v in directives.items())


def add_meta(html: str, content: str) -> str:
    """The policy as the first element after <meta charset>, before any script."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{content}">'
    new, count = re.subn(r"(<meta charset=[^>]*>)", lambda m: m.group(1) + meta, html, count=1)
    if not count:
        new, count = re.subn(r"(<head[^>]*>)", lambda m: m.group(1) + meta, html, count=1)
    return new
