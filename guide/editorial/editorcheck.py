"""Editor-input checks that run before every build (plain Python, no MkDocs).

    python -m tools check        # exit 1 and one line: file:line: problem

Everything an editor writes is untrusted input. This pre-pass reads it at its
source, the Markdown files under ``docs/<lang>/`` and the data under ``data/``,
never the final HTML (which also holds our own trusted templates), and stops at
the first problem with one line naming the repository-relative file, the true
line (front matter counted) and the field where there is one:

* data: the validated models of ``macros.loader`` (markup, https-only sources,
  matching ``{n}``/``{date}`` placeholders in ``data/ui.yml``);
* front matter: ``FrontMatter`` in ``guide/data/models.py`` (title, description,
  status complete|summary, hide);
* the HTML policy: no ``<script>``, ``<style>``, ``<iframe>`` and similar
  elements, no ``on*=`` or ``style=`` attributes (raw HTML or attr_list), no
  ``javascript:``/``vbscript:``/``data:`` URLs, no images/media from another
  origin;
* macros: Jinja syntax with the true line and hints (``{#id}`` -> ``{: #id }``,
  Latin digits in arguments, literal braces), unknown macros (listing the known
  ones), unquoted or wrong arguments, unknown ids (the real render functions);
* structure: box macros alone at the start of their line, Latin digits in Arabic
  prose, links to the other language's folder, a page missing in one language.

``guide/engine.py`` runs it before MkDocs starts (a mistake fails in about a
second); ``hooks/checks.py`` runs it on ``mkdocs build``/``serve`` too.
"""

from __future__ import annotations

import hashlib
import html
import re
import sys
from pathlib import Path

from pydantic import ValidationError

from guide import languages
from guide.data import yamlinput

# Macros whose output is an HTML block must stand alone on their line.
from guide.editorial import files, macrocalls
from guide.editorial.parity import front_matter_end
from guide.pages import langparts
from guide.render.boxes import BOX_MACROS

ROOT = Path(__file__).resolve().parents[2]
BRACES_HINT = macrocalls.BRACES_HINT

# Elements an editor may never write (scripts, styles, frames, plugins, forms, document metadata).
FORBIDDEN_ELEMENTS = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
                      "base", "link", "meta", "form", "svg", "math", "template", "noscript"}
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "poster", "data", "background",
                  "xlink:href", "cite", "ping", "manifest", "longdesc", "lowsrc", "dynsrc"}
RESOURCE_ATTRIBUTES = {"src", "srcset", "poster", "data", "background", "lowsrc", "dynsrc"}
_BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|livescript):", re.IGNORECASE)
_OFFSITE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


# No line of prose is near this long; a longer one is a mistake or an attack
# on the checks' time.
MAX_LINE = 5_000
# Messages quote editor text: cut so that one line stays one short line.
MAX_MESSAGE = 360  # with the "ERROR    -  " in front, under 400


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[:limit - 1] + "…"


def short_message(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE - 41] + " … " + message[-38:]


class EditorError(Exception):
    """One editor mistake; ``str()`` is the line shown: ``docs/en/x.md:12: ...``."""


