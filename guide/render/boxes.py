"""Render the guide's data as HTML boxes and Markdown links (no MkDocs).

Every function takes the validated ``GuideData`` and the page language and
returns text to put into the page's Markdown. Box markup lives in Jinja
templates under ``guide/render/templates/`` (autoescaped: data text is never HTML).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from guide import languages
from guide.editorial import arabic
from guide.render import locale
from guide.data.loader import GuideData
from guide.data.models import ABBR_LANGUAGE, Case, MandateCategory, Region

TEMPLATES = Path(__file__).resolve().parent / "templates"
SOURCE_KEY_URLS = {"scn-guide": "https://strongcitiesnetwork.org/resource/a-guide-for-cities"}


class MacroError(Exception):
    """A macro call that cannot be rendered (unknown id, bad argument).
    The message starts with the macro's name; the adapter adds the page.
    ``macro`` and ``argument`` let the adapter find the call's line."""

    def __init__(self, message: str, macro: str | None = None, argument=None):
        super().__init__(message)
        self.macro, self.argument = macro, argument


def find_call_line(source: str, macro: str, argument=None) -> int | None:
    """1-based line of the first ``macro(`` call in a page's source whose text
    mentions ``argument`` (as written in the call), or of the first call at all."""
    lines = source.splitlines()
    calls = [i for i, line in enumerate(lines, 1) if re.search(rf"\b{re.escape(macro)}\s*\(", line)]
    if argument is not None:
        for i in calls:
            if re.search(rf"\b{re.escape(macro)}\s*\([^)]*{re.escape(repr(argument)[1:-1] if isinstance(argument, str) else str(argument))}", lines[i - 1]):
                return i
    return calls[0] if calls else None


def default_page() -> str:
    """The page macros render for when there is no page: the default language's index."""
    return f"{languages.load().default.code}/index.md"


@dataclass(frozen=True)
class PageInfo:
    """What the macros need to know about the page being rendered."""

    # relative to docs_dir, e.g. "en/strategy.md"; by default the default language's index
    src_uri: str = field(default_factory=lambda: default_page())
    use_directory_urls: bool = True
    docs_dir: Path | None = None

    @property
    def lang(self) -> str:
        return locale.page_language(self.src_uri)


def page_href(current_src_uri: str, target_slug: str, use_directory_urls: bool = True) -> str:
    """Relative URL from one page to a sibling page of the same language.

    Both live in ``docs/<lang>/``, so only the current page's own depth matters:
    with directory URLs every page but the index is one level down.
    """
    current = PurePosixPath(current_src_uri).stem
    if not use_directory_urls:
        return f"{target_slug}.html"
    up = "" if current == "index" else "../"
    if target_slug == "index":
        return up or "./"
    return f"{up}{target_slug}/"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    return env


_JINJA = _environment()


def _render(template: str, **context) -> str:
    html = _JINJA.get_template(template).render(**context)
    # A raw HTML block in Markdown ends at a blank line and must not be
    # indented: emit it as consecutive, unindented lines.
    return "\n".join(line.strip() for line in html.splitlines() if line.strip())


