"""The English stemmer, twice: guide/search/porter.py stems the index at build
time, overrides/assets/javascripts/guide-search/porter.js stems the reader's
query in the browser. Both must give exactly what lunr.js 2.3.9's lunr.stemmer
gives (the stemmer our relevance figures were measured with), so they are held
against the lunr bundled in Material's own search worker, run in Chromium."""

from __future__ import annotations

import html
import json
import random
import re
from pathlib import Path

import material
import pytest

from guide.search.porter import stem
from guide.search.searchindex import with_tables

ROOT = Path(__file__).resolve().parent.parent
PORTER_JS = ROOT / "overrides" / "assets" / "javascripts" / "guide-search" / "porter.js"
WORKERS = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "workers"

# word -> stem, each checked by hand against the algorithm's steps and against lunr.
TABLE = {
    # 1a: plurals
    "caresses": "caress", "ponies": "poni", "ties": "ti", "caress": "caress", "cats": "cat",
    # 1b: -eed, -ed, -ing, and what follows a removal (add e, undouble, short stem + e)
    "feed": "feed", "agreed": "agre", "plastered": "plaster", "bled": "bled",
    "motoring": "motor", "sing": "sing", "conflated": "conflat", "troubled": "troubl",
    "sized": "size", "hopping": "hop", "tanned": "tan", "falling": "fall", "hissing": "hiss",
    "fizzed": "fizz", "failing": "fail", "filing": "file",
    # 1c: y -> i (lunr's rule: "sky" -> "ski", "say" kept)
    "happy": "happi", "sky": "ski", "cry": "cri", "say": "say", "cities": "citi",
    # 2
    "relational": "relat", "conditional": "condit", "rational": "ration", "valenci": "valenc",
    "hesitanci": "hesit", "digitizer": "digit", "conformabli": "conform", "radicalli": "radic",
    "differentli": "differ", "vileli": "vile", "analogousli": "analog",
    "vietnamization": "vietnam", "predication": "predic", "operator": "oper",
    "feudalism": "feudal", "decisiveness": "decis", "hopefulness": "hope",
    "callousness": "callous", "formaliti": "formal", "sensitiviti": "sensit",
    "sensibiliti": "sensibl", "archaeologi": "archaeolog", "generalization": "gener",
    # 3
    "triplicate": "triplic", "formative": "form", "formalize": "formal",
    "electriciti": "electr", "electrical": "electr", "hopeful": "hope", "goodness": "good",
    # 4
    "revival": "reviv", "allowance": "allow", "inference": "infer", "airliner": "airlin",
    "gyroscopic": "gyroscop", "adjustable": "adjust", "defensible": "defens",
    "irritant": "irrit", "replacement": "replac", "adjustment": "adjust",
    "dependent": "depend", "adoption": "adopt", "homologous": "homolog",
    "communism": "commun", "activate": "activ", "angulariti": "angular",
    "effective": "effect", "bowdlerize": "bowdler", "extremism": "extrem",
    # 5a: -e; 5b: -ll
    "probate": "probat", "rate": "rate", "cease": "ceas", "controll": "control", "roll": "roll",
    # short words, a first y, and lunr's readings of a bare suffix
    "by": "by", "yelling": "yell", "yes": "ye", "ies": "ie", "sses": "sse", "eed": "e", "eeds": "e",
}


def lunr_bundle() -> str:
    """lunr 2.3.9 as Material ships it, inside its search worker bundle."""
    found = sorted(WORKERS.glob("search.*.min.js"))
    assert len(found) == 1, f"expected one search worker bundle in {WORKERS}, found {found}"
    return found[0].read_text(encoding="utf-8")


def site_words(index: dict) -> set[str]:
    """Every distinct lower-case ASCII word of the English pages' search entries
    (the combined index the build keeps; the pages' copies hold only config)."""
    words: set[str] = set()
    for doc in index["docs"]:
        if not doc["location"].startswith("en/"):
            continue
        for field in ("title", "text"):
            text = html.unescape(re.sub(r"<[^>]+>", " ", doc.get(field) or ""))
            words.update(re.findall(r"[a-z]+", text.lower()))
    return words


