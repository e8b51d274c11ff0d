"""Zensical readiness report: what Zensical builds of this site today, measured.

    python -m tools zensical-report            # or: make zensical-report
    python -m tools zensical-report --output /tmp/report.md

Installs the newest Zensical the registry serves into its own environment
(``.venv-zensical/``; if the newest release cannot be installed, the reason is
recorded and the next older ones are tried), copies the sources into a
temporary directory and builds them several ways: the configuration as it is,
then with one obstacle at a time taken away (the config values Zensical cannot
read, the macros plugin, the i18n plugin: one language per build). Each build's
output is checked for what readers and editors rely on: both languages at their
URLs, ``dir="rtl"``, the data boxes rendered by the macros, the overrides, the
hooks' work (hreflang links, per-language search indexes). The findings go to
``docs-dev/zensical-readiness.md`` (for maintainers; not part of the site).

Not part of ``make test``: it needs the network and takes a minute or two.
"""

from __future__ import annotations

import copy
import datetime
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-zensical"
OUTPUT = ROOT / "docs-dev" / "zensical-readiness.md"
MAX_TRIES = 12  # releases tried, newest first, when the newest does not install


def add_arguments(parser) -> None:
    parser.add_argument("--output", default=str(OUTPUT.relative_to(ROOT)), help="report file (Markdown)")
    parser.add_argument("--version", default=None, help="Zensical version to measure (default: newest installable)")


# --- the environment ---------------------------------------------------------

