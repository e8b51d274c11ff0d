"""Issue 18: an attack corpus. What a hostile contributor could put in a pull
request, each entry judged by what the build machine or a reader would suffer.

Every entry is applied to its own copy of the repository and built with
`python -m tools build`, the command CI and the deploy run:

* **refused** entries must fail with exactly one line naming the file and the
  true line, no traceback, and the previous site/ byte-identical; the ones
  that try to run code in the build are also built with the editor pre-pass
  switched off (GUIDE_EDITOR_CHECKED=1, as if it had a hole), so the engine's
  own guard (macros/__init__.py, hooks/checks.py) must refuse them too, and no
  marker file written by their code may exist afterwards;
* **harmless** entries are built together into one site, which is then read
  online, from the offline archive (file://) and in the PDF print view: no
  mark that only a script could set, no byte of a canary file from outside the
  repository anywhere in the site, the zip or the PDFs.

The payloads never spell their marks literally (a mark shown as text must not
count as a mark set by a script).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from editortree import copy_tree, tree_digest

ROOT = Path(__file__).resolve().parent.parent
TOKEN = secrets.token_hex(6)
MARKS = Path(tempfile.gettempdir()) / f"guide-attack-marks-{TOKEN}"
CANARY = Path(tempfile.gettempdir()) / f"guide-attack-canary-{TOKEN}"
CANARY_TEXT = f"CANARY{TOKEN}SECRET"
SITE_URL = "https://guide.example.org/"  # served to the browser by tests/hosted.py, never the network
EN, AR = "docs/en/strategy.md", "docs/ar/strategy.md"
CASES, GLOSSARY, UI = "data/cases.yml", "data/glossary.yml", "data/ui.yml"


def shell(name: str) -> str:
    """A shell command that leaves a marker file if it ever runs."""
    return f"touch {MARKS}/{name}"


def js(name: str) -> str:
    """Script that, if it runs, sets a mark and writes it into the page (the PDF
    would show it); the mark is assembled at run time, never written out."""
    return (f"window.__attack=(window.__attack||[]).concat('{name}');"
            f"document.documentElement.insertAdjacentText('afterbegin','ATT'+'ACK-RAN-{name}')")


# --- edits ------------------------------------------------------------------------------

def replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, f"fixture text {old!r} not found"
        return text.replace(old, new, 1)
    return edit


def append(extra: str) -> Callable[[str], str]:
    return lambda text: text.rstrip("\n") + "\n\n" + extra + "\n"


def title(value: str) -> Callable[[str], str]:
    return lambda text: re.sub(r"\ntitle: .*", lambda m: "\ntitle: " + value, text, count=1)


@dataclass(frozen=True)
class Symlink:
    target: str  # may name {canary}


@dataclass
class Attack:
    id: str
    kind: str
    edits: dict  # path -> edit function | bytes (whole file) | Symlink
    refused: str | None = None   # a fragment of the one error line; None: published harmlessly
    where: str | None = None     # the file the error names (default: the first edited)
    marker: str | None = None    # text on the true line of `where`
    line: int | None = None      # or the true line itself
    engine: bool = False         # also refused by the engine with the pre-pass off
    pages: tuple[str, ...] = ()  # harmless: pages to read (en/strategy/...)


A = Attack
ATTACKS: list[Attack] = [
    # --- template code: nothing an editor writes runs in the build ---------------------
    A("title-cycler-system", "template", {EN: title(
        "\"Chapter 3{{ '' if cycler.__init__.__globals__.os.system('" + shell("title-cycler-system") + "') else '' }}\"")},
      "braces are not allowed in text", marker="title:", engine=True),
    A("title-popen-read", "template", {EN: title("\"{{ cycler.__init__.__globals__.os.popen('id').read() }}\"")},
      "braces are not allowed in text", marker="title:", engine=True),
    A("title-meta-refresh", "template", {EN: title(
        "\"x{{ '<meta http-equiv=refresh content=0;url=https://example.org>' }}\"")},
      "braces are not allowed in text", marker="title:", engine=True),
    A("description-expression", "template", {EN: replace("\ndescription:", "\ndescription: \"{{ 7*7 }}\"\nx:")},
      "braces are not allowed in text", marker="description:"),
    A("hide-template", "template", {EN: replace("\nstatus:", "\nhide: [\"{{ x }}\"]\nstatus:")},
      "front matter", marker="hide:"),
    A("body-cycler-system", "template", {EN: append(
        "{{ cycler.__init__.__globals__.os.system('" + shell("body-cycler-system") + "') }}")},
      "'cycler' between {{ }} is not a macro call", marker="cycler.__init__", engine=True),
    A("body-lipsum-globals", "template", {EN: append(
        "{{ lipsum.__globals__['os'].system('" + shell("body-lipsum-globals") + "') }}")},
      "'lipsum' between {{ }} is not a macro call", marker="lipsum.__globals__", engine=True),
    A("body-string-script", "template", {EN: append("{{ '<script src=\"../x.js\"></script>' }}")},
      "only macro calls", marker="<script src", engine=True),
    A("body-concat-script", "template", {EN: append("{{ '<scr' ~ 'ipt>' ~ 'alert(1)</scr' ~ 'ipt>' }}")},
      "only macro calls", marker="'<scr'", engine=True),
    A("raw-block-script", "template", {EN: append("{% raw %}{{ x }}<script>" + js("raw") + "</script>{% endraw %}")},
      "{% raw %} is not allowed", marker="{% raw", engine=True),
    A("set-statement", "template", {EN: append("{% set x = cycler.__init__.__globals__ %}")},
      "{% set %} is not allowed", marker="{% set", engine=True),
    A("include-passwd", "template", {EN: append("{% include '../../../../etc/passwd' %}")},
      "{% include %} is not allowed", marker="{% include", engine=True),
    A("import-statement", "template", {EN: append("{% import 'x.html' as x %}")},
      "{% import %} is not allowed", marker="{% import"),
    A("macro-definition", "template", {EN: append("{% macro m() %}x{% endmacro %}")},
      "{% macro %} is not allowed", marker="{% macro"),
    A("filter-on-macro", "template", {EN: append('{{ chapter_ref(3) | safe }}')},
      "only macro calls", marker="| safe"),
    A("attribute-of-macro", "template", {EN: append("{{ chapter_ref.__globals__ }}")},
      "only macro calls", marker="chapter_ref.__globals__", engine=True),
    A("dunder-call-of-macro", "template", {EN: append("{{ chapter_ref.__call__(3) }}")},
      "only macro calls", marker="__call__"),
    A("config-leak", "template", {EN: append("{{ config.extra }}")},
      "'config' between {{ }} is not a macro call", marker="config.extra"),
    A("keyword-expression", "template", {EN: append('{{ mandates_table(region=cycler.__init__) }}')},
      "argument region= must be quoted", marker="region=cycler"),
    A("huge-argument", "template", {EN: append('{{ case_box("' + "a" * 4_000 + '") }}')},
      "is not an id", marker='{{ case_box("aaaa'),
    A("huge-line", "template", {EN: append('{{ case_box("' + "a" * 300_000 + '") }}')},
      "a line of 300,018 characters", marker='{{ case_box("aaaa'),
    A("jinja-comment", "template", {EN: append("{# hidden #}")}, "'{#' in the text", marker="{# hidden"),
    A("code-fence-template", "template", {EN: append(
        "```\n{{ cycler.__init__.__globals__.os.system('" + shell("code-fence-template") + "') }}\n```")},
      "'cycler' between {{ }} is not a macro call", marker="cycler.__init__", engine=True),
    A("code-span-template", "template", {EN: append("Try `{{ cycler.__init__ }}` here.")},
      "'cycler' between {{ }} is not a macro call", marker="`{{ cycler"),
    A("whitespace-control", "template", {EN: append("{{- cycler.__init__ -}}")},
      "'cycler' between {{ }} is not a macro call", marker="{{- cycler"),
    A("boolean-argument", "template", {EN: append("{{ chapter_ref(True) }}")},
      "must be a quoted id or a whole number", marker="chapter_ref(True)"),
    A("md-outside-language", "template", {"docs/evil.md": lambda _: (
        "---\ntitle: x\n---\n{{ cycler.__init__.__globals__.os.system('" + shell("md-outside-language") + "') }}\n")},
      "pages live in docs/<language>/", line=1),
    A("md-in-subfolder", "template", {"docs/en/sub/x.md": lambda _: "---\ntitle: x\n---\n"},
      "pages live in docs/<language>/", line=1),
    # --- front matter: data only ----------------------------------------------------------
    A("front-matter-env-tag", "front-matter", {EN: title("!ENV [HOME]")}, "YAML tag '!ENV' is not allowed", marker="title:"),
    A("front-matter-duplicate-title", "front-matter", {EN: replace("\ndescription:", "\ntitle: Evil second title\ndescription:")},
      "duplicate key 'title'", marker="title: Evil"),
    A("front-matter-bom", "front-matter", {EN: lambda t: "\ufeff" + t}, "byte-order mark (BOM)", line=1),
    A("front-matter-tab", "front-matter", {EN: replace("\nstatus:", "\n\tstatus:")}, "tab", marker="\tstatus:"),
    A("front-matter-alias", "front-matter", {EN: lambda t: re.sub(r"\ndescription: .*", "\ndescription: *t", re.sub(
        r"\ntitle: ", "\ntitle: &t ", t, count=1), count=1)}, "YAML anchor &t is not allowed", marker="title:"),
    A("front-matter-template-key", "front-matter", {EN: replace("\nstatus:", "\ntemplate: ../../etc/passwd\nstatus:")},
      "unknown field", marker="template:"),
    A("front-matter-newline", "front-matter", {EN: title('"Chapter 3\\n\\n<script>x</script>"')},
      "line breaks are not allowed", marker="title:"),
    A("front-matter-description-breakout", "front-matter", {EN: replace(
        "\ndescription:", "\ndescription: '\"><meta http-equiv=refresh content=\"0;url=https://example.org\">'\nx:")},
      "the character '>' is not allowed", marker="description:"),
    A("front-matter-bidi-override", "front-matter", {EN: title('"Chapter 3 \u202eygetarts"')},
      "U+202E", marker="title:"),
    # --- HTML in pages: judged as rendered ------------------------------------------------
    A("script-in-backticks-in-block", "html", {EN: append('<div>\n`<script src="../x.js"></script>`\n</div>')},
      "<script> is not allowed", marker="<script src"),
    A("tag-split-over-lines", "html", {EN: append('<img src="../x.png"\nonerror="' + js("split") + '">')},
      "onerror", marker="onerror="),
    A("unmatched-quote", "html", {EN: append("<p title=\"it's\" id='x onclick=" + js("quote") + ">t</p>")},
      "is not allowed", marker="<p title"),
    A("backticks-in-attribute", "html", {EN: append("<div>\n<img src=`x` onerror=`" + js("tick") + "`>\n</div>")},
      "is not allowed", marker="<img src=`x`"),
    # Python-Markdown makes code spans inside the inline tag: <img src=<code>x</code> …>, which a
    # browser reads as an image from "<code": the rendered allowlist refuses it.
    A("backticks-inline-tag", "html", {EN: append("<img src=`x` onerror=`" + js("tick-text") + "`> in a sentence.")},
      "images come from the site itself", marker="<img src=`x`"),
    A("attr-list-onclick", "html", {EN: append('Click me\n{: onclick="' + js("attr") + '" }')},
      "onclick", marker="{: onclick"),
    A("attr-list-style", "html", {EN: append('Big\n{: style="position:fixed;inset:0" }')},
      "style", marker="{: style"),
    A("javascript-link-entities", "html", {EN: append("[x](jav&#x61;script:alert(1))")},
      "javascript:", marker="jav&#x61;"),
    A("reference-link-javascript", "html", {EN: append("[x][r]\n\n[r]: javascript:alert(1)")},
      "javascript:", marker="[r]: javascript"),
    A("autolink-javascript", "html", {EN: append("<javascript:alert(1)>")}, "javascript:", marker="<javascript:"),
    A("inline-svg-onload", "html", {EN: append('<svg onload="' + js("svg") + '"></svg>')}, "not allowed", marker="<svg"),
    A("mathml", "html", {EN: append('<math><mtext><img src=x onerror="' + js("math") + '"></mtext></math>')},
      "not allowed", marker="<math>"),
    A("iframe-srcdoc", "html", {EN: append('<iframe srcdoc="<script>parent.x=1</script>"></iframe>')},
      "not allowed", marker="<iframe"),
    A("form-action", "html", {EN: append('<form action="https://example.org"><button>Go</button></form>')},
      "not allowed", marker="<form"),
    A("meta-refresh-in-body", "html", {EN: append('<meta http-equiv="refresh" content="0;url=https://example.org">')},
      "not allowed", marker="<meta"),
    A("base-href", "html", {EN: append('<base href="https://example.org/">')}, "not allowed", marker="<base"),
    A("object-data", "html", {EN: append('<object data="../x.svg"></object>')}, "not allowed", marker="<object"),
    A("external-image", "html", {EN: append("![pixel](https://example.org/pixel.png)")},
      "images, media and fonts must come from the site itself", marker="![pixel]"),
    A("homoglyph-domain", "html", {EN: append("[the network](https://strongcitiesnetw\u043erk.org/)")},
      "look-alike letters", marker="[the network]"),
    A("userinfo-link", "html", {EN: append("[the network](https://strongcitiesnetwork.org@example.org/)")},
      "user@", marker="@example.org"),
    A("id-clobbers-material", "html", {EN: append('{"base": "https://example.org"}\n{: #__config }')},
      "never start with __", marker="{: #__config"),
    A("material-class", "html", {EN: append("Fake header\n{: .md-header }")}, "classes are the guide's own",
      marker="{: .md-header"),
    A("details-ontoggle", "html", {EN: append('<details open ontoggle="' + js("toggle") + '"><summary>x</summary></details>')},
      "ontoggle", marker="<details"),
    A("data-uri-link", "html", {EN: append("[x](data:text/html;base64,PHNjcmlwdD4=)")}, "data:", marker="[x](data:"),
    A("protocol-relative-image", "html", {EN: append("![x](//example.org/x.png)")},
      "must come from the site itself", marker="![x](//"),
    A("uppercase-script", "html", {EN: append("<SCRIPT>" + js("upper") + "</SCRIPT>")}, "not allowed", marker="<SCRIPT>"),
    # Found by the fresh-eyes round: HTML5 ends a comment at <!-->, Python's html.parser does
    # not; the allowlist reads the page with html5ever, as browsers do.
    A("comment-differential-refresh", "html", {EN: append(
        '<!-->`<meta http-equiv="refresh" content="0;url=https://example.org/phish">`<!-- -->')},
      "<meta> is not allowed", marker="<!-->"),
    A("style-element", "html", {EN: append("<style>body{display:none}</style>")}, "not allowed", marker="<style>"),
    # --- data files -------------------------------------------------------------------------
    A("glossary-newline-injection", "data", {GLOSSARY: replace(
        '      en: "Any work that keeps', '      en: "Injected\\n\\n*[HTML]: x\\n[x](javascript:alert(1)){: onclick=x }\\nAny work that keeps')},
      "line breaks are not allowed", where=GLOSSARY, marker="Injected"),
    A("alias-bomb", "yaml", {GLOSSARY: lambda t: "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                             "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                             "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
                             "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n" + t},
      "YAML anchor &a is not allowed", where=GLOSSARY, line=1),
    A("python-tag", "yaml", {CASES: lambda t: "x: !!python/object/apply:os.system ['" + shell("python-tag") + "']\n" + t},
      "YAML tag", where=CASES, line=1),
    A("bidi-override-in-data", "data", {CASES: replace("      en: Shared Endeavour Fund\n",
                                                       "      en: \"Shared \u202eEndeavour Fund\"\n")},
      "U+202E", where=CASES, marker="Shared \u202e"),
    A("template-in-data", "data", {CASES: replace("      en: Shared Endeavour Fund\n",
                                                  "      en: \"{{ cycler.__init__ }}\"\n")},
      "braces are not allowed in text", where=CASES, marker="cycler"),
    A("ui-quote-breakout", "data", {UI: replace('en: "Summary page, in this site\'s own words"',
                                                'en: "Summary\\" onmouseover=\\"x"')},
      "straight double quote", where=UI, marker="nav.status.summary"),
    A("data-not-utf8", "yaml", {CASES: lambda t: t.replace("Shared Endeavour Fund", "Shared Endeavour Fund \udcff", 1)},
      "not UTF-8 text", where=CASES, marker="Shared Endeavour Fund"),
    A("data-tab", "yaml", {CASES: replace("  - id: brcko-action-plan\n", "  - id: brcko-action-plan\n\t\n")},
      "tab", where=CASES, marker="\t"),
    A("data-huge-file", "yaml", {CASES: lambda t: t + "#" + "x" * 1_100_000 + "\n"}, "more than the 1,000,000 allowed",
      where=CASES, line=1),
    A("data-stray-file", "files", {"data/evil.py": lambda _: "import os\n"}, "data/ holds the data files", line=1),
    # --- files under docs/ ------------------------------------------------------------------
    A("new-script", "files", {"docs/assets/javascripts/evil.js": lambda _: js("file") + "\n"},
      "not published from docs/ unless a maintainer has reviewed it", line=1),
    A("service-worker", "files", {"docs/sw.js": lambda _: "self.addEventListener('fetch', e => {});\n"},
      "not published from docs/", line=1),
    A("html-file", "files", {"docs/assets/images/x.html": lambda _: "<script>" + js("html") + "</script>\n"},
      "not published from docs/", line=1),
    A("svg-with-script", "files", {"docs/assets/images/evil.svg": lambda _: (
        '<svg xmlns="http://www.w3.org/2000/svg"><script>' + js("svg-file") + "</script></svg>\n")},
      "<script> is not allowed in SVG", line=1),
    A("svg-foreign-object", "files", {"docs/assets/images/evil.svg": lambda _: (
        '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p>'
        "</foreignObject></svg>\n")}, "<foreignObject> is not allowed in SVG", line=1),
    A("svg-event-handler", "files", {"docs/assets/images/evil.svg": lambda _: (
        '<svg xmlns="http://www.w3.org/2000/svg" onload="' + js("svg-onload") + '"><path d="M0 0"/></svg>\n')},
      "onload", line=1),
    A("svg-entities", "files", {"docs/assets/images/evil.svg": lambda _: (
        '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><title>&b;</title></svg>\n')}, "DOCTYPE", line=1),
    A("fake-png", "files", {"docs/assets/images/x.png": lambda _: "<html><script>x</script></html>\n"},
      "not a PNG image", line=1),
    A("changed-reviewed-script", "files", {"docs/assets/javascripts/language-switch.js": append(js("changed"))},
      "changed since it was reviewed", line=1),
    A("symlink-passwd", "files", {"docs/assets/images/passwd.png": Symlink("/etc/passwd")},
      "a symbolic link", line=1),
    A("symlink-environ", "files", {"docs/en/environ.md": Symlink("/proc/self/environ")}, "a symbolic link", line=1),
    A("symlink-folder-outside", "files", {"docs/assets/images/outside": Symlink("{canary_dir}")},
      "a symbolic link", line=1),
    A("symlink-canary-page", "files", {"docs/en/canary.md": Symlink("{canary}")}, "a symbolic link", line=1),
    A("symlink-data-file", "files", {CASES: Symlink("{canary}")}, "a symbolic link", line=1),
    A("symlink-git-config", "files", {"docs/assets/images/config.png": Symlink("../../../.git/config")},
      "a symbolic link", line=1),
    # Found by the fresh-eyes round (S3-S6):
    A("quadratic-brackets", "yaml", {EN: append("[" * 60_000)}, "a line of 60,000 characters", marker="[[[["),
    A("long-link-name", "html", {EN: append("[x](" + "a" * 300 + ".md)")}, "no such page in this language",
      marker="[x](aaaa"),
    A("long-statement-word", "template", {EN: append("{% " + "a" * 4_000 + " %}")}, "is not allowed in pages",
      marker="{% aaaa"),
    A("long-cross-link", "html", {AR: append("[x](../en/" + "a" * 4_000 + ".md)")}, "another language's folder",
      marker="[x](../en/aaaa"),
    A("svg-xslt-stylesheet", "files", {"docs/assets/images/chart.svg": lambda _: (
        '<?xml-stylesheet type="text/xsl" href="data:text/xml;base64,PHg+"?>'
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><path d="M0 0h10v10z"/></svg>\n')},
      "processing instructions", line=1),
    A("symlink-at-the-top", "files", {"notes.py": Symlink("docs/en/strategy.md")}, "a symbolic link", line=1),
    A("cdata-differential-refresh", "html", {EN: append(
        '<![CDATA[ hidden >`<meta http-equiv="refresh" content="3;url=https://example.org/cdata">` ]]>')},
      "<meta> is not allowed", marker="<![CDATA["),
    A("source-file-attribute", "html", {EN: append('<div data-source-file="/dev/zero"><p class="md-typeset">x</p></div>')},
      "data-source-file", marker="data-source-file"),
    A("markup-inside-attribute", "html", {AR: append(
        "<div>\n<span title=x'y aria-label=\"Hi `<meta http-equiv=refresh content=0;url=https://example.org/x>`\">ع</span>\n</div>")},
      "is not allowed", marker="<span title=x'y"),
    A("word-as-acronym", "data", {GLOSSARY: replace("    abbr: GMF\n", "    abbr: The\n")},
      "should match pattern", where=GLOSSARY, marker="abbr: The"),
    A("bidi-override-in-page", "html", {EN: append("Visit [\u202egro.krowtenseitic gnorts](https://example.org/) now.")},
      "U+202E", marker="Visit ["),
    A("zero-width-in-heading", "html", {EN: append("## Strat\u200begy {: #strat-zw }")}, "U+200B", marker="## Strat"),
    A("status-breakout", "front-matter", {EN: replace("\nstatus: summary", "\nstatus: 'summary\" data-x=\"1\"><meta "
                                                      "http-equiv=\"refresh\" content=\"0;url=https://example.org/s\">'")},
      "field 'status'", marker="status:", engine=True),
    A("title-markup", "front-matter", {EN: title("\"Chapter 3<meta http-equiv=refresh content='0;url=https://example.org/t'>\"")},
      "the character '<' is not allowed", marker="title:", engine=True),
    A("symlink-engine-alone", "files", {"docs/assets/images/passwd.png": Symlink("/etc/passwd")}, "a symbolic link",
      line=1, engine=True),
    A("yaml-merge-key", "yaml", {CASES: replace("    source: seed-ch3\n", "    <<: {year: 2001}\n    source: seed-ch3\n")},
      "merge key", where=CASES, marker="<<:"),
    A("hundreds-of-macro-calls", "template", {EN: append("{{chapter_ref(3)}}" * 250 + "\n\n" + "{{chapter_ref(4)}}" * 250)},
      "more than 300 macro calls", marker="{{chapter_ref(4)}}{{chapter_ref(4)}}"),
    A("svg-utf16-xslt", "files", {"docs/assets/images/chart.svg": lambda _: (
        '<?xml version="1.0" encoding="UTF-16"?><?xml-stylesheet type="text/xsl" href="data:text/xml;base64,PHg+"?>'
        '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h10v10z"/></svg>').encode("utf-16").decode(
            "utf-8", "surrogateescape")}, "UTF-8", line=1),
    # Round two of the fresh-eyes attack (T2-T4):
    A("shadow-the-sites-own-id", "html", {EN: append('<div id="guide-offline" data-lang="en">\n<p>Offline copy</p>\n</div>')},
      "never start with __ or guide-", marker='id="guide-offline"'),
    A("markdown-bracket-storm", "yaml", {EN: append(("[" * 4_000 + "\n") * 100)}, "in one page", line=1),
    A("bracket-paragraph", "yaml", {EN: append("[" * 150 + "\n" + "<" * 150)}, "in one paragraph", marker="[" * 150),
    A("bidi-by-reference", "html", {EN: append("Visit [&#x202E;gro.krowtenseitic gnorts](https://example.org/) now.")},
      "U+202E", marker="&#x202E;"),
    A("link-to-the-readers-machine", "html", {EN: append("[admin](http://127.0.0.1:8080/admin)")},
      "the reader's own machine", marker="[admin]"),
    A("deep-nesting", "yaml", {EN: append("\n".join("  " * i + "- x" for i in range(600)))}, "indented",
      marker="  " * 41 + "- x"),
    # --- published harmlessly: shown as text, never run ----------------------------------
    A("code-span-script", "harmless", {EN: append("Type `<script>" + js("code-span") + "</script>` to see nothing.")},
      pages=("en/strategy/",)),
    A("fenced-code-handler", "harmless", {EN: append('```html\n<img src=x onerror="' + js("fence") + '">\n```')},
      pages=("en/strategy/",)),
    A("escaped-markup", "harmless", {EN: append("Write &lt;script&gt;" + js("escaped") + "&lt;/script&gt; as text.")},
      pages=("en/strategy/",)),
    A("entity-braces", "harmless", {EN: append("Write &#123;&#123; cycler.__init__ &#125;&#125; as text.")},
      pages=("en/strategy/",)),
    A("arabic-code-span", "harmless", {AR: append("اكتب `<img src=x onerror=\"" + js("ar-code") + "\">` نصًّا.")},
      pages=("strategy/",)),
    A("quoted-description", "harmless", {EN: lambda t: re.sub(
        r"\ndescription: .*", lambda m: "\ndescription: 'A \"quoted\" description\" onmouseover=\"window.__attack=[1]'",
        t, count=1)},
      pages=("en/strategy/",)),
]


# --- running ------------------------------------------------------------------------------





def _apply(attack: Attack, tree: Path) -> None:
    for rel, edit in attack.edits.items():
        target = tree / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(edit, Symlink):
            if target.exists() or target.is_symlink():
                target.unlink()
            target.symlink_to(edit.target.format(canary=CANARY, canary_dir=CANARY.parent / f"{CANARY.name}-dir"))
            continue
        old = target.read_text(encoding="utf-8") if target.exists() else ""
        new = edit(old)
        data = new.encode("utf-8", "surrogateescape")
        target.write_bytes(data)


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUIDE_")}
    env.update(extra)
    return env


def _true_line(attack: Attack, tree: Path) -> int | None:
    if attack.line is not None or attack.marker is None:
        return attack.line
    path = tree / (attack.where or next(iter(attack.edits)))
    text = path.read_bytes().decode("utf-8", "replace")
    found = [n for n, line in enumerate(text.split("\n"), 1) if attack.marker in line]
    assert found, f"{attack.id}: marker {attack.marker!r} not in {path}"
    return found[0]


def _run(attack: Attack, base: Path) -> dict:
    tree = base.parent / attack.id
    shutil.copytree(base, tree, symlinks=True)
    _apply(attack, tree)
    before = tree_digest(tree / "site")
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "tools", "build"], cwd=tree, env=_env(),
                          capture_output=True, text=True, timeout=300)
    seconds = time.monotonic() - started
    engine = None
    if attack.engine:  # the engine's own guard, as if the pre-pass had a hole
        engine = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
                                 str(tree / "engine-out")], cwd=tree, env=_env(GUIDE_EDITOR_CHECKED="1"),
                                capture_output=True, text=True, timeout=300)
    return {"proc": proc, "engine": engine, "tree": tree, "before": before, "seconds": seconds,
            "after": tree_digest(tree / "site")}


@pytest.fixture(scope="module")
def base_tree() -> Path:
    holder = Path(tempfile.mkdtemp(prefix="guide-attacks-"))
    MARKS.mkdir(exist_ok=True)
    CANARY.write_text(CANARY_TEXT + "\n", encoding="utf-8")
    (CANARY.parent / f"{CANARY.name}-dir").mkdir(exist_ok=True)
    (CANARY.parent / f"{CANARY.name}-dir" / "secret.txt").write_text(CANARY_TEXT, encoding="utf-8")
    tree = copy_tree(holder / "base")
    (tree / "site" / "en").mkdir(parents=True)
    (tree / "site" / "index.html").write_text("<!doctype html><title>previous</title>\n", encoding="utf-8")
    yield tree
    shutil.rmtree(holder, ignore_errors=True)
    shutil.rmtree(MARKS, ignore_errors=True)
    shutil.rmtree(CANARY.parent / f"{CANARY.name}-dir", ignore_errors=True)
    CANARY.unlink(missing_ok=True)


REFUSED = [a for a in ATTACKS if a.refused is not None]
HARMLESS = [a for a in ATTACKS if a.refused is None]


@pytest.fixture(scope="module")
def refused_results(base_tree) -> dict[str, dict]:
    with ThreadPoolExecutor(max_workers=max(2, (os.cpu_count() or 2))) as pool:
        return dict(pool.map(lambda a: (a.id, _run(a, base_tree)), REFUSED))


def test_the_corpus_covers_every_class_with_sixty_entries():
    assert len(ATTACKS) >= 60 and len({a.id for a in ATTACKS}) == len(ATTACKS)
    kinds = {a.kind for a in ATTACKS}
    assert {"template", "front-matter", "html", "data", "yaml", "files", "harmless"} <= kinds
    assert sum(a.engine for a in ATTACKS) >= 10


@pytest.mark.parametrize("attack", REFUSED, ids=[a.id for a in REFUSED])
def test_refused_with_one_line_naming_file_and_line(attack, refused_results):
    result = refused_results[attack.id]
    proc = result["proc"]
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, f"{attack.id}: the build passed"
    assert "Traceback" not in output, output[-2000:]
    errors = [line for line in output.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, f"{attack.id}: expected one error line, got:\n" + "\n".join(e[:300] for e in errors)
    error = errors[0]
    assert len(error) < 400, f"{attack.id}: the message is {len(error)} characters long"
    assert attack.refused in error, f"{attack.id}: {error}"
    where = attack.where or next(iter(attack.edits))
    line = _true_line(attack, result["tree"])
    assert f"-  {where}:{line}: " in error, f"{attack.id}: expected {where}:{line} in: {error}"
    assert result["before"] == result["after"], f"{attack.id}: the previous site/ changed"
    assert result["seconds"] < 60, f"{attack.id}: the check took {result['seconds']:.0f} s"
    assert not any(MARKS.iterdir()), f"{attack.id}: code ran in the build: {sorted(p.name for p in MARKS.iterdir())}"


@pytest.mark.parametrize("attack", [a for a in REFUSED if a.engine], ids=[a.id for a in REFUSED if a.engine])
def test_the_engine_refuses_it_without_the_pre_pass(attack, refused_results):
    engine = refused_results[attack.id]["engine"]
    errors = [line for line in engine.stderr.splitlines() if line.startswith("ERROR")]
    assert engine.returncode != 0, f"{attack.id}: MkDocs built it"
    assert "Traceback" not in engine.stderr, engine.stderr[-2000:]
    where = attack.where or next(iter(attack.edits))
    assert errors and f"{where}:" in errors[0], errors
    # MkDocs alone writes pages as it goes (python -m tools build stages them); the
    # attacked page itself is never written.
    assert not (refused_results[attack.id]["tree"] / "engine-out" / "en" / "strategy" / "index.html").exists()
    assert not any(MARKS.iterdir()), f"{attack.id}: code ran in the build"


def test_the_sandbox_blocks_python_internals_if_the_allowlist_had_a_hole():
    """Defence in depth: the environment mkdocs-macros renders with after
    macros/__init__.py swapped it can call the guide's macros and nothing
    else, even with mkdocs-macros' whole context (config, page, …) passed in."""
    from types import SimpleNamespace

    from jinja2 import Environment
    from jinja2.exceptions import SecurityError, UndefinedError

    import macros
    from guide.render import boxes

    class Plugin:  # as mkdocs-macros exposes it: a read-only `env` over `_env`
        env = property(lambda self: self._env)

    plugin = Plugin()
    plugin._env = Environment()
    plugin.macros = {f.__name__: (lambda *args, _name=f.__name__: f"{_name}{args}") for f in boxes.MACROS}
    macros._sandbox(plugin)
    unsandboxed = Environment()
    context = {"config": SimpleNamespace(theme=SimpleNamespace(get_env=lambda: unsandboxed), site_url="x"),
               "environment": {"system": "Linux"}, "page": SimpleNamespace(title="t")}
    assert plugin.env.from_string("{{ chapter_ref(3) }}").render(**context) == "chapter_ref(3,)"
    for source in ("{{ cycler.__init__.__globals__ }}", "{{ chapter_ref.__globals__ }}", "{{ ''.__class__ }}",
                   "{{ lipsum }}", "{{ config.site_url }}", "{{ environment }}",
                   "{{ config.theme.get_env().from_string('{{ 7 * 7 }}').render() }}",
                   "{{ chapter_ref(3).upper() }}", "{{ range(3) }}"):
        with pytest.raises((SecurityError, UndefinedError)):
            plugin.env.from_string(source).render(**context)


