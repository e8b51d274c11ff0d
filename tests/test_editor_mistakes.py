"""Issue 13: a matrix of editor mistakes, each a real `python -m tools build`
in its own copy of the repository.

Every refused mistake must: exit non-zero, print exactly one error line that
names the repository-relative file and the true line (and the field where
there is one), print no traceback, and leave the previous site/ byte-identical.
Most are caught by the editor pre-pass that the build runs before MkDocs
(guide/editorial/editorcheck.py), in about a second; the `full build` cases get past it
and fail inside MkDocs (the hook path `mkdocs build` uses too). Mistakes that
are published harmlessly are built once together and checked on the HTML and
in Chromium (no script runs, no CSP violation).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from editortree import copy_tree, tree_digest

from hosted import host_site

ROOT = Path(__file__).resolve().parent.parent


def replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, f"fixture text {old!r} not found"
        return text.replace(old, new, 1)
    return edit


def in_turn(*edits: Callable[[str], str]) -> Callable[[str], str]:
    def edit(text: str) -> str:
        for one in edits:
            text = one(text)
        return text
    return edit


def append(extra: str) -> Callable[[str], str]:
    return lambda text: text.rstrip("\n") + "\n\n" + extra + "\n"


@dataclass
class Mistake:
    id: str
    path: str                     # the file the editor changes
    edit: Callable[[str], str] | None  # None: delete the file
    marker: str | None            # text on the true line (in the edited file, or `where`)
    message: str                  # a fragment of the one line printed
    field: str | None = None      # the field named, where there is one
    where: str | None = None      # the file named, when not `path`
    line: int | None = None       # a fixed true line (instead of `marker`)
    full: bool = False            # reaches MkDocs (not caught by the pre-pass)
    last: bool = False            # the marker's last occurrence is the true line
    also: tuple[str, ...] = ()    # more files the editor adds (empty)


EN, AR = "docs/en/strategy.md", "docs/ar/strategy.md"
UI, CASES = "data/ui.yml", "data/cases.yml"


def _line_of(path: str, text: str) -> int:
    """The line of ``text`` in the repository's ``path`` (the data move as editors edit)."""
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(text))