def run(command: list[str], cwd: Path | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


def last_error(text: str) -> str:
    """The line that says what went wrong (pip's or Python's last error line)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()
             and not line.lstrip().startswith("WARNING: Location")]
    for line in reversed(lines):
        if line.startswith("Error: Build of '"):  # zensical-i18n's summary; the cause is above it
            continue
        if re.match(r"^(ERROR:|error:|[A-Za-z_.]*(Error|Exception)\b)", line):
            return line
    return lines[-1] if lines else "(no output)"


def registry_versions(python: Path) -> list[str]:
    proc = run([str(python), "-m", "pip", "index", "versions", "zensical"])
    match = re.search(r"Available versions: (.+)", proc.stdout)
    return [v.strip() for v in match.group(1).split(",")] if match else []


def install(version: str | None) -> tuple[Path, str, list[str]]:
    """Make .venv-zensical with the newest installable release (or ``version``),
    then add the newest zensical-i18n that accepts it (the multi-language wrapper).
    Returns the interpreter, the installed version and notes on every try."""
    run([sys.executable, "-m", "venv", "--clear", str(VENV)]).check_returncode()
    python = VENV / "bin" / "python"
    notes: list[str] = []
    available = registry_versions(python)
    if available:
        notes.append(f"Newest release on the registry: **{available[0]}** "
                     f"({len(available)} releases listed by `pip index versions zensical`).")
    candidates = [version] if version else (available[:MAX_TRIES] or [None])
    for candidate in candidates:
        spec = f"zensical=={candidate}" if candidate else "zensical"
        proc = run([str(python), "-m", "pip", "install", "--quiet", spec])
        if proc.returncode == 0:
            installed = installed_version(python, "zensical")
            notes.append(install_i18n(python, installed))
            return python, installed, notes
        notes.append(f"`pip install {spec}` fails: `{last_error(proc.stderr)}`")
    raise SystemExit("zensical-report: no Zensical release could be installed:\n" + "\n".join(notes))


def installed_version(python: Path, package: str) -> str:
    proc = run([str(python), "-c", f"import importlib.metadata as m; print(m.version({package!r}))"])
    return proc.stdout.strip() if proc.returncode == 0 else ""


def install_i18n(python: Path, zensical: str) -> str:
    """zensical-i18n wraps the `zensical` command with mkdocs-static-i18n's settings;
    it pins a range of Zensical versions, so Zensical itself is held where it is."""
    proc = run([str(python), "-m", "pip", "install", "--quiet", "zensical-i18n", f"zensical=={zensical}"])
    if proc.returncode != 0:
        return f"`pip install zensical-i18n zensical=={zensical}` fails: `{last_error(proc.stderr)}`"
    return f"zensical-i18n **{installed_version(python, 'zensical-i18n')}** installed beside it (`zensical-i18n build`)."


# --- the experiments ----------------------------------------------------------

class _Loader(yaml.SafeLoader):
    pass


# !ENV [NAME, default] -> the environment's value or the default, as MkDocs reads it.
def _env(loader, node):
    values = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    for name in values[:-1] if len(values) > 1 else values:
        if isinstance(name, str) and name in os.environ:
            return os.environ[name]
    return values[-1] if len(values) > 1 else None


_Loader.add_constructor("!ENV", _env)


def stringify_dates(value):
    if isinstance(value, dict):
        return {k: stringify_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [stringify_dates(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def without_plugin(config: dict, name: str) -> dict:
    config = copy.deepcopy(config)
    config["plugins"] = [p for p in config.get("plugins", [])
                         if (next(iter(p)) if isinstance(p, dict) else p) != name]
    return config


def stock_templates(config: dict) -> dict:
    """Without our overrides (they read values our MkDocs hooks put in the
    template globals, which Zensical does not run) and without the hooks key."""
    config = copy.deepcopy(config)
    config["theme"] = {k: v for k, v in config["theme"].items() if k != "custom_dir"}
    config.pop("hooks", None)
    return config


def one_language(config: dict, lang: str) -> dict:
    config = without_plugin(config, "i18n")
    config["docs_dir"] = f"docs/{lang}"
    config["theme"] = {**config["theme"], "language": lang}
    return config


@dataclass
class Experiment:
    name: str
    change: str
    config: dict | str | None  # None: mkdocs.yml untouched; str: edited YAML text
    languages: tuple[str, ...] = ("ar", "en")
    result: dict = field(default_factory=dict)
    probe: bool = False  # the macros API probe: its own one-page docs
    command: str = "zensical"  # or "zensical-i18n": the multi-language wrapper


# A stand-in for our macros module, with the same entry points, that writes
# into the page what the engine's macros extension gives it: the parts of the
# mkdocs-macros API that macros/__init__.py uses.
PROBE_MODULE = '''
def define_env(env):
    def probe():
        page = getattr(env, "page", None)
        file = getattr(page, "file", None)
        conf = getattr(env, "conf", None) or {}
        facts = {
            "env.page": page is not None,
            "env.page.file": file is not None,
            "env.page.file.src_uri": getattr(file, "src_uri", None),
            "env.page.file.abs_src_path": bool(getattr(file, "abs_src_path", None)),
            "env.conf docs_dir": bool(conf.get("docs_dir")) if hasattr(conf, "get") else False,
            "env.variables": hasattr(env, "variables"),
        }
        return "PROBE " + "; ".join(f"{k}={v}" for k, v in facts.items()) + " END"
    env.macro(probe, "probe")


def on_post_page_macros(env):
    env.markdown = env.markdown + "\\n\\nPOST-PAGE-HOOK-RAN\\n"
'''


def probe_config(base: dict) -> dict:
    config = one_language(stock_templates(base), "ar")
    config["docs_dir"] = "probe-docs"
    config["nav"] = ["index.md"]
    config["plugins"] = ["search", {"macros": {"module_name": "zensical_probe", "on_error_fail": True}}]
    config.pop("hooks", None)
    return config


def experiments(base: dict, text: str) -> list[Experiment]:
    data = stringify_dates(base)
    no_macros = without_plugin(data, "macros")
    stock = stock_templates(no_macros)
    quoted_dates = re.sub(r"^(\s+(?:published|updated): )(\d{4}-\d\d-\d\d)\s*$", r'\1"\2"', text, flags=re.M)
    return [
        Experiment("as is", "none: `mkdocs.yml` as the MkDocs build uses it", None),
        Experiment("dates quoted", "only the `extra.edition` dates written as strings (`\"2023-09-11\"`)", quoted_dates),
        Experiment("readable config", "`!ENV` tags resolved to their values, `extra.edition` dates written as strings", data),
        Experiment("no macros", "as *readable config*, without the `macros` plugin", no_macros),
        Experiment("stock templates", "as *no macros*, without our `overrides/` and hooks", stock),
        Experiment("Arabic only", "as *stock templates*, without the `i18n` plugin, `docs_dir: docs/ar`", one_language(stock, "ar"), ("ar",)),
        Experiment("English only", "as *stock templates*, without the `i18n` plugin, `docs_dir: docs/en`", one_language(stock, "en"), ("en",)),
        Experiment("Arabic only, with macros", "as *Arabic only*, with the `macros` plugin", one_language(data, "ar"), ("ar",)),
        Experiment("i18n layer", "as *stock templates*, built by `zensical-i18n build` with our `i18n` settings as they are",
                   stock, command="zensical-i18n"),
        Experiment("i18n layer, our templates", "as *no macros*, built by `zensical-i18n build`", no_macros,
                   command="zensical-i18n"),
        Experiment("i18n layer, with macros", "as *readable config*, built by `zensical-i18n build`", data,
                   command="zensical-i18n"),
        Experiment("macros API probe", "one page calling a stand-in macros module that reports what the engine's "
                   "macros extension passes it (`page.file`, `conf`, the post-page hook)", probe_config(data), ("ar",),
                   probe=True),
    ]


def copy_sources(target: Path) -> None:
    tracked = run(["git", "ls-files", "-z"], cwd=ROOT)
    if tracked.returncode == 0 and tracked.stdout:
        for name in tracked.stdout.split("\0"):
            if name and (ROOT / name).is_file():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, target / name)
    else:  # not a git checkout
        shutil.copytree(ROOT, target, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".git", ".venv*", ".tools", "site", "dist", "__pycache__"))


def html_tag(path: Path) -> str:
    match = re.search(r"<html[^>]*>", path.read_text(encoding="utf-8", errors="replace")) if path.is_file() else None
    return match.group(0) if match else ""


def measure(site: Path, languages: tuple[str, ...]) -> dict:
    """What the built site gives readers, checked on the files."""
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    texts = {p: p.read_text(encoding="utf-8", errors="replace") for p in pages}
    home = {lang: site / ("en/index.html" if lang == "en" and len(languages) > 1 else "index.html") for lang in languages}
    chapter = site / "mapping" / "index.html"
    checks = {
        "pages": f"{len(pages)} (MkDocs: {13 * len(languages)})",
        "languages at their URLs": all(f'lang="{lang}"' in html_tag(home[lang]) for lang in languages),
        "`dir=\"rtl\"` on Arabic pages' `<html>`": ("ar" not in languages) or 'dir="rtl"' in html_tag(home["ar"]),
        "`dir=\"rtl\"` on Arabic pages' `<body>`": ("ar" not in languages) or bool(
            home["ar"].is_file() and re.search(r'<body[^>]*dir="rtl"', home["ar"].read_text(encoding="utf-8"))),
        "data boxes rendered (macros)": any("guide-box" in t for t in texts.values())
        and not any(re.search(r"\{\{\s*\w+\(", t) for t in texts.values()),
        # Zensical writes "/" in attributes as "&#x2f;".
        "switcher leads to the same page in the other language": "–" if len(languages) < 2 else bool(
            chapter.is_file() and re.search(r'href="[^"]*en/mapping/"', html.unescape(chapter.read_text(encoding="utf-8")))),
        "overrides applied": any("XMLHttpRequest.prototype.open" in t for t in texts.values()),
        "hooks ran (hreflang, per-language search index)": any('hreflang="' in t for t in texts.values())
        and any((site / "search").glob("search_index.*.json")),
    }
    raw_calls = sum(len(re.findall(r"\{\{\s*\w+\(", t)) for t in texts.values())
    if raw_calls:
        checks["raw macro calls left in pages"] = raw_calls
    langs_found = sorted({m for t in texts.values() for m in re.findall(r'<html lang="(\w+)"', t)})
    checks["`<html lang>` values seen"] = ", ".join(langs_found) or "none"
    return checks


def probe_results(site: Path) -> dict:
    text = " ".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*.html"))
    match = re.search(r"PROBE (.*?) END", text)
    checks = {"probe macro ran": bool(match), "post-page hook (`on_post_page_macros`) ran": "POST-PAGE-HOOK-RAN" in text}
    if match:
        for fact in match.group(1).split("; "):
            key, _, value = fact.partition("=")
            checks[f"`{key}`"] = {"True": True, "False": False}.get(value, value)
    return checks


def build(python: Path, tree: Path, experiment: Experiment) -> None:
    if experiment.config is None:
        config = tree / "mkdocs.yml"
    else:
        config = tree / f"zensical-{re.sub(r'[^a-z]+', '-', experiment.name.lower()).strip('-')}.yml"
        text = experiment.config if isinstance(experiment.config, str) else \
            yaml.safe_dump(experiment.config, allow_unicode=True, sort_keys=False)
        config.write_text(text, encoding="utf-8")
    if experiment.probe:
        (tree / "probe-docs").mkdir(exist_ok=True)
        (tree / "probe-docs" / "index.md").write_text("# Probe {: #probe }\n\n{{ probe() }}\n", encoding="utf-8")
        (tree / "zensical_probe.py").write_text(PROBE_MODULE, encoding="utf-8")
    site = tree / "site"
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(tree / ".cache", ignore_errors=True)
    zensical = python.parent / experiment.command
    if not zensical.exists():
        experiment.result = {"exit": "-", "seconds": 0.0, "error": f"`{experiment.command}` is not installed",
                             "where": "", "checks": {}, "warnings": []}
        return
    start = time.perf_counter()
    proc = run([str(zensical), "build", "--clean", "-f", str(config)], cwd=tree, timeout=600)
    seconds = time.perf_counter() - start
    output = proc.stdout + proc.stderr
    ok = proc.returncode == 0 and site.is_dir()
    frames = re.findall(r'File "' + re.escape(str(tree)) + r'/([^"]+)", line (\d+)', output)
    experiment.result = {
        "exit": proc.returncode,
        "seconds": seconds,
        "error": "" if ok else last_error(output),
        "where": f"{frames[-1][0]}:{frames[-1][1]}" if frames and not ok else "",
        "checks": (probe_results(site) if experiment.probe else measure(site, experiment.languages)) if ok else {},
        "warnings": [line.strip() for line in output.splitlines() if re.search(r"\bwarn", line, re.I)][:5],
    }


# --- the report -----------------------------------------------------------------

def mark(value) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "**no**"
    return str(value)


def report(version: str, notes: list[str], results: list[Experiment], commit: str) -> str:
    today = datetime.date.today().isoformat()
    lines = [
        "# Zensical readiness",
        "",
        "For maintainers planning the move from MkDocs/Material to Zensical (Material's successor).",
        "Generated by `python -m tools zensical-report` (`make zensical-report`); do not edit by hand,",
        "re-run it. Every figure below comes from a real build of this repository's sources.",
        "",
        f"- Measured: {today}, commit `{commit}`, **Zensical {version}**, Python {sys.version.split()[0]}.",
        *[f"- {note}" for note in notes],
        "",
        "## Builds",
        "",
        "| build | what was changed | builds? | error (and where, in our sources) |",
        "| --- | --- | --- | --- |",
    ]
    for e in results:
        r = e.result
        status = f"yes ({r['seconds']:.1f} s)" if not r["error"] else f"**no** (exit {r['exit']})"
        error = f"`{r['error'][:200]}`" if r["error"] else ""
        if r.get("where"):
            error += f" at `{r['where']}`"
        lines.append(f"| {e.name} | {e.change} | {status} | {error} |")
    probes = [e for e in results if e.probe and not e.result["error"]]
    for e in probes:
        lines += ["", "## What the macros extension passes a macros module", "",
                  "| fact | value |", "| --- | --- |",
                  *[f"| {k} | {mark(v)} |" for k, v in e.result["checks"].items()]]
    lines += ["", "## What the builds that finished give readers", ""]
    built = [e for e in results if not e.result["error"] and not e.probe]
    if built:
        keys = list(dict.fromkeys(k for e in built for k in e.result["checks"]))
        lines.append("| check | " + " | ".join(e.name for e in built) + " |")
        lines.append("| --- |" + " --- |" * len(built))
        for key in keys:
            lines.append(f"| {key} | " + " | ".join(mark(e.result["checks"].get(key, "")) for e in built) + " |")
    else:
        lines.append("None finished.")
    lines += ["", "## Reading the results", "", *findings(results), ""]
    return "\n".join(lines)


def findings(results: list[Experiment]) -> list[str]:
    """Plain sentences derived from the measured results (no outcome is assumed)."""
    by_name = {e.name: e.result for e in results}
    out = []

    def said(name: str, text_ok: str, text_fail: str) -> None:
        r = by_name[name]
        out.append("- " + (text_ok.format(**r) if not r["error"] else text_fail.format(**r)))

    said("as is", "The configuration as it is builds.",
         "The configuration as it is does not build: `{error}`.")
    if by_name["as is"]["error"]:
        dates = by_name["dates quoted"]
        if dates["error"] != by_name["as is"]["error"]:
            out.append("- Quoting the `extra.edition` dates alone gets past that error (next: "
                       f"`{dates['error'] or 'none, it builds'}`): Zensical's configuration reader rejects YAML "
                       "dates in `extra:`, which MkDocs passes to the templates as dates.")
        else:
            out.append("- Quoting the `extra.edition` dates does not change that error.")
    macros = by_name["Arabic only, with macros"]
    if macros["error"]:
        out.append(f"- With the `macros` plugin, Zensical's own macros extension loads our `macros` module and "
                   f"fails: `{macros['error']}`" + (f" at `{macros['where']}`" if macros.get("where") else "")
                   + ". Our adapter imports MkDocs (for its error type), as an adapter may; a Zensical adapter "
                   "would register the same `guide.render` functions, which import no engine.")
    probe = by_name["macros API probe"]
    if probe["error"]:
        out.append(f"- The macros API probe did not build: `{probe['error']}`.")
    else:
        absent = [k for k, v in probe["checks"].items() if v in (False, None, "None")]
        out.append("- The macros API probe: " + ("everything our adapter uses is there." if not absent else
                   "missing for our adapter: " + ", ".join(absent) + "."))
    i18n = by_name["i18n layer"]
    if i18n["error"]:
        out.append(f"- zensical-i18n as the multi-language layer does not build our configuration: `{i18n['error']}`"
                   + (f" at `{i18n['where']}`" if i18n.get("where") else "") + ".")
    else:
        kept = [k for k, v in i18n["checks"].items() if v is True]
        out.append("- zensical-i18n as the multi-language layer builds our `i18n` settings unchanged; it gives: "
                   + ("; ".join(kept) or "none of the checks") + ".")
    i18n_macros = by_name["i18n layer, with macros"]
    if i18n_macros["error"]:
        out.append(f"- With the `macros` plugin too, the i18n layer stops at the same adapter: `{i18n_macros['error']}`"
                   + (f" at `{i18n_macros['where']}`" if i18n_macros.get("where") else "") + ".")
    ours = by_name["no macros"]
    if ours["error"] and not by_name["stock templates"]["error"]:
        out.append(f"- Our `overrides/` stop the build (`{ours['error']}`): the templates read `guide_ui` and other "
                   "values that our MkDocs hooks add to the template globals, and Zensical runs no MkDocs hooks. "
                   "Without them (*stock templates*) it builds.")
    for name in ("no macros", "stock templates", "Arabic only", "English only", "i18n layer"):
        checks = by_name[name].get("checks") or {}
        if not checks:
            continue
        missing = [k for k, v in checks.items() if v is False]
        if missing:
            out.append(f"- *{name}*: builds, but without: " + "; ".join(missing) + ".")
    checks = by_name["no macros"].get("checks") or by_name["stock templates"].get("checks") or {}
    if checks and checks.get("languages at their URLs") is False:
        out.append("- Without a multi-language mode, `docs/ar/` and `docs/en/` become two sections of one "
                   f"site (`<html lang>` seen: {checks.get('`<html lang>` values seen')}), not two languages; "
                   "the i18n plugin is not run.")
    layer = ("zensical-i18n as the multi-language layer (it builds our `i18n` settings as they are; `dir` on "
             "`<html>` and our overrides still to be carried over)" if not by_name["i18n layer"]["error"]
             else "a multi-language build in Zensical (or one build per language plus our own language switcher)")
    out.append(f"- What the move would take, on this evidence: {layer}, template values that our hooks give "
               "the overrides today passed another way, a Zensical entry for the macros that calls "
               "`guide.render`, and the hooks' work (`hooks/*.py`, one per concern) re-attached to "
               "whatever extension points Zensical offers; the core in `guide/` needs no change to be reused.")
    return out


def main(args) -> int:
    python, version, notes = install(args.version)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    commit = run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT).stdout.strip() or "unknown"
    with tempfile.TemporaryDirectory(prefix="zensical-") as tmp:
        tree = Path(tmp)
        copy_sources(tree)
        results = experiments(config, (ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
        for experiment in results:
            build(python, tree, experiment)
            r = experiment.result
            print(f"zensical {version}: {experiment.name}: "
                  + ("built" if not r["error"] else f"failed: {r['error']}"), file=sys.stderr)
    out = ROOT / args.output
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report(version, notes, results, commit), encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0
