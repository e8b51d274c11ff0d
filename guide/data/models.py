"""Schemas of the guide's data files (``data/*.yml``), as pydantic models.

These models are the single definition of what a valid data file is: the
loader validates every file against them, and ``python -m tools schema``
publishes them as JSON Schema in ``data/schema/`` for editors' YAML tooling.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum
from typing import Annotated, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    RootModel,
    StringConstraints,
    Tag,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from guide import languages

# The sources table of the content brief; anything else must be a public URL.
SOURCE_KEYS = ("seed-ch3", "seed-roundtable", "scn-guide")
_URL = re.compile(r"^https://[^\s/]+\.[^\s]+$")
# Markup in editor text: tags, comments, entities that hide them, script URLs.
_MARKUP = re.compile(r"<\s*[a-zA-Z/!?]|&(?:#\d+|#x[0-9a-fA-F]+|lt|gt|quot);|(?:javascript|vbscript):|data:[\w.+-]+/", re.IGNORECASE)
_LATIN_DIGIT = re.compile(r"[0-9]")
_ARABIC_DIGIT = re.compile(f"[{languages.ARABIC_INDIC_DIGITS}]")


def _check_source(value: str) -> str:
    if value.startswith("http://"):
        raise ValueError(f"source {value!r} uses http://: sources must be https:// addresses")
    if value not in SOURCE_KEYS and not _URL.match(value):
        raise ValueError(f"unknown source {value!r}: use one of {', '.join(SOURCE_KEYS)} or a public https:// URL")
    return value


# What editor text may hold is listed, not what it may not: one line of
# letters, digits, spaces, punctuation and symbols. Not allowed: line breaks
# and other control characters, invisible format characters other than the
# joiners Arabic and Persian spelling use (bidirectional overrides could make
# text read differently from what reviewers saw), < > ` (markup, code), and
# braces except a UI string's {placeholder}.
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
_JOINERS = {"\u200c", "\u200d"}
_NOT_TEXT = set("<>`{}")


def _character_problem(value: str) -> str | None:
    for index, char in enumerate(_PLACEHOLDER.sub("", value)):
        category = unicodedata.category(char)
        if char in "\r\n\u2028\u2029":
            return "line breaks are not allowed: write the text on one line (YAML folds a long line with >)"
        if char == "\t":
            return "a tab character in the text: use a space"
        if category in ("Cc", "Cs", "Co", "Cn") or (category == "Cf" and char not in _JOINERS):
            return f"invisible or control character U+{ord(char):04X} is not allowed in text: delete it"
        if char in _NOT_TEXT:
            shown = value[max(0, index - 15):index + 15]
            if char in "{}":
                return (f"braces are not allowed in text (…{shown}…): write plain text (a UI string's "
                        f"placeholders are {{name}} in lower-case Latin letters)")
            return (f"the character {char!r} is not allowed in text (…{shown}…): write plain text; "
                    f"the templates add all formatting")
    return None


def markup_problem(value: str) -> str | None:
    """Why ``value`` is not one line of plain text, or None. Editor text is
    never HTML or template code: templates escape it, and this refuses it at
    load time."""
    problem = _character_problem(value)
    if problem:
        return problem
    match = _MARKUP.search(value)
    if match:
        return (f"markup is not allowed in text ({match.group(0)[:20]!r}...): write plain text; "
                f"the templates add all formatting")
    return None


def _plain_text(value: str) -> str:
    problem = markup_problem(value)
    if problem:
        raise ValueError(problem)
    return value


Source = Annotated[
    str,
    AfterValidator(_check_source),
    WithJsonSchema({
        "type": "string",
        "description": "A key of the content brief's sources table, or a public URL.",
        "anyOf": [{"enum": list(SOURCE_KEYS)}, {"pattern": r"^https://\S+$"}],
    }),
]

Slug = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=4000),
                 AfterValidator(_plain_text)]


class Strict(BaseModel):
    """Base: unknown keys are errors (a typo must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _registry(info: ValidationInfo | None):
    """The languages data is validated against: the loader passes its tree's
    (``context={"languages": registry}``); without one, the repository's."""
    context = getattr(info, "context", None) or {}
    registry = context.get("languages") if isinstance(context, dict) else None
    if registry is None:

        registry = languages.load()
    return registry


def digits_problem(value: str, language) -> str | None:
    """Why ``value`` breaks its language's digit rule (site rule: Arabic text
    uses Arabic-Indic digits only; Latin-digit languages no Arabic-Indic ones)."""
    if language.digits == "arabic-indic" and _LATIN_DIGIT.search(value):
        return f"{language.english_name} text must use Arabic-Indic digits (٠١٢٣٤٥٦٧٨٩), not Latin digits"
    if language.digits == "latin" and _ARABIC_DIGIT.search(value):
        return f"{language.english_name} text must use Latin digits (0-9)"
    return None


def _configured_language(value: str, info: ValidationInfo) -> str:
    registry = _registry(info)
    if value not in registry:
        raise ValueError(f"unknown language {value!r} (configured: {', '.join(registry.codes)})")
    return value


LanguageCode = Annotated[str, AfterValidator(_configured_language),
                         WithJsonSchema({"type": "string", "description": "a language code of mkdocs.yml's i18n list"})]


class Localized(RootModel[dict[str, Text]]):
    """The same text in every configured language (mkdocs.yml's i18n list);
    each is required, and no other key is allowed."""

    model_config = ConfigDict(frozen=True)

    @model_validator(mode="after")
    def _every_language(self, info: ValidationInfo):
        # Every problem at once, each at its language's location (``summary.ar``):
        # a language missing, one not configured, digits of the wrong script.
        registry = _registry(info)
        errors = []
        for language in registry:
            if language.code not in self.root:
                errors.append(("language_missing", "Field required", language.code, {}))
        for key in self.root:
            if key not in registry:
                errors.append(("language_unknown", "unknown language '{lang}' (configured: {configured})", key,
                               {"configured": ", ".join(registry.codes)}))
        for language in registry:
            problem = digits_problem(self.root.get(language.code, ""), language)
            if problem:
                errors.append(("language_text", "{problem}", language.code, {"problem": problem}))
        if errors:
            raise ValidationError.from_exception_data("Localized", [
                InitErrorDetails(type=PydanticCustomError(kind, message, {"lang": lang, **ctx}), loc=(lang,),
                                 input=self.root.get(lang, self.root))
                for kind, message, lang, ctx in errors])
        return self

    def get(self, lang: str) -> str:
        return self.root[lang]

    def __getitem__(self, lang: str) -> str:
        return self.root[lang]

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.root.items())))

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema, handler):

        properties = {}
        for language in languages.load():
            if language.digits == "arabic-indic":
                what, pattern = "numbers in Arabic-Indic digits (٠–٩)", "^[^0-9]*$"
            else:
                what, pattern = "numbers in Latin digits", f"^[^{languages.ARABIC_INDIC_DIGITS}]*$"
            properties[language.code] = {
                "description": f"{language.english_name} text; {what}",
                "maxLength": 4000, "minLength": 1, "pattern": pattern,
                "title": language.code.capitalize(), "type": "string"}
        return {"additionalProperties": False, "description": "The same text in every configured language; each is required.",
                "properties": properties, "required": list(properties), "title": "Localized", "type": "object"}