MISTAKES = [
    # --- HTML policy: Markdown ---------------------------------------------------------
    Mistake("script-block", EN, append("<script>alert(1)</script>"), "<script>", "<script> is not allowed"),
    Mistake("script-arabic", AR, append("نص <SCRIPT src=\"x.js\"></SCRIPT>"), "<SCRIPT", "<script> is not allowed"),
    Mistake("onerror-attribute", EN, append('<img src="../assets/images/logo.svg" alt="" onerror="alert(1)">'),
            "onerror", "event-handler attribute onerror="),
    Mistake("javascript-link", EN, append("[click me](javascript:alert(1))"), "click me", "javascript: URLs are not allowed"),
    Mistake("javascript-entity-href", EN, append('<a href="jav&#x61;script:alert(1)">x</a>'), "jav&#x61;",
            "javascript: URLs are not allowed"),
    Mistake("javascript-reference", EN, append("[x][evil]\n\n[evil]: javascript:alert(1)"), "[evil]:",
            "javascript: URLs are not allowed"),
    Mistake("iframe", EN, append('<iframe src="https://example.org/"></iframe>'), "<iframe", "<iframe> is not allowed"),
    Mistake("style-element", EN, append("<style>body { display: none }</style>"), "<style>", "<style> is not allowed"),
    Mistake("style-attribute", EN, append('A <span style="color:red">red</span> word.'), "<span",
            "style= attributes are not allowed"),
    Mistake("offsite-image", EN, append("![map](https://example.org/map.png)"), "![map]",
            "must come from the site itself"),
    Mistake("offsite-image-html", AR, append('<img src="//evil.example/x.png" alt="">'), "evil.example",
            "must come from the site itself"),
    Mistake("offsite-video", EN, append('<video src="https://example.org/v.mp4"></video>'), "<video",
            "must come from the site itself"),
    Mistake("data-url-image", EN, append("![x](data:image/svg+xml;base64,PHN2Zz4=)"), "![x]", "data: URLs are not allowed"),
    Mistake("attr-list-onclick", EN, append('A paragraph.\n{: onclick="alert(1)" }'), "onclick",
            "attribute list: event-handler attribute onclick="),
    Mistake("svg-element", EN, append('<svg><a href="#x">x</a></svg>'), "<svg>", "<svg> is not allowed"),
    # --- front matter -------------------------------------------------------------------
    Mistake("status-draft", EN, replace("status: summary", "status: draft"), "status: draft",
            "must be complete or summary", field="status"),
    Mistake("status-capital", "docs/en/mapping.md", replace("status: summary", "status: Summary"), "status: Summary",
            "must be complete or summary", field="status"),
    Mistake("title-unquoted-colon", EN, replace('title: "Chapter 3: Strategy"', "title: Chapter 3: Strategy"),
            "title: Chapter 3", "quote the title", field="title"),
    Mistake("description-missing", EN, lambda t: re.sub(r"\ndescription: .*", "", t, count=1), None,
            "missing", field="description", line=1),
    Mistake("front-matter-unknown-key", EN, replace("status: summary", "status: summary\nauthor: Jane"),
            "author: Jane", "unknown field", field="author"),
    Mistake("front-matter-markup", EN, replace('title: "Chapter 3: Strategy"', 'title: "Chapter 3 <b>Strategy</b>"'),
            "title: ", "the character '<' is not allowed in text", field="title"),
    Mistake("front-matter-absent", EN, lambda t: t.split("---\n", 2)[2], None, "front matter missing", line=1),
    Mistake("arabic-title-latin-digits", AR, replace("الفصل ٣: الاستراتيجية\"", "الفصل 3: الاستراتيجية\""),
            "title: ", "Latin digits '3' in Arabic text"),
    # --- macros -------------------------------------------------------------------------
    Mistake("macro-misspelled", EN, replace('{{ case_box("brcko-action-plan") }}', '{{ case_bx("brcko-action-plan") }}'),
            "case_bx", "unknown macro 'case_bx' (known: case_box, cases_index, chapter_list"),
    Mistake("macro-unquoted-argument", EN, replace('{{ case_box("brcko-action-plan") }}', "{{ case_box(brcko-action-plan) }}"),
            "case_box(brcko", "case_box: argument 1 must be a quoted id"),
    Mistake("macro-unknown-id", EN, replace('{{ case_box("brcko-action-plan") }}', '{{ case_box("nyc-ophcc") }}'),
            "nyc-ophcc", "case_box: unknown case id 'nyc-ophcc' (known: newark-ovptr"),
    Mistake("macro-unknown-chapter", EN, append("See {{ chapter_ref(12) }}."), "chapter_ref(12)",
            "chapter_ref: unknown chapter 12"),
    Mistake("macro-arabic-digit", AR, append("انظر {{ chapter_ref(٧) }}."), "chapter_ref(٧)",
            "write numbers with Latin digits"),
    Mistake("macro-bad-region", EN, append('{{ mandates_table(region="mars") }}'), "mars",
            "mandates_table: unknown region 'mars'"),
    Mistake("macro-wrong-arity", EN, append("{{ case_box() }}"), "case_box()", "case_box: wrong arguments; it takes case_box(case_id)"),
    Mistake("literal-braces", EN, append("Write {{name}} in the form."), "{{name}}",
            "'name' between {{ }} is not a macro call (macros are case_box"),
    Mistake("jinja-comment-id", EN, replace("{: #city-mandate }", "{#city-mandate}"), "{#city-mandate}",
            "heading IDs are written {: #id }"),
    Mistake("unclosed-braces", EN, append("Text {{ chapter_ref(3) and more."), "{{ chapter_ref(3) and",
            "unclosed {{"),
    Mistake("jinja-statement", EN, append("{% for x in y %}"), "{% for", "{% for %} is not allowed"),
    Mistake("jinja-attribute", EN, append("{{ config.site_name }}"), "config.site_name", "'config' between {{ }} is not a macro call"),
    Mistake("raw-block", EN, append("Write {% raw %}{{ name }}{% endraw %} in the form."), "{% raw %}",
            "{% raw %} is not allowed in pages"),
    Mistake("quoted-braces", EN, append("Or {{ '{{' }} alone."), "{{ '{{' }}",
            "only macro calls such as {{ chapter_ref(3) }} are allowed between {{ }}"),
    Mistake("braces-in-code", EN, append("Use `{{ page }}` to print the page."), "`{{ page }}`", "'page' between {{ }} is not a macro call"),
    # --- structure ----------------------------------------------------------------------
    Mistake("box-in-list", EN, append('- An item\n\n    {{ case_box("newark-ovptr") }}'), '    {{ case_box("newark',
            "case_box is indented"),
    Mistake("box-mid-sentence", EN, append('See {{ key_questions("strategy-mandate") }} for more.'), "See {{ key_q",
            "key_questions is not alone on its line"),
    Mistake("arabic-latin-digits", AR, append("تأسست الشبكة عام 2017 في نيويورك."), "عام 2017",
            "Latin digits '2017' in Arabic text: write '٢٠١٧'"),
    Mistake("cross-language-link", AR, append("[رسم الخرائط](../en/mapping.md)"), "../en/mapping.md",
            "link to mapping.md (the same language); the language switcher handles languages"),
    Mistake("broken-link", EN, append("[see](mappings.md)"), "mappings.md", "no such page in this language"),
    Mistake("broken-anchor", EN, append("[see](mapping.md#no-such-section)"), "no-such-section", "has no heading"),
    Mistake("missing-english-page", "docs/en/glossary.md", None, None,
            "the English version is missing: add docs/en/glossary.md", where="docs/ar/glossary.md", line=1),
    Mistake("missing-arabic-page", "docs/ar/cases.md", None, None,
            "the Arabic version is missing: add docs/ar/cases.md", where="docs/en/cases.md", line=1),
    # --- data and UI strings ------------------------------------------------------------
    Mistake("ui-script-in-attribute", UI,
            replace('en: "Summary page, in this site\'s own words"',
                    'en: "Summary page\\"><script>alert(1)</script>"'),
            "nav.status.summary", "is not allowed in text", field="en"),
    Mistake("ui-straight-quote", UI, replace('en: "Summary page, in this site\'s own words"',
                                             'en: "Summary \\"page\\": what the sources support"'),
            "nav.status.summary", "straight double quote", field="en"),
    Mistake("ui-translated-date", UI, replace("في {date}،", "في {التاريخ}،"), "notice.translation-newer",
            "braces are not allowed in text", field="ar"),
    Mistake("ui-translated-n", UI, replace('"أكثر من {n}"', '"أكثر من {ن}"'), "figure.more-than",
            "braces are not allowed in text", field="ar"),
    # A placeholder of the right shape that the code does not fill (str.format
    # would stop the build on it, naming no file).
    Mistake("ui-unknown-placeholder", UI,
            in_turn(replace('"Page last updated: {date}"', '"Page last updated: {date} {time}"'),
                    replace('"آخر تحديث لهذه الصفحة: {date}"', '"آخر تحديث لهذه الصفحة: {date} {time}"')),
            "dates.last-updated", "takes only {date}", field="ar"),
    Mistake("ui-missing-language", UI, replace("case.label: {ar: مثال, en: Example}", "case.label: {ar: مثال}"),
            "case.label:", "Field required", field="en"),
    Mistake("data-http-source", CASES, replace("    source: seed-ch3\n", "    source: http://example.org/report\n"),
            "http://example.org", "sources must be https:// addresses", field="source"),
    Mistake("data-markup", CASES, replace("      en: Shared Endeavour Fund\n", "      en: \"Fund <img src=x onerror=alert(1)>\"\n"),
            "Fund <img", "the character '<' is not allowed in text", field="title.en"),
    Mistake("data-latin-digits-arabic", CASES, replace("    year: 2019\n    title:\n      ar: ", "    year: 2019\n    title:\n      ar: 2019 "),
            "ar: 2019 ", "Arabic-Indic digits", field="title.ar"),
    Mistake("data-duplicate-id", CASES, replace("  - id: brcko-action-plan", "  - id: london-shared-endeavour-fund"),
            "- id: london-shared-endeavour-fund",
            f"duplicate id 'london-shared-endeavour-fund' (first at line {_line_of(CASES, '  - id: london-shared-endeavour-fund')})",
            field="id", last=True),
    Mistake("data-unknown-field", CASES, replace("    chapters: [3]\n", "    chapters: [3]\n    chapter: 3\n", ),
            "    chapter: 3", "unknown field", field="chapter"),
    Mistake("data-yaml-syntax", CASES, replace("  - id: brcko-action-plan", "  - id: brcko-action-plan\n   bad: [unclosed"),
            None, "YAML syntax error"),
    Mistake("nav-entry-missing-page", "mkdocs.yml", replace("  - glossary.md\n", "  - glossary.md\n  - extra-page.md\n"),
            "- extra-page.md", "nav entry 'extra-page.md': docs/ar/extra-page.md does not exist"),
    Mistake("page-not-in-nav", "docs/en/extra.md", lambda t: "---\ntitle: Extra\n---\n", None,
            "page not in the navigation: add '- extra.md'", line=1, where="docs/ar/extra.md", also=("docs/ar/extra.md",)),
    # --- past the pre-pass: caught by MkDocs itself (full builds) -------------------------
    Mistake("full-box-anchor", EN, append("[the Newark box](cases.md#case-no-such-case)"), "#case-no-such-case",
            "does not contain an anchor '#case-no-such-case'", full=True),
    Mistake("full-box-anchor-ar", AR, append("[حالة](cases.md#questions-nope-title)"), "#questions-nope-title",
            "does not contain an anchor", full=True),
]






