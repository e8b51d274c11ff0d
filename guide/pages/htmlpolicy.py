"""The HTML allowlist: what a page's content may hold once it is rendered.

A page's content is the Markdown of ``docs/<lang>/*.md`` with the boxes the
macros drew from ``data/`` in it, turned into HTML. Whatever an editor wrote,
by whatever route (raw HTML, attribute lists, links, data texts), it is judged
here as the browser will see it: only the elements, attributes, URL schemes
and values that the guide actually uses are allowed. Anything else stops the
build, naming the element and, where it can be traced, the file and line.

The HTML is parsed by nh3 (Ammonia, on the html5ever HTML5 parser, which
reads markup as browsers do) twice: once keeping everything, once keeping
only the allowlist. The content passes only if the two agree (their start
tags and attributes, compared on html5ever's own serialisation, so no second
parser with its own reading of comments or broken tags takes part), and what
is published is the allowlisted serialisation itself, never the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

from guide.theme import material

# Elements: what Markdown (with the site's extensions) and the box templates produce.
ELEMENTS = frozenset({
    "a", "abbr", "aside", "bdi", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "section", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_GLOBAL = {"id", "class", "lang", "dir", "title", "role", "aria-label", "aria-labelledby", "aria-hidden",
           "data-source-file", "data-lang"}
ATTRIBUTES = {
    "*": _GLOBAL,
    "a": _GLOBAL | {"href", "hreflang"},
    "img": _GLOBAL | {"src", "alt", "width", "height"},
    "th": _GLOBAL | {"scope", "colspan", "rowspan"},
    "td": _GLOBAL | {"colspan", "rowspan", "data-origin", "data-label"},
    "ol": _GLOBAL | {"start"},
    "details": _GLOBAL | {"open"},
    "dt": _GLOBAL | {"data-term"},
    "li": _GLOBAL | {"data-chapter", "data-figure"},
    "section": _GLOBAL | {"data-case", "data-questions"},
    "tr": _GLOBAL | {"data-case", "data-concept", "data-mandate", "data-region", "data-category"},
    "table": _GLOBAL | {"data-cards"},
    "div": _GLOBAL | {"tabindex"},  # a scrollable table's wrapper is focusable
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Values. Classes are the guide's own, Markdown's and the code
# highlighter's, never Material's layout classes (md-...).
# Ids never start as Material's own elements' do (guide/theme/material.py,
# RESERVED_ID_PREFIX) or with "guide-" (the site's own: guide-offline,
# guide-search-counts, …), which a page could otherwise shadow for the scripts
# that look them up.
_ID = re.compile(rf"^(?!{re.escape(material.RESERVED_ID_PREFIX)}|guide-|not-found$)[\w:.-]{{1,100}}$")
_CLASS = re.compile(r"^(?:guide-[a-z0-9_-]+|admonition(?:-title)?|headerlink|footnote(?:-ref|-backref)?|"
                    r"highlight|linenos|note|abstract|info|tip|success|question|warning|failure|danger|bug|"
                    r"example|quote|[a-z]{1,2}[0-9]?)$")
_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")
_TOKEN = re.compile(r"^[\w./:-]{0,100}$")
# A box's data file, as the box names it (data/cases.yml, or under
# GUIDE_DATA_DIR): the build reads only data/<its name>, never this path.
_DATA_FILE = re.compile(r"^[\w./-]{0,200}/[a-z]+\.yml$")
_IMAGE_SRC = re.compile(r"^(?:\.\./)*assets/images/[A-Za-z0-9][A-Za-z0-9._-]*$")
_HOST = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?:\.(?!-)[a-z0-9-]{1,63})+$")
_VALUES = {
    "dir": {"ltr", "rtl", "auto"}, "role": {"note", "region", "doc-noteref", "doc-backlink", "doc-endnotes"},
    "aria-hidden": {"true"}, "scope": {"col", "row"}, "open": {""}, "tabindex": {"0"},
}


class PolicyError(Exception):
    """Rendered content outside the allowlist; ``str()`` is the line to show."""


@dataclass(frozen=True)
class Finding:
    tag: str
    attribute: str | None
    value: str | None
    source_file: str | None  # data file of the box it sits in (data-source-file), if any

    def describe(self) -> str:
        if self.attribute is None:
            return f"<{self.tag}> is not allowed"
        shown = (self.value or "")[:50]
        return f"<{self.tag} {self.attribute}={shown!r}> is not allowed"


def url_problem(value: str, resource: bool) -> str | None:
    """Why a URL is refused, or None. Resources (images) come from the site itself."""
    clean = re.sub(r"[\x00-\x20\x7f]", "", value)
    parts = urlsplit(clean)
    if resource:
        # As MkDocs writes it from the page: ../(…)assets/images/<name>.
        return None if _IMAGE_SRC.match(clean) else \
            "images come from the site itself: a relative path to a file in docs/assets/images/"
    if not parts.scheme:
        return None if not parts.netloc and "\\" not in clean else "links to other sites start with https://"
    if parts.scheme.lower() not in URL_SCHEMES:
        return f"{parts.scheme}: links are not allowed (only https://, http:// and mailto:)"
    if parts.scheme.lower() == "mailto":
        return None
    host = parts.hostname or ""
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return "a link with user@ before the host is not allowed (it hides the real site)"
    labels = host.split(".")
    if host == "localhost" or labels[-1].isdigit() or labels[-1].startswith("0x") or host.endswith(".localhost"):
        return f"a link to {host[:40]!r} points at the reader's own machine or network: link to a public site"
    if not _HOST.match(host) or any(label.startswith("xn--") for label in labels):
        return (f"the site's name {host[:40]!r} is not plain ASCII letters, digits and dots (look-alike "
                f"letters can imitate another site): write the address as the site writes it")
    return None


def _attribute_ok(tag: str, name: str, value: str) -> bool:
    # No < or > in any value: the published HTML then holds them only as tags,
    # so the page rewriters after this check (guide/pages/langparts.py, …)
    # cannot mistake an attribute's text for markup.
    if "<" in value or ">" in value:
        return False
    if name == "data-source-file":
        return bool(_DATA_FILE.match(value))
    if name == "id":
        return bool(_ID.match(value))
    if name == "class":
        return all(_CLASS.match(token) for token in value.split())
    if name in ("lang", "hreflang"):
        return bool(_LANG.match(value))
    if name in _VALUES:
        return value in _VALUES[name]
    if name == "href":
        return url_problem(value, resource=False) is None
    if name == "src":
        return url_problem(value, resource=True) is None
    if name in ("colspan", "rowspan", "start", "width", "height"):
        return value.isdigit() and len(value) <= 4
    if (name.startswith("data-") and name != "data-label") or name == "aria-labelledby":
        return bool(_TOKEN.match(value))
    return True  # free text: title, alt, aria-label, data-label (attribute values are text)


def id_allowed(value: str) -> bool:
    return bool(_ID.match(value))


def is_data_file(value: str) -> bool:
    return bool(_DATA_FILE.match(value))


def _filter(tag: str, name: str, value: str) -> str | None:
    return value if _attribute_ok(tag, name, value) else None


def _clean(html: str) -> str:
    return nh3.clean(html, tags=set(ELEMENTS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                     attribute_filter=_filter, url_schemes=set(URL_SCHEMES), link_rel=None,
                     strip_comments=True, clean_content_tags={"script", "style", "template", "noscript",
                                                              "iframe", "object", "embed", "math", "svg"})


# Everything html5ever knows, to see the original as a browser would: the
# HTML, SVG and MathML elements, every attribute, the URL schemes browsers act
# on. Whatever even this drops is not published either (the published HTML is
# the allowlisted serialisation).
_EVERY_ELEMENT = ELEMENTS | {
    "html", "head", "body", "title", "base", "link", "meta", "style", "script", "noscript", "template", "slot",
    "iframe", "frame", "frameset", "object", "embed", "param", "applet", "audio", "video", "source", "track",
    "canvas", "map", "area", "picture", "form", "input", "button", "select", "option", "optgroup", "textarea",
    "label", "fieldset", "legend", "output", "datalist", "progress", "meter", "dialog", "menu", "nav", "main",
    "header", "footer", "article", "address", "figure", "figcaption", "mark", "small", "s", "u", "i", "b", "q",
    "cite", "dfn", "kbd", "samp", "var", "time", "data", "ruby", "rt", "rp", "bdo", "wbr", "ins", "colgroup",
    "col", "hgroup", "search", "marquee", "blink", "font", "center", "big", "tt", "strike", "nobr", "xmp",
    "plaintext", "listing", "image", "isindex", "keygen", "svg", "math", "foreignObject", "use", "animate",
    "set", "animateTransform", "mi", "mo", "mn", "ms", "mtext", "annotation-xml", "maction",
}
_EVERY_SCHEME = URL_SCHEMES | {"javascript", "vbscript", "data", "file", "blob", "ftp", "ws", "wss", "tel",
                               "sms", "intent", "filesystem", "about", "chrome", "view-source", "jar"}


def _as_parsed(html: str) -> str:
    return nh3.clean(html, tags=set(_EVERY_ELEMENT), clean_content_tags=set(), attributes={},
                     generic_attribute_prefixes=set("abcdefghijklmnopqrstuvwxyz_:"), url_schemes=set(_EVERY_SCHEME),
                     link_rel=None, strip_comments=True)


def sanitised(html: str) -> str:
    """The content as published: only what the allowlist keeps."""
    return _clean(html)


class _StartTags(HTMLParser):
    """Start tags in order, each with its attributes and the nearest
    enclosing box's data file."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[tuple[str, str], ...], str | None]] = []
        self._files: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attrs = tuple(sorted((name, value or "") for name, value in attrs))
        source = dict(attrs).get("data-source-file") or (self._files[-1][1] if self._files else None)
        self.tags.append((tag, attrs, source))
        if tag not in ("br", "hr", "img"):
            self._files.append((tag, source))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr", "img") and self._files:
            self._files.pop()

    def handle_endtag(self, tag):
        for index in range(len(self._files) - 1, -1, -1):
            if self._files[index][0] == tag:
                del self._files[index:]
                break


