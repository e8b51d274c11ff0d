"""The only template code a page may hold: the guide's macro calls, with
literal arguments.

mkdocs-macros renders every page as a Jinja template, so whatever Jinja an
editor writes would run in the build. Instead of listing what is dangerous,
this lists what is allowed: ``{{ name(arguments) }}`` where ``name`` is one of
the guide's macros and each argument is an id (lower-case letters, digits,
hyphens) or a small whole number. Statements, comments, raw blocks, filters,
attribute access, operators, string constants as output, variables: all
refused, with one line naming the file and the true line.

The page is read with Jinja's own lexer and parser (nothing is executed).
``guide/editorial/editorcheck.py`` runs it before every build on the whole
file; ``macros/__init__.py`` runs it again on exactly the text mkdocs-macros is
about to render, so nothing a later check would refuse is ever rendered.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import Callable

from jinja2 import Environment, TemplateSyntaxError, nodes

from guide import languages

BRACES_HINT = "to show braces as text write &#123; and &#125; (HTML character references)"
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID = 64
MAX_NUMBER = 99
MAX_CALLS = 300  # the longest page has about 40
# Tokens that open anything but an expression: statements, comments, raw blocks.
_OPENERS = {"block_begin": "{%", "raw_begin": "{% raw %}", "comment_begin": "{#",
            "linestatement_begin": "#", "linecomment_begin": "##"}
# Parsing only; this environment never renders anything.
_PARSER = Environment()


class MacroCallError(Exception):
    """``str()`` is the line shown: ``docs/en/x.md:12: ...``."""


@dataclass(frozen=True)
class MacroCall:
    name: str
    args: tuple
    kwargs: dict
    line: int


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _argument(value, where: str, name: str, label: str):
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise MacroCallError(f"{where}: {name}: {label} must be a quoted id or a whole number, "
                             f"e.g. {name}(\"the-id\") or chapter_ref(3)")
    if isinstance(value, int) and not 0 <= value <= MAX_NUMBER:
        raise MacroCallError(f"{where}: {name}: {label} {value} is out of range (0–{MAX_NUMBER})")
    if isinstance(value, str) and (len(value) > MAX_ID or not _ID.match(value)):
        raise MacroCallError(f"{where}: {name}: {label} {_short(repr(value))} is not an id: ids are lower-case "
                             f"letters, digits and hyphens (at most {MAX_ID}), e.g. \"newark-ovptr\"")
    return value


def _comment_hint(line: str) -> str:
    if re.search(r"\{#[\w-]*\s*\}", line):
        return "heading IDs are written {: #id } (with a colon): {#id} opens a Jinja comment"
    return "{# opens a Jinja comment; " + BRACES_HINT


def calls(text: str, rel: str, macros: dict[str, Callable], first_line: int = 1) -> list[MacroCall]:
    """Every macro call in ``text`` (``first_line`` is the file line of its
    first line), or ``MacroCallError`` for the first thing that is not one.
    ``macros`` maps names to functions whose first two parameters are the
    data and the page (the rest are the editor's arguments)."""
    lines = text.split("\n")

    def where(lineno: int) -> str:
        return f"{rel}:{lineno + first_line - 1}"

    known = ", ".join(sorted(macros))
    try:
        for lineno, token, value in _PARSER.lex(text):
            if token in _OPENERS:
                line = lines[lineno - 1] if lineno <= len(lines) else ""
                if token == "comment_begin":
                    raise MacroCallError(f"{where(lineno)}: '{{#' in the text: {_comment_hint(line)}")
                statement = re.search(r"\{%-?\+?\s*(\w*)", line[line.find("{%"):] if "{%" in line else line)
                word = statement.group(1)[:20] if statement else ""
                raise MacroCallError(f"{where(lineno)}: {{% {word} %}} is not allowed in pages: only macro calls "
                                     f"such as {{{{ chapter_ref(3) }}}}; {BRACES_HINT}")
        tree = _PARSER.parse(text)
    except TemplateSyntaxError as error:
        lineno = error.lineno or 1
        line = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
        if "{{" in line and "}}" not in line[line.find("{{"):]:
            raise MacroCallError(f"{where(lineno)}: unclosed {{{{ (no }}}} on the same line): close the macro call, "
                                 f"e.g. {{{{ chapter_ref(3) }}}}, or {BRACES_HINT}") from None
        hint = BRACES_HINT
        if re.search(f"[{languages.ARABIC_INDIC_DIGITS}]", line):
            hint = "macro arguments are code: write numbers with Latin digits, e.g. chapter_ref(7)"
        raise MacroCallError(f"{where(lineno)}: macro syntax error: {_short(error.message or '', 80)}; {hint}") from None

    found: list[MacroCall] = []
    calls_seen = 0
    for output in tree.body:
        if not isinstance(output, nodes.Output):  # statements were refused by the lexer pass
            raise MacroCallError(f"{where(output.lineno)}: only macro calls such as {{{{ chapter_ref(3) }}}} are "
                                 f"allowed in pages; {BRACES_HINT}")
        for node in output.nodes:
            if isinstance(node, nodes.TemplateData):
                continue
            calls_seen += 1
            if calls_seen > MAX_CALLS:
                raise MacroCallError(f"{where(node.lineno)}: more than {MAX_CALLS} macro calls in one page: "
                                     f"split the page")
            found.append(_call(node, where, macros, known))
    return found


def _call(node: nodes.Node, where, macros: dict[str, Callable], known: str) -> MacroCall:
    at = where(node.lineno)
    if isinstance(node, nodes.Name):
        hint = f"call it: {node.name}(…)" if node.name in macros else f"macros are {known}"
        raise MacroCallError(f"{at}: {_short(repr(node.name))} between {{{{ }}}} is not a macro call ({hint}); "
                             f"{BRACES_HINT}")
    if not isinstance(node, nodes.Call) or not isinstance(node.node, nodes.Name):
        base = node
        while isinstance(base, (nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Call)) and base.node is not None:
            base = base.node
        if isinstance(base, nodes.Name) and base.name not in macros:
            raise MacroCallError(f"{at}: {_short(repr(base.name))} between {{{{ }}}} is not a macro call (macros are "
                                 f"{known}); {BRACES_HINT}")
        raise MacroCallError(f"{at}: only macro calls such as {{{{ chapter_ref(3) }}}} are allowed between "
                             f"{{{{ }}}} (no text, filters, attributes or operators); {BRACES_HINT}")
    name = node.node.name
    if name not in macros:
        raise MacroCallError(f"{at}: unknown macro {_short(repr(name))} (known: {known})")
    if node.dyn_args or node.dyn_kwargs:
        raise MacroCallError(f"{at}: {name}: write the arguments out")
    args = []
    for position, arg in enumerate(node.args, 1):
        if not isinstance(arg, nodes.Const):
            raise MacroCallError(f"{at}: {name}: argument {position} must be a quoted id or a number, "
                                 f"e.g. {name}(\"the-id\") (unquoted text is read as a calculation)")
        args.append(_argument(arg.value, at, name, f"argument {position}"))
    kwargs = {}
    for keyword in node.kwargs:
        if not isinstance(keyword.value, nodes.Const):
            raise MacroCallError(f"{at}: {name}: argument {keyword.key}= must be quoted, e.g. {keyword.key}=\"value\"")
        kwargs[keyword.key] = _argument(keyword.value.value, at, name, f"argument {keyword.key}=")
    signature = inspect.signature(macros[name])
    try:
        signature.bind(None, None, *args, **kwargs)
    except TypeError:
        params = list(signature.parameters)[2:]
        raise MacroCallError(f"{at}: {name}: wrong arguments; it takes {name}({', '.join(params)})") from None
    return MacroCall(name, tuple(args), kwargs, node.lineno)


def has_template_syntax(text: str) -> bool:
    """Whether Jinja would see code in ``text`` (a page title, a data text)."""
    return any(opener in text for opener in ("{{", "{%", "{#"))