def _true_line(mistake: Mistake, tree: Path) -> int | None:
    if mistake.line is not None or mistake.marker is None:
        return mistake.line
    text = (tree / (mistake.where or mistake.path)).read_text(encoding="utf-8")
    found = [number for number, line in enumerate(text.split("\n"), 1) if mistake.marker in line]
    if found:
        return found[-1] if mistake.last else found[0]
    raise AssertionError(f"{mistake.id}: marker {mistake.marker!r} not in the edited file")


@pytest.fixture(scope="module")
def base_tree() -> Path:
    # Not tmp_path_factory: pytest keeps only the three newest basetemps per
    # user, and parallel sessions of the same user would delete this one.
    holder = Path(tempfile.mkdtemp(prefix="guide-mistakes-"))
    tree = copy_tree(holder / "base")
    # A previous site/ that a failed build must leave byte-identical.
    (tree / "site" / "en").mkdir(parents=True)
    (tree / "site" / "index.html").write_text("<!doctype html><title>previous</title>\n", encoding="utf-8")
    (tree / "site" / "en" / "index.html").write_text("<!doctype html><title>previous en</title>\n", encoding="utf-8")
    yield tree
    shutil.rmtree(holder, ignore_errors=True)


def _run(mistake: Mistake, base: Path) -> dict:
    tree = base.parent / mistake.id
    shutil.copytree(base, tree, symlinks=True)
    target = tree / mistake.path
    for extra in (mistake.path, *mistake.also):
        if not (tree / extra).exists():
            (tree / extra).write_text("", encoding="utf-8")
    if mistake.edit is None:
        target.unlink()
    else:
        target.write_text(mistake.edit(target.read_text(encoding="utf-8")), encoding="utf-8")
    before = tree_digest(tree / "site")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUIDE_")}
    proc = subprocess.run([sys.executable, "-m", "tools", "build"], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=300)
    return {"proc": proc, "tree": tree, "before": before, "after": tree_digest(tree / "site")}