def _rel(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


# --- masking: what of a line is editor prose/markup, not code ---------------------

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _without_code(lines: list[str], start: int) -> list[str]:
    """Lines with front matter and fenced code blocks blanked (line numbers kept)."""
    out, fence = [], None
    for i, line in enumerate(lines):
        if i < start:
            out.append("")
            continue
        match = _FENCE.match(line)
        if fence:
            out.append("")
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        if match:
            fence = match.group(1)
            out.append("")
            continue
        out.append(line)
    return out


def _prose(lines: list[str]) -> list[str]:
    """Editor text only: code spans and macro calls blanked (their output is trusted)."""
    text = "\n".join(lines)
    text = _CODE_SPAN.sub(_blank, text)
    text = _JINJA_TAG.sub(_blank, text)
    return text.split("\n")


# --- characters ----------------------------------------------------------------------

# Invisible characters a page may hold: the joiners of Arabic and Persian spelling
# and the direction marks; never overrides or isolates (U+202A-202E,
# U+2066-2069), which make text read differently from what reviewers saw.
_ALLOWED_FORMAT = {"\u200c", "\u200d", "\u200e", "\u200f", "\u061c"}


# Markdown and HTML turn no paragraph of prose into this many; the renderer's
# link and tag scanners slow down sharply with them (seconds per line).
MAX_OPENERS = 200
MAX_INDENT = 80  # about 20 levels of nesting; Markdown's parser recurses on each
MAX_OPENERS_PAGE = 2_000  # the guide's longest page has a few dozen


def text_characters(lines: list[str], rel: str) -> None:
    import unicodedata

    total = sum(line.count("[") + line.count("<") for line in lines)
    if total > MAX_OPENERS_PAGE:
        raise EditorError(f"{rel}:1: more than {MAX_OPENERS_PAGE} '[' and '<' in one page ({total:,}): split the page")
    openers, start = 0, 1
    for number, line in enumerate(lines, 1):
        if not line.strip():
            openers, start = 0, number + 1
        indent = len(line) - len(line.lstrip(" \t"))
        if indent > MAX_INDENT:
            raise EditorError(f"{rel}:{number}: indented {indent} columns (at most {MAX_INDENT}): lists and quotes "
                              f"nest a few levels at most")
        openers += line.count("[") + line.count("<")
        if openers > MAX_OPENERS:
            raise EditorError(f"{rel}:{start}: more than {MAX_OPENERS} '[' and '<' in one paragraph: split it, or "
                              f"write brackets as &#91; and &lt;")
        # Character references count as the characters they stand for.
        for char in html.unescape(line):
            category = unicodedata.category(char)
            if char == "\t":
                continue
            if category in ("Cc", "Cs", "Co", "Cn") or (category == "Cf" and char not in _ALLOWED_FORMAT) \
                    or char in "\u2028\u2029":
                raise EditorError(f"{rel}:{number}: invisible or control character U+{ord(char):04X} in the text: "
                                  f"delete it (direction overrides and zero-width characters hide what a page says)")


def engine_problem(path: Path, rel: str, body: str, macros: dict) -> str | None:
    """What the engine itself checks on a page it is about to render, whether
    or not the pre-pass ran: the file's front matter, its characters, and the
    template code of exactly the text it renders."""
    try:
        text = yamlinput.decode(Path(path).read_bytes(), rel)
    except (OSError, yamlinput.YAMLInputError) as error:
        return short_message(str(error))
    lines = text.replace("\r\n", "\n").split("\n")
    try:
        check_front_matter(Path(path), lines, rel, "")
        text_characters(lines, rel)
    except EditorError as error:
        return short_message(str(error))
    offset = text.find(body) if body and body in text else -1
    first_line = text.count("\n", 0, offset) + 1 if offset >= 0 else 1
    try:
        macrocalls.calls(body, rel, macros, first_line=first_line)
    except macrocalls.MacroCallError as error:
        return short_message(str(error))
    return None


# --- front matter ------------------------------------------------------------------

def check_front_matter(path: Path, lines: list[str], rel: str, lang: str) -> dict:
    from guide.data.models import FrontMatter, markup_problem

    end = front_matter_end(lines)
    if end == 0:
        raise EditorError(f"{rel}:1: front matter missing: start the page with ---, title:, description:, "
                          f"status: (complete or summary) and ---")
    block = "\n".join(lines[1:end - 1])
    try:
        parsed = yamlinput.parse(block, rel, first_line=2)
    except yamlinput.YAMLInputError as error:
        message = str(error)
        line = int(message.split(":")[1]) if message.split(":")[1].isdigit() else 2
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        key = text.split(":", 1)[0].strip()
        field = f"field {key!r}: " if key and re.fullmatch(r"[\w-]+", key) else ""
        detail = message.split(": ", 1)[1] if ": " in message else message
        hint = ""
        if "mapping values are not allowed" in detail and key:
            value = text.split(":", 1)[1].strip()
            hint = f": a colon inside a value needs quotes: quote the {key}: {key}: \"{yamlinput.shorten(value)[1:-1]}\""
        raise EditorError(f"{rel}:{line}: front matter: {field}{detail}{hint}") from None
    node, data = parsed.node, parsed.data
    if not isinstance(data, dict):
        raise EditorError(f"{rel}:2: front matter: expected title:, description: and status: lines")

    def line_of(key) -> int:
        for k, v in node.value:
            if k.value == key:
                return k.start_mark.line + 2
        return 1

    try:
        meta = FrontMatter.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        key = str(first["loc"][0]) if first["loc"] else ""
        msg = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            msg = f"unknown field (allowed: {', '.join(FrontMatter.model_fields)})"
        elif first["type"] == "literal_error" and key == "status" and data.get("status") == "untranslated":
            msg = ("the page is not translated yet (a stub `python -m tools new-lang` wrote): translate it, "
                   "then set status: complete (or summary); `python -m tools status` lists every stub")
        elif first["type"] == "literal_error" and key == "status":
            msg = f"must be complete or summary (lower case), got {data.get('status')!r}"
        elif first["type"] == "missing":
            msg = "missing (every page has title, description and status)"
        raise EditorError(f"{rel}:{line_of(key)}: front matter: field {key!r}: {msg}") from None
    for key in ("title", "description"):
        problem = markup_problem(getattr(meta, key))
        if problem:
            raise EditorError(f"{rel}:{line_of(key)}: front matter: field {key!r}: {problem}")
    return data


# --- the HTML policy ---------------------------------------------------------------

_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9:-]*)((?:\"[^\"]*\"|'[^']*'|[^'\">])*)>?")
_ATTR = re.compile(r"([^\s=/>\"']+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
_ATTR_LIST = re.compile(r"\{:?((?:[^{}\"']|\"[^\"]*\"|'[^']*')*)\}")
# Link text holds no "[" (no nesting): each "[" starts at most one linear scan.
_MD_LINK = re.compile(r"(!?)\[(?:[^\[\]\\]|\\.)*\]\(\s*<?([^)\s>]*)")
_REF_DEF = re.compile(r"^ {0,3}\[([^\]^]+)\]:\s*<?(\S+?)>?(?:\s|$)")
_REF_IMAGE = re.compile(r"!\[((?:[^\[\]\\]|\\.)*)\]\[([^\[\]]*)\]")


def _url_problem(url: str, resource: bool) -> str | None:
    # Browsers ignore whitespace/control characters and entities in URLs: so do we.
    clean = re.sub(r"[\x00-\x20]", "", html.unescape(url))
    if _BAD_SCHEME.match(clean):
        return f"{clean.split(':')[0].lower()}: URLs are not allowed ({url[:40]!r}); link to a page or an https:// address"
    if resource and _OFFSITE.match(clean):
        return (f"images, media and fonts must come from the site itself, not {url[:60]!r}: "
                f"put the file under docs/assets/images/ and link it relatively")
    return None


def _attributes_problem(attrs: str, resource_element: bool) -> str | None:
    for name, value in _ATTR.findall(attrs):
        name = name.lower()
        value = value[1:-1] if value[:1] in "\"'" else value
        if name.startswith("on"):
            return f"event-handler attribute {name}= is not allowed (nothing an editor writes may run as script)"
        if name == "style":
            return "style= attributes are not allowed: use a class from docs/assets/stylesheets/site.css"
        if name in URL_ATTRIBUTES:
            problem = _url_problem(value, resource_element and name in RESOURCE_ATTRIBUTES)
            if problem:
                return problem
    return None


def html_policy(prose: list[str], rel: str) -> None:
    """Raw HTML, attr lists and Markdown links/images against the policy."""
    refs: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(prose, 1):
        match = _REF_DEF.match(line)
        if match:
            refs[match.group(1).strip().lower()] = (match.group(2), number)
    for number, line in enumerate(prose, 1):
        where = f"{rel}:{number}"
        for tag in _TAG.finditer(line):
            name = tag.group(2).lower()
            if _BAD_SCHEME.match(name):
                raise EditorError(f"{where}: {name.split(':')[0]}: URLs are not allowed; link to a page or an https:// address")
            if name in FORBIDDEN_ELEMENTS:
                raise EditorError(f"{where}: <{name}> is not allowed in pages (HTML policy: no scripts, styles, "
                                  f"frames, embeds or forms; boxes come from macros)")
            problem = _attributes_problem(tag.group(3) or "", True)
            if problem:
                raise EditorError(f"{where}: <{name}>: {problem}")
        for attrs in _ATTR_LIST.finditer(line):
            if "=" in attrs.group(1):
                problem = _attributes_problem(attrs.group(1), True)
                if problem:
                    raise EditorError(f"{where}: attribute list: {problem}")
        for link in _MD_LINK.finditer(line):
            problem = _url_problem(link.group(2), resource=bool(link.group(1)))
            if problem:
                raise EditorError(f"{where}: {'image' if link.group(1) else 'link'}: {problem}")
        match = _REF_DEF.match(line)
        if match:
            problem = _url_problem(match.group(2), resource=False)
            if problem:
                raise EditorError(f"{where}: link definition: {problem}")
        for image in _REF_IMAGE.finditer(line):
            key = (image.group(2) or image.group(1)).strip().lower()
            if key in refs:
                problem = _url_problem(refs[key][0], resource=True)
                if problem:
                    raise EditorError(f"{rel}:{refs[key][1]}: image: {problem}")


# --- structure ----------------------------------------------------------------------

_BOX_CALL = re.compile(r"\{\{-?\s*(" + "|".join(BOX_MACROS) + r")\s*\(")
def _cross_link(registry) -> re.Pattern:
    """A link into another language's folder (``../en/x.md``) or a site-absolute
    page link (``/en/x.md``), for the configured languages."""
    codes = "|".join(re.escape(code) for code in registry.codes)
    prefixes = "|".join(re.escape(lang.prefix) for lang in registry if lang.prefix)
    absolute = f"(?:{prefixes})?" if prefixes else ""
    return re.compile(rf"(?:\]\(|\]:\s*|href=[\"']?)\s*<?((?:\.\./)+({codes})/[^)\s>\"']*|/{absolute}[^)\s>\"']*\.md)")
_ORDERED_MARKER = re.compile(r"^\s*\d+[.)]\s")
_NOT_PROSE = re.compile(
    r"https?://\S+|www\.\S+|\]\([^)]*\)|^ {0,3}\[[^\]]+\]:.*$|\{:[^}]*\}|<[^>]*>|\[\^[^\]]*\]|&#?\w+;",
    re.MULTILINE)
_LATIN_RUN = langparts.LATIN_TOKEN


def box_alone(lines: list[str], rel: str) -> None:
    for number, line in enumerate(lines, 1):
        match = _BOX_CALL.search(line)
        if not match:
            continue
        alone = re.fullmatch(r"\{\{-?\s*" + match.group(1) + r"\s*\(.*\)\s*-?\}\}\s*", line)
        if not alone:
            where = "indented (inside a list or block)" if line[:1].isspace() and line.lstrip().startswith("{{") \
                else "not alone on its line"
            raise EditorError(f"{rel}:{number}: {match.group(1)} is {where}: a box is an HTML block; put "
                              f"{{{{ {match.group(1)}(…) }}}} at the start of its own line, with blank lines around it")


def cross_language_links(prose: list[str], rel: str, registry=None) -> None:
    pattern = _cross_link(registry or languages.load())
    for number, line in enumerate(prose, 1):
        for match in pattern.finditer(line):
            target = match.group(1)
            name = _short(target.rsplit("/", 1)[-1])
            raise EditorError(f"{rel}:{number}: link to {_short(target)!r} points into another language's folder: "
                              f"link to {name} (the same language); the language switcher handles languages")


_LOCAL_LINK = re.compile(r"(?<!!)\[(?:[^\[\]\\]|\\.)*\]\(\s*<?([^)\s>]*)")
_HEADING_ID = re.compile(r"\{:?[^{}]*?(?<![\w&])#([A-Za-z][\w-]*)[^{}]*\}")
# Anchors drawn by the boxes (guide/render/templates/): MkDocs checks those after rendering.
_GENERATED_ANCHORS = ("case-", "term-", "questions-", "fn:", "fnref:")


def _page_ids(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    body = _without_code(lines, front_matter_end(lines))
    return {m.group(1) for line in body for m in _HEADING_ID.finditer(line)}


def _is_page(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for the file system, say
        return False


def local_links(prose: list[str], rel: str, path: Path) -> None:
    """Links to pages of the same language exist, and so do their heading IDs."""
    for number, line in enumerate(prose, 1):
        for match in _LOCAL_LINK.finditer(line):
            target = match.group(1)
            if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE) or target.startswith("//"):
                continue
            file_part, _, anchor = target.partition("#")
            if file_part and not file_part.endswith(".md"):
                continue
            linked = (path.parent / file_part).resolve() if file_part else path
            if not _is_page(linked):
                siblings = ", ".join(sorted(p.name for p in path.parent.glob("*.md")))
                raise EditorError(f"{rel}:{number}: link to {_short(file_part)!r}: no such page in this language "
                                  f"(pages: {siblings})")
            if anchor and not anchor.startswith(_GENERATED_ANCHORS) and anchor not in _page_ids(linked):
                raise EditorError(f"{rel}:{number}: link to {_short(target)!r}: {linked.name} has no heading "
                                  f"{{: #{anchor} }}; use one of its heading IDs")


def latin_digits(lines: list[str], rel: str, language_name: str = "Arabic") -> None:
    """Prose of an Arabic-Indic-digit language (Arabic) uses those digits; code,
    URLs and Latin runs (G20) keep theirs."""
    text = "\n".join(_ORDERED_MARKER.sub(lambda m: " " * len(m.group(0)), line) for line in lines)
    text = _NOT_PROSE.sub(_blank, text)
    for number, line in enumerate(text.split("\n"), 1):
        for run in _LATIN_RUN.finditer(line):
            token = run.group(0).rstrip("./_+-")
            if re.search(r"[0-9]", token) and not re.search(r"[A-Za-z]", token):
                fixed = languages.arabic_indic_digits(token)
                raise EditorError(f"{rel}:{number}: Latin digits {_short(token)!r} in {language_name} text: write {_short(fixed)!r} "
                                  f"(Arabic-Indic digits; only code, URLs and Latin names keep 0-9)")


# --- macros -------------------------------------------------------------------------

def _macros():
    from guide.render.boxes import MACROS
    return {function.__name__: function for function in MACROS}


def check_macros(text_lines: list[str], rel: str, data, src_uri: str, docs_dir: Path) -> None:
    """Only the guide's macro calls with literal arguments (guide/editorial/macrocalls.py),
    each rendered once with the real data so an unknown id fails here."""
    from guide.render.boxes import MacroError, PageInfo

    known = _macros()
    try:
        found = macrocalls.calls("\n".join(text_lines), rel, known)
    except macrocalls.MacroCallError as error:
        raise EditorError(str(error)) from None
    for call in {(c.name, c.args, tuple(sorted(c.kwargs.items()))): c for c in reversed(found)}.values():
        try:
            known[call.name](data, PageInfo(src_uri=src_uri, docs_dir=docs_dir), *call.args, **call.kwargs)
        except MacroError as error:
            raise EditorError(f"{rel}:{call.line}: {error}") from None


# --- the whole tree -----------------------------------------------------------------

def check_page(path: Path, root: Path, data, docs_dir: Path, registry=None) -> None:
    registry = registry or languages.for_root(root)
    rel = _rel(path, root)
    src_uri = path.relative_to(docs_dir).as_posix()
    lang = src_uri.split("/")[0]
    try:
        text = yamlinput.decode(path.read_bytes(), rel)
    except yamlinput.YAMLInputError as error:
        raise EditorError(str(error)) from None
    lines = text.replace("\r\n", "\n").split("\n")
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_LINE:
            raise EditorError(f"{rel}:{number}: a line of {len(line):,} characters (at most {MAX_LINE:,}): "
                              f"break it into shorter lines")
    check_front_matter(path, lines, rel, lang)
    text_characters(lines, rel)
    start = front_matter_end(lines)
    # mkdocs-macros renders the whole body as Jinja, code included; the front
    # matter holds no template syntax either (its text model refuses braces),
    # so the whole file goes through the allowlist.
    check_macros(lines, rel, data, src_uri, docs_dir)
    body = _without_code(lines, start)
    box_alone(body, rel)
    prose = _prose(body)
    html_policy(prose, rel)
    cross_language_links(prose, rel, registry)
    local_links(prose, rel, path)
    language = registry.get(lang) if lang in registry else None
    if language is not None and language.digits == "arabic-indic":
        front = [re.sub(r"^[\w-]+:", "", line) if 0 < i < start - 1 else "" for i, line in enumerate(lines[:start])]
        latin_digits(front + prose[start:], rel, language.english_name)


def _every(registry) -> str:
    return "both languages" if len(registry) == 2 else "every language"


def missing_pages(docs_dir: Path, root: Path, registry=None) -> None:
    registry = registry or languages.for_root(root)
    names = {lang: {p.relative_to(docs_dir / lang).as_posix() for p in (docs_dir / lang).rglob("*.md")}
             for lang in registry.codes if (docs_dir / lang).is_dir()}
    for lang in registry:
        for other in registry.others(lang.code):
            for name in sorted(names.get(lang.code, set()) - names.get(other.code, set())):
                raise EditorError(f"{_rel(docs_dir / lang.code / name, root)}:1: the {other.english_name} version is "
                                  f"missing: add docs/{other.code}/{name} (every page exists in {_every(registry)})")


def _config_line(root: Path, message: str) -> str:
    """A language registry error (``mkdocs.yml: plugins.i18n.languages[fr].extra.language.months: …``)
    with the line of mkdocs.yml it is about."""
    match = re.match(r"mkdocs\.yml: plugins\.i18n\.languages\[([\w-]+)\](?:\.extra\.language)?(?:\.(\w+))?", message)
    if not match:
        return message
    lines = (root / "mkdocs.yml").read_text(encoding="utf-8").split("\n")
    start = next((i for i, text in enumerate(lines) if re.match(rf"\s*-\s*locale:\s*{re.escape(match.group(1))}\s*$", text)), 0)
    line = start + 1
    if match.group(2):
        line = next((i for i, text in enumerate(lines[start:], start + 1)
                     if re.match(rf"\s*{re.escape(match.group(2))}:", text)), line)
    return f"mkdocs.yml:{line}:" + message[len("mkdocs.yml:"):]


def untranslated_facts(root: Path) -> None:
    """mkdocs.yml still holds a TRANSLATE: marker `python -m tools new-lang` wrote
    (a new language's name, chapter label, month names, site name)."""
    for number, text in enumerate((root / "mkdocs.yml").read_text(encoding="utf-8").split("\n"), 1):
        if languages.UNTRANSLATED in text and not text.lstrip().startswith("#"):
            key = text.strip().lstrip("- ").split(":", 1)[0]
            raise EditorError(f"mkdocs.yml:{number}: {key} is not translated yet: replace each "
                              f"{languages.UNTRANSLATED!r} value of the new language (guide/languages.py "
                              f"says what each fact means)")


def check_nav(root: Path, docs_dir: Path, registry=None) -> None:
    """Every nav entry exists in every language; every page is in the nav."""
    from guide import siteconfig

    registry = registry or languages.for_root(root)
    LANGUAGES = registry.codes
    config_path = root / "mkdocs.yml"
    slugs = siteconfig.nav_slugs(siteconfig.load_config(config_path))
    config_lines = config_path.read_text(encoding="utf-8").split("\n")
    for slug in slugs:
        for lang in LANGUAGES:
            if not (docs_dir / lang / f"{slug}.md").is_file():
                line = next((i for i, text in enumerate(config_lines, 1)
                             if re.search(rf"-\s*(?:[^:]*:\s*)?{re.escape(slug)}\.md\s*$", text)), 1)
                raise EditorError(f"mkdocs.yml:{line}: nav entry '{slug}.md': docs/{lang}/{slug}.md does not exist "
                                  f"(add the page in {_every(registry)}, or remove the entry)")
    for lang in LANGUAGES:
        for path in sorted((docs_dir / lang).glob("*.md")):
            if path.stem not in slugs:
                raise EditorError(f"{_rel(path, root)}:1: page not in the navigation: add '- {path.name}' to nav: "
                                  f"in mkdocs.yml")


def check_tree(root: Path = ROOT, data_dir: Path | None = None) -> None:
    """Raise ``EditorError`` (or ``DataError``) for the first mistake in the tree."""
    from guide.data.loader import load_all

    # Files first: no symlink is followed and no stray file is read before this.
    try:
        files.check(root)
    except files.FileError as error:
        raise EditorError(str(error)) from None
    # The language list, and each language's facts filled in.
    try:
        registry = languages.for_root(root)
    except languages.LanguageError as error:
        raise EditorError(_config_line(root, str(error))) from None
    untranslated_facts(root)
    # Another tree's own data (a copy under test), unless GUIDE_DATA_DIR points elsewhere.
    data = load_all(data_dir or (None if Path(root).resolve() == ROOT else Path(root) / "data"))
    docs_dir = root / "docs"
    missing_pages(docs_dir, root, registry)
    check_nav(root, docs_dir, registry)
    pages = [path for lang in registry.codes for path in sorted((docs_dir / lang).rglob("*.md"))]
    context = _context_fingerprint(root, data_dir, pages)
    for path in pages:
        key = (str(path.resolve()), hashlib.sha256(path.read_bytes()).hexdigest(), context)
        if context and key in _PASSED:
            continue
        check_page(path, root, data, docs_dir, registry)
        if context:
            if len(_PASSED) > 4096:
                _PASSED.clear()
            _PASSED.add(key)


# Pages that passed check_page, by (path, their bytes, what else a page's check
# reads): a long-lived process (`mkdocs serve`, which runs the pre-pass on
# every rebuild) re-checks only what an edit can have changed. A one-shot
# build checks everything: the set starts empty in every process.
_PASSED: set[tuple[str, str, str]] = set()
_TEMPLATES = Path(__file__).resolve().parents[1] / "render" / "templates"
_MACRO_LINE = re.compile(r"\{\{|\{%|\{#|case_box")


def _context_fingerprint(root: Path, data_dir: Path | None, pages: list[Path]) -> str:
    """What check_page reads besides the page: the config (languages), every
    data file, the box templates, and of every page its path, front matter,
    heading IDs and macro lines (links, chapter and case references). Prose
    edits elsewhere leave it unchanged."""
    try:
        return _fingerprint(root, data_dir, pages)
    except (OSError, ValueError):  # unreadable or not UTF-8: no cache, check_page says what is wrong
        return ""


def _fingerprint(root: Path, data_dir: Path | None, pages: list[Path]) -> str:
    from guide.data.loader import default_data_dir

    digest = hashlib.sha256()
    digest.update(languages.config_path(root).read_bytes())
    folder = Path(data_dir) if data_dir else (default_data_dir() if Path(root).resolve() == ROOT else Path(root) / "data")
    for path in sorted([*folder.rglob("*"), *_TEMPLATES.rglob("*")]):
        if path.is_file():
            digest.update(f"\0{path}\0".encode())
            digest.update(path.read_bytes())
    for path in pages:
        lines = path.read_text(encoding="utf-8").split("\n")
        end = front_matter_end(lines)
        digest.update(f"\0{path}\0".encode())
        digest.update("\n".join(lines[:end]).encode())
        digest.update(repr(sorted(_page_ids(path))).encode())
        digest.update("\n".join(line for line in lines if _MACRO_LINE.search(line)).encode())
    return digest.hexdigest()


def first_problem(root: Path = ROOT) -> str | None:
    """The one line to show, or None when the editor input is clean."""
    from guide.data.loader import DataError

    try:
        check_tree(root)
    except (EditorError, DataError) as error:
        return short_message(str(error))
    return None


def add_arguments(parser) -> None:
    pass


def main(args=None) -> int:
    problem = first_problem()
    if problem:
        print(f"ERROR    -  {problem}", file=sys.stderr)
        return 1
    print("editor input OK: data, front matter, HTML policy, macros, structure")
    return 0