class _Context:
    """Template helpers bound to one data set, language and page."""

    def __init__(self, data: GuideData, page: PageInfo):
        self.data, self.page, self.lang = data, page, page.lang
        self.abbreviations = abbreviation_titles(data, self.lang)

    def t(self, key: str) -> str:
        try:
            return self.data.ui[key].get(self.lang)
        except KeyError:
            raise MacroError(f"missing UI string {key!r} in data/ui.yml") from None

    def text(self, localized) -> Markup:
        return locale.isolate_latin(localized.get(self.lang), self.lang, self.abbreviations)

    def plain(self, localized) -> Markup:
        return locale.isolate_latin(localized.get(self.lang), self.lang)

    def number(self, value) -> str:
        return locale.format_number(value, self.lang)

    def year(self, value) -> str:
        return locale.format_year(value, self.lang)

    def href(self, slug: str) -> str:
        return page_href(self.page.src_uri, slug, self.page.use_directory_urls)

    def chapter_link(self, number: int) -> dict:
        chapter = self.data.chapter(number)
        return {"href": self.href(chapter.slug), "title": self.plain(chapter.title), "chapter": chapter}

    @property
    def language(self):
        """The page language's registry entry (guide/languages.py)."""
        return languages.load().get(self.lang)

    @property
    def sep(self) -> str:
        # Naskh draws U+00B7 like the Arabic-Indic zero: Arabic boxes use a dash.
        return self.language.punctuation("sep")

    @property
    def comma(self) -> str:
        return self.language.punctuation("comma")

    @property
    def abbr_language(self):
        """The language of the glossary's acronyms (``models.ABBR_LANGUAGE``)."""
        return languages.load().get(ABBR_LANGUAGE)

    def other_languages(self):
        """The other languages, each with its ``code`` and ``dir`` (for lang/dir attributes)."""
        return languages.load().others(self.lang)

    def run_language(self, script: str = "latin"):
        """The language runs of ``script`` in this page's text are marked as
        (Arabic pages: Latin runs are English), or None."""
        code = self.language.run_language(script)
        return languages.load().get(code) if code else None

    def place(self, case) -> Markup:
        return locale.isolate_latin(place(case, self.lang), self.lang)

    def figure(self, fig) -> str:
        if fig.type == "amount":
            text = locale.format_amount(fig.value, fig.currency.value, self.lang, self.t(f"currency.{fig.currency.value}"))
        elif fig.type == "percentage":
            text = locale.format_percentage(fig.value, self.lang)
        else:
            text = self.number(fig.value)
        if fig.qualifier:
            text = self.t(f"figure.{fig.qualifier}").replace("{n}", text)
        return text

    def source_label(self, key: str, with_path: bool = False) -> Markup:
        """A source key's name (linked where the source is public), or a URL's host
        (with the start of its path when the box cites two pages of one site)."""
        if key.startswith(("http://", "https://")):
            host = re.sub(r"^https?://(www\.)?", "", key).split("/")[0]
            if with_path:
                path = re.sub(r"^https?://(www\.)?", "", key).split("?")[0].rstrip("/")
                if len(path) > 48:  # cut at a word's end (a / or - before the 47th character)
                    cut = max(path.rfind("/", 0, 47), path.rfind("-", 0, 47))
                    path = path[:cut if cut > len(host) else 47].rstrip("-/") + "…"
                host = path
            # A host is Latin script: on a page of another script it is a run
            # of the page language's Latin-run language (Arabic: English).
            run = None if self.language.script == "latin" else self.run_language("latin")
            if run is None:
                return Markup('<a href="{0}">{1}</a>').format(key, host)
            return Markup('<a href="{0}" lang="{2}" dir="{3}">{1}</a>').format(key, host, run.code, run.dir)
        if key in SOURCE_KEY_URLS:
            return Markup('<a href="{0}">{1}</a>').format(SOURCE_KEY_URLS[key], self.t(f"source.{key}"))
        return escape(self.t(f"source.{key}"))

    def source(self, keys: str | list[str]) -> Markup:
        """'Source: <label>'. Readers get the source; the data file is for
        editors (the box's data-source-file attribute, `python -m tools status`)."""
        keys = [keys] if isinstance(keys, str) else keys
        hosts = [re.sub(r"^https?://(www\.)?", "", k).split("/")[0] for k in keys]
        labels = Markup(self.language.punctuation("semicolon")).join(
            self.source_label(k, with_path=hosts.count(h) > 1) for k, h in zip(keys, hosts))
        return Markup('{0} {1}').format(self.t("box.source"), labels)


# --- macros ----------------------------------------------------------------

def chapter_ref(data: GuideData, page: PageInfo, number) -> str:
    """Markdown link to a chapter that reads well mid-sentence: «الفصل الثالث» /
    "Chapter 3" (or the page's own short name, ``ref`` in chapters.yml) as the
    link text, the full title as the link's title; MkDocs resolves the link."""
    if not isinstance(number, int) or isinstance(number, bool):
        raise MacroError(f"chapter_ref: expected a chapter number 0–9, got {number!r}", "chapter_ref", number)
    numbers = [c.number for c in data.chapters]
    if number not in numbers:
        raise _unknown("chapter_ref", "chapter", number, numbers)
    chapter = data.chapter(number)
    label = chapter.ref.get(page.lang) if chapter.ref else locale.chapter_label(number, page.lang)
    title = chapter.title.get(page.lang).replace('"', "”")
    # .guide-chapter-ref keeps «الفصل الأول» on one line (site.css).
    return f'[{_markdown_text(label)}]({chapter.slug}.md "{_markdown_text(title)}"){{: .guide-chapter-ref }}'


def _unknown(macro: str, what: str, value, known) -> MacroError:
    # One wording for every "no such id" error, listing what would have worked.
    return MacroError(f"{macro}: unknown {what} {value!r} (known: {', '.join(map(str, known))})", macro, value)


def _markdown_text(text: str) -> str:
    # Link text is Markdown: escape HTML and the characters Markdown acts on.
    text = str(escape(text))
    return re.sub(r"([\\`*_\[\]])", r"\\\1", text)


