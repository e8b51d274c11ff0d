"""Search relevance: the evaluation set run in Chromium against the built site.

    python -m tools searcheval                  # online and offline, both languages
    python -m tools searcheval --baselines      # also English with stock Material search
                                                # and with this site's search before issue 11
    python -m tools searcheval --site DIR       # an already built site (online only)

The queries are data (``tests/data/search_queries.yml``): what readers type,
each with the pages a good search must return, written from the pages' text.
Every query goes to the real search worker of a real page (the one Material
starts, with our analysis), in one page load per language: the page is
opened, search is focused (the index loads as for a reader), and then each
query is posted to the same worker Material posts to, and its answer read
back. Results are grouped by page, as Material lists them.

Prints hit@5 and MRR per language and per kind, and every failing query with
what came back; ``tests/test_search_eval.py`` runs the same code in the suite.

The baselines live here, not in the build: ``make_baseline`` turns a normal
build into one searched by Material's own worker and lunr (taken from the
installed theme; the site ships neither) over each language's whole
documents, as stock Material would (``stock``: lunr's English pipeline,
trimmer, stop words, stemmer) or as this site did before the guide's analysis
(``off``: the pipeline the build's config has, which mkdocs-static-i18n
inherits empty from the Arabic build). Neither has the hidden alias field.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from guide import languages
from guide.search import searchindex

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "tests" / "data" / "search_queries.yml"
LANGS = languages.load().codes  # the evaluation set's languages come from the registry
TOP = 5
CHROMIUM = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]

# Runs before the page's scripts: remembers every Worker the page creates
# (through search-lazy.js's wrapper and, offline, the iframe-worker shim,
# whichever order they install themselves in).
CAPTURE_WORKERS = """
(() => {
  const made = window.__workers = [];
  const wrap = C => {
    if (typeof C !== "function") return C;
    const W = function (url, options) {
      const worker = new C(url, options);
      made.push({ url: String(url), worker });
      return worker;
    };
    W.prototype = C.prototype;
    return W;
  };
  let wrapped = wrap(window.Worker);
  Object.defineProperty(window, "Worker", {
    configurable: true, get: () => wrapped, set: value => { wrapped = wrap(value); }
  });
})();
"""

# Posts each query to the search worker (Material's message types, named in
# guide/search/searchindex.py MESSAGES) and returns, per query, the locations
# of each result group.
RUN_QUERIES = """
async ([queries, MESSAGE]) => {
  const entry = window.__workers.find(w => /workers\\/search/.test(w.url));
  if (!entry) throw new Error("no search worker was created");
  const worker = entry.worker;
  const answers = [];
  for (const query of queries) {
    const result = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no answer for " + query)), 20000);
      const listen = ev => {
        if (!ev.data || ev.data.type !== MESSAGE.result) return;
        worker.removeEventListener("message", listen);
        clearTimeout(timer);
        resolve(ev.data.data);
      };
      worker.addEventListener("message", listen);
      worker.postMessage({ type: MESSAGE.query, data: query });
    });
    answers.push((result.items || []).map(group => group.map(item => item.location)));
  }
  return answers;
}
"""


class EvalError(ValueError):
    pass


def load_queries(path: Path = QUERIES) -> list[dict]:
    """The query set, checked; one clear line names the entry and the field."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    entries = data.get("queries") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise EvalError(f"{path}: expected a non-empty 'queries' list")
    for i, entry in enumerate(entries, 1):
        where = f"{Path(path).name}: query #{i}"
        if not isinstance(entry, dict):
            raise EvalError(f"{where}: expected a mapping")
        if not isinstance(entry.get("q"), str) or not entry["q"].strip():
            raise EvalError(f"{where}: field 'q' must be a non-empty string")
        if entry.get("lang") not in LANGS:
            raise EvalError(f"{where} ({entry['q']}): field 'lang' must be one of {', '.join(LANGS)}")
        pages = entry.get("pages")
        if isinstance(pages, str):
            entry["pages"] = pages = [pages]
        if not isinstance(pages, list) or not pages or not all(isinstance(p, str) for p in pages):
            raise EvalError(f"{where} ({entry['q']}): field 'pages' must list page slugs")
        if not isinstance(entry.get("kind"), str):
            raise EvalError(f"{where} ({entry['q']}): field 'kind' must be a string")
    return entries


def slug_of(location: str) -> tuple[str, str]:
    """(language, page slug) of an index location, online or offline style:
    ``en/strategy/#x`` and ``en/strategy.html#x`` -> ``("en", "strategy")``."""
    path = unquote(urlsplit(location).path).lstrip("./")
    registry = languages.load()
    lang = registry.language_of_url(path)
    path = path[len(registry.get(lang).prefix):]
    path = path.removesuffix("index.html").removesuffix(".html").strip("/")
    return lang, path or "index"


