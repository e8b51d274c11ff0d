"""Freshness check: no sentence of the pages or data follows a source sentence.

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

Near-synonyms that machine translations and light rewrites swap for each
other (``SYNONYMS``) count as one word. The thresholds were tuned on the
Arabic Strategy chapter as it stood before issue 12 (it flags about 40 of its
sentences) and on fresh sentences that carry the same facts (they pass); see
``tests/test_editorial.py``.

English text is not compared: the seeds are Arabic only, and the parity check
keeps every English paragraph beside its Arabic one, so a flagged Arabic
paragraph is rewritten in both languages.

The seeds are not part of the repository: they are found in ``GUIDE_SEEDS_DIR``
or ``../shared/seeds`` beside the checkout.
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

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

_ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_WORD = re.compile(r"[\u0621-\u064A\u064B-\u065F\u0670\u0640]+|[0-9\u0660-\u0669]+")
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
    text = re.sub("ًا|اً", "", text.translate(_ARABIC_INDIC))  # tanwin fath and its alif
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


def fact_words(data_dir: Path) -> set[str]:
    """Content words of the names and terms in the data (termbase terms and the
    terms its notes quote, glossary terms, chapter titles, countries, cities,
    case titles): facts that any
    fresh sentence may repeat, so they weigh little and break a run."""
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
    return {w for t in texts for w in content_words(str(t))}


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


def check(root: Path, seeds: SeedIndex, paths: list[Path] | None = None) -> list[Follower]:
    root = Path(root).resolve()
    out = []
    for path in paths or files_to_check(root):
        path = path if path.is_absolute() else root / path
        try:
            name = path.resolve().relative_to(root).as_posix()
        except ValueError:
            name = str(path)
        out += check_file(path, name, seeds)
    return out


def add_arguments(parser) -> None:
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout to check (default: this one)")
    parser.add_argument("--seeds", type=Path, default=None,
                        help=f"folder of seed .txt files (default: ${SEEDS_ENV} or <root>/../shared/seeds)")
    parser.add_argument("--show-scores", action="store_true",
                        help="print every compared sentence with its closest seed sentence and scores")
    parser.add_argument("paths", nargs="*", type=Path, help="only these files (relative to --root or absolute)")


def main(args) -> int:
    root = Path(args.root).resolve()
    seeds_dir = args.seeds or default_seeds_dir(root)
    if not Path(seeds_dir).is_dir():
        print(f"source seeds not found at {seeds_dir} (set {SEEDS_ENV} or pass --seeds)", file=sys.stderr)
        return 2
    seeds = load_seeds(Path(seeds_dir), fact_words(root / "data"))
    if args.show_scores:
        for p in args.paths or files_to_check(root):
            path = p if p.is_absolute() else root / p
            for f in check_file(path, str(p), seeds, show_all=True):
                mark = "FOLLOWS" if is_follower(f.score, f.run) else "ok"
                print(f"{mark:7} {f.score:.2f} run {f.run}  {f.path}:{f.line}: «{_short(f.sentence, 80)}» ~ «{_short(f.seed, 80)}»")
        return 0
    followers = check(root, seeds, args.paths or None)
    for f in followers:
        print(f)
    if followers:
        print(f"{len(followers)} sentence{'s' if len(followers) != 1 else ''} follow the seeds too closely: "
              "start from the facts and write the sentence afresh (see CONTRIBUTING, 'Fresh text')",
              file=sys.stderr)
        return 1
    print(f"freshness: no sentence follows the seeds ({len(seeds.sentences)} seed sentences compared)")
    return 0