def _start_tags(html: str) -> list:
    parser = _StartTags()
    parser.feed(html)
    parser.close()
    return parser.tags


def first_finding(html: str) -> Finding | None:
    """The first thing in ``html`` that the allowlist does not keep, or None."""
    if "<" not in html:
        return None
    original = _start_tags(_as_parsed(html))
    cleaned = _start_tags(_clean(html))
    kept = iter(cleaned)
    current = next(kept, None)
    for tag, attrs, source in original:
        # The HTML5 parser adds the <tbody> a hand-written table leaves out.
        while current is not None and current[0] == "tbody" and tag != "tbody" and not current[1]:
            current = next(kept, None)
        if current is not None and current[0] == tag:
            if current[1] != attrs:
                missing = [(n, v) for n, v in attrs if (n, v) not in current[1]]
                name, value = missing[0] if missing else (attrs[0] if attrs else ("?", ""))
                return Finding(tag, name, value, source)
            current = next(kept, None)
            continue
        return Finding(tag, None, None, source)
    if current is not None:  # the cleaner added or moved an element: malformed HTML
        return Finding(current[0], None, None, None)
    return None


_ELEMENT_HINTS = {
    "script": "nothing an editor writes may run as script",
    "style": "use the classes of docs/assets/stylesheets/site.css",
    "iframe": "link to the page instead", "form": "link to the form instead", "svg": "use an image file",
}


