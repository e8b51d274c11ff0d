"""Termbase check: no page or data text uses a wording the termbase rejects.

    python -m tools terms                 # this worktree
    python -m tools terms --root ../i12a  # another checkout, with its own data/termbase.yml

Prints one line per hit and exits 1 if there is any:

    docs/ar/mapping.md:12: term 'مواطن الهشاشة' → use 'مواطن الضعف' (concept: vulnerabilities)

Checked: ``docs/ar/*.md``, ``docs/en/*.md`` and ``data/*.yml`` (not the
termbase itself, which lists the variants, and not YAML comment lines).
Matching rules are documented at the top of ``data/termbase.yml``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from guide.editorial.arabic import Token, is_arabic, tokens, word_pattern

ROOT = Path(__file__).resolve().parents[2]
WINDOW = 3  # words of context a `before`/`after` rule looks at


@dataclass(frozen=True)
class Hit:
    path: str
    line: int
    found: str
    use: str
    concept: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: term '{self.found}' → use '{self.use}' (concept: {self.concept})"


class _Matcher:
    """One variant, compiled: a sequence of word patterns (or a raw regex)
    plus optional context words."""

    def __init__(self, concept, variant, lang: str):
        self.concept, self.variant, self.lang = concept, variant, lang
        self.use = variant.use or (concept.ar if lang == "ar" else concept.en)
        self.regex = re.compile(variant.pattern) if variant.pattern else None
        self.words: list = []
        if variant.text:
            parts = variant.text.split()
            if is_arabic(parts[0]):
                self.words = [word_pattern(w, first=i == 0, last=i == len(parts) - 1, exact=variant.exact)
                              for i, w in enumerate(parts)]
            else:
                self.words = [_english_pattern(w, last=i == len(parts) - 1, exact=variant.exact)
                              for i, w in enumerate(parts)]
        self.before = [_context_pattern(w) for w in variant.before]
        self.after = [_context_pattern(w) for w in variant.after]
        self.unless_before = [_context_pattern(w) for w in variant.unless_before]
        self.unless_after = [_context_pattern(w) for w in variant.unless_after]

    def find(self, words: list[Token]):
        """Yield (index, length) of each match in a clause's word tokens."""
        n = len(self.words)
        for i in range(len(words) - n + 1):
            if all(p.match(words[i + k].norm) for k, p in enumerate(self.words)):
                if self._context_ok(words, i, n):
                    yield i, n

    def _context_ok(self, words, i, n) -> bool:
        before = words[max(0, i - WINDOW):i]
        after = words[i + n:i + n + WINDOW]
        if (any(p.match(t.norm) for p in self.unless_before for t in before)
                or any(p.match(t.norm) for p in self.unless_after for t in after)):
            return False  # the wording's other sense («الميزانية العمومية»: a balance sheet)
        if not self.before and not self.after:
            return True
        return (any(p.match(t.norm) for p in self.before for t in before)
                or any(p.match(t.norm) for p in self.after for t in after))


def _english_pattern(word: str, *, last: bool, exact: bool) -> re.Pattern:
    suffix = "" if exact or not last else "s?"
    return re.compile(f"^{re.escape(word.lower())}{suffix}$")


def _context_pattern(word: str) -> re.Pattern:
    if is_arabic(word):
        return word_pattern(word, first=True, last=True)
    return _english_pattern(word, last=True, exact=False)


def matchers(termbase) -> list[_Matcher]:
    out = []
    for concept in termbase:
        out += [_Matcher(concept, v, "ar") for v in concept.avoid_ar]
        out += [_Matcher(concept, v, "en") for v in concept.avoid_en]
    return out


def _clauses(toks: list[Token]) -> list[list[Token]]:
    """Word tokens split at punctuation: context rules never cross a comma or full stop."""
    out, current = [], []
    for t in toks:
        if t.punct:
            if current:
                out.append(current)
            current = []
        else:
            current.append(t)
    if current:
        out.append(current)
    return out


_MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{:[^}]*\}", re.S)


def checkable_text(path: Path) -> str:
    """The file's text with what is not prose blanked out (same line count):
    macro calls and attribute lists in Markdown, comment lines in YAML."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return _MACRO.sub(lambda m: "\n" * m.group().count("\n"), text)
    return "\n".join("" if line.lstrip().startswith("#") else line for line in text.splitlines())


def check_text(text: str, name: str, compiled: list[_Matcher]) -> list[Hit]:
    hits: list[Hit] = []
    lines_start = [0]
    for m in re.finditer("\n", text):
        lines_start.append(m.end())
    clauses = _clauses(tokens(text))
    for matcher in compiled:
        concept = matcher.concept
        if matcher.regex is not None:
            for m in matcher.regex.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                hits.append(Hit(name, line, m.group(), matcher.use, concept.id))
            continue
        for clause in clauses:
            for i, n in matcher.find(clause):
                found = " ".join(t.text for t in clause[i:i + n])
                hits.append(Hit(name, clause[i].line, found, matcher.use, concept.id))
    # one line per place and wording, in reading order
    unique = {(h.path, h.line, h.found): h for h in hits}
    return sorted(unique.values(), key=lambda h: (h.line, h.found))


def files_to_check(root: Path) -> list[Path]:
    files = sorted((root / "docs" / "ar").glob("*.md")) + sorted((root / "docs" / "en").glob("*.md"))
    files += sorted(p for p in (root / "data").glob("*.yml") if p.name != "termbase.yml")
    return files


def check(root: Path, termbase=None) -> list[Hit]:
    """Every termbase hit in the pages and data of the checkout at ``root``."""
    if termbase is None:
        termbase = load_termbase(root / "data")
    compiled = matchers(termbase)
    hits = []
    for path in files_to_check(root):
        name = path.relative_to(root).as_posix()
        hits += check_text(checkable_text(path), name, compiled)
    return hits


def load_termbase(data_dir: Path):
    """Validate ``data/termbase.yml`` alone (another checkout's data may not be complete)."""
    from guide.data.loader import parse_yaml, validate

    source = parse_yaml(Path(data_dir) / "termbase.yml", "termbase")
    return list(validate(source).concepts)


def add_arguments(parser) -> None:
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="checkout to check (default: this one); its data/termbase.yml is used if present")
    parser.add_argument("paths", nargs="*", type=Path,
                        help="only these files (relative to --root or absolute)")


def main(args) -> int:
    from guide.data.loader import DataError

    root = Path(args.root).resolve()
    termbase_dir = root / "data" if (root / "data" / "termbase.yml").exists() else ROOT / "data"
    try:
        termbase = load_termbase(termbase_dir)
    except DataError as error:
        print(error, file=sys.stderr)
        return 2
    if args.paths:
        compiled = matchers(termbase)
        hits = []
        for p in args.paths:
            path = p if p.is_absolute() else root / p
            if not path.exists():
                print(f"{p}: file not found", file=sys.stderr)
                return 2
            try:
                name = path.resolve().relative_to(root).as_posix()
            except ValueError:
                name = str(p)
            hits += check_text(checkable_text(path), name, compiled)
    else:
        hits = check(root, termbase)
    for hit in hits:
        print(hit)
    if hits:
        print(f"{len(hits)} termbase variant{'s' if len(hits) != 1 else ''} found "
              f"(the preferred terms and matching rules are in data/termbase.yml)", file=sys.stderr)
        return 1
    print("termbase: no variants found")
    return 0
