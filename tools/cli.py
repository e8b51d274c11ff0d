"""``guide``: the command-line entry point for the guide's chores.

Each subcommand lives in its own module (in ``guide`` for the core's commands) with a ``main(args)`` function and an
``add_arguments(parser)`` function; this file only wires them together, and
imports a module only when its subcommand runs (so ``guide parity`` stays fast).
"""

from __future__ import annotations

import argparse
import importlib
import sys

# subcommand -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("guide.engine", "strict build of both languages into site/"),
    "check": ("guide.editorial.editorcheck", "editor input only (data, front matter, HTML policy, macros): one line per mistake"),
    "reviewed-files": ("guide.editorial.files", "the file allowlist: check docs/ and data/; --add/--update pins reviewed files"),
    "serve": ("tools.serve", "strict build, then live preview at http://127.0.0.1:8000/ (default language) and the others' prefixes"),
    "icons": ("guide.publish.icons", "re-draw the web app icons (overrides/assets/images/icon-192.png, -512) from logo.svg"),
    "fonts": ("guide.publish.fonts", "re-make the subset woff2 fonts from the @fontsource packages"),
    "schema": ("tools.schema", "write data/schema/*.schema.json from the data models (--check: fail if stale)"),
    "parity": ("guide.editorial.parity", "check that both languages of every page have the same structure"),
    "terms": ("guide.editorial.terms", "termbase check: pages and data that use a variant the termbase rejects"),
    "unused": ("guide.editorial.usage", "data records no page shows: examples (case_box) and key-question lists"),
    "freshness": ("guide.editorial.freshness", "pages and data sentences that follow a source (seed) sentence too closely"),
    "status": ("guide.editorial.status", "translation status: missing or outdated pages and data records"),
    "new-lang": ("guide.editorial.newlang", "scaffold a language: mkdocs.yml entry, docs/<code>/ stubs, ui.yml strings to translate"),
    "offline": ("guide.publish.offline", "offline edition: dist/guide-offline.zip (+ .sha256) for file:// use"),
    "pdf": ("guide.publish.pdf", "one PDF per language: dist/guide-ar.pdf, dist/guide-en.pdf"),
    "epub": ("guide.publish.epub", "one EPUB 3 per language: dist/guide-ar.epub, dist/guide-en.epub (EPUBCheck-clean)"),
    "epub-screenshot": ("tools.epub_screenshot", "the Arabic EPUB in Foliate under Xvfb, screenshots in test-artifacts/layout/"),
    "release": ("tools.release", "PDFs, EPUBs, offline archive and site with download links; reports sizes"),
    "zensical-report": ("tools.zensical_report", "what Zensical (newest release) builds of this site; writes docs-dev/zensical-readiness.md"),
    "bench": ("tools.bench", "figures: build time vs bare Material, bytes per first visit, search, Lighthouse"),
    "searcheval": ("tools.searcheval", "search relevance: the evaluation set in Chromium, hit@5 and MRR per language and kind"),
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # The top-level parser takes no option but -h, so the first word is the command.
    chosen = next((word for word in argv if not word.startswith("-")), None)
    parser = argparse.ArgumentParser(prog="guide", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text)
        command.set_defaults(module_name=module_name)
        if name == chosen:  # only the chosen command's module is imported
            module = importlib.import_module(module_name)
            if hasattr(module, "add_arguments"):
                module.add_arguments(command)
    args = parser.parse_args(argv)
    module = importlib.import_module(args.module_name)
    return int(module.main(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