# --- chapters.yml ----------------------------------------------------------

class Chapter(Strict):
    number: Annotated[int, Field(strict=True, ge=0, le=9, description="0 = about, 1–8 = chapters, 9 = conclusion")]
    slug: Slug = Field(description="file name (without .md) in docs/ar/ and docs/en/")
    title: Localized
    proposed_title: list[LanguageCode] = Field(default_factory=list, description=(
        "languages in which `title` is this site's proposal, not the edition's own title "
        "(the chapter list marks it)"))
    ref: Localized | None = Field(default=None, description=(
        "how a sentence names this page in a chapter_ref link; default 'Chapter N' / 'الفصل <ordinal>' "
        "(give it for the pages that are not numbered chapters)"))
    description: Localized = Field(description="one line")
    source: Source


class ChaptersFile(Strict):
    chapters: list[Chapter] = Field(min_length=1)



# --- mandates.yml ----------------------------------------------------------

class MandateCategory(str, Enum):
    national_law = "national-law"      # required by national law, strategy or government instruction
    encouraged = "encouraged"          # national policy encourages local action
    wider_mandate = "wider-mandate"    # no prevention mandate; acts under a wider one (public safety, crime prevention...)
    no_mandate = "no-mandate"


class Region(str, Enum):
    africa = "africa"
    asia = "asia"
    europe = "europe"
    middle_east = "middle-east"
    north_america = "north-america"
    latin_america = "latin-america"
    oceania = "oceania"


