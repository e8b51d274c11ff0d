"""The allowlists' plain functions, without a build (tests/test_attacks.py
builds every attack for real): rendered HTML (guide/pages/htmlpolicy.py),
template code (guide/editorial/macrocalls.py), YAML (guide/data/yamlinput.py),
text (guide/data/models.py) and files (guide/editorial/files.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from guide.data import yamlinput
from guide.data.models import markup_problem
from guide.editorial import files, macrocalls
from guide.pages import htmlpolicy
from guide.render import boxes

ROOT = Path(__file__).resolve().parent.parent
MACROS = {f.__name__: f for f in boxes.MACROS}

KEPT = [
    '<p>Text <a href="https://strongcitiesnetwork.org/resource/a-guide-for-cities">guide</a> and '
    '<a href="../mapping/#city-mandate">mapping</a>.</p>',
    '<h2 id="city-mandate">A city\'s mandate<a class="headerlink" href="#city-mandate" title="Permanent link">¶</a></h2>',
    '<div class="admonition note"><p class="admonition-title">Note</p><p>x</p></div>',
    '<p><img alt="map" src="../assets/images/map.png"></p>',
    '<table><tr><td>a</td></tr></table>',
    '<p>x<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>',
    '<p><span lang="en" dir="ltr">P/CVE</span> <abbr title="preventing">P/CVE</abbr></p>',
    '<details><summary>More</summary><p>x</p></details>',
]
REFUSED = [
    ('<p><script>alert(1)</script></p>', "<script> is not allowed"),
    ('<p onclick="x">a</p>', "onclick"),
    ('<a href="jav&#x09;ascript:alert(1)">x</a>', "javascript: links"),
    ('<a href="data:text/html,x">x</a>', "data: links"),
    ('<a href="file:///etc/passwd">x</a>', "file: links"),
    ('<img src="https://example.org/x.png">', "images come from the site itself"),
    ('<img src="../../../../etc/passwd">', "images come from the site itself"),
    ('<a href="https://xn--strongcitiesnetwrk-s4o.org/">x</a>', "look-alike"),
    ('<a href="https://strongcitiesnetw\u043erk.org/">x</a>', "look-alike"),
    ('<a href="https://strongcitiesnetwork.org@example.org/">x</a>', "user@"),
    ('<a href="//example.org">x</a>', "links to other sites"),
    ('<p class="md-header">x</p>', "classes are the guide's own"),
    ('<p id="__config">x</p>', "never start with __"),
    ('<p style="color:red">x</p>', "style"),
    ('<svg><script>x</script></svg>', "<svg> is not allowed"),
    ('<math><mi>x</mi></math>', "<math> is not allowed"),
    ('<meta http-equiv="refresh" content="0;url=https://example.org">', "<meta> is not allowed"),
    ('<p>a<img src=x onerror=alert(1)</p>', "onerror"),
    ('<b>bold</b>', "<b> is not allowed"),
]


@pytest.mark.parametrize("html", KEPT)
def test_html_the_guide_uses_passes(html):
    assert htmlpolicy.first_finding(html) is None


@pytest.mark.parametrize("html,expected", REFUSED, ids=[r[1][:30] + str(i) for i, r in enumerate(REFUSED)])
def test_html_outside_the_allowlist_is_named(html, expected):
    finding = htmlpolicy.first_finding(html)
    assert finding is not None, html
    assert expected in htmlpolicy.message(finding)


def test_a_box_finding_names_its_data_file():
    finding = htmlpolicy.first_finding('<section class="guide-box guide-case" data-source-file="data/cases.yml">'
                                       '<p class="guide-box__title"><a href="javascript:x">t</a></p></section>')
    assert finding.source_file == "data/cases.yml" and finding.attribute == "href"


CALLS_OK = ['{{ chapter_ref(3) }}', '{{ case_box("newark-ovptr") }}', '{{ mandates_table(region="europe") }}',
            'Text without code.']
CALLS_REFUSED = [
    ("{{ cycler.__init__.__globals__ }}", "'cycler' between {{ }} is not a macro call"),
    ("{{ '<script>' }}", "only macro calls"),
    ("{{ chapter_ref(3) | safe }}", "only macro calls"),
    ("{{ chapter_ref(3) + 1 }}", "only macro calls"),
    ("{% raw %}x{% endraw %}", "{% raw %} is not allowed"),
    ("{% set x = 1 %}", "{% set %} is not allowed"),
    ("{# c #}", "'{#' in the text"),
    ('{{ case_box("' + "a" * 5000 + '") }}', "is not an id"),
    ("{{ chapter_ref(1000) }}", "out of range"),
    ("{{ chapter_ref(True) }}", "quoted id or a whole number"),
    ("{{ case_box(x) }}", "must be a quoted id or a number"),
    ("{{ nope() }}", "unknown macro 'nope'"),
    ("{{ chapter_ref(3)", "unclosed {{"),
]


@pytest.mark.parametrize("text", CALLS_OK)
def test_the_guides_macro_calls_pass(text):
    assert all(call.name in MACROS for call in macrocalls.calls(text, "docs/en/x.md", MACROS))


@pytest.mark.parametrize("text,expected", CALLS_REFUSED, ids=[e for _, e in CALLS_REFUSED])
def test_other_template_code_is_refused_with_its_line(text, expected):
    with pytest.raises(macrocalls.MacroCallError) as error:
        macrocalls.calls("line one\n\n" + text, "docs/en/x.md", MACROS, first_line=5)
    message = str(error.value)
    assert message.startswith("docs/en/x.md:7: ") and expected in message and len(message) < 400, message


YAML_REFUSED = [
    ("a: &x 1\nb: *x\n", "anchor &x"),
    ("a: !ENV [HOME]\n", "YAML tag '!ENV'"),
    ("a: !!python/object/apply:os.system ['id']\n", "YAML tag"),
    ("a: 1\na: 2\n", "duplicate key 'a' (first at line 1)"),
    ("a:\n\tb: 1\n", "tab character"),
    ("a: [unclosed\n", "YAML syntax error"),
]


@pytest.mark.parametrize("text,expected", YAML_REFUSED, ids=[e for _, e in YAML_REFUSED])
def test_yaml_beyond_plain_data_is_refused(text, expected):
    with pytest.raises(yamlinput.YAMLInputError) as error:
        yamlinput.parse(text, "data/x.yml")
    assert str(error.value).startswith("data/x.yml:") and expected in str(error.value)


def test_an_alias_bomb_is_refused_in_well_under_a_second():
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    started = time.monotonic()
    with pytest.raises(yamlinput.YAMLInputError):
        yamlinput.parse(bomb, "data/x.yml")
    assert time.monotonic() - started < 1


def test_decode_names_bom_and_the_line_of_a_bad_byte():
    with pytest.raises(yamlinput.YAMLInputError, match="byte-order mark"):
        yamlinput.decode(b"\xef\xbb\xbfa: 1\n", "data/x.yml")
    with pytest.raises(yamlinput.YAMLInputError, match=r"^data/x.yml:3: not UTF-8"):
        yamlinput.decode(b"a: 1\nb: 2\nc: \xff\n", "data/x.yml")


@pytest.mark.parametrize("text,expected", [
    ("one\ntwo", "line breaks"), ("a <b>", "'<'"), ("x {{ y }}", "braces"), ("ab\u202ecd", "U+202E"),
    ("a\u0000b", "U+0000"), ("&lt;script&gt;", "markup"), ("`code`", "'`'"),
])
def test_text_is_one_line_of_plain_text(text, expected):
    problem = markup_problem(text)
    assert problem and expected in problem


@pytest.mark.parametrize("text", ["Hate, Extremism & Polarisation", "الفصل ٣: الاستراتيجية", "more than {n}",
                                  "«نص» (OVPTR) — 50%", "می\u200cخواهم"])
def test_ordinary_text_passes(text):
    assert markup_problem(text) is None


def test_svg_drawing_passes_and_anything_else_is_refused():
    assert files.svg_problem((ROOT / "docs/assets/images/logo.svg").read_bytes()) is None
    ns = 'xmlns="http://www.w3.org/2000/svg"'
    for svg, expected in [(f"<svg {ns}><script>x</script></svg>", "<script>"),
                          (f'<svg {ns} onload="x"/>', "onload"),
                          (f'<svg {ns}><use href="https://example.org/x.svg#a"/></svg>', "<use>"),
                          (f'<svg {ns}><path fill="url(https://example.org/x)" d="M0 0"/></svg>', "references"),
                          (f'<svg {ns} style="background:url(x)"/>', "style"),
                          ('<!DOCTYPE svg [<!ENTITY a "x">]><svg/>', "DOCTYPE")]:
        problem = files.svg_problem(svg.encode())
        assert problem and expected in problem, (svg, problem)


def test_the_repository_passes_the_file_allowlist():
    files.check(ROOT)


def test_every_reviewed_file_is_pinned_to_its_bytes():
    listed = files.reviewed(ROOT)
    assert listed and all(files.sha256(ROOT / path) == digest for path, digest in listed.items())
    # and everything under docs/ that is not a page or an image is listed
    others = {p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").rglob("*") if p.is_file()
              and not p.relative_to(ROOT / "docs").as_posix().startswith(("ar/", "en/", "assets/images/"))}
    assert others == set(listed)


def test_codeowners_guard_the_reviewed_files_and_the_code():
    owners = (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    for path in ("/reviewed-files.yml", "/docs/assets/", "/overrides/", "/hooks/", "/macros/", "/guide/", "/.github/"):
        assert any(line.split()[:1] == [path] and len(line.split()) > 1 for line in owners.splitlines()), path