def message(finding: Finding) -> str:
    """What the editor is told (without the file:line prefix)."""
    text = finding.describe()
    if finding.attribute is None:
        hint = _ELEMENT_HINTS.get(finding.tag, "boxes come from macros, formatting from Markdown")
        return f"{text} in pages (HTML allowlist: {hint}; see CONTRIBUTING.md, 'What pages may hold')"
    name, value = finding.attribute, finding.value or ""
    if name.startswith("on"):
        hint = "event handlers never run: nothing an editor writes may run as script"
    elif name == "style":
        hint = "use a class from docs/assets/stylesheets/site.css"
    elif name == "href":
        hint = url_problem(value, resource=False) or "not an allowed link"
    elif name == "src":
        hint = url_problem(value, resource=True) or "not an allowed image"
    elif name == "id":
        hint = "ids are letters, digits, - _ : . and never start with __ or guide- (the site's own)"
    elif name == "class":
        hint = "classes are the guide's own (guide-…) and Markdown's"
    elif "<" in value or ">" in value:
        hint = "no < or > inside an attribute's value"
    elif name in ATTRIBUTES.get(finding.tag, ATTRIBUTES["*"]):
        hint = f"not a value {name}= may have here" + (" (it names a box's data file)" if name == "data-source-file" else "")
    else:
        hint = "the guide's pages do not use this attribute"
    return f"{text} (HTML allowlist: {hint})"


def check(html: str) -> None:
    finding = first_finding(html)
    if finding:
        raise PolicyError(message(finding))


def source_line(lines: list[str], finding: Finding) -> int | None:
    """The 1-based line of ``lines`` that most likely wrote ``finding``."""
    needles = []
    if finding.attribute:
        if finding.value:
            needles.append(finding.value[:40])
        needles.append(f"{finding.attribute}=")
    needles.append(f"<{finding.tag}")
    for needle in needles:
        for number, line in enumerate(lines, 1):
            if needle.lower() in line.lower():
                return number
    return None