# --- harmless: one build, read online, offline and in print ---------------------------

@pytest.fixture(scope="module")
def harmless_tree(base_tree) -> Path:
    tree = base_tree.parent / "harmless"
    shutil.copytree(base_tree, tree, symlinks=True)
    for attack in HARMLESS:
        _apply(attack, tree)
    proc = subprocess.run([sys.executable, "-m", "tools", "build"], cwd=tree, env=_env(SITE_URL=SITE_URL),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    offline = subprocess.run([sys.executable, "-m", "tools", "offline"], cwd=tree, env=_env(), capture_output=True,
                             text=True, timeout=600)
    assert offline.returncode == 0, offline.stderr[-3000:]
    return tree


def _marks(page) -> list:
    return page.evaluate("window.__attack || []")


def test_harmless_entries_run_nothing_online(harmless_tree, browser):
    from hosted import host_site

    # At the address the site was built for: its policy names scripts by URL.
    context = browser.new_context()
    host_site(context, harmless_tree / "site", SITE_URL)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        for path in sorted({p for a in HARMLESS for p in a.pages}):
            page.goto(SITE_URL + path, wait_until="load")
            page.hover("article")
            # The site's own scripts did run (Material's bundle sets up the search box) ...
            page.wait_for_function("() => typeof window.document$ !== 'undefined'", timeout=15000)
            # ... and none of the editor's.
            assert _marks(page) == [] and dialogs == [], path
            assert "ATTACK-RAN" not in page.inner_text("body"), path
    finally:
        context.close()


def test_harmless_entries_run_nothing_offline(harmless_tree, browser, tmp_path):
    with zipfile.ZipFile(harmless_tree / "dist" / "guide-offline.zip") as archive:
        archive.extractall(tmp_path)
    roots = [p for p in tmp_path.iterdir() if p.is_dir()]
    root = roots[0] if len(roots) == 1 and not (tmp_path / "index.html").exists() else tmp_path
    context = browser.new_context()
    page = context.new_page()
    try:
        for path in sorted({p for a in HARMLESS for p in a.pages}):
            # The offline edition has no directory URLs: en/strategy/ is en/strategy.html.
            page.goto((root / (path.rstrip("/") + ".html" if path else "index.html")).as_uri(), wait_until="load")
            page.hover("article")
            assert _marks(page) == [], path
            assert "ATTACK-RAN" not in page.inner_text("body"), path
    finally:
        context.close()


def test_harmless_entries_run_nothing_in_the_pdf(harmless_tree, browser, tmp_path):
    from pypdf import PdfReader

    from guide.publish.pdf import build_pdfs

    build_pdfs(tmp_path, harmless_tree / "site", browser=browser)
    for pdf in sorted(tmp_path.glob("guide-*.pdf")):
        text = "".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages)
        assert "ATTACK-RAN" not in text, pdf.name
        assert CANARY_TEXT not in text, pdf.name