def chapter_list(data: GuideData, page: PageInfo) -> str:
    ctx = _Context(data, page)
    items = [dict(ctx.chapter_link(c.number), description=ctx.text(c.description)) for c in data.chapters]
    return _render("chapter_list.html", c=ctx, items=items)


def mandates_table(data: GuideData, page: PageInfo, region: str | None = None, category: str | None = None) -> str:
    ctx = _Context(data, page)
    regions = [r.value for r in Region]
    categories = [c.value for c in MandateCategory]
    if region is not None and region not in regions:
        raise _unknown("mandates_table", "region", region, regions)
    if category is not None and category not in categories:
        raise _unknown("mandates_table", "category", category, categories)
    rows = [m for m in data.mandates
            if (region is None or m.region.value == region) and (category is None or m.category.value == category)]
    rows.sort(key=lambda m: sort_key(m.country.get(ctx.lang), ctx.lang))
    if not rows:
        raise MacroError(f"mandates_table: no country matches region={region!r} category={category!r}", "mandates_table")
    qualifiers = []
    if region:
        qualifiers.append(ctx.t(f"region.{region}"))
    if category:
        qualifiers.append(ctx.t(f"category.{category}"))
    sources = sorted({m.source for m in rows})
    return _render("mandates_table.html", c=ctx, rows=rows, qualifiers=qualifiers, sources=sources,
                   region=region or "", category=category or "")


def case_box(data: GuideData, page: PageInfo, case_id) -> str:
    case = data.case(case_id) if isinstance(case_id, str) else None
    if case is None:
        raise _unknown("case_box", "case id", case_id, [c.id for c in data.cases])
    ctx = _Context(data, page)
    # The chapter the box sits in is not "related" to itself.
    here = PurePosixPath(page.src_uri).stem
    related = [link for link in (ctx.chapter_link(n) for n in sorted(case.chapters))
               if link["chapter"].slug != here]
    return _render("case_box.html", c=ctx, case=case, related=related)


def key_questions(data: GuideData, page: PageInfo, list_id) -> str:
    qlist = data.question_list(list_id) if isinstance(list_id, str) else None
    if qlist is None:
        raise _unknown("key_questions", "question list", list_id, [q.id for q in data.questions])
    ctx = _Context(data, page)
    title = ctx.text(qlist.title) if qlist.title else ctx.t("questions.label")
    return _render("key_questions.html", c=ctx, qlist=qlist, title=title)


def sort_key(text: str, lang: str) -> tuple[str, str]:
    """Alphabetical order for readers of ``lang``: Arabic ignores the article
    ال and sorts the hamza forms of alef as alef; other scripts sort letters
    with accents as the bare letter (é as e, "État" before "z"), the text as
    written breaking ties."""
    if languages.load().get(lang).script == "arabic":
        return arabic.fold_alef(re.sub(r"^ال", "", text)).casefold(), ""
    bare = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return bare.casefold(), text


def _term_sort_key(term, lang: str) -> tuple[str, str]:
    return sort_key(term.term.get(lang), lang)


def glossary(data: GuideData, page: PageInfo) -> str:
    ctx = _Context(data, page)
    terms = sorted(data.glossary, key=lambda t: _term_sort_key(t, ctx.lang))
    return _render("glossary.html", c=ctx, terms=terms)


def termbase(data: GuideData, page: PageInfo) -> str:
    """The termbase's concepts (not its spelling rules): English, the one
    Arabic term, and the Arabic wordings the site avoids."""
    ctx = _Context(data, page)
    concepts = [c for c in data.termbase if c.kind == "term"]
    concepts.sort(key=lambda c: sort_key(c.ar if ctx.language.script == "arabic" else c.en, ctx.lang))

    def avoided(concept) -> Markup:
        # Plain variants as they are; a variant bound to a context (الاستقطاب
        # is wrong only where it means recruitment) says "in this sense".
        # Verb forms with their own replacement are left to the check.
        # An inflected form of a wording already listed («وبريطانيا» after
        # «بريطانيا», «ولايتها» after «الولاية») is a matching rule for the check,
        # not another wording, so readers see the base form once.
        arabic = lambda text: Markup('<bdi lang="ar" dir="rtl">{0}</bdi>').format(text)
        items, seen, shown = [], set(), []
        for v in concept.avoid_ar:
            if not v.text or v.use or v.text in seen:
                continue
            seen.add(v.text)
            if any(_inflection_of(v.text, base) for base in shown):
                continue
            shown.append(v.text)
            if v.before or v.after or v.unless_before or v.unless_after:
                label = escape(ctx.t("termbase.in-this-sense")).replace("{term}", arabic(v.text))
                items.append(Markup(label))
            else:
                items.append(arabic(v.text))
        return Markup(ctx.comma).join(items)

    return _render("termbase.html", c=ctx, concepts=concepts, avoided=avoided)


