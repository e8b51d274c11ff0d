"""Reader notes (issues 7.2-7.4, 4.3): translation notices in the reader's
language, summary notes, localized dates, source-file / edit links.

Unit tests for the plain logic, checks on the real site (session build), and
two end-to-end builds: a clone of this repository where only the English
Strategy page changes later, and a `git archive` export without history."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import yaml

from guide.pages import notices

from conftest import LANGUAGES, PAGES, page_path

ROOT = Path(__file__).resolve().parent.parent
UI = notices.load_ui(ROOT / "data" / "ui.yml") if (ROOT / "data" / "ui.yml").exists() else None
ARABIC_INDIC = re.compile(r"[٠-٩]")
LATIN_DIGIT = re.compile(r"[0-9]")


def ui() -> dict:
    assert UI is not None, "data/ui.yml missing"
    return UI


# --- plain logic --------------------------------------------------------------

def test_dates_are_localized():
    assert notices.format_date(date(2025, 1, 30), "ar") == "٣٠ يناير ٢٠٢٥"
    assert notices.format_date(datetime(2023, 9, 11, 23, 0, tzinfo=timezone.utc), "ar") == "١١ سبتمبر ٢٠٢٣"
    assert notices.format_date(date(2023, 9, 12), "en") == "12 September 2023"
    assert [notices.format_date(date(2024, m, 1), "ar").split()[1] for m in (2, 5, 8, 12)] == \
        ["فبراير", "مايو", "أغسطس", "ديسمبر"]


def test_counterpart_urls():
    assert notices.page_url("en", "strategy.md") == "en/strategy/"
    assert notices.page_url("ar", "strategy.md") == "strategy/"
    assert notices.page_url("en", "index.md") == "en/"
    assert notices.page_url("ar", "index.md") == ""


def facts(lang, changed, other_changed, status="complete"):
    return notices.PageFacts(lang, "strategy.md", changed, other_changed, status)


def test_lagging_page_gets_a_notice_in_its_own_language():
    old, new = datetime(2025, 1, 1, tzinfo=timezone.utc), datetime(2025, 3, 2, tzinfo=timezone.utc)
    [notice] = notices.notices(facts("ar", old, new), ui())
    assert notice["kind"] == "translation" and notice["url"] == "en/strategy/" and notice["hreflang"] == "en"
    assert "٢ مارس ٢٠٢٥" in notice["text"] and not LATIN_DIGIT.search(notice["text"])
    [notice] = notices.notices(facts("en", old, new), ui())
    assert notice["url"] == "strategy/" and "2 March 2025" in notice["text"]


def test_no_notice_when_in_step_newer_or_unknown():
    d1, d2 = datetime(2025, 1, 1, tzinfo=timezone.utc), datetime(2025, 3, 2, tzinfo=timezone.utc)
    assert notices.notices(facts("ar", d1, d1), ui()) == []
    assert notices.notices(facts("ar", d2, d1), ui()) == []
    assert notices.notices(facts("ar", None, d2), ui()) == []
    assert notices.notices(facts("ar", d1, None), ui()) == []


def test_summary_note():
    [note] = notices.notices(facts("ar", None, None, status="summary"), ui())
    assert note["kind"] == "summary" and note["text"] == ui()["notice.summary"]["ar"]
    # it links to the one site-level note on the sources, in the page's language
    assert note["url"] == "about/#about-this-edition" and note["hreflang"] == "ar"
    assert note["link_text"] == ui()["notice.summary-link"]["ar"]
    [note] = notices.notices(facts("en", None, None, status="summary"), ui())
    assert note["url"] == "en/about/#about-this-edition"


def test_the_summary_note_links_to_a_heading_that_exists():
    page, anchor = notices.SOURCES_NOTE
    for lang in ("ar", "en"):
        text = (ROOT / "docs" / lang / page).read_text(encoding="utf-8")
        assert "{: #" + anchor + " }" in text, f"docs/{lang}/{page} has no heading #{anchor}"


def test_page_facts_compare_with_the_counterpart_file(tmp_path):
    for rel in ("docs/ar/strategy.md", "docs/en/strategy.md", "docs/ar/sub/page.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("# x\n", encoding="utf-8")
    d1, d2 = datetime(2025, 1, 1, tzinfo=timezone.utc), datetime(2025, 2, 1, tzinfo=timezone.utc)
    dates = {"docs/ar/strategy.md": d1, "docs/en/strategy.md": d2, "docs/ar/sub/page.md": d1}
    src = tmp_path / "docs/ar/strategy.md"
    assert notices.counterpart(tmp_path / "docs/ar/sub/page.md", "ar", "sub/page.md") == tmp_path / "docs/en/sub/page.md"
    f = notices.page_facts(src, "ar", "strategy.md", dates, tmp_path, "complete")
    assert (f.changed, f.other_changed) == (d1, d2)
    # The counterpart does not exist: nothing to compare with.
    f = notices.page_facts(tmp_path / "docs/ar/sub/page.md", "ar", "sub/page.md", dates, tmp_path, None)
    assert (f.changed, f.other_changed) == (d1, None)
    # No git history: no dates at all.
    f = notices.page_facts(src, "ar", "strategy.md", None, tmp_path, None)
    assert (f.changed, f.other_changed) == (None, None)


def test_edition_dates_are_checked():
    good = {"ar": {"published": date(2023, 9, 11), "updated": date(2025, 1, 30)}, "en": {"published": date(2023, 9, 12)}}
    assert notices.check_edition(good) is good
    with pytest.raises(ValueError, match=r"extra.edition.ar.published: .*'11/09/2023'"):
        notices.check_edition({"ar": {"published": "11/09/2023"}})
    with pytest.raises(ValueError, match="extra.edition.fr"):
        notices.check_edition({"fr": {"published": date(2023, 9, 11)}})


def test_missing_ui_key_is_named(tmp_path):
    bad = tmp_path / "ui.yml"
    strings = yaml.safe_load((ROOT / "data" / "ui.yml").read_text(encoding="utf-8"))
    del strings["notice.summary"]
    strings["dates.source-guide"] = {"ar": "الملف المصدر"}
    bad.write_text(yaml.safe_dump(strings, allow_unicode=True), encoding="utf-8")
    with pytest.raises(notices.UIError, match="'notice.summary' missing"):
        notices.load_ui(bad)
    del strings["dates.source-guide"]["ar"]
    strings["notice.summary"] = {"ar": "x", "en": "y"}
    strings["dates.source-guide"] = {"ar": "x"}
    bad.write_text(yaml.safe_dump(strings, allow_unicode=True), encoding="utf-8")
    with pytest.raises(notices.UIError, match="'dates.source-guide' has no 'en' string"):
        notices.load_ui(bad)


# --- the real site -----------------------------------------------------------
# (These also take server_url: conftest's server fixture only shuts down cleanly
# once it has been started.)

def front_matter(lang: str, slug: str) -> dict:
    text = (ROOT / "docs" / lang / f"{slug}.md").read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    return yaml.safe_load(match.group(1)) if match else {}


def html_of(site: Path, lang: str, slug: str) -> str:
    # Unescaped so UI strings (apostrophes...) compare as written in ui.yml.
    return html.unescape((site / page_path(lang, slug) / "index.html").read_text(encoding="utf-8"))


def aside(html: str, cls: str) -> str | None:
    match = re.search(rf'<aside class="[^"]*\b{cls}\b[^"]*"[^>]*>(.*?)</aside>', html, re.DOTALL)
    return match.group(1) if match else None


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_page_shows_dates_and_the_guide_as_source_not_a_repository_path(site_dir, server_url, lang):
    edition = {"ar": ["١١ سبتمبر ٢٠٢٣", "٣٠ يناير ٢٠٢٥"], "en": ["12 September 2023"]}[lang]
    for slug in PAGES:
        html = html_of(site_dir, lang, slug)
        block = aside(html, "guide-page-dates")
        assert block, f"{lang}/{slug}: no dates block"
        # Readers get the guide, linked; file paths are for editors (issue 10.5).
        assert f'href="{notices.GUIDE_URL}"' in block
        text = re.sub(r"<[^>]+>", " ", html)
        assert not re.search(r"docs/(ar|en)/|data/\w+\.yml", text), f"{lang}/{slug}: a repository path is shown to readers"
        for text in edition:
            assert text in block, f"{lang}/{slug}: edition date {text} missing"
        # The work tree has git history, so every page knows its last change.
        updated = re.search(r'guide-page-dates__updated">(.*?)</p>', block, re.DOTALL)
        assert updated, f"{lang}/{slug}: no last-updated line"
        digits = ARABIC_INDIC if lang == "ar" else LATIN_DIGIT
        wrong = LATIN_DIGIT if lang == "ar" else ARABIC_INDIC
        assert digits.search(updated.group(1)) and not wrong.search(updated.group(1))


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_summary_pages_show_the_note_and_complete_pages_do_not(site_dir, server_url, lang):
    note = ui()["notice.summary"][lang]
    if lang == "en":  # English pages carry curly quotes (guide/pages/quotes.py)
        from guide.pages.quotes import curl
        note = curl(note)[0]
    for slug in PAGES:
        html = html_of(site_dir, lang, slug)
        shown = "guide-notice--summary" in html and note in html
        assert shown == (front_matter(lang, slug).get("status") == "summary"), f"{lang}/{slug}"


def test_summary_note_visible_in_browser(site_dir, server_url, page):
    summaries = [s for s in PAGES if front_matter("ar", s).get("status") == "summary"]
    if not summaries:
        pytest.skip("no page is marked status: summary right now")
    page.goto(server_url + page_path("ar", summaries[0]))
    note = page.locator(".guide-notice--summary")
    assert note.is_visible()
    text = " ".join(note.inner_text().split())
    assert text == ui()["notice.summary"]["ar"] + " " + ui()["notice.summary-link"]["ar"]
    link = note.locator("a")
    link.click()
    page.wait_for_url("**/about/#about-this-edition")
    assert page.locator("#about-this-edition").is_visible()


# --- end to end: an editor changes only the English Strategy page ------------

GIT_ENV = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org"}


def git(repo: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, **GIT_ENV}
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def run_tools(tree: Path, *args: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tools", *args], cwd=tree, capture_output=True,
                          text=True, env={**os.environ, **env})


@pytest.fixture(scope="module")
def english_update(tmp_path_factory):
    """A clone where every page was last touched on 15 Jan 2030, then only
    docs/en/strategy.md on 20 Feb 2030; built with a repository URL."""
    clone = tmp_path_factory.mktemp("e2e") / "guide"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    for lang in LANGUAGES:
        for path in sorted((clone / "docs" / lang).glob("*.md")):
            path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(clone, "commit", "-q", "-am", "editors: touch every page", when="2030-01-15T12:00:00+00:00")
    strategy = clone / "docs" / "en" / "strategy.md"
    strategy.write_text(strategy.read_text(encoding="utf-8") + "\nA sentence added in English.\n", encoding="utf-8")
    git(clone, "commit", "-q", "-am", "Strategy (en): new sentence", when="2030-02-20T09:00:00+00:00")
    site = clone.parent / "site"
    trace = clone.parent / "git-trace.log"  # every git command the build runs
    proc = run_tools(clone, "build", "--site-dir", str(site), GIT_TRACE=str(trace),
                     REPO_URL="https://example.org/scn/guide", EDIT_URI="edit/main/docs/")
    assert proc.returncode == 0, proc.stderr[-4000:]
    return clone, site, trace


def test_arabic_strategy_announces_the_newer_english_version(english_update, page):
    clone, site, _ = english_update
    page.goto((site / "strategy" / "index.html").as_uri())
    notice = page.locator(".guide-notice--translation")
    assert notice.count() == 1 and notice.is_visible()
    expected = ui()["notice.translation-newer"]["ar"].format(date="٢٠ فبراير ٢٠٣٠", language="الإنجليزية")
    assert expected in notice.inner_text() and "النسخة الإنجليزية" in expected
    link = notice.locator("a")
    assert link.inner_text().strip() == "اقرأ النسخة الإنجليزية"
    assert link.evaluate("a => a.href").endswith("/en/strategy/")


def test_english_strategy_and_pages_in_step_show_no_notice(english_update):
    _, site, _ = english_update
    for lang in LANGUAGES:
        for slug in PAGES:
            html = html_of(site, lang, slug)
            expect = (lang, slug) == ("ar", "strategy")
            assert ("guide-notice--translation" in html) == expect, f"{lang}/{slug}"


def test_edit_links_point_at_the_language_folder_file(english_update):
    _, site, _ = english_update
    for lang in LANGUAGES:
        html = html_of(site, lang, "strategy")
        url = f"https://example.org/scn/guide/edit/main/docs/{lang}/strategy.md"
        assert f'href="{url}"' in aside(html, "guide-page-dates")
        # Material's own edit button uses page.edit_url too.
        assert re.search(rf'<a href="{re.escape(url)}"[^>]*class="md-content__button', html)
    # A page untouched since the editors' commit shows that commit's date.
    assert "١٥ يناير ٢٠٣٠" in aside(html_of(site, "ar", "mapping"), "guide-page-dates")
    assert "15 January 2030" in aside(html_of(site, "en", "mapping"), "guide-page-dates")


def test_git_dates_come_from_one_git_log_per_build(english_update):
    # Both languages are built (mkdocs-static-i18n runs the build twice), yet
    # the dates for every page come from a single `git log`.
    _, _, trace = english_update
    # (mkdocs-macros runs its own `git log -1` calls for its `git` variable.)
    logs = [line for line in trace.read_text(encoding="utf-8").splitlines()
            if "built-in: git log" in line and "--name-only" in line]
    assert len(logs) == 1, logs


def test_status_lists_strategy_as_outdated_in_arabic(english_update):
    clone, _, _ = english_update
    proc = run_tools(clone, "status")
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line for line in proc.stdout.splitlines() if line.endswith(")") or line.endswith("ok")}
    assert "OUTDATED ar (en changed later)" in rows["strategy.md"]
    assert "2030-02-20 09:00" in rows["strategy.md"]
    assert all(rows[f"{slug}.md"].endswith("ok") for slug in PAGES if slug != "strategy")


@pytest.mark.site
def test_build_without_git_history_falls_back(tmp_path):
    tree = tmp_path / "export"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", "--format=tar", "HEAD"], cwd=ROOT, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    site = tmp_path / "site"
    proc = run_tools(tree, "build", "--site-dir", str(site))
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "no git history" in proc.stderr and "INFO" in proc.stderr
    for lang in LANGUAGES:
        html = html_of(site, lang, "strategy")
        block = aside(html, "guide-page-dates")
        assert block and "guide-page-dates__updated" not in block  # no "last updated" line
        assert f'href="{notices.GUIDE_URL}"' in block  # the rest still shows (the source)
        assert "guide-notice--translation" not in html


# --- "no translation needed" (issue 13): a commit trailer ------------------------

@pytest.fixture(scope="module")
def typo_fix(tmp_path_factory):
    """A clone where every page was touched on 15 Jan 2030; then an English typo
    fix on Strategy marked `Translation: not-needed` (20 Feb), and an unmarked
    English change on Mapping (21 Feb)."""
    clone = tmp_path_factory.mktemp("trailer") / "guide"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    for lang in LANGUAGES:
        for path in sorted((clone / "docs" / lang).glob("*.md")):
            path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git(clone, "commit", "-q", "-am", "editors: touch every page", when="2030-01-15T12:00:00+00:00")
    for slug, message, when in (
            ("strategy", "Strategy (en): fix a typo\n\nTranslation: not-needed", "2030-02-20T09:00:00+00:00"),
            ("mapping", "Mapping (en): new sentence", "2030-02-21T09:00:00+00:00")):
        path = clone / "docs" / "en" / f"{slug}.md"
        path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
        git(clone, "commit", "-q", "-am", message, when=when)
    site = clone.parent / "site"
    proc = run_tools(clone, "build", "--site-dir", str(site))
    assert proc.returncode == 0, proc.stderr[-4000:]
    return clone, site


def test_a_change_marked_not_needed_leaves_the_other_language_current(typo_fix, page):
    clone, site = typo_fix
    assert "guide-notice--translation" not in html_of(site, "ar", "strategy")
    # The marked page still tells its own readers when it last changed.
    assert "20 February 2030" in aside(html_of(site, "en", "strategy"), "guide-page-dates")
    # An unmarked change still makes the other language lag (the trailer is what differs).
    page.goto((site / "mapping" / "index.html").as_uri())
    notice = page.locator(".guide-notice--translation")
    assert notice.count() == 1 and "٢١ فبراير ٢٠٣٠" in notice.inner_text()


def test_status_honours_the_trailer(typo_fix):
    clone, _ = typo_fix
    proc = run_tools(clone, "status")
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line for line in proc.stdout.splitlines() if line.endswith(".md") or ".md " in line}
    assert rows["strategy.md"].rstrip().endswith("ok"), rows["strategy.md"]
    assert "OUTDATED ar (en changed later)" in rows["mapping.md"], rows["mapping.md"]


def test_trailer_parsing():
    from guide.pages import gitdates
    assert gitdates.not_needed("not-needed") and gitdates.not_needed("Not-Needed") and gitdates.not_needed("x,not-needed")
    assert not gitdates.not_needed("") and not gitdates.not_needed("needed")