@pytest.fixture(scope="module")
def results(base_tree) -> dict[str, dict]:
    with ThreadPoolExecutor(max_workers=min(4, (os.cpu_count() or 2) * 2)) as pool:
        done = pool.map(lambda m: (m.id, _run(m, base_tree)), MISTAKES)
        return dict(done)


def test_the_matrix_has_at_least_forty_mistakes():
    assert len(MISTAKES) >= 40 and len({m.id for m in MISTAKES}) == len(MISTAKES)


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.id for m in MISTAKES])
def test_mistake_fails_with_one_true_line(mistake, results):
    result = results[mistake.id]
    proc = result["proc"]
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, f"{mistake.id}: the build passed\n{output[-2000:]}"
    assert "Traceback" not in output, output[-3000:]
    errors = [line for line in output.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, f"{mistake.id}: expected one error line, got:\n" + "\n".join(errors)
    error = errors[0]
    assert mistake.message in error, f"{mistake.id}: {error}"
    where = mistake.where or mistake.path
    if not mistake.full:
        line = _true_line(mistake, result["tree"])
        prefix = f"{where}:{line}: " if line else f"{where}:"
        assert re.search(rf"-  {re.escape(prefix)}", error), f"{mistake.id}: expected {prefix!r} in: {error}"
    else:  # MkDocs' own message, with the file and line added by guide/engine.py
        line = _true_line(mistake, result["tree"])
        assert f"-  {where}:{line}: " in error, f"{mistake.id}: expected {where}:{line} in: {error}"
    if mistake.field:
        assert f"field {mistake.field!r}" in error, f"{mistake.id}: field not named: {error}"
    assert result["before"] == result["after"], f"{mistake.id}: site/ changed"
    assert "left unchanged" in proc.stderr


def test_the_hook_path_catches_the_same_mistake(base_tree):
    """`mkdocs build` (and `mkdocs serve`) runs the same pre-pass from the hook."""
    tree = base_tree.parent / "hook-path"
    shutil.copytree(base_tree, tree, symlinks=True)
    page = tree / EN
    page.write_text(page.read_text(encoding="utf-8") + "\n<script>alert(1)</script>\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUIDE_")}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tree / "out")],
                          cwd=tree, env=env, capture_output=True, text=True, timeout=300)
    errors = [line for line in proc.stderr.splitlines() if line.startswith("ERROR")]
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert len(errors) == 1 and "docs/en/strategy.md:" in errors[0] and "<script> is not allowed" in errors[0], errors
    assert not (tree / "out" / "index.html").exists()


