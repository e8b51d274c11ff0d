"""The pre-built, sharded search index each language's reader downloads.

Material's search sends every section's full text to the browser and builds a
lunr index there, on the reader's phone, before the first result. Here the
index is built once, at build time, from the same per-language entries
(``guide/search/searchindex.py`` prepares them: names in both scripts, hidden
Arabic runs on English pages), and written as small scripts under
``search/<lang>/``:

* ``meta.js``: ``docs``, one object per entry with the fields of ``ENTRY``
  (its ``location``, ``title``, ``firstPiece``: the number of its text's first
  piece, and ``pieces``: how many it has); ``posting``: the names of a
  posting's numbers, in order (``POSTING``); the word-list facts the query
  analysis needs (the ``separator``, ``keep``: words whose first letter only
  looks like a particle, ``names``, ``also``), and the number of shards;
* ``k/<n>.js``: the shards of the inverted index, key → ``[forms, posting,
  posting, ...]``: ``forms`` lists the words as the pages write them, and each
  posting is the numbers named by ``POSTING``, flat (the names are said once,
  in ``meta.js``, not once per posting: a shard stays a third smaller):
  ``entry`` (an index into ``docs``), ``weight`` (× ``scale``), ``piece`` (of
  the entry's text where the key first occurs; -1: only in the title or the
  hidden alias) and ``form`` (the entry's own form of the word, an index into
  ``forms``; -1: only in the hidden alias).
  A key's shard follows from its first two letters, so a word being typed (a
  prefix) needs one shard; a query needs only the shards of its keys;
* ``s/<n>.js``: a piece of one entry's text (whole blocks: paragraphs, list
  items, tables; about CHUNK_CHARS), fetched only for the entries a result
  shows with a teaser, and only the pieces where the reader's words first
  occur (each posting names it), so a long section costs no more than a
  short one; the teaser is the blocks where the words are, as Material's own;
* ``words.js``: the site's vocabulary (word → key), fetched only when a query
  word is in no shard, to find the nearest words (typos).

Weights are BM25 (k1 1.2, b 0.5) per field, times the field's boost (title
1000, as Material's), summed over fields: what lunr computed in the browser.
Bytes then follow the vocabulary, not the text, and nothing is built in the
browser. The files are scripts (``guideSearch.<kind>(...)``) because the
worker loads them with ``importScripts``, which also works from ``file://``
(the offline archive), where fetch does not.

Plain Python, no MkDocs import.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
import shutil
from collections import defaultdict
from pathlib import Path

from guide import languages
from guide.search import analysis

K1 = 1.2
B = 0.5
SHARD_BYTES = 4000  # aim for shards of about this size (raw), ~1.5 kB gzip
WEIGHT_SCALE = 10  # weights are stored as integers: round(weight * 10)
FIELDS = ("title", "text", "alias")
_TAG = re.compile(r"<[^>]*>")
# Where one block of text ends: words on either side are not "next to each other".
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|tr|dd|dt|blockquote|div|caption|figcaption)\s*>|<br\s*/?>", re.I)
NEAR = 3  # two words are adjacent when at most two words stand between them
CHUNK_CHARS = 1200  # a section's text is fetched in pieces of about this many characters
_SPACE = re.compile(r"\s+")
# The index format's named fields (meta.js says POSTING to the worker, which
# reads both by these names): an entry of meta.js's ``docs``, and a posting.
ENTRY = ("location", "title", "firstPiece", "pieces")
POSTING = ("entry", "weight", "piece", "form")


def plain(text: str) -> str:
    """Visible text of an index field: tags out (as word breaks), entities decoded."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text or ""))).strip()


def block_texts(text: str) -> list[str]:
    """The visible text of each block (paragraph, list item; Material's index
    keeps no other block tags, so a table is one block), in order."""
    out = []
    for block in _BLOCK_END.split(text or ""):
        shown = plain(block)
        if shown:
            out.append(shown)
    return out


def words_of(text: str, separator: re.Pattern) -> list[str]:
    """A block's words, lower-cased, as the separator cuts them (as Material's tokenizer)."""
    return [w.lower() for w in separator.split(text) if w]


def tokenise(text: str, separator: re.Pattern) -> list[str]:
    """Every word of a field, in order."""
    return [w for block in block_texts(text) for w in words_of(block, separator)]