_CLITICS = ("", "و", "ف", "ب", "ك", "ل", "وب", "ول", "فب", "فل", "وك")
_SUFFIXES = ("ها", "هم", "هما", "هن", "ه", "ك", "كم", "نا", "ي")


def _word_forms(word: str) -> set[str]:
    """The written forms of one Arabic word with a leading conjunction or
    preposition, the article, and (for the bare noun) a pronoun suffix."""
    bare = word[2:] if word.startswith("ال") and len(word) > 3 else word
    stems = {bare, "ال" + bare} | {bare[:-1] + "ت" + s for s in _SUFFIXES if bare.endswith("ة")} \
        | {bare + s for s in _SUFFIXES if not bare.endswith("ة")}
    forms = {c + stem for c in _CLITICS for stem in stems}
    return forms | {c + "لل" + bare for c in ("", "و", "ف")}


def _inflection_of(text: str, base: str) -> bool:
    """True when ``text`` is ``base`` written with clitics, the article or a
    suffix (word by word), or a longer wording that contains one-word ``base``."""
    words, base_words = text.split(), base.split()
    if len(words) == len(base_words):
        return all(w in _word_forms(b) for w, b in zip(words, base_words))
    return len(base_words) == 1 and any(w in _word_forms(base) for w in words)


_CASE_CALL = re.compile(r"""case_box\(\s*["']([^"']+)["']\s*\)""")


def case_usage(docs_dir: Path, lang: str) -> dict[str, list[str]]:
    """case id -> slugs of the pages in ``docs/<lang>/`` that call ``case_box`` for it."""
    usage: dict[str, list[str]] = {}
    for path in sorted((Path(docs_dir) / lang).glob("*.md")):
        for case_id in _CASE_CALL.findall(path.read_text(encoding="utf-8")):
            slugs = usage.setdefault(case_id, [])
            if path.stem not in slugs:
                slugs.append(path.stem)
    return usage


def cases_index(data: GuideData, page: PageInfo) -> str:
    if page.docs_dir is None:
        raise MacroError("cases_index: the docs directory is not known", "cases_index")
    ctx = _Context(data, page)
    usage = case_usage(page.docs_dir, ctx.lang)
    order = {c.slug: c.number for c in data.chapters}
    rows = []
    for case in data.cases:
        slugs = sorted((s for s in usage.get(case.id, []) if s in order), key=order.get)
        if not slugs:
            continue  # the page lists the examples readers can see; `tools unused` reports the rest
        appears = [dict(ctx.chapter_link(order[s]), anchor=f"#case-{case.id}") for s in slugs]
        rows.append({"case": case, "appears": appears, "origin": case_origin(case.sources[0]),
                     "source": case.sources[0]})
    return _render("cases_index.html", c=ctx, rows=rows)


def case_origin(source: str) -> str:
    """Where a case comes from, for readers: the guide itself, the roundtable
    news item, or another public source (a URL)."""
    if source in ("seed-ch3", "scn-guide"):
        return "guide"
    if source == "seed-roundtable":
        return "roundtable"
    return "other"


def abbreviation_titles(data: GuideData, lang: str) -> dict[str, str]:
    """Acronym -> tooltip text; Arabic tooltips add the English expansion."""
    titles = {}
    for term in data.glossary:
        if term.abbr:
            title = term.term.get(lang)
            # Where Latin runs are another language's (Arabic pages: English),
            # the acronym's own expansion follows.
            runs = languages.load().get(lang).run_language("latin")
            titles[term.abbr] = f"{title} ({term.term.get(runs)})" if runs and runs != lang else title
    return titles


def abbreviations(data: GuideData, lang: str) -> str:
    """Markdown abbreviation definitions (``*[NLC]: …``) in the page language."""
    return "\n".join(f"*[{abbr}]: {title}" for abbr, title in abbreviation_titles(data, lang).items())


def place(case: Case, lang: str) -> str:
    parts = [case.city.get(lang)] if case.city else []
    parts.append(case.country.get(lang))
    # English city names may contain commas ("Newark, New Jersey"; a list of
    # cities), so the parts are set apart with a middle dot.
    return languages.load().get(lang).punctuation("place").join(parts)


# Every macro a page may call, in one place: the mkdocs-macros adapter
# registers these and the editor check (guide/editorial/editorcheck.py) knows
# exactly these names.
MACROS = (chapter_list, chapter_ref, mandates_table, case_box, key_questions, glossary, cases_index, termbase)
# The ones that draw an HTML block, so they must start their own line.
BOX_MACROS = ("case_box", "key_questions", "mandates_table", "glossary", "cases_index", "chapter_list", "termbase")
