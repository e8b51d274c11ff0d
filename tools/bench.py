"""Benchmark: build time, what a reader downloads, search and offline sizes.

    python -m tools bench                 # everything (Lighthouse if installed)
    python -m tools bench --no-lighthouse --runs 1

Prints figures; it is not a test (nothing here fails a build), but it states
each budget from issue 6 next to the measured figure:

* build: the full strict build (both languages, macros, i18n, hooks) against a
  *bare* build of the same Markdown with plain Material, per language. In the
  bare build the macro calls (``{{ … }}``, ``{% … %}``) are stripped: macros
  are our own pipeline's work, so their cost belongs to the full build's side
  of the ratio. Budget: full <= 1.5 x bare (sum of both languages).
* first visit: every page of both languages opened in a fresh Chromium
  context (empty cache) from a local server that gzips like a production host
  (tools/webserve.py); bytes are counted by the server (headers + body as
  sent), split into HTML, CSS, JS, fonts, search, images. Budget: an Arabic
  chapter <= 120 KB.
* search: index sizes per language (raw, gzip) and everything downloaded
  from opening the Arabic strategy chapter to its first search result.
* offline: size of the archive ``python -m tools offline`` makes.
* Lighthouse (mobile, default throttling) per page, when
  ``.tools/node_modules/.bin/lighthouse`` exists (``npm install --prefix .tools
  lighthouse``) or $LIGHTHOUSE points at one; Chromium from $CHROME_PATH or
  /usr/bin/chromium. Budgets: accessibility, best practices, SEO 1.00;
  performance >= 0.98.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from guide.engine import build_site, engine_command
from guide.siteconfig import load_config, nav_slugs
from tools.webserve import serve

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = {"ar": "", "en": "en/"}
CHROMIUM = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage"]
FIRST_VISIT_BUDGET_KB = {"ar": 120}
BUILD_RATIO_BUDGET = 1.5
LIGHTHOUSE_BUDGET = {"performance": 0.98, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
KB = 1000  # figures in kB (10^3), as browsers' devtools show them


def add_arguments(parser) -> None:
    parser.add_argument("--runs", type=int, default=3, help="builds timed per variant; the median is shown (default 3)")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse even if installed")
    parser.add_argument("--lighthouse-runs", type=int, default=1,
                        help="Lighthouse runs per page; the median score per category is shown (default 1)")
    parser.add_argument("--pages", default=None,
                        help="comma-separated page slugs to measure (default: every page in the nav)")
    parser.add_argument("--no-offline", action="store_true", help="skip the offline archive")
    parser.add_argument("--json", default=None, help="also write all figures to this JSON file")


# --- helpers -----------------------------------------------------------------

def page_path(lang: str, slug: str) -> str:
    return LANGUAGES[lang] + ("" if slug == "index" else f"{slug}/")


def category(path: str) -> str:
    path = path.split("?")[0]
    if "/search/" in path or "/workers/" in path or "/lunr/" in path:
        return "search"
    if path.endswith("/") or path.endswith(".html"):
        return "html"
    suffix = Path(path).suffix
    return {".css": "css", ".js": "js", ".woff2": "fonts", ".woff": "fonts", ".ttf": "fonts",
            ".svg": "images", ".png": "images", ".jpg": "images", ".webp": "images"}.get(suffix, "other")


def kb(n: float) -> str:
    return f"{n / KB:6.1f}"


# --- build time --------------------------------------------------------------

MACRO_CALL = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def strip_macros(markdown: str) -> str:
    return MACRO_CALL.sub("", markdown)


def make_bare_project(lang: str, config: dict, target: Path) -> Path:
    """Plain Material over docs/<lang>/ with the macro calls stripped."""
    docs = target / "docs"
    src = ROOT / config.get("docs_dir", "docs") / lang
    for md in src.rglob("*.md"):
        out = docs / md.relative_to(src)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(strip_macros(md.read_text(encoding="utf-8")), encoding="utf-8")
    bare = {
        "site_name": "bare",
        "docs_dir": "docs",
        "theme": {"name": "material", "language": lang},
        "plugins": ["search"],
        "markdown_extensions": config.get("markdown_extensions") or [],
        "nav": config.get("nav") or [],
    }
    cfg = target / "mkdocs.yml"
    cfg.write_text(yaml.safe_dump(bare, allow_unicode=True), encoding="utf-8")
    return cfg


def time_bare(cfg: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        out = cfg.parent / "site"
        start = time.perf_counter()
        proc = subprocess.run(engine_command(["build", "-q", "--clean", "-f", str(cfg), "-d", str(out)]),
                              cwd=cfg.parent, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode:
            raise RuntimeError(f"bare build failed:\n{proc.stderr[-2000:]}")
    return statistics.median(times)


def time_full(site_dir: Path, base_url: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = build_site(site_dir, env={"SITE_URL": base_url})
        times.append(time.perf_counter() - start)
        if proc.returncode:
            raise RuntimeError(f"strict build failed:\n{proc.stderr[-3000:]}")
    return statistics.median(times)


# --- browser measurements ----------------------------------------------------

def first_visits(browser, base: str, log: list, pages: list[tuple[str, str]]) -> dict:
    result = {}
    for lang, slug in pages:
        context = browser.new_context()  # empty cache: a first visit
        page = context.new_page()
        del log[:]
        page.goto(base + page_path(lang, slug), wait_until="networkidle")
        page.wait_for_timeout(300)
        context.close()
        split: dict[str, int] = {}
        for path, n in log:
            split[category(path)] = split.get(category(path), 0) + n
        result[f"{lang}/{slug}"] = {"total": sum(split.values()), "split": split, "requests": len(log)}
    return result


def first_search(browser, base: str, log: list, query: str = "الاستراتيجية") -> dict:
    context = browser.new_context()
    page = context.new_page()
    del log[:]
    page.goto(base + page_path("ar", "strategy"), wait_until="networkidle")
    page_bytes = sum(n for _, n in log)
    start = time.perf_counter()
    page.click("input[name=query]")
    page.keyboard.type(query)
    page.wait_for_selector(".md-search-result__item", timeout=30000)
    elapsed = time.perf_counter() - start
    page.wait_for_timeout(200)
    context.close()
    search_bytes = sum(n for p, n in log if category(p) == "search")
    return {"query": query, "page": page_bytes, "search": search_bytes, "total": sum(n for _, n in log),
            "seconds_to_result": round(elapsed, 2)}


def lighthouse_bin() -> str | None:
    candidate = os.environ.get("LIGHTHOUSE") or str(ROOT / ".tools" / "node_modules" / ".bin" / "lighthouse")
    return candidate if Path(candidate).exists() else shutil.which("lighthouse")


def lighthouse(binary: str, url: str) -> dict:
    proc = subprocess.run(
        [binary, url, "--output=json", "--output-path=stdout", "--quiet",
         "--only-categories=performance,accessibility,best-practices,seo",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"],
        capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=240)
    if proc.returncode:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    report = json.loads(proc.stdout)
    scores = {k: v["score"] for k, v in report["categories"].items()}
    failing = sorted({a["id"] for a in report["audits"].values()
                      if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") == "binary"})
    return {"scores": scores, "failing_binary_audits": failing}


# --- main --------------------------------------------------------------------

def main(args) -> int:
    from playwright.sync_api import sync_playwright

    config = load_config()
    slugs = nav_slugs(config)
    if args.pages:
        wanted = [p.strip() for p in args.pages.split(",") if p.strip()]
        unknown = [p for p in wanted if p not in slugs]
        if unknown:
            print(f"bench: unknown page(s) {unknown}; pages: {', '.join(slugs)}", file=sys.stderr)
            return 2
        slugs = wanted
    pages = [(lang, slug) for lang in LANGUAGES for slug in slugs]
    figures: dict = {}
    log: list = []
    with tempfile.TemporaryDirectory(prefix="guide-bench-") as tmp:
        tmp = Path(tmp)
        site_dir = tmp / "site"
        with serve(site_dir, transfer_log=log) as base:
            # 1. build time
            print(f"Build time (median of {args.runs}; this machine: {os.cpu_count()} CPUs)")
            full = time_full(site_dir, base, args.runs)
            bare = {lang: time_bare(make_bare_project(lang, config, tmp / f"bare-{lang}"), args.runs)
                    for lang in LANGUAGES}
            ratio = full / sum(bare.values())
            for lang, seconds in bare.items():
                print(f"  bare Material, {lang}: {seconds:5.2f} s")
            print(f"  full strict build (both languages, macros, i18n, hooks): {full:5.2f} s")
            print(f"  ratio full / bare (ar + en): {ratio:4.2f}  budget <= {BUILD_RATIO_BUDGET}  "
                  f"{'OK' if ratio <= BUILD_RATIO_BUDGET else 'OVER'}")
            figures["build"] = {"full_s": round(full, 3), "bare_s": {k: round(v, 3) for k, v in bare.items()},
                                "ratio": round(ratio, 3)}

            # 2. search index sizes
            print("\nSearch index (bytes: raw / gzip)")
            figures["search_index"] = {}
            for name in ["search_index.json"] + [f"search_index.{lang}.json" for lang in LANGUAGES]:
                path = site_dir / "search" / name
                if path.exists():
                    raw = path.read_bytes()
                    packed = len(gzip.compress(raw, 6))
                    figures["search_index"][name] = {"raw": len(raw), "gzip": packed}
                    print(f"  {name:26} {len(raw):9,} / {packed:8,}")

            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                # 3. first visits
                visits = first_visits(browser, base, log, pages)
                figures["first_visit"] = visits
                cats = ["html", "css", "js", "fonts", "images", "search", "other"]
                print("\nFirst visit, transferred kB (gzip; headers included)")
                print(f"  {'page':28} {'total':>6} " + " ".join(f"{c:>6}" for c in cats) + "  budget")
                for key, v in visits.items():
                    lang = key.split("/")[0]
                    budget = FIRST_VISIT_BUDGET_KB.get(lang)
                    verdict = "" if budget is None else (
                        f"<= {budget}: {'OK' if v['total'] <= budget * KB else 'OVER'}")
                    print(f"  {key:28} {kb(v['total'])} " + " ".join(kb(v['split'].get(c, 0)) for c in cats)
                          + f"  {verdict}")
                # 4. first Arabic search
                search = first_search(browser, base, log)
                figures["first_search"] = search
                print(f"\nFirst Arabic search ({search['query']!r} on the strategy chapter): page {kb(search['page'])} kB"
                      f" + search {kb(search['search'])} kB = {kb(search['total'])} kB before the first result"
                      f" ({search['seconds_to_result']} s from click, locally)")
                browser.close()

            # 5. Lighthouse
            binary = None if args.no_lighthouse else lighthouse_bin()
            if binary:
                print(f"\nLighthouse (mobile; median of {args.lighthouse_runs}): "
                      "performance, accessibility, best practices, SEO")
                figures["lighthouse"] = {}
                for lang, slug in pages:
                    key = f"{lang}/{slug}"
                    runs = [lighthouse(binary, base + page_path(lang, slug)) for _ in range(args.lighthouse_runs)]
                    good = [r for r in runs if "error" not in r]
                    if not good:
                        figures["lighthouse"][key] = runs
                        print(f"  {key:28} error: {runs[0]['error']}")
                        continue
                    s = {c: statistics.median(r["scores"].get(c) or 0 for r in good) for c in LIGHTHOUSE_BUDGET}
                    res = {"scores": s, "runs": [r["scores"] for r in good],
                           "failing_binary_audits": sorted({a for r in good for a in r["failing_binary_audits"]})}
                    figures["lighthouse"][key] = res
                    ok = all((s.get(c) or 0) >= t for c, t in LIGHTHOUSE_BUDGET.items())
                    print(f"  {key:28} " + "  ".join(f"{s.get(c, 0):.2f}" for c in LIGHTHOUSE_BUDGET)
                          + f"  {'OK' if ok else 'BELOW BUDGET: ' + ', '.join(res['failing_binary_audits'])}")
            elif not args.no_lighthouse:
                print("\nLighthouse: not installed (npm install --prefix .tools lighthouse); skipped")

        # 6. offline archive
        if not args.no_offline:
            try:
                from guide.publish.offline import build_offline
            except ImportError:
                print("\nOffline archive: guide.publish.offline not available; skipped")
            else:
                with tempfile.TemporaryDirectory(prefix="guide-bench-offline-") as out:
                    entry = build_offline(Path(out))
                    figures["offline_zip_bytes"] = entry["bytes"]
                    print(f"\nOffline archive: {entry['bytes']:,} bytes ({entry['bytes'] / 1e6:.2f} MB)")

    if args.json:
        Path(args.json).write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0