def test_no_byte_from_outside_the_repository_reaches_the_output(harmless_tree):
    needles = [CANARY_TEXT.encode(), b"root:x:0:0"]
    for folder in (harmless_tree / "site",):
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert not any(n in data for n in needles), path
    with zipfile.ZipFile(harmless_tree / "dist" / "guide-offline.zip") as archive:
        for name in archive.namelist():
            data = archive.read(name)
            assert not any(n in data for n in needles), name


def test_a_module_planted_at_the_top_is_refused_before_python_runs(base_tree):
    """A file or link named like a library (yaml.py) at the top of the checkout
    would be imported by `python -m tools` before any check: .ci/check-tree,
    plain bash, runs first in .ci/run, the Makefile and the workflows."""
    tree = base_tree.parent / "planted-module"
    shutil.copytree(base_tree, tree, symlinks=True)
    (tree / "docs" / "en" / "notes.txt").write_text(f"open('{MARKS}/planted', 'w')\n", encoding="utf-8")
    (tree / "yaml.py").symlink_to("docs/en/notes.txt")
    subprocess.run(["git", "init", "-q"], cwd=tree, check=True)
    subprocess.run(["git", "add", "-A"], cwd=tree, check=True)
    proc = subprocess.run(["bash", ".ci/check-tree"], cwd=tree, capture_output=True, text=True, timeout=60)
    errors = [line for line in proc.stderr.splitlines() if line.startswith("ERROR")]
    assert proc.returncode != 0 and errors and "yaml.py:1: a symbolic link" in errors[0], proc.stderr
    (tree / "yaml.py").unlink()
    (tree / "yaml.py").write_text("import os\n", encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=tree, check=True)
    proc = subprocess.run(["bash", ".ci/check-tree"], cwd=tree, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "yaml.py:1: not one of the project's top-level files" in proc.stderr
    assert not (MARKS / "planted").exists()
    for runner in (ROOT / ".ci" / "run", ROOT / "Makefile"):
        text = runner.read_text(encoding="utf-8")
        assert "check-tree" in text.split("system-deps")[0] or runner.name == "Makefile", runner
    for workflow in ("pr.yml", "deploy.yml"):
        text = (ROOT / ".github" / "workflows" / workflow).read_text(encoding="utf-8")
        assert text.index("bash .ci/check-tree") < min(i for i in (text.find("make install"), text.find("bash .ci/run"))
                                                        if i >= 0), workflow

