"""Freshness check: no sentence of the pages or data follows a source sentence,
and no paragraph follows a source passage's order.

    GUIDE_SEEDS_DIR=/work/shared/seeds python -m tools freshness
    python -m tools freshness                    # this worktree
    python -m tools freshness --root /work/i12a  # another checkout
    python -m tools freshness docs/ar/mapping.md --show-scores

Our first content rule: facts carry over from the sources, sentences do not.
The older test caught eight-word verbatim runs only; a machine translation
with synonyms swapped in passes that. This check compares every Arabic
sentence of ``docs/ar/*.md`` and of the data files' text with every sentence
of the seeds, after normalisation:

* spelling folded (diacritics, tatweel, أ إ آ → ا, ة → ه, ى → ي), Arabic-Indic
  digits read as Latin digits;
* clitics and common suffixes stripped (و ف ب ك ل ال; ها هم ات ون ين …), so
  «ومدينتها» and «المدينة» are the same content word;
* stop words dropped (particles, pronouns, auxiliaries).

Each content word is weighted by how rare it is in the seeds (inverse
document frequency over the seed sentences), so the guide's everyday words
(المدينة، الوقاية، التطرف) count for little and a sentence is not flagged for
sharing its topic, names and figures. A page sentence is a *close follower*
of a seed sentence when

* the weighted share of content words they have in common is high on both
  sides (the F-measure of the two shares is at least ``THRESHOLD``: both
  sentences are mostly made of the other's words), with at least
  ``MIN_SHARED`` shared words; or
* they share a run of ``RUN`` or more content words (not names or terms) in
  the same order, with an overlap of at least ``RUN_SCORE`` (a source clause
  with its function words changed).

A whole paragraph is also compared with each seed passage (one seed sentence,
or two adjacent ones): a paragraph whose sentences are each fresh but that
walks through one source passage, clause by clause, is a *passage follower*
when its weighted overlap with the passage reaches ``PASSAGE_THRESHOLD``.

A third rule (issue 21) looks at order rather than shared words: every
paragraph, list item and data text is aligned with stretches of the seeds
and fails when its words follow a seed passage's order well beyond chance
(order score ``ORDER_THRESHOLD`` = 0.15 or more; see "order" below). It
catches passages that walk a source clause by clause with synonyms swapped,
which share too few exact words for the first two rules. Its chain rule
counts the words that keep a seed stretch's order, beyond chance, so a walk
with synonyms no list knows still fails when the few words it keeps stay in the
seed's order (``CHAIN_EXCESS`` = 2.5 words, ``CHAIN_Z`` = 3.1).

Near-synonyms that machine translations and light rewrites swap for each
other (``SYNONYMS``) count as one word. The thresholds were tuned on the
Arabic Strategy chapter as it stood before issue 12 (it flags about 40 of its
sentences) and on fresh sentences that carry the same facts (they pass); see
``tests/test_editorial.py``.

English text is not compared: the seeds are Arabic only and there is no
English source here to compare with; the parity check keeps every English
paragraph beside its Arabic one, so a flagged Arabic paragraph is rewritten in
both languages.

The seeds are not part of the repository: they are found in ``GUIDE_SEEDS_DIR``
or ``../shared/seeds`` beside the checkout.
"""

from __future__ import annotations

import bisect
import math
import os
import random
import re
import sys
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from guide import languages
from guide.editorial.arabic import fold, strip_clitics

ROOT = Path(__file__).resolve().parents[2]
SEEDS_ENV = "GUIDE_SEEDS_DIR"

THRESHOLD = 0.38  # weighted content-word overlap (F-measure of both sides' shares)
MIN_SHARED = 4    # content words two sentences must share to be compared at all
RUN = 5           # shared content words in the same order, contiguous in both ...
RUN_SCORE = 0.3   # ... with at least this overlap
MIN_WORDS = 4     # page sentences with fewer content words are not compared
# Passages: a paragraph whose sentences are each fresh can still walk through
# one seed passage (a seed sentence, or two adjacent ones) clause by clause.
# Tuned like the sentence rule: the old Strategy chapter's followed passages
# score up to 0.65, today's fresh paragraphs at most 0.30 once the two the
# second editorial review named were rewritten.
PASSAGE_THRESHOLD = 0.33
PASSAGE_MIN_SHARED = 6
MIN_SEED_WORDS = 6  # shorter seed "sentences" are headings and names
FACT_WEIGHT = 0.3   # weight of a word of a name or term (facts may be repeated)

_STOP = set(fold(w) for w in """
في من إلى الى على عن مع أو او ثم أن إن ان إذ إذا اذا كان كانت يكون تكون كانوا يكن ليس ليست
التي الذي الذين اللتي اللذين اللواتي هذا هذه ذلك تلك هؤلاء أولئك هو هي هم هن هما نحن أنت
ما لا لم لن قد لقد كل بعض غير بين عند حيث كما أي اي أيضا ايضا مثل ذات ذو كذلك
به بها له لها لهم لهن منها منه منهم فيها فيه فيهم عليها عليه عليهم إليها اليها إليه اليه
حتى بل لكن لكنه لكنها إلا الا سوف هناك هنا نحو لدى ضمن خلال قبل بعد دون سواء أكثر اكثر
أقل اقل كيف لماذا متى أين اين وقد وقد فقد إنه انه أنه إنها انها أنها عبر تجاه أمام وراء
قد تم يتم تمت هنا كذا إما اما أما أم بأن بان لأن لان كي
جدا فقط أيضًا مثلا مثلًا وغيرها غيرها وغير سبيل المثال إطار اطار ذلك وذلك فذلك عدة عدد
""".split())

_WORD = re.compile(rf"[\u0621-\u064A\u064B-\u065F\u0670\u0640]+|[0-9{languages.ARABIC_INDIC_DIGITS}]+")
_SENTENCE_END = re.compile(r"(?<=[.!؟?؛])\s+|\n\s*\n|(?<=[.!؟?؛])$")


# Near-synonyms a machine translation and a light rewrite swap for each other:
# each group counts as one content word, so swapping them does not hide a
# follower. (Words of one group, first the key.)
SYNONYMS = """
واضح بديهي جلي شكلي
حقيقي فعلي واقعي
مدى نطاق حدود
آثار أثر تأثير انعكاس عواقب تترك
تستطيع يمكن بإمكان بوسع قادر تقدر
تأمين حصول نيل
تتطلب تحتاج يستلزم تستلزم يقتضي احتياج حاجة
مهم أهمية ضروري أساسي جوهري
وكالة جهة جهاز أجهزة دائرة إدارة هيئة
مشاركة إشراك انخراط مساهمة
تطوير وضع إعداد صياغة بناء
نهج مقاربة أسلوب منهج
فعال ناجح ناجع فعالية نجاح
تحدي صعوبة عقبة عائق
يعالج معالجة يتصدى تصدي يواجه مواجهة
أفراد أشخاص
دعم مساندة تعزيز تقوية
التزام تعهد
إدراك وعي فهم معرفة
أولوية أولويات
غموض التباس
كبير واسع عريض
جميع كافة كل
مختلف متنوع شتى عدة
ينبغي يجب يتعين لابد
إطلاع مشاركة
استياء إحباط ضيق
"""