class Mandate(Strict):
    id: Slug
    country: Localized
    summary: Localized
    category: MandateCategory
    region: Region
    source: Source


class MandatesFile(Strict):
    mandates: list[Mandate] = Field(min_length=1)



# --- cases.yml -------------------------------------------------------------

class Currency(str, Enum):
    GBP = "GBP"
    USD = "USD"
    EUR = "EUR"


Qualifier = Literal["more-than", "about"]


class _Figure(Strict):
    label: Localized
    qualifier: Qualifier | None = Field(default=None, description="'more-than' renders 'more than 30'")


class AmountFigure(_Figure):
    type: Literal["amount"]
    value: Annotated[float, Field(strict=False, ge=0)]
    currency: Currency = Field(description="ISO 4217 code")


class PercentageFigure(_Figure):
    type: Literal["percentage"]
    value: Annotated[float, Field(ge=0, le=100)]


class CountFigure(_Figure):
    type: Literal["count"]
    value: Annotated[int, Field(strict=True, ge=0)]


Figure = Annotated[Union[AmountFigure, PercentageFigure, CountFigure], Field(discriminator="type")]


def _one_or_many(value) -> str:
    # A list is validated as a list only, so an error names the bad entry, not "not a string".
    return "many" if isinstance(value, list) else "one"


class Case(Strict):
    id: Slug
    city: Localized | None = Field(default=None, description="omit for a country-level example")
    country: Localized
    year: Annotated[int, Field(strict=True, ge=1900, le=2100)] | None = None
    title: Localized
    summary: Localized
    figures: list[Figure] = Field(default_factory=list)
    chapters: list[Annotated[int, Field(strict=True)]] = Field(min_length=1, description="related chapter numbers (chapters.yml)")
    source: Annotated[
        Union[Annotated[Source, Tag("one")], Annotated[list[Source], Field(min_length=2), Tag("many")]],
        Discriminator(_one_or_many),
    ] = Field(description=(
        "one source, or a list when one example draws on several (the first decides the cases "
        "index's 'Taken from' column; the box names them all)"))

    @property
    def sources(self) -> list[str]:
        return [self.source] if isinstance(self.source, str) else list(self.source)


class CasesFile(Strict):
    cases: list[Case] = Field(min_length=1)



# --- questions.yml ---------------------------------------------------------

class QuestionList(Strict):
    id: Slug
    chapter: Annotated[int, Field(strict=True)]
    title: Localized | None = Field(default=None, description="box heading; default: 'Key questions and considerations'")
    from_text: bool = Field(default=False, description=(
        "true when the questions come from the chapter's running text, not from one of the guide's "
        "'Key questions and considerations' boxes: the box is then labelled as questions from the text"))
    questions: list[Localized] = Field(min_length=1)
    source: Source


class QuestionsFile(Strict):
    lists: list[QuestionList] = Field(min_length=1)



# --- glossary.yml ----------------------------------------------------------

# An acronym (NLC, P/CVE, OSCE): capitals, with / & . between them; never an
# ordinary word (every "The" on every page would get the term's tooltip).
Abbreviation = Annotated[str, StringConstraints(strict=True, pattern=r"^[A-Z][A-Z/&.]*[A-Z]$", max_length=12)]


# The glossary's acronyms (NLC, P/CVE) are the English names' own: their
# tooltips and lang attribute name that language, on every page.
ABBR_LANGUAGE = "en"


class Term(Strict):
    id: Slug
    term: Localized
    abbr: Abbreviation | None = Field(default=None, description="Latin acronym; becomes a site-wide <abbr> tooltip")
    definition: Localized
    definition_by: Literal["guide", "editors"] = Field(default="guide", description=(
        "guide: the definition restates the guide's own (see `source`); editors: the guide uses "
        "the term without defining it, and the definition is this site's explanation"))
    source: Source