# --- published harmlessly ------------------------------------------------------------
# Text that looks like markup or template code but is shown as text: one full
# build with all of them, checked on the HTML and in Chromium.

HARMLESS = {
    "code-span-script": ("Type `<script>alert(1)</script>` to see nothing happen.", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    "fenced-code-script": ("```html\n<img src=x onerror=alert(2)>\n```", '<span class="na">onerror</span>'),
    "escaped-entities": ("Write &lt;script&gt; as text.", "Write &lt;script&gt; as text."),
    # Published as the allowlist's serialisation: the references become the characters, as text.
    "entity-braces": ("Write &#123;&#123; name &#125;&#125; in the form.", "Write {{ name }} in the form."),
    "https-link": ("[the guide](https://strongcitiesnetwork.org/resource/a-guide-for-cities)",
                   'href="https://strongcitiesnetwork.org/resource/a-guide-for-cities"'),
}


@pytest.fixture(scope="module")
def harmless_site(base_tree):
    tree = base_tree.parent / "harmless"
    shutil.copytree(base_tree, tree, symlinks=True)
    page = tree / EN
    text = re.sub(r"\ndescription: .*", "\ndescription: 'A \"quoted\" description\" onmouseover=\"x'", page.read_text(encoding="utf-8"), count=1)
    page.write_text(text.rstrip("\n") + "\n\n"
                    + "\n\n".join(text for text, _ in HARMLESS.values()) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUIDE_")}
    proc = subprocess.run([sys.executable, "-m", "tools", "build"], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return tree / "site"


@pytest.mark.parametrize("case", list(HARMLESS))
def test_published_as_text(harmless_site, case):
    html = (harmless_site / "en" / "strategy" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):html.index("</article>")]
    assert HARMLESS[case][1] in article, case
    assert "<script>alert" not in article and "<img src=x" not in article


def test_quotes_in_the_description_stay_inside_its_attribute(harmless_site):
    html = (harmless_site / "en" / "strategy" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="description" content="A &#34;quoted&#34; description&#34; onmouseover=&#34;x">' in html


def test_published_page_runs_no_editor_script(harmless_site, browser):
    context = browser.new_context()
    context.add_init_script("window.__v = []; window.alert = m => { window.__alerted = String(m); };"
                            "document.addEventListener('securitypolicyviolation', e => window.__v.push(e.violatedDirective))")
    dialogs = []
    # At the address it was built for (the default site_url): the policy names script files by URL.
    host_site(context, harmless_site, "http://127.0.0.1:8000/")
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto("http://127.0.0.1:8000/en/strategy/")
        page.wait_for_load_state("load")
        assert page.evaluate("window.__alerted") is None and dialogs == []
        assert page.evaluate("window.__v") == []
        assert page.locator("article code", has_text="<script>alert(1)</script>").count() == 1
    finally:
        context.close()


def test_ui_strings_are_escaped_where_material_prints_them():
    """Second line of defence behind ui.yml's own check: the nav status tooltip
    reaches Material's unescaped title="" attribute already escaped."""
    from types import SimpleNamespace
    import importlib.util
    spec = importlib.util.spec_from_file_location("guide_hooks_pages", ROOT / "hooks" / "pages.py")
    engine = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(engine)
    hostile = 'Summary"><script>alert(1)</script>'
    config = SimpleNamespace(extra={}, theme={"language": "en"},
                             _guide_reader_state={"ui": {"nav.status.summary": {"en": hostile, "ar": "x"}}})
    engine.on_nav(None, config, None)
    value = config.extra["status"]["summary"]
    assert value == "Summary&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    # As Material's partials/nav-item.html prints it:
    assert f'<span class="md-status" title="{value}">'.count('"') == 4