def _synonym_map() -> dict[str, str]:
    out = {}
    for line in SYNONYMS.strip().splitlines():
        words = [_stem(fold(w)) for w in line.split()]
        for w in words[1:]:
            out.setdefault(w, words[0])
    return out


def content_words(text: str) -> list[str]:
    """The sentence's content words, folded, stemmed, without stop words."""
    out = []
    text = re.sub("ًا|اً", "", languages.latin_digits(text))  # tanwin fath and its alif
    for word in _WORD.findall(text):
        if word.isdigit():
            out.append(word)
            continue
        w = fold(word)
        if w in _STOP or len(w) < 3:
            continue
        stem = _stem(w)
        if stem in _STOP or len(stem) < 2:
            continue
        out.append(_SYNONYM_OF.get(stem, stem))
    return out


def _stem(word: str) -> str:
    """Crude but robust key for a folded word: clitics and suffixes off, the
    imperfect prefix off, the feminine ending off, then the first five letters
    (so يتطلب/تتطلب/المتطلبات and الحكومي/الحكومية fall together)."""
    s = strip_clitics(word)
    if len(s) >= 5 and s[0] in "يتنا":
        s = s[1:]
    if s.endswith("ه") and len(s) >= 4:
        s = s[:-1]
    if s.endswith("ا") and len(s) >= 3:  # مداه / مدى
        s = s[:-1] + "ي"
    return s[:5]


_SYNONYM_OF: dict[str, str] = {}
_SYNONYM_OF.update(_synonym_map())


@dataclass
class Sentence:
    text: str
    line: int
    words: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.words = content_words(self.text)
        self.bag = set(self.words)


@dataclass(frozen=True)
class Follower:
    path: str
    line: int
    sentence: str
    seed: str
    seed_file: str
    score: float
    run: int
    passage: bool = False  # a whole paragraph against a seed passage

    def __str__(self) -> str:
        if self.passage:
            return (f"{self.path}:{self.line}: paragraph follows a source passage too closely "
                    f"(overlap {self.score:.2f}): «{_short(self.sentence)}» ~ "
                    f"{self.seed_file}: «{_short(self.seed)}»")
        return (f"{self.path}:{self.line}: follows a source sentence too closely "
                f"(overlap {self.score:.2f}, run {self.run}): «{_short(self.sentence)}» ~ "
                f"{self.seed_file}: «{_short(self.seed)}»")


