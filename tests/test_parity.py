"""The parity check (issue 4.4): crafted two-language trees, one kind of problem
each, must fail with a line naming the page and the problem; the real docs pass."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from guide.editorial import parity

ROOT = Path(__file__).resolve().parent.parent

AR = """\
---
title: "الفصل ٣: الاستراتيجية"
status: complete
---

# الفصل ٣: الاستراتيجية

!!! abstract "في هذا الفصل"

    ملخص قصير.

## تفويض المدينة {: #city-mandate }

نص. {{ chapter_ref(7) }}

{{ mandates_table(region="europe") }}

### الأسئلة {: #mandate-questions }

{{ key_questions("strategy-mandate") }}

```markdown
## عنوان داخل كتلة شيفرة بلا معرّف
{{ case_box("not-a-real-call") }}
```

## الاستدامة {: #sustainability }

{{ case_box("newark-ovptr") }}
"""

EN = """\
---
title: "Chapter 3: Strategy"
status: complete
---

# Chapter 3: Strategy

!!! abstract "In this chapter"

    A short summary.

## A city's mandate {: #city-mandate }

Text. {{ chapter_ref( 7 ) }}

{{ mandates_table(region='europe') }}

### Questions {: #mandate-questions }

{{ key_questions('strategy-mandate') }}

## Sustainability {: #sustainability }

{{ case_box("newark-ovptr") }}
"""


def make_tree(tmp_path: Path, ar: dict[str, str], en: dict[str, str]) -> Path:
    for lang, pages in (("ar", ar), ("en", en)):
        folder = tmp_path / "docs" / lang
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in pages.items():
            (folder / name).write_text(text, encoding="utf-8")
    return tmp_path / "docs"


def problems(tmp_path, ar_text=AR, en_text=EN, **extra) -> list[str]:
    docs = make_tree(tmp_path, {"strategy.md": ar_text, **extra.get("ar", {})},
                     {"strategy.md": en_text, **extra.get("en", {})})
    return parity.check_tree(docs, tmp_path)


def test_matching_pages_pass_despite_quoting_spacing_and_code_blocks(tmp_path):
    # Fenced code (heading without id, macro call) is ignored; 'x' == "x".
    assert problems(tmp_path) == []


def test_missing_page(tmp_path):
    found = problems(tmp_path, en={"mapping.md": EN})
    assert found == ["docs/ar/mapping.md: page missing (present in docs/en/mapping.md)"]


def test_missing_heading_id_names_page_and_line_of_the_other_language(tmp_path):
    ar = AR.replace("## الاستدامة {: #sustainability }\n", "")
    found = problems(tmp_path, ar_text=ar)
    line = EN.splitlines().index("## Sustainability {: #sustainability }") + 1
    assert f"docs/ar/strategy.md: heading id 'sustainability' missing (present in docs/en/strategy.md:{line})" in found


def test_heading_without_explicit_id(tmp_path):
    ar = AR.replace("## الاستدامة {: #sustainability }", "## الاستدامة")
    found = problems(tmp_path, ar_text=ar)
    assert any(p.startswith("docs/ar/strategy.md:") and "heading 'الاستدامة' has no explicit id" in p
               for p in found), found


def test_jinja_comment_style_id_is_flagged(tmp_path):
    en = EN.replace("{: #sustainability }", "{#sustainability}")
    found = problems(tmp_path, en_text=en)
    assert any("docs/en/strategy.md:" in p and "uses {#id}" in p for p in found), found


def test_non_kebab_case_id_is_flagged(tmp_path):
    ar = AR.replace("#sustainability", "#Sustainability_1")
    en = EN.replace("#sustainability", "#Sustainability_1")
    found = problems(tmp_path, ar_text=ar, en_text=en)
    assert any("docs/ar/strategy.md:" in p and "not English kebab-case" in p for p in found), found


def test_headings_out_of_order(tmp_path):
    a, b = "## A city's mandate {: #city-mandate }", "## Sustainability {: #sustainability }"
    en = EN.replace(a, "@@").replace(b, a).replace("@@", b)  # swap the two headings
    found = problems(tmp_path, en_text=en)
    assert any(p.startswith("docs/ar/strategy.md:") and "headings out of order" in p
               and "'city-mandate' here but 'sustainability' in docs/en/strategy.md" in p for p in found), found


def test_heading_level_mismatch(tmp_path):
    en = EN.replace("### Questions", "## Questions")
    found = problems(tmp_path, en_text=en)
    assert any("heading 'mandate-questions' is level 3 but level 2" in p for p in found), found


def test_missing_macro_call(tmp_path):
    ar = AR.replace('{{ case_box("newark-ovptr") }}', "")
    found = problems(tmp_path, ar_text=ar)
    assert any(p.startswith("docs/ar/strategy.md: macro call case_box('newark-ovptr') in section 'sustainability' missing")
               for p in found), found


def test_macro_call_with_different_argument(tmp_path):
    en = EN.replace('case_box("newark-ovptr")', 'case_box("nyc-ophc")')
    found = problems(tmp_path, en_text=en)
    assert any("docs/en/strategy.md: macro call case_box('newark-ovptr')" in p for p in found), found
    assert any("docs/ar/strategy.md: macro call case_box('nyc-ophc')" in p for p in found), found


def test_macro_call_moved_to_another_section(tmp_path):
    en = EN.replace("{{ key_questions('strategy-mandate') }}", "").replace(
        '{{ case_box("newark-ovptr") }}', '{{ case_box("newark-ovptr") }}\n\n{{ key_questions("strategy-mandate") }}')
    found = problems(tmp_path, en_text=en)
    assert any("key_questions('strategy-mandate') in section 'mandate-questions' missing" in p for p in found), found


def test_missing_data_reference(tmp_path):
    en = EN.replace("Text.", "Text ({{ mandates.count }} mandates).")
    found = problems(tmp_path, en_text=en)
    assert any(p.startswith("docs/ar/strategy.md: data reference mandates.count in section 'city-mandate' missing")
               for p in found), found


@pytest.mark.slow
def test_cli_exit_status_and_one_line_per_problem(tmp_path):
    ar = AR.replace("## الاستدامة {: #sustainability }\n", "")
    docs = make_tree(tmp_path, {"strategy.md": ar}, {"strategy.md": EN, "mapping.md": EN})
    proc = subprocess.run([sys.executable, "-m", "tools", "parity", "--docs-dir", str(docs)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert "docs/ar/mapping.md: page missing (present in docs/en/mapping.md)" in lines
    assert any(line.startswith("docs/ar/strategy.md: heading id 'sustainability' missing") for line in lines)
    ok = make_tree(tmp_path / "ok", {"strategy.md": AR}, {"strategy.md": EN})
    proc = subprocess.run([sys.executable, "-m", "tools", "parity", "--docs-dir", str(ok)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


def test_real_docs_have_parity():
    found = parity.check_tree(ROOT / "docs", ROOT)
    assert found == [], "parity problems in docs/:\n" + "\n".join(found)


@pytest.mark.parametrize("line", ["## Title {: #a-b .wide }", "## Title {: .wide #a-b }", "## Title {: #a-b } ##"])
def test_attr_list_variants(line):
    heading = parity.parse_markdown(line + "\n").headings[0]
    assert heading.id == "a-b" and heading.problem is None