def made_up_words(count: int = 20000, seed: int = 11) -> set[str]:
    """Strings a reader might type that the site never says: random letters
    (y, w, x, l, s, z weighted in) followed by the suffixes the steps test."""
    suffixes = ("s es ies sses ed eed ing y ational tional enci anci izer bli alli entli eli ousli "
                "ization ation ator alism iveness fulness ousness aliti iviti biliti logi icate ative "
                "alize iciti ical ful ness al ance ence er ic able ible ant ement ment ent ou ism ate "
                "iti ous ive ize sion tion e ll at bl iz").split()
    rnd = random.Random(seed)
    words: set[str] = set()
    while len(words) < count:
        word = "".join(rnd.choice("aeiouyybcdlstwxzrnm") for _ in range(rnd.randint(0, 6)))
        words.add(word + "".join(rnd.choice(suffixes) for _ in range(rnd.randint(0, 3))))
    return words


@pytest.fixture(scope="module")
def stemmers(browser):
    """A page holding lunr (from Material's worker bundle) and porter.js. The
    bundle's worker code only adds a 'message' listener, harmless in a page."""
    page = browser.new_page()
    page.set_content("<!doctype html><title>porter</title>")
    page.add_script_tag(content=lunr_bundle())
    page.add_script_tag(content=with_tables(PORTER_JS))
    assert page.evaluate("lunr.version") == "2.3.9"
    yield page
    page.close()


def run_both(page, words: list[str]) -> list[list[str]]:
    """[lunr's stem, porter.js's stem] for each word."""
    return page.evaluate(
        "ws => ws.map(w => [lunr.stemmer(new lunr.Token(w)).toString(), self.guidePorter(w)])", words)


@pytest.mark.parametrize("word, expected", sorted(TABLE.items()))
def test_table_in_python(word, expected):
    assert stem(word) == expected


def test_table_in_javascript_and_lunr(stemmers):
    words = sorted(TABLE)
    wrong = {w: (lunr, js) for w, (lunr, js) in zip(words, run_both(stemmers, words))
             if not lunr == js == TABLE[w]}
    assert not wrong, f"word: (lunr, porter.js) where the table says otherwise: {wrong}"


def test_three_stemmers_agree_on_every_word(stemmers, search_docs, artifacts_dir):
    from_site = site_words(search_docs)
    assert len(from_site) > 1000, f"only {len(from_site)} words in the English index (nothing tested)"
    made_up = made_up_words()
    words = sorted(from_site | set(TABLE) | made_up)
    disagree = {}
    for w, (lunr, js) in zip(words, run_both(stemmers, words)):
        py = stem(w)
        if not py == js == lunr:
            disagree[w] = {"lunr": lunr, "porter.js": js, "porter.py": py}
    (artifacts_dir / "porter-parity.json").write_text(json.dumps({
        "site_words": len(from_site), "table_words": len(TABLE), "made_up_words": len(made_up),
        "distinct_words_compared": len(words), "disagreements": disagree}, indent=1), encoding="utf-8")
    print(f"porter parity: {len(words)} distinct words ({len(from_site)} from the English index)")
    assert not disagree, f"{len(disagree)} of {len(words)} words disagree, e.g. {dict(list(disagree.items())[:10])}"


def test_porter_js_runs_in_a_worker(browser):
    """The query side may stem inside a web worker (no window there)."""
    page = browser.new_page()
    page.set_content("<!doctype html><title>worker</title>")
    got = page.evaluate("""src => new Promise((resolve, reject) => {
        const body = src + "\\nonmessage = e => postMessage(e.data.map(self.guidePorter));";
        const worker = new Worker(URL.createObjectURL(new Blob([body], {type: "text/javascript"})));
        worker.onmessage = e => resolve(e.data);
        worker.onerror = e => reject(new Error(e.message));
        worker.postMessage(["generalization", "ponies", "hopeful"]);
    })""", with_tables(PORTER_JS))
    page.close()
    assert got == ["gener", "poni", "hope"]