def _short(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def split_sentences(text: str, first_line: int = 1) -> list[Sentence]:
    """Sentences of a block of prose, each with the line it starts on."""
    out, pos = [], 0
    for match in list(_SENTENCE_END.finditer(text)) + [None]:
        end = match.start() if match else len(text)
        chunk = text[pos:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            line = first_line + text.count("\n", 0, pos + lead)
            out.append(Sentence(" ".join(chunk.split()), line))
        if match is None:
            break
        pos = match.end()
    return out


# --- the seeds ---------------------------------------------------------------

def default_seeds_dir(root: Path = ROOT) -> Path:
    return Path(os.environ.get(SEEDS_ENV) or Path(root).parent / "shared" / "seeds")


@dataclass
class SeedIndex:
    sentences: list[tuple[str, Sentence]]  # (seed file name, sentence)
    idf: dict[str, float]
    facts: set[str] = field(default_factory=set)
    passages: list[tuple[str, set[str], str]] = field(default_factory=list)

    def weight(self, word: str) -> float:
        return self.idf.get(word, self.max_idf)

    @property
    def max_idf(self) -> float:
        return max(self.idf.values()) if self.idf else 1.0


def load_seeds(seeds_dir: Path, facts: set[str] = frozenset()) -> SeedIndex:
    sentences = []
    for path in sorted(Path(seeds_dir).glob("*.txt")):
        for s in split_sentences(path.read_text(encoding="utf-8")):
            if len(s.bag) >= MIN_SEED_WORDS:
                sentences.append((path.name, s))
    n = len(sentences)
    df = Counter(w for _, s in sentences for w in s.bag)
    idf = {w: math.log((n + 1) / (c + 1)) + 0.1 for w, c in df.items()}
    # Figures are facts a fresh sentence may repeat: they count, but little.
    for w in idf:
        if w.isdigit():
            idf[w] = min(idf[w], 0.5)
        if w in facts:
            idf[w] = min(idf[w], FACT_WEIGHT)
    index = SeedIndex(sentences, idf)
    index.facts = set(facts)
    index.passages = seed_passages(index)
    return index


def fact_texts(data_dir: Path) -> list[str]:
    """The names and terms in the data (termbase terms and the terms its notes
    quote, glossary terms, chapter titles, countries, cities, case titles, the
    site's title): facts that any fresh sentence may repeat, so they weigh
    little and break a run."""
    texts = []

    def collect(node, keys):
        if isinstance(node, dict):
            for k, v in node.items():
                if k in keys and isinstance(v, dict) and isinstance(v.get("ar"), str):
                    texts.append(v["ar"])
                elif k == "ar" and "ar" in keys and isinstance(v, str):
                    texts.append(v)
                else:
                    collect(v, keys)
        elif isinstance(node, list):
            for v in node:
                collect(v, keys)

    for stem, keys in (("termbase", {"ar"}), ("glossary", {"term"}), ("chapters", {"title"}),
                       ("cases", {"title", "city", "country"}), ("mandates", {"country"})):
        path = Path(data_dir) / f"{stem}.yml"
        if not path.exists():
            continue
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError:
            continue
        if stem == "termbase":
            for c in (data or {}).get("concepts", []):
                if isinstance(c, dict):
                    texts.append(str(c.get("ar", "")))
                    # terms quoted «…» in a note are names and terms too
                    texts += re.findall(r"«([^»]+)»", str((c.get("note") or {}).get("ar", "")))
        else:
            collect(data, keys)
    # The guide's own Arabic title (mkdocs.yml site_name) is a name too.
    config = Path(data_dir).parent / "mkdocs.yml"
    if config.exists():
        texts += re.findall(r'^site_name:\s*"?([^"\n]+)"?', config.read_text(encoding="utf-8"), re.M)
    return [str(t) for t in texts]


def fact_words(data_dir: Path) -> set[str]:
    """Content words of the names and terms in the data (see ``fact_texts``)."""
    return {w for t in fact_texts(data_dir) for w in content_words(t)}


def longest_run(a: list[str], b: list[str]) -> int:
    """Longest run of content words that appears contiguously, in order, in both."""
    best = 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            if x == y:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best:
                    best = cur[j]
        prev = cur
    return best


def compare(sentence: Sentence, seeds: SeedIndex) -> tuple[float, int, str, str] | None:
    """Closest seed sentence: (overlap score, run, seed text, seed file), or None."""
    if len(sentence.bag) < MIN_WORDS:
        return None
    if len([w for w in sentence.bag if w not in seeds.facts]) < MIN_WORDS:
        return None  # a label made of names and titles (e.g. the guide's own title), not prose
    best = None
    total = sum(seeds.weight(w) for w in sentence.bag)
    for name, seed in seeds.sentences:
        shared = sentence.bag & seed.bag
        if len(shared) < MIN_SHARED:
            continue
        w_shared = sum(seeds.weight(w) for w in shared)
        w_seed = sum(seeds.weight(w) for w in seed.bag)
        p, r = w_shared / total, w_shared / w_seed
        score = 2 * p * r / (p + r)
        run = longest_run([w for w in sentence.words if w not in seeds.facts],
                          [w for w in seed.words if w not in seeds.facts])
        key = (is_follower(score, run), score, run)
        if best is None or key > best[0]:
            best = (key, score, run, seed.text, name)
    if best is None:
        return None
    return best[1], best[2], best[3], best[4]


def is_follower(score: float, run: int) -> bool:
    return score >= THRESHOLD or (run >= RUN and score >= RUN_SCORE)


# --- what we write -------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{:[^}]*\}", re.S)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# [ \t]*, not \s*: a blank line before a heading must stay, or line numbers drift.
_MARKUP = re.compile(r"^[ \t]*(?:#+|!!!\s*\w+|\?\?\?\s*\w+|[-*+]|\d+\.|>)[ \t]*|\*\*|__|`[^`]*`|<[^>]+>", re.M)


def page_prose(path: Path) -> str:
    """A Markdown page as prose, same line count: markup and macro calls blanked."""
    text = path.read_text(encoding="utf-8")
    text = _MACRO.sub(lambda m: "\n" * m.group().count("\n"), text)
    text = _LINK.sub(r"\1", text)
    text = _MARKUP.sub(" ", text)
    # headings, list items and admonition titles end a sentence
    return re.sub(r"[\"']?\n(?=\s*\n)", ".\n", text)


def page_paragraphs(path: Path) -> list[list[Sentence]]:
    """The sentences of each paragraph of a page. Data values are short
    summaries made mostly of facts: they are compared sentence by sentence only."""
    if path.suffix != ".md":
        return []
    return [split_sentences(block, start) for start, block in _blocks(page_prose(path))]


def page_sentences(path: Path) -> list[Sentence]:
    out = []
    for block_start, block in _blocks(page_prose(path)):
        out += split_sentences(block, block_start)
    return out


def _blocks(text: str):
    """Paragraphs (blank-line separated) with their first line."""
    line = 1
    for block in re.split(r"(\n\s*\n)", text):
        if block.strip() and not re.fullmatch(r"\n\s*\n", block):
            yield line, block
        line += block.count("\n")


def data_sentences(path: Path) -> list[Sentence]:
    """Sentences of every text value in a YAML file, at the value's line."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return []  # the data check reports it
    out = []

    def walk(n):
        if isinstance(n, yaml.MappingNode):
            for _k, v in n.value:
                walk(v)
        elif isinstance(n, yaml.SequenceNode):
            for v in n.value:
                walk(v)
        elif isinstance(n, yaml.ScalarNode) and re.search("[\u0621-\u064A]", n.value or ""):
            out.extend(split_sentences(n.value, n.start_mark.line + 1))
    walk(node)
    return out


def seed_passages(seeds: SeedIndex) -> list[tuple[str, set[str], str]]:
    """(seed file, content words, text) of each seed sentence and of each pair
    of adjacent seed sentences in the same file."""
    out = []
    for i, (name, sentence) in enumerate(seeds.sentences):
        out.append((name, sentence.bag, sentence.text))
        if i + 1 < len(seeds.sentences) and seeds.sentences[i + 1][0] == name:
            following = seeds.sentences[i + 1][1]
            out.append((name, sentence.bag | following.bag, f"{sentence.text} {following.text}"))
    return out


def compare_passage(paragraph: list[Sentence], seeds: SeedIndex) -> tuple[float, str, str] | None:
    """Closest seed passage to a paragraph: (overlap score, seed text, seed file), or None."""
    bag = set().union(*(s.bag for s in paragraph)) if paragraph else set()
    if len([w for w in bag if w not in seeds.facts]) < 2 * MIN_WORDS:
        return None
    total = sum(seeds.weight(w) for w in bag)
    best = None
    for name, passage, text in seeds.passages:
        shared = bag & passage
        if len(shared) < PASSAGE_MIN_SHARED:
            continue
        w_shared = sum(seeds.weight(w) for w in shared)
        p, r = w_shared / total, w_shared / sum(seeds.weight(w) for w in passage)
        score = 2 * p * r / (p + r)
        if best is None or score > best[0]:
            best = (score, text, name)
    return best


def files_to_check(root: Path) -> list[Path]:
    files = sorted((root / "docs" / "ar").glob("*.md"))
    files += sorted(p for p in (root / "data").glob("*.yml") if p.name != "termbase.yml")
    return files


def sentences_of(path: Path) -> list[Sentence]:
    return page_sentences(path) if path.suffix == ".md" else data_sentences(path)


def check_file(path: Path, name: str, seeds: SeedIndex, show_all: bool = False) -> list[Follower]:
    out = []
    for sentence in sentences_of(path):
        result = compare(sentence, seeds)
        if result is None:
            continue
        score, run, seed_text, seed_file = result
        if show_all or is_follower(score, run):
            out.append(Follower(name, sentence.line, sentence.text, seed_text, seed_file, score, run))
    flagged = {f.line for f in out if is_follower(f.score, f.run)}
    for paragraph in page_paragraphs(path):
        if not paragraph or any(s.line in flagged for s in paragraph):
            continue  # already reported sentence by sentence
        result = compare_passage(paragraph, seeds)
        if result and (show_all or result[0] >= PASSAGE_THRESHOLD):
            text = " ".join(s.text for s in paragraph)
            out.append(Follower(name, paragraph[0].line, text, result[1], result[2], result[0], 0, passage=True))
    return out


def _named_files(root: Path, paths: list[Path] | None):
    """``(path, name as reported)`` of the files to check: ``paths`` or every page and data file."""
    root = Path(root).resolve()
    for path in paths or files_to_check(root):
        path = path if path.is_absolute() else root / path
        try:
            yield path, path.resolve().relative_to(root).as_posix()
        except ValueError:
            yield path, str(path)


def check(root: Path, seeds: SeedIndex, paths: list[Path] | None = None) -> list[Follower]:
    return [f for path, name in _named_files(root, paths) for f in check_file(path, name, seeds)]


# --- order: aligned content-word sequences (issue 21) ---------------------------
#
# The rules above look at which words a sentence shares with a seed sentence.
# A passage that walks a source clause by clause with synonyms swapped shares
# few exact words (it passed them at 0.20-0.37), but what it does share comes
# in the source's order. This rule looks at that order. Every paragraph (and
# list item) of ``docs/ar/*.md`` and every Arabic text value of ``data/*.yml``
# is one unit; its content words are aligned with a stretch of a seed that
# starts at a seed sentence and is about one and a half times as long:
#
# * words are matched loosely: clitics, pronoun and plural suffixes and the
#   verb prefixes off, the long vowels and the infix ت out (a rough root, so
#   «تحسين» and «يحسّن», «المجتمعات» and «الجماعات» match), and near-synonyms
#   (``ORDER_SYNONYMS``: جهة/وكالة/إدارة، عيب/سلبيات …) count as one word;
# * a name or term of the data (case titles, glossary and termbase terms…)
#   counts as one word of low weight, so repeating it is not a walk; other
#   words weigh by how rare they are in the seeds;
# * the aligned weight is the weighted longest common subsequence (the most
#   weight that appears in the same order on both sides);
# * the paragraph's words are then shuffled (``ORDER_SHUFFLES`` times, with a
#   fixed seed) and aligned again: what a paragraph that shares the same words
#   in no particular order gets by chance.
#
# The *order score* is the aligned weight minus its chance value, as a share
# of the paragraph's weight: how much of the paragraph follows the seed's
# order beyond chance. A unit is a *walk* when the score reaches
# ``ORDER_THRESHOLD`` and is also clearly more than chance (``ORDER_Z``
# standard deviations of the shuffled values), so a short label that happens
# to share three words in order is not reported. Each run of one to three
# sentences of a unit is scored the same way (a long paragraph may walk the
# source in two of its sentences), and the whole unit may be cut once at a
# sentence end (telling the source's two halves the other way round is still
# a walk). The walk is reported at the line where it starts.
#
# Tuning (issue 21): the fresh sentences the overlap rules were tuned on
# (``FRESH`` in tests/test_editorial.py) score at most 0.14; the planted walk
# of the tests 0.24; the walks found in the tree of issue 21 0.15-0.35 (30
# texts; about 20 more between 0.12 and 0.15, listed in /work/notes/freshness-flags.txt).

# The *chain* rule (issue 21, second round) counts instead of weighing. A walk
# whose writer swapped most words for synonyms the list above does not know
# keeps only a few words of the seed, and the order score, a share of the whole
# paragraph's weight, stays low however faithfully those few words keep the
# seed's order (a planted walk of the legal-basis passage: 0.06). What is left
# is the order itself: the unit's plain words (not names, terms or figures) that
# match a seed stretch are chained in the seed's order (the longest common
# subsequence, every word counting one), and the chain is compared with the
# chains of the same words shuffled (``CHAIN_SHUFFLES`` times). A unit fails
# when its chain is ``CHAIN_EXCESS`` or more words longer than chance and
# ``CHAIN_Z`` standard deviations above it: a handful of words that keep the
# seed's order by chance is common, a clause-by-clause walk is not.
# Function words were tried as well (weighted into the alignment, and as a
# clause-by-clause alignment of their sequences): they raised fresh text as
# much as walks (the FRESH sentences from 0.13 to 0.18-0.21), since any two
# Arabic passages share من، في، أن in much the same order, so they are left out.
# Tuning (``tests/test_editorial.py``): the planted walk scores 3.0 (z 3.6),
# the fresh sentences 1.4, the rewrites of the same facts in the tests 0.5 and
# -0.9. In the tree of this round three units reach 2.5 at z 3.5 or more, and
# the third review had called all three walks: Strategy's "building on what exists"
# (4.0) and existing-network option (2.6), and the Charlotte case (2.8). Next
# come the Bangladesh row (2.6 at z 2.8: it tells the seed bullet's two halves
# the other way round, and its list of mechanisms is the fact) and Strategy's
# resourcing paragraph (2.6 at z 2.9), then nothing above 2.3. The margin is
# thin: the rule is a net for clause-by-clause walks, not a proof of fresh
# text, and a second planted walk (the consultation passage) scores 2.4.

ORDER_THRESHOLD = 0.15  # order score (in-order share beyond chance) that fails a unit
ORDER_Z = 2.5           # ... and how far above the shuffled alignments it must be
ORDER_MIN_WORDS = 8     # units with fewer content words are not compared,
ORDER_MIN_PLAIN = 4     # ... nor units with fewer words outside names, terms and figures
ORDER_SPAN_WORDS = 12   # a run of sentences inside a unit is scored on its own from this length
ORDER_SHUFFLES = 20
ORDER_CANDIDATES = 6    # seed stretches aligned per unit (those sharing the most weight)
ORDER_NAME_WEIGHT = 0.3
CHAIN_EXCESS = 2.5      # plain words in the seed's order beyond chance that fail a unit ...
CHAIN_Z = 3.1           # ... when also this many standard deviations above chance
CHAIN_MIN_MATCHED = 5   # units with fewer plain words matching a stretch are not chained
CHAIN_SHUFFLES = 100

# Near-synonyms for the order rule (each line one word; the first is the key).
# Matched on the light stem, so list the words as they stand after the article.
ORDER_SYNONYMS = """
واضح بديهي جلي
حقيقي فعلي واقعي
مدى نطاق
آثار أثر تأثير انعكاس عواقب
تستطيع يمكن بإمكان بوسع قادر تقدر
تأمين حصول نيل
تتطلب تحتاج يستلزم يقتضي حاجة
مهم أهمية ضروري أساسي جوهري
وكالة جهة جهاز إدارة دائرة هيئة قسم
مشاركة إشراك انخراط مساهمة
تطوير إعداد صياغة
نهج مقاربة منهج
فعال ناجح ناجع
تحدي صعوبة عقبة عائق
معالجة يعالج تصدي يتصدى مواجهة يواجه مكافحة
أفراد أشخاص
دعم مساندة تعزيز تقوية
التزام تعهد
إدراك وعي فهم معرفة
غموض التباس لبس
جميع كافة
مختلف متنوع شتى
ينبغي يجب يتعين
استياء إحباط
وقاية منع
ميزة إيجابيات فائدة
عيب سلبيات مأخذ
واحد فردي منفرد
تنموي إنمائي
تدهور سوء تفاقم
ضرر أذى إضرار
مجال ميدان حقل
يشير يعني
محدودة شحيحة قليلة
وفاء تفي يفي
كافية تكفي يكفي
حالية قائمة موجودة
استفادة انتفاع استثمار
إضافي مزيد
تعبئة حشد
كبير ثقيل
سلطات حكومات
عبء ضغط
مخصص مكرس
متكامل شامل
"""

_ORDER_STOP = {fold(w) for w in """
ليس ليست لديها لديه لدي لديهم شيء نفس نفسها نفسه ولا وليست ذات بشكل بشان بشأن تم يتم
وهذا وهذه هذا هذه الذي التي مجرد يكون تكون كان كانت مما بيد أمر الأمر
""".split()}
_PROCLITICS = re.compile(r"^([وف]?)([بكل]?)(ال)?")


def _light(word: str, clitics: bool = True) -> str:
    """Light stem of a folded word: proclitics, a pronoun suffix, then a plural
    or feminine ending off. With ``clitics=False`` only a prefix that ends in
    the article (ال، وال، بال، لل …) comes off: a lone initial و ف ب ك ل may be
    a letter of the word («وقاية», «فردي», «كراهية», «بلدية»)."""
    w = word
    if w.startswith("لل") and len(w) >= 5:
        w = w[2:]
    else:
        m = _PROCLITICS.match(w)
        if clitics or m.group(3):
            cut = len(m.group(0))
            if cut and len(w) - cut >= 3:
                w = w[cut:]
            elif m.group(1) and len(w) >= 4 and clitics:
                w = w[1:]
    for suffix in ("هما", "كما", "هم", "هن", "ها", "كم", "نا", "ه", "ك"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if w.endswith("ت") and len(w) >= 4 and not w.endswith("ات"):
                w = w[:-1]  # مدينتها → مدين
            break
    for suffix, keep in (("يات", 3), ("ات", 2), ("ون", 4), ("ين", 4), ("ان", 4), ("يه", 3), ("ي", 3), ("ه", 2), ("ا", 3)):
        if w.endswith(suffix) and len(w) - len(suffix) >= keep:
            w = w[: -len(suffix)]
            break
    return w


def _skeleton(stem: str) -> str:
    """A rough root: و and ي as one letter, the prefixes است/م/ت/ي/ن/ا and the
    infix ت off, the long vowels out (at least three letters kept)."""
    s = stem.replace("و", "ي")
    if len(s) >= 6 and s.startswith("است"):
        s = s[3:]
    if len(s) >= 4 and s[0] in "متينا":
        s = s[1:]
    if len(s) >= 4 and s[0] == "ت":
        s = s[1:]
    if len(s) >= 4 and s[1] == "ت":
        s = s[0] + s[2:]
    for vowel in "اي":
        t = s[0] + s[1:].replace(vowel, "")
        if len(t) >= 3:
            s = t
    return s


def _order_synonyms() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in ORDER_SYNONYMS.strip().splitlines():
        words = [fold(w) for w in line.split()]
        for w in words:
            out.setdefault(_light(w), "=" + words[0])
            out.setdefault(_light("ال" + w), "=" + words[0])
    return out


_ORDER_SYNONYM_OF = _order_synonyms()


def order_keys(word: str) -> tuple[str, ...] | None:
    """The keys under which a word is matched (two when a first و/ف may be a
    conjunction or a letter of the word), or None for a stop word."""
    if word.isdigit():
        return (word,)
    w = fold(word)
    if w in _STOP or w in _ORDER_STOP or len(w) < 3:
        return None
    a, b = _light(w), _light(w, clitics=False)
    if a in _STOP or a in _ORDER_STOP:  # لهذا، كله، وفيها
        return None
    if a in _ORDER_SYNONYM_OF or b in _ORDER_SYNONYM_OF:
        return (_ORDER_SYNONYM_OF.get(a) or _ORDER_SYNONYM_OF[b],)
    ka, kb = _skeleton(a), _skeleton(b)
    return (ka,) if ka == kb else (ka, kb)


@dataclass
class OrderVocabulary:
    """Names and terms of the data, as order keys: a multi-word one is read as
    one word (``#`` + keys); it and every word of a name or term weigh little."""
    phrases: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)  # keys of the words of names and terms

    def tokens(self, text: str, first_line: int = 1) -> list[tuple[tuple[str, ...], int, int]]:
        """(keys, line, sentence number) of each content word of ``text``,
        names and terms joined into one word."""
        raw = []
        text = re.sub("ًا|اً", "", languages.latin_digits(text))
        ends = [m.start() for m in _CLAUSE_END.finditer(text)]
        for m in _WORD.finditer(text):
            keys = order_keys(m.group())
            if keys:
                raw.append((keys, first_line + text.count("\n", 0, m.start()),
                            sum(1 for e in ends if e < m.start())))
        out, i = [], 0
        while i < len(raw):
            for phrase in self.phrases.get(raw[i][0][-1], ()):
                if len(raw) - i >= len(phrase) and all(p in t[0] for p, t in zip(phrase, raw[i:])):
                    out.append((("#" + "_".join(phrase),), raw[i][1], raw[i][2]))
                    i += len(phrase)
                    break
            else:
                out.append(raw[i])
                i += 1
        return out


def order_vocabulary(data_dir: Path) -> OrderVocabulary:
    vocab, plain = OrderVocabulary(), OrderVocabulary()
    for text in fact_texts(data_dir):
        keys = [t[0] for t in plain.tokens(str(text))]
        if len(keys) >= 2:
            vocab.phrases.setdefault(keys[0][-1], []).append(tuple(k[-1] for k in keys))
        for k in keys:
            vocab.names.add(k[-1])
    for phrases in vocab.phrases.values():
        phrases.sort(key=len, reverse=True)
    return vocab


@dataclass
class OrderIndex:
    vocab: OrderVocabulary
    # per seed file: (name, keys of its content words, start of each sentence, sentence texts)
    streams: list[tuple[str, list[tuple[str, ...]], list[int], list[str]]]
    df: Counter
    n_sentences: int
    positions: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # seed file → key → positions

    starts: dict[str, list[int]] = field(default_factory=dict)  # seed file → where each sentence starts
    texts: dict[str, list[str]] = field(default_factory=dict)   # seed file → its sentences

    def __post_init__(self):
        for name, seed, starts, texts in self.streams:
            self.starts[name], self.texts[name] = starts, texts
            index: dict[str, list[int]] = {}
            for j, k in enumerate(seed):
                for key in k:
                    index.setdefault(key, []).append(j)
            self.positions[name] = index

    def is_name(self, keys: tuple[str, ...]) -> bool:
        k = keys[-1]  # the key that keeps a lone initial و ف ب ك ل
        return k.startswith("#") or k in self.vocab.names or k.isdigit()

    def weight(self, keys: tuple[str, ...]) -> float:
        k = keys[-1]  # the key that keeps a lone initial و ف ب ك ل
        n = self.n_sentences
        idf = min(math.log((n + 1) / (self.df.get(key, 0) + 1)) for key in keys)
        weight = max(idf / math.log(n + 1), 0.05)
        if k.startswith("#") or k in self.vocab.names or k.isdigit():
            return min(weight, ORDER_NAME_WEIGHT)
        return weight


_CLAUSE_END = re.compile(r"[.!؟?؛:]\s|[.!؟?؛]$|\n\s*\n")
_SEED_SPLIT = re.compile(r"(?<=[.!؟?؛:])\s+|\n\s*•|\n")


def load_order_index(seeds_dir: Path, vocab: OrderVocabulary) -> OrderIndex:
    streams, df, n = [], Counter(), 0
    for path in sorted(Path(seeds_dir).glob("*.txt")):
        keys, starts, texts = [], [], []
        for chunk in _SEED_SPLIT.split(path.read_text(encoding="utf-8")):
            toks = [t[0] for t in vocab.tokens(chunk)]
            if not toks:
                continue
            starts.append(len(keys))
            texts.append(" ".join(chunk.split()))
            keys += toks
            df.update({key for k in toks for key in k})
            n += 1
        streams.append((path.name, keys, starts, texts))
    return OrderIndex(vocab, streams, df, n)


def _chain_weights(matches: list[list[int]], weights: list[float]) -> list[float]:
    """Weighted longest common subsequence of every prefix of the page words:
    ``out[c]`` is the heaviest chain of matches, increasing on both sides,
    among the first ``c`` words. ``matches[i]`` lists the seed positions word
    ``i`` matches, highest first (so one word never chains with itself)."""
    size = 1 + max((j for js in matches for j in js), default=0)
    tree = [0.0] * (size + 1)  # Fenwick tree: best chain ending at or before a position
    out, best = [0.0], 0.0
    for js, w in zip(matches, weights):
        for j in js:  # highest first: reading j never sees this word's own lower entries
            value, k = 0.0, j
            while k > 0:
                if tree[k] > value:
                    value = tree[k]
                k -= k & -k
            value += w
            k = j + 1
            while k <= size:
                if tree[k] < value:
                    tree[k] = value
                k += k & -k
            if value > best:
                best = value
        out.append(best)
    return out


def _aligned_weight(matches: list[list[int]], weights: list[float]) -> float:
    """Weighted longest common subsequence of the page words and the seed."""
    return _chain_weights(matches, weights)[-1]


def _aligned_with_cut(matches: list[list[int]], weights: list[float], cuts: list[int]) -> float:
    """The best of: the whole unit aligned, or the unit cut once at one of
    ``cuts`` and each part aligned on its own (its second part may come first
    in the seed)."""
    forward = _chain_weights(matches, weights)
    top = max((j for js in matches for j in js), default=0)
    mirrored = [sorted((top - j for j in js), reverse=True) for js in reversed(matches)]
    backward = _chain_weights(mirrored, weights[::-1])  # backward[k]: the last k words
    n = len(matches)
    return max([forward[n]] + [forward[c] + backward[n - c] for c in cuts])


def _span_text(text: str, tokens: list, lo: int, hi: int, whole: bool) -> str:
    """The sentences of ``text`` that hold tokens ``lo`` to ``hi``."""
    if whole:
        return " ".join(text.split())
    first, last = tokens[lo][2], tokens[hi - 1][2]
    ends = [m.end() for m in _CLAUSE_END.finditer(text)]
    start = ends[first - 1] if first > 0 else 0
    end = ends[last] if last < len(ends) else len(text)
    return " ".join(text[start:end].split())


def _matched_sentences(starts: list[int], texts: list[str], first: int, last: int, matches: list[list[int]]) -> str:
    """The seed sentences of a stretch that hold at least two of the matched words."""
    offset = starts[first]
    count = Counter()
    for js in matches:
        for j in js:
            k = first
            while k < last and starts[k + 1] <= offset + j:
                k += 1
            count[k] += 1
    held = [k for k in range(first, last + 1) if count[k] >= 2] or [first]
    return " ".join(texts[held[0]:held[-1] + 1])


@dataclass(frozen=True)
class OrderResult:
    score: float      # in-order weight beyond chance, as a share of the unit's weight
    z: float          # how many standard deviations above the shuffled alignments
    seed_file: str
    seed_text: str
    line_offset: int  # line of the first aligned word, relative to the unit
    text: str = ""    # the sentences of the unit that follow the seed (the whole unit, or a run of sentences)
    chain: float = 0.0    # plain words in the seed's order beyond chance (the chain rule)
    chain_z: float = 0.0  # ... in standard deviations of the shuffled chains

    @property
    def weighted_walks(self) -> bool:
        return self.score >= ORDER_THRESHOLD and self.z >= ORDER_Z

    @property
    def chain_walks(self) -> bool:
        return self.chain >= CHAIN_EXCESS and self.chain_z >= CHAIN_Z

    @property
    def walks(self) -> bool:
        return self.weighted_walks or self.chain_walks


def _stretches(keys: list, weights: list[float], index: OrderIndex) -> list[tuple]:
    """The seed stretches a run of page words is aligned with: from each seed
    sentence start, one and a half times as many content words as the run
    (plus ten). The ``ORDER_CANDIDATES`` stretches that share the most weight
    with the run (a word counts once) are returned as (seed file, first and
    last sentence, the seed positions each page word matches there)."""
    length = int(1.5 * len(keys)) + 10
    ranked = []
    for name, _seed, starts, _texts in index.streams:
        positions = index.positions[name]
        shared = [0.0] * len(starts)
        for k, w in zip(keys, weights):
            reached = -1  # the last sentence start already credited with this word
            for j in sorted({j for key in k for j in positions.get(key, ())}):
                lo = bisect.bisect_left(starts, j - length + 1)  # starts s with s <= j < s + length
                hi = bisect.bisect_right(starts, j)
                for si in range(max(lo, reached + 1), hi):
                    shared[si] += w
                reached = max(reached, hi - 1)
        ranked += [(value, name, si) for si, value in enumerate(shared) if value]
    ranked.sort(key=lambda c: -c[0])
    out = []
    for _value, name, si in ranked[:ORDER_CANDIDATES]:
        starts = index.starts[name]
        positions = index.positions[name]
        start, end = starts[si], starts[si] + length
        matches = [sorted({j - start for key in k for j in positions.get(key, ()) if start <= j < end}, reverse=True)
                   for k in keys]
        last = si
        while last + 1 < len(starts) and starts[last + 1] < end:
            last += 1
        out.append((name, si, last, matches))
    return out


def order_compare(text: str, index: OrderIndex, first_line: int = 1) -> OrderResult | None:
    """How far the unit (or a run of its sentences) follows the order of a seed
    passage; None for a unit too short to compare."""
    tokens = index.vocab.tokens(text, first_line)
    if len(tokens) < ORDER_MIN_WORDS:
        return None
    keys = [t[0] for t in tokens]
    weights = [index.weight(k) for k in keys]
    named = [index.is_name(k) for k in keys]

    def plain(lo: int, hi: int) -> int:  # words outside names, terms and figures
        return hi - lo - sum(named[lo:hi])

    if plain(0, len(keys)) < ORDER_MIN_PLAIN:
        return None  # a list of names, titles and dates
    # A passage that walks the source clause by clause but tells it in two
    # parts, the second part of the source first, is still a walk: the whole
    # unit may be cut once, at a sentence end, and each part aligned on its own.
    cuts = sorted({i for i in range(1, len(tokens)) if tokens[i][2] != tokens[i - 1][2]})
    # The whole unit is scored, and so is each run of one to three of its
    # sentences long enough to compare, against seed stretches of its own
    # size: a long paragraph that walks the source in two of its sentences and
    # says something of its own in the rest is reported where the walk starts.
    spans = [(0, len(tokens), True)]
    bounds = [0] + cuts + [len(tokens)]
    for a_ in range(len(bounds) - 1):
        for b_ in range(a_ + 1, min(a_ + 4, len(bounds))):
            lo, hi = bounds[a_], bounds[b_]
            if (lo, hi) != (0, len(tokens)) and hi - lo >= ORDER_SPAN_WORDS and plain(lo, hi) >= ORDER_MIN_PLAIN:
                spans.append((lo, hi, False))
    rng = random.Random(zlib.crc32(text.encode("utf-8")))
    best = None
    for lo, hi, whole in spans:
        w = weights[lo:hi]
        span_total = sum(w)
        align = (lambda m, ws: _aligned_with_cut(m, ws, cuts)) if whole else _aligned_weight
        for name, si, last, m in _stretches(keys[lo:hi], w, index):
            value = align(m, w)
            chance = []
            order = list(range(hi - lo))
            for _ in range(ORDER_SHUFFLES):
                rng.shuffle(order)
                chance.append(align([m[i] for i in order], [w[i] for i in order]))
            mean = sum(chance) / len(chance)
            sd = (sum((c - mean) ** 2 for c in chance) / len(chance)) ** 0.5
            score = (value - mean) / span_total
            z = (value - mean) / max(sd, 0.05 * span_total, 0.3)
            key = (z >= ORDER_Z, score)
            if best is None or key > best[0]:
                first = next((tokens[lo + i][1] for i, js in enumerate(m) if js), tokens[lo][1])
                best = (key, OrderResult(score, z, name,
                                         _matched_sentences(index.starts[name], index.texts[name], si, last, m),
                                         first - first_line, _span_text(text, tokens, lo, hi, whole)))
    if best is None:
        return None
    result = best[1]
    # its own random stream, so the chain rule's chance values do not depend on how many spans came first
    chain = _chain(keys, weights, named, index, random.Random(zlib.crc32(text.encode("utf-8")) ^ 0x5EED))
    if chain is None:
        return result
    excess, chain_z, name, si, last, m = chain
    if excess >= CHAIN_EXCESS and chain_z >= CHAIN_Z and not result.weighted_walks:
        # reported where the chained words start, against the stretch they follow
        first = next((tokens[i][1] for i, js in enumerate(m) if js), tokens[0][1])
        return OrderResult(result.score, result.z, name,
                           _matched_sentences(index.starts[name], index.texts[name], si, last, m),
                           first - first_line, " ".join(text.split()), excess, chain_z)
    return OrderResult(result.score, result.z, result.seed_file, result.seed_text, result.line_offset,
                       result.text, excess, chain_z)


def _chain(keys: list, weights: list[float], named: list[bool], index: OrderIndex, rng: random.Random):
    """The chain rule for a whole unit: over the seed stretches the unit is
    aligned with, the longest chain of its plain words in the seed's order
    beyond the chance chain of the same words shuffled, as (excess, z, seed
    file, first and last sentence, the seed positions each word matches)."""
    ones = [1.0] * len(keys)
    best = None
    for name, si, last, m in _stretches(keys, weights, index):
        m = [[] if is_name else js for js, is_name in zip(m, named)]
        if sum(1 for js in m if js) < CHAIN_MIN_MATCHED:
            continue
        value = _aligned_weight(m, ones)
        order = list(range(len(keys)))
        chance = []
        for _ in range(CHAIN_SHUFFLES):
            rng.shuffle(order)
            chance.append(_aligned_weight([m[i] for i in order], ones))
        mean = sum(chance) / len(chance)
        sd = (sum((c - mean) ** 2 for c in chance) / len(chance)) ** 0.5
        excess = value - mean
        z = excess / max(sd, 0.5)
        if best is None or (z >= CHAIN_Z, excess) > (best[1] >= CHAIN_Z, best[0]):
            best = (excess, z, name, si, last, m)
    return best


# --- units: paragraphs and list items of a page, text values of a data file ---

@dataclass(frozen=True)
class Unit:
    line: int
    text: str
    label: str = ""          # data: "case 'newark-ovptr': field 'summary.ar'"
    lines_kept: bool = True  # the text keeps its line breaks (not a folded or quoted YAML scalar)


_ITEM_START = re.compile(r"^\s*(?:[-*+]\s|\d+\.\s|#+\s|!!!|\?\?\?)")


def page_units(path: Path) -> list[Unit]:
    """Paragraphs of a page, each list item on its own, markup and macros blanked."""
    raw = path.read_text(encoding="utf-8").split("\n")
    prose = page_prose(path).split("\n")
    units, lines, start = [], [], None
    front = _FRONT_MATTER.match("\n".join(raw) + "\n")
    skip = front.group(0).count("\n") if front else 0
    for n, (r, p) in enumerate(zip(raw, prose), 1):
        if n <= skip:
            continue
        if not r.strip() or _ITEM_START.match(r):
            if lines:
                units.append(Unit(start, "\n".join(lines)))
            lines, start = [], None
            if not r.strip():
                continue
        if start is None:
            start = n
        lines.append(p)
    if lines:
        units.append(Unit(start, "\n".join(lines)))
    return units


def _nouns() -> dict[str, tuple[str, str | None]]:
    try:
        from guide.data.models import FILES
    except Exception:  # pragma: no cover - the models are part of the project
        return {}
    return {stem: (noun, list_key) for stem, (_m, noun, list_key, _u) in FILES.items()}


def data_units(path: Path) -> list[Unit]:
    """Every Arabic text value of a YAML file, with its line and field."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return []  # the data check reports it
    noun, list_key = _nouns().get(path.stem, (None, None))
    out: list[Unit] = []

    def label(parts: list) -> str:
        record = ""
        if list_key and len(parts) >= 2 and parts[0] == list_key and isinstance(parts[1], tuple):
            record = f"{noun} {parts[1][1]!r}: " if parts[1][1] else f"{noun} #{parts[1][0] + 1}: "
            parts = parts[2:]
        elif noun and not list_key and parts:  # ui.yml: the top-level key is the record
            record = f"{noun} {parts[0]!r}: "
            parts = parts[1:]
        path_text = "".join(f"[{p[0]}]" if isinstance(p, tuple) else f".{p}" for p in parts).lstrip(".")
        return f"{record}field {path_text!r}" if path_text else record.rstrip(": ")

    def walk(n, parts):
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                walk(v, parts + [k.value])
        elif isinstance(n, yaml.SequenceNode):
            for i, v in enumerate(n.value):
                ident = None
                if isinstance(v, yaml.MappingNode):
                    for k, vv in v.value:
                        if k.value in ("id", "number", "slug") and isinstance(vv, yaml.ScalarNode):
                            ident = vv.value
                            break
                walk(v, parts + [(i, ident)])
        elif isinstance(n, yaml.ScalarNode) and re.search("[\u0621-\u064A]", n.value or ""):
            if n.style == "|":  # a literal block keeps its lines; they start below the indicator
                out.append(Unit(n.start_mark.line + 2, n.value, label(parts)))
            elif n.style == ">":
                out.append(Unit(n.start_mark.line + 2, n.value, label(parts), lines_kept=False))
            else:  # plain or quoted: its lines are folded into spaces, so its first line is reported
                out.append(Unit(n.start_mark.line + 1, n.value, label(parts), lines_kept=False))

    walk(node, [])
    return out


def units_of(path: Path) -> list[Unit]:
    return page_units(path) if path.suffix == ".md" else data_units(path)


@dataclass(frozen=True)
class Walk:
    path: str
    line: int
    label: str
    text: str
    result: OrderResult

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " + (f"{self.label}: " if self.label else "")
        r = self.result
        scores = (f"order score {r.score:.2f}, fails at {ORDER_THRESHOLD:.2f}" if r.weighted_walks or not r.chain_walks
                  else f"order score {r.score:.2f}; {r.chain:.1f} words in the seed's order beyond chance, "
                       f"fails at {CHAIN_EXCESS:.1f}")
        return (f"{where}follows the order of a source passage ({scores}): «{_short(self.text, 60)}» ~ {r.seed_file}: "
                f"«{_short(self.result.seed_text, 60)}»; rewrite it from the facts in your own order "
                "and words (CONTRIBUTING, 'Fresh text')")


def order_check_file(path: Path, name: str, index: OrderIndex, show_all: bool = False) -> list[Walk]:
    out = []
    for unit in units_of(path):
        result = order_compare(unit.text, index, unit.line)
        if result is not None and (show_all or result.walks):
            line = unit.line + (result.line_offset if unit.lines_kept else 0)
            out.append(Walk(name, line, unit.label, result.text or " ".join(unit.text.split()), result))
    return out


def check_order(root: Path, index: OrderIndex, paths: list[Path] | None = None) -> list[Walk]:
    """Units of the pages and data that follow the order of a seed passage."""
    return [w for path, name in _named_files(root, paths) for w in order_check_file(path, name, index)]


def add_arguments(parser) -> None:
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout to check (default: this one)")
    parser.add_argument("--seeds", type=Path, default=None,
                        help=f"folder of seed .txt files (default: ${SEEDS_ENV} or <root>/../shared/seeds)")
    parser.add_argument("--show-scores", action="store_true",
                        help="print every compared sentence with its closest seed sentence and scores, "
                             "and every paragraph with its order score")
    parser.add_argument("paths", nargs="*", type=Path, help="only these files (relative to --root or absolute)")


def main(args) -> int:
    root = Path(args.root).resolve()
    seeds_dir = args.seeds or default_seeds_dir(root)
    if not Path(seeds_dir).is_dir():
        print(f"source seeds not found at {seeds_dir} (set {SEEDS_ENV} or pass --seeds)", file=sys.stderr)
        return 2
    seeds = load_seeds(Path(seeds_dir), fact_words(root / "data"))
    order_index = load_order_index(Path(seeds_dir), order_vocabulary(root / "data"))
    if args.show_scores:
        for p in args.paths or files_to_check(root):
            path = p if p.is_absolute() else root / p
            for f in check_file(path, str(p), seeds, show_all=True):
                mark = "FOLLOWS" if is_follower(f.score, f.run) else "ok"
                print(f"{mark:7} {f.score:.2f} run {f.run}  {f.path}:{f.line}: «{_short(f.sentence, 80)}» ~ «{_short(f.seed, 80)}»")
            for w in order_check_file(path, str(p), order_index, show_all=True):
                mark = "WALKS" if w.result.walks else "ok"
                print(f"{mark:7} order {w.result.score:.2f} z {w.result.z:4.1f} chain {w.result.chain:4.1f} "
                      f"z {w.result.chain_z:4.1f}  {w.path}:{w.line}: "
                      f"«{_short(w.text, 80)}» ~ «{_short(w.result.seed_text, 80)}»")
        return 0
    followers = check(root, seeds, args.paths or None)
    reported = {(f.path, f.line) for f in followers}  # one line per finding: the sentence rules come first
    walks = [w for w in check_order(root, order_index, args.paths or None) if (w.path, w.line) not in reported]
    for f in followers:
        print(f)
    for w in walks:
        print(w)
    if followers or walks:
        print(f"{len(followers)} sentence{'s' if len(followers) != 1 else ''} and {len(walks)} "
              f"paragraph{'s' if len(walks) != 1 else ''} follow the seeds too closely: "
              "start from the facts and write them afresh (see CONTRIBUTING, 'Fresh text')",
              file=sys.stderr)
        return 1
    print(f"freshness: no sentence follows the seeds ({len(seeds.sentences)} seed sentences compared), "
          f"no paragraph walks a seed passage in order (order score under {ORDER_THRESHOLD:.2f}, "
          f"chain under {CHAIN_EXCESS:.1f})")
    return 0