def score(entries: list[dict], answers: list[list[list[str]]]) -> list[dict]:
    """One row per query: result pages (in order), rank of the first expected
    page, languages seen."""
    rows = []
    for entry, groups in zip(entries, answers):
        pages, langs = [], set()
        for group in groups:
            for location in group:
                langs.add(slug_of(location)[0])
            lang, slug = slug_of(group[0].split("#")[0] if group else "")
            if slug not in pages:
                pages.append(slug)
        rank = next((i + 1 for i, p in enumerate(pages) if p in entry["pages"]), None)
        rows.append({**entry, "results": pages[:8], "rank": rank, "languages": sorted(langs),
                     "hit": rank is not None and rank <= TOP and langs <= {entry["lang"]}})
    return rows


def run_in_page(browser, start_url: str, entries: list[dict]) -> list[dict]:
    """Open ``start_url`` (a page of the queries' language), start search as a
    reader would, run every query through the page's search worker."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.add_init_script(CAPTURE_WORKERS)
        page.goto(start_url)
        placeholder = page.evaluate(
            "JSON.parse(document.getElementById('__config').textContent).translations['search.result.placeholder']")
        page.click("input[name=query]")
        page.wait_for_function(
            "p => document.querySelector('.md-search-result__meta').textContent.trim() === p",
            arg=placeholder, timeout=60000)
        answers = page.evaluate(RUN_QUERIES, [[e["q"] for e in entries], searchindex.MESSAGES])
    finally:
        context.close()
    return score(entries, answers)


def run_site(browser, root_url: str, entries: list[dict], offline: bool = False) -> list[dict]:
    """Every query of the set, each language from its own strategy page."""
    rows = []
    for lang in LANGS:
        mine = [e for e in entries if e["lang"] == lang]
        if not mine:
            continue
        prefix = languages.load().get(lang).prefix
        start = root_url + prefix + ("strategy.html" if offline else "strategy/")
        rows += run_in_page(browser, start, mine)
    return rows


BASELINES = ("stock", "off")
STOCK_PIPELINE = ["trimmer", "stopWordFilter", "stemmer"]  # lunr's English pipeline, as stock Material
GUIDE_WORKER = Path("assets") / "javascripts" / "guide-search" / "worker.js"


def material_search_files() -> tuple[Path, Path]:
    """Material's search worker and its lunr folder, from the installed theme
    (found through its distribution: the tools import no engine)."""
    from importlib import metadata

    scripts = Path(metadata.distribution("mkdocs-material").locate_file("material/templates/assets/javascripts"))
    workers = sorted((scripts / "workers").glob("search.*.min.js"))
    if len(workers) != 1 or not (scripts / "lunr").is_dir():
        raise EvalError(f"{scripts}: expected one workers/search.*.min.js and a lunr/ folder")
    return workers[0], scripts / "lunr"


def make_baseline(site: Path, mode: str, search_docs: Path) -> None:
    """Turn a normal build (``site``; ``search_docs``: its combined documents,
    kept with GUIDE_SEARCH_DOCS) into the baseline ``mode`` (see the module doc).

    Pages keep loading what they load (search-lazy.js asks for
    ``search/search_index.<lang>.json`` and starts the worker at the guide's
    URL, which the CSP names): the index files get each language's documents
    back, and the guide's worker file becomes Material's, whose ``../lunr``
    is the copied lunr folder."""
    if mode not in BASELINES:
        raise EvalError(f"baseline {mode!r}: expected one of {', '.join(BASELINES)}")
    site = Path(site)
    worker, lunr = material_search_files()
    shutil.copytree(lunr, site / "assets" / "javascripts" / "lunr", dirs_exist_ok=True)
    shutil.copyfile(worker, site / GUIDE_WORKER)
    docs = json.loads(Path(search_docs).read_text(encoding="utf-8"))["docs"]
    registry = languages.load()
    for lang in registry.codes:
        target = site / "search" / f"search_index.{lang}.json"
        if not target.is_file():
            continue
        config = {k: v for k, v in json.loads(target.read_text(encoding="utf-8"))["config"].items() if k != "guide"}
        config["fields"] = {k: v for k, v in config.get("fields", {}).items() if k != searchindex.ALIAS_FIELD}
        if mode == "stock":
            config["pipeline"] = STOCK_PIPELINE
        mine = [{k: v for k, v in doc.items() if k != searchindex.ALIAS_FIELD} for doc in docs
                if registry.language_of_url(doc.get("location", "")) == lang]
        target.write_text(json.dumps({"config": config, "docs": mine}, ensure_ascii=False), encoding="utf-8")


def summary(rows: list[dict]) -> dict:
    """``{lang: {"all": (n, hit@5, MRR), kind: (...)}}``."""
    table: dict = {}
    for row in rows:
        for key in ("all", row["kind"]):
            table.setdefault(row["lang"], {}).setdefault(key, []).append(row)
    out = {}
    for lang, kinds in table.items():
        out[lang] = {}
        for kind, items in kinds.items():
            n = len(items)
            hits = sum(1 for r in items if r["hit"]) / n
            mrr = sum(1 / r["rank"] for r in items if r["rank"] and r["languages"] == [r["lang"]]) / n
            out[lang][kind] = (n, round(hits, 3), round(mrr, 3))
    return out


def format_table(named: dict[str, list[dict]]) -> str:
    """Markdown table: one column pair (hit@5, MRR) per run, rows per language and kind."""
    sums = {name: summary(rows) for name, rows in named.items()}
    keys = []
    for s in sums.values():
        for lang in LANGS:
            for kind in sorted(s.get(lang, {}), key=lambda k: (k != "all", k)):
                if (lang, kind) not in keys:
                    keys.append((lang, kind))
    head = "| language | kind | n | " + " | ".join(f"{name} hit@5 | {name} MRR" for name in named) + " |"
    lines = [head, "|" + " --- |" * (3 + 2 * len(named))]
    for lang, kind in keys:
        n = next((s[lang][kind][0] for s in sums.values() if kind in s.get(lang, {})), 0)
        cells = []
        for s in sums.values():
            value = s.get(lang, {}).get(kind)
            cells += [f"{value[1]:.2f}", f"{value[2]:.2f}"] if value else ["–", "–"]
        label = f"**{kind}**" if kind == "all" else kind
        lines.append(f"| {lang} | {label} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def failures(rows: list[dict]) -> list[str]:
    return [f"  [{r['lang']}/{r['kind']}] {r['q']!r}: expected {'/'.join(r['pages'])}, "
            f"rank {r['rank']}, got {r['results'][:5]}" + (f" languages {r['languages']}" if r["languages"] not in ([], [r['lang']]) else "")
            for r in rows if not r["hit"]]


def add_arguments(parser) -> None:
    parser.add_argument("--site", default=None, help="an already built site directory (online run only)")
    parser.add_argument("--no-offline", action="store_true", help="skip the offline archive")
    parser.add_argument("--baselines", action="store_true",
                        help="also run the English queries against stock Material search (stock: lunr's English "
                             "pipeline) and against the analysis switched off (off: the site before)")
    parser.add_argument("--queries", default=str(QUERIES), help="the query set (YAML)")
    parser.add_argument("--json", default=None, help="also write every row to this JSON file")


def main(args) -> int:
    from playwright.sync_api import sync_playwright

    from guide.engine import build_site
    from guide.publish import shipped
    from tools.webserve import serve

    try:
        entries = load_queries(Path(args.queries))
    except (OSError, EvalError) as exc:
        print(f"searcheval: error: {exc}", file=sys.stderr)
        return 1
    runs: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="guide-searcheval-") as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        builds = [("online", {})] if not args.site else []
        if args.baselines:
            builds += [(mode, {}) for mode in BASELINES]
        if args.site:
            with serve(Path(args.site)) as url:
                runs["online"] = run_site(browser, url, entries)
        for name, env in builds:
            site = Path(tmp) / name
            with serve(site) as url:
                docs = Path(tmp) / f"{name}-search-docs.json"
                proc = build_site(site, env={"SITE_URL": url, shipped.SEARCH_DOCS_ENV: str(docs), **env})
                if proc.returncode:
                    sys.stderr.write(proc.stderr[-4000:])
                    return 1
                if name in BASELINES:
                    make_baseline(site, name, docs)
                wanted = entries if name == "online" else [e for e in entries if e["lang"] == "en"]
                runs[name] = run_site(browser, url, wanted)
        if not args.site and not args.no_offline:
            from guide.publish.offline import build_offline

            build_offline(Path(tmp) / "dist", keep_site=Path(tmp) / "offline")
            runs["offline"] = run_site(browser, (Path(tmp) / "offline").as_uri() + "/", entries, offline=True)
        browser.close()
    print(format_table(runs))
    for name, rows in runs.items():
        bad = failures(rows)
        print(f"\n{name}: {len(rows) - len(bad)}/{len(rows)} queries with an expected page in the top {TOP}")
        print("\n".join(bad))
    if args.json:
        Path(args.json).write_text(json.dumps(runs, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0