def shard_of(key: str, shards: int) -> int:
    """The shard a key lives in; the worker computes the same (first two letters)."""
    a = ord(key[0])
    b = ord(key[1]) if len(key) > 1 else 0
    return (a * 31 + b) % shards


class Built:
    """One language's index, ready to write."""

    def __init__(self, docs: list[dict], separator: str, boosts: dict[str, float],
                 lang: str = "", pairs: list[dict[str, list[str]]] = ()):
        self.separator = separator
        # Non-Arabic words: English rules or the generic analysis (guide/languages.py).
        self.latin = latin = analysis.latin_kind(lang) if lang else "english"
        self.names, self.also = name_facts(lang, pairs, latin)
        pattern = re.compile(separator)
        self.docs = docs
        keys_of: dict[str, list[str]] = {}
        self.vocabulary: dict[str, str] = {}
        self.postings: dict[str, dict[int, float]] = defaultdict(dict)
        # Pairs of main keys standing together ("a b" → entries): multi-word
        # queries rank entries where the words stand together higher.
        self.pairs: dict[str, set[int]] = defaultdict(set)
        self.first_piece: dict[str, dict[int, int]] = defaultdict(dict)  # key → entry → piece
        # key → entry → {form: count}: the words as the page writes them (lower
        # case, edges off) that gave the key, in the title and text (not the
        # hidden alias, which the page does not show).
        self.forms: dict[str, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
        self.pieces: list[list[list[str]]] = []  # entry → its text's pieces, each a list of blocks
        tf: list[dict[str, dict[str, int]]] = []
        lengths: dict[str, list[int]] = {f: [] for f in FIELDS}
        for d, doc in enumerate(docs):
            fields = {}
            pieces = split_pieces(block_texts(doc.get("text", "")))
            self.pieces.append(pieces)
            piece_of_block = [i for i, piece in enumerate(pieces) for _ in piece]
            for field in FIELDS:
                # The hidden alias (a name in the other script, as often as the
                # text names it) counts as words of the text: a name typed in
                # either script weighs what the page's own spelling weighs. As a
                # field of its own, weighed by its own length, a short alias (an
                # entry naming one place) outranked the page that is about it.
                counts: dict[str, int] = fields["text"] if field == "alias" else defaultdict(int)
                n = 0
                for b, text in enumerate(block_texts(doc.get(field, ""))):
                    block = words_of(text, pattern)
                    recent: list[tuple[int, str]] = []  # (position, main key) of the last words
                    for position, word in enumerate(block):
                        keys = keys_of.get(word)
                        if keys is None:
                            keys = keys_of[word] = analysis.index_keys(word, latin)
                            surface = analysis.surface(word, latin) if keys else ""
                            if len(surface) >= 4 and surface not in self.vocabulary:
                                self.vocabulary[surface] = keys[0]
                        shown = analysis.strip_edges(word) if field != "alias" else ""
                        for key in keys:
                            counts[key] += 1
                            if field == "text" and d not in self.first_piece[key]:
                                self.first_piece[key][d] = piece_of_block[b]
                            if shown:
                                seen = self.forms[key][d]
                                seen[shown] = seen.get(shown, 0) + 1
                        n += len(keys)
                        if not keys:
                            continue
                        recent = [(p, k) for p, k in recent if position - p <= NEAR]
                        for _, k in recent:
                            self.pairs[k + " " + keys[0]].add(d)
                        recent.append((position, keys[0]))
                    # P/CVE is the words p and cve, and also pcve (a reader types it plainly).
                    for start, end, joined in analysis.acronyms(text):
                        for key in analysis.index_keys(joined, latin):
                            counts[key] += 1
                            if field == "text" and d not in self.first_piece[key]:
                                self.first_piece[key][d] = piece_of_block[b]
                            if field != "alias":
                                seen = self.forms[key][d]
                                shown = text[start:end].lower()
                                seen[shown] = seen.get(shown, 0) + 1
                if field != "alias":
                    fields[field] = counts
                    lengths[field].append(n)
            tf.append(fields)
        total = len(docs)
        average = {f: (sum(v) / total if total else 0) or 1 for f, v in lengths.items()}
        df: dict[str, int] = defaultdict(int)
        for fields in tf:
            for key in set().union(*fields.values()):
                df[key] += 1
        for d, fields in enumerate(tf):
            for field, counts in fields.items():
                boost = boosts.get(field, 1.0)
                norm = K1 * (1 - B + B * lengths[field][d] / average[field])
                for key, n in counts.items():
                    idf = math.log(1 + abs((total - df[key] + 0.5) / (df[key] + 0.5)))
                    weight = boost * idf * (K1 + 1) * n / (norm + n)
                    self.postings[key][d] = self.postings[key].get(d, 0.0) + weight
        # Words whose first letter looks like a particle (و ف ب ك ل) but is the
        # word's own: the site has the whole word and not the rest (كراهية, فريق).
        words = set(self.vocabulary)
        self.keep = sorted(
            w for w in words
            if analysis.strip_prefix(w) != w and not analysis.has_article(w)
            and analysis.strip_prefix(w) not in words and "\u0627\u0644" + analysis.strip_prefix(w) not in words)

    def form(self, key: str, d: int) -> str:
        """The entry's own spelling of a key: the form of the word its text
        (or title) uses most, the first of equals; "" when only the hidden
        alias has it. A result's link carries it (``?h=``), so the page it
        opens marks a word it holds, whatever form the reader typed."""
        seen = self.forms.get(key, {}).get(d)
        if not seen:
            return ""
        return max(seen.items(), key=lambda item: item[1])[0]  # max keeps the first of equals

    def files(self) -> dict[str, str]:
        """``{relative path: script text}`` for this language."""
        encoded = {}
        for key, docs in self.postings.items():
            forms: list[str] = []  # the key's forms, each once; postings name theirs by number
            row: list = [forms]
            for d, w in sorted(docs.items()):
                form = self.form(key, d)
                if form and form not in forms:
                    forms.append(form)
                posting = {"entry": d, "weight": max(1, round(w * WEIGHT_SCALE)),
                           "piece": self.first_piece[key].get(d, -1), "form": forms.index(form) if form else -1}
                row += [posting[name] for name in POSTING]
            encoded[key] = row
        split = _shards(encoded)
        pair_split = _shards({pair: sorted(docs) for pair, docs in self.pairs.items()})
        entries = []
        first = 0  # pieces are numbered across entries: entry d's are firstPiece .. firstPiece + pieces - 1
        for d, doc in enumerate(self.docs):
            entry = {"location": doc["location"], "title": plain(doc.get("title", "")), "firstPiece": first,
                     "pieces": len(self.pieces[d])}
            entries.append({name: entry[name] for name in ENTRY})
            first += len(self.pieces[d])
        meta = {"separator": self.separator, "shards": len(split), "pairShards": len(pair_split), "docs": entries,
                "posting": list(POSTING), "keep": self.keep, "names": self.names, "also": self.also,
                "scale": WEIGHT_SCALE}
        out = {"meta.js": _script("meta", meta), "words.js": _script("words", self.vocabulary)}
        for n, shard in enumerate(split):
            out[f"k/{n}.js"] = _script("shard", shard, n)
        for n, shard in enumerate(pair_split):
            out[f"b/{n}.js"] = _script("pairs", shard, n)
        for d, pieces in enumerate(self.pieces):
            for i, piece in enumerate(pieces):
                n = entries[d]["firstPiece"] + i
                out[f"s/{n}.js"] = _script("text", piece, n)
        return out


def postings(row: list) -> list[dict]:
    """A key's postings as written in a shard, each a ``{name: number}`` of
    ``POSTING`` (tools and tests; the worker reads them the same way), with
    ``"word"``: the form the entry writes (``""``: none)."""
    forms, flat, width = row[0], row[1:], len(POSTING)
    out = []
    for i in range(0, len(flat), width):
        posting = dict(zip(POSTING, flat[i:i + width]))
        posting["word"] = forms[posting["form"]] if posting["form"] >= 0 else ""
        out.append(posting)
    return out


def split_pieces(texts: list[str], limit: int = CHUNK_CHARS) -> list[list[str]]:
    """Whole blocks, in order, grouped into pieces of about ``limit`` characters
    (a block longer than that is a piece of its own)."""
    pieces: list[list[str]] = []
    size = limit
    for text in texts:
        if size + len(text) > limit and (not pieces or pieces[-1]):
            pieces.append([])
            size = 0
        pieces[-1].append(text)
        size += len(text)
    return pieces


def name_facts(lang: str, pairs, latin: str = "english") -> tuple[list[str], dict[str, list[str]]]:
    """What the query analysis needs to know of the names the data pairs in
    both scripts (cities, countries, acronyms):

    * ``names``: every word of a name, normalised. A name gets no root key
      when typed: نيوارك and نيويورك share a "root" (√ورك) only by accident
      of transliteration;
    * ``also``: a one-word name in the other script → this language's one-word
      spelling, so a result found through the hidden alias field marks the
      name the page shows (نيوارك typed on the English site marks "Newark")."""
    names: set[str] = set()
    also: dict[str, list[str]] = {}
    for pair in pairs:
        for part in (part for spellings in pair.values() for part in spellings):
            names.update(filter(None, (analysis.surface(w, latin) for w in part.split())))
        mine = pair.get(lang, [])
        for other, theirs in pair.items():
            if other == lang:
                continue
            for a, b in zip(theirs, mine):
                if len(a.split()) == 1 and len(b.split()) == 1 and analysis.surface(a, latin):
                    words = also.setdefault(analysis.surface(a, latin), [])
                    if b.lower() not in words:
                        words.append(b.lower())
    return sorted(names), dict(sorted(also.items()))


def _shards(postings: dict[str, list[int]]) -> list[dict]:
    """Keys split into shards of about SHARD_BYTES (by their first two letters)."""
    size = sum(len(k) + 3 * len(v) for k, v in postings.items())
    count = max(1, math.ceil(size / SHARD_BYTES))
    split: list[dict] = [{} for _ in range(count)]
    for key in sorted(postings):
        split[shard_of(key, count)][key] = postings[key]
    return split


_CALL = re.compile(r"^guideSearch\.(\w+)\((?:(\d+),)?(.*)\);\s*$", re.DOTALL)


def read_script(path: Path) -> tuple[str, int | None, object]:
    """``(kind, number, data)`` of one index file (for tools and tests)."""
    return read_script_text(Path(path).read_text(encoding="utf-8"), str(path))


def read_script_text(text: str, where: str = "index file") -> tuple[str, int | None, object]:
    match = _CALL.match(text)
    if not match:
        raise ValueError(f"{where}: not an index file")
    return match.group(1), None if match.group(2) is None else int(match.group(2)), json.loads(match.group(3))


def _script(kind: str, data, n: int | None = None) -> str:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"guideSearch.{kind}({'' if n is None else f'{n},'}{body});\n"


# language -> (digest of the index's input, its files). The index is a function
# of its input, and `make serve` rebuilds every language on each edit: a
# language whose pages did not change gets its last files back.
_LAST_BUILT: dict[str, tuple[str, dict[str, str]]] = {}


def _files_of(docs: list[dict], separator: str, boosts: dict[str, float], lang: str, pairs: list,
              latin: str) -> dict[str, str]:
    key = hashlib.sha256(json.dumps([docs, separator, boosts, lang, pairs, latin], ensure_ascii=False,
                                    sort_keys=True).encode("utf-8")).hexdigest()
    last = _LAST_BUILT.get(lang)
    if last is not None and last[0] == key:
        return last[1]
    files = Built(docs, separator, boosts, lang, pairs).files()
    _LAST_BUILT[lang] = (key, files)
    return files


def write(site_dir: Path, lang: str, index: dict, pairs: list = ()) -> dict:
    """Write one language's pre-built index under ``search/<lang>/``; return
    ``{"dir": lang, "v": version}``. The worker asks for every file with
    ``?v=<version>`` (a hash of the files), so a browser never mixes files of
    two builds from its cache, and a page whose config is a build older than
    the files still finds them (a renamed folder would be gone)."""
    config = index["config"]
    boosts = {name: float(spec.get("boost", 1.0)) for name, spec in config.get("fields", {}).items()}
    latin = analysis.latin_kind(lang) if lang else "english"
    files = _files_of(index["docs"], config["separator"], boosts, lang, list(pairs), latin)
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name].encode())
    target = Path(site_dir) / "search" / lang
    if target.is_dir():
        shutil.rmtree(target)  # no file of an earlier build stays behind
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    entry = {"dir": lang, "v": digest.hexdigest()[:10]}
    if latin != "english":
        # The worker analyses queries as the index was built (English is its default).
        entry["analysis"] = latin
    registry = languages.load()
    if lang in registry and registry.get(lang).quotes:
        # The pages show curly apostrophes: the worker marks city’s for a typed city's.
        entry["quotes"] = registry.get(lang).quotes
    return entry