class GlossaryFile(Strict):
    terms: list[Term] = Field(min_length=1)



# --- termbase.yml ----------------------------------------------------------

def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as error:
        raise ValueError(f"not a valid regular expression: {error}") from None
    return value


class TermVariant(Strict):
    """A wording to avoid. ``text`` is a word or phrase, matched as Arabic
    writes it (with و ف ب ك ل ال in front and a pronoun suffix at the end);
    ``pattern`` is a regular expression on the raw text (spelling rules).
    With ``before``/``after`` the variant counts only when one of those words
    is among the three words before/after it in the same clause; with
    ``unless_before``/``unless_after`` it does not count when one of those
    words is there (the wording's other, legitimate sense)."""

    text: Text | None = Field(default=None, description="word or phrase to avoid (matched with Arabic clitics and suffixes)")
    pattern: Annotated[str, AfterValidator(_regex)] | None = Field(
        default=None, description="regular expression on the raw text, for spelling rules")
    exact: bool = Field(default=False, description="match `text` without an added article or pronoun suffix")
    use: Text | None = Field(default=None, description="what to write instead (default: the concept's preferred term)")
    before: list[Text] = Field(default_factory=list, description="counts only after one of these words (within 3 words)")
    after: list[Text] = Field(default_factory=list, description="counts only before one of these words (within 3 words)")
    unless_before: list[Text] = Field(default_factory=list,
                                      description="does not count after one of these words (within 3 words): another sense")
    unless_after: list[Text] = Field(default_factory=list,
                                     description="does not count before one of these words (within 3 words): another sense")

    @model_validator(mode="after")
    def _one_of_text_or_pattern(self):
        if (self.text is None) == (self.pattern is None):
            raise ValueError("give exactly one of 'text' or 'pattern'")
        return self


class TermConcept(Strict):
    id: Slug
    kind: Literal["term", "spelling"] = Field(default="term", description="term: a concept; spelling: a writing rule")
    en: Text = Field(description="English term (or the rule's name)")
    ar: Text = Field(description="the one preferred Arabic term (or the preferred spelling)")
    avoid_ar: list[TermVariant] = Field(default_factory=list, description="Arabic wordings the checks reject")
    avoid_en: list[TermVariant] = Field(default_factory=list, description="English wordings the checks reject")
    note: Localized | None = None
    source: Source | Literal["house-style"] = Field(description="where the preferred term comes from")


class TermbaseFile(Strict):
    concepts: list[TermConcept] = Field(min_length=1)



# --- ui.yml ----------------------------------------------------------------

UiKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$")]


class UiFile(RootModel[dict[UiKey, Localized]]):
    """Flat mapping: key -> {ar, en}. Keys are dotted, e.g. ``case.label``."""

    model_config = ConfigDict(json_schema_extra={"additionalProperties": False})


class FrontMatter(Strict):
    """The front matter of a page (``docs/<lang>/*.md``), checked before every build."""

    title: Annotated[Text, Field(description="the page title, same text as the # heading; quote it if it has a colon")]
    description: Annotated[Text, Field(description="one line for search results and the home page")]
    status: Annotated[Literal["complete", "summary"], Field(
        description="summary: the sources give only an outline; readers see a note")]
    hide: Annotated[list[Literal["navigation", "toc", "footer", "path", "tags", "feedback"]] | None, Field(
        description="Material's hide: parts of the page layout to leave out")] = None


# file stem -> (model, record noun used in messages, the record list's key,
# fields that must be unique across records). Uniqueness is checked by the
# loader, which knows the line of the repeated record.
FILES: dict[str, tuple[type[BaseModel], str, str | None, tuple[str, ...]]] = {
    "chapters": (ChaptersFile, "chapter", "chapters", ("number", "slug")),
    "mandates": (MandatesFile, "mandate", "mandates", ("id",)),
    "cases": (CasesFile, "case", "cases", ("id",)),
    "questions": (QuestionsFile, "question list", "lists", ("id",)),
    "glossary": (GlossaryFile, "term", "terms", ("id", "abbr")),
    "termbase": (TermbaseFile, "concept", "concepts", ("id",)),
    "ui": (UiFile, "key", None, ()),
}
