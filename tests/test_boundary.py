"""The core is engine-free: ``guide`` (our logic) and ``tools`` (the commands)
import no MkDocs, Material, mkdocs-static-i18n, mkdocs-macros or ProperDocs
module; only the adapters do (``macros/__init__.py``, the mkdocs-macros entry,
and ``hooks/*.py``, the MkDocs hooks). Checked twice: every core module is
imported in a fresh interpreter where the engine packages cannot be imported,
and every import statement in the repository's Python is read."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINE_PACKAGES = ("mkdocs", "material", "mkdocs_static_i18n", "mkdocs_macros", "properdocs")
CORE_PACKAGES = ("guide", "tools")
# Every hook file is an adapter (hooks/ is where MkDocs events meet the core).
ADAPTERS = {"macros/__init__.py", "hooks/checks.py", "hooks/pages.py", "hooks/search.py", "hooks/csp.py",
            "hooks/notfound.py", "hooks/minify.py", "hooks/downloads.py", "hooks/saveoffline.py", "hooks/fonts.py",
            "hooks/material_theme.py", "hooks/shipped.py"}

# Runs in a subprocess: a meta-path finder that refuses the engine packages,
# then imports the modules named on the command line, reporting failures.
BLOCKED_IMPORT = r"""
import importlib, json, sys
BLOCKED = set(json.loads(sys.argv[1]))

class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"engine package {name!r} imported")
        return None

sys.meta_path.insert(0, Blocker())
failures = {}
for module in json.loads(sys.argv[2]):
    try:
        importlib.import_module(module)
    except Exception as exc:
        failures[module] = f"{type(exc).__name__}: {exc}"
leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
print(json.dumps({"failures": failures, "leaked": leaked}))
"""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def core_modules() -> list[str]:
    return sorted(module_name(p) for package in CORE_PACKAGES for p in (ROOT / package).rglob("*.py")
                  if "__pycache__" not in p.parts and p.name != "__main__.py")


def import_blocked(modules: list[str]) -> dict:
    proc = subprocess.run([sys.executable, "-c", BLOCKED_IMPORT, json.dumps(ENGINE_PACKAGES), json.dumps(modules)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def test_every_core_module_imports_with_the_engine_blocked():
    modules = core_modules()
    # The layout the README describes: the core's sub-packages are all there.
    for expected in ("guide.data.loader", "guide.render.boxes", "guide.pages.notices", "guide.search.searchindex",
                     "guide.publish.pdf", "guide.editorial.status", "guide.engine", "tools.cli"):
        assert expected in modules
    result = import_blocked(modules)
    assert result["failures"] == {}
    assert result["leaked"] == []


def test_the_blocker_stops_the_adapters():
    # The same subprocess refuses the adapters, which do need the engine: the
    # check above would catch a core module that reached for it.
    result = import_blocked(["macros"])
    assert "mkdocs" in result["failures"]["macros"]


def engine_imports(path: Path) -> set[str]:
    """Engine packages that ``path`` imports (anywhere in the file, lazily too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(n.split(".")[0] for n in names if n.split(".")[0] in ENGINE_PACKAGES)
    return found


def test_only_the_adapters_import_the_engine():
    python_files = [p for d in ("guide", "tools", "macros", "hooks") for p in (ROOT / d).rglob("*.py")
                    if "__pycache__" not in p.parts]
    importing = {p.relative_to(ROOT).as_posix() for p in python_files if engine_imports(p)}
    assert importing == ADAPTERS


def test_the_core_does_not_import_adapters_or_commands():
    problems = []
    for path in (ROOT / "guide").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                     else [])
            problems += [f"{path.relative_to(ROOT)}: imports {n}" for n in names
                         if n.split(".")[0] in ("macros", "hooks", "tools")]
    assert problems == []


def test_a_command_imports_only_its_own_module():
    # `python -m tools parity` must not pay for the PDF, EPUB or bench modules.
    script = ("import json, sys, contextlib, io\n"
              "from tools import cli\n"
              "with contextlib.redirect_stdout(io.StringIO()):\n"
              "    code = cli.main(['parity'])\n"
              "print(json.dumps([code, sorted(sys.modules)]))\n")
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    code, imported = json.loads(proc.stdout.strip().splitlines()[-1])
    assert code == 0 and "guide.editorial.parity" in imported
    heavy = [name for name in imported
             if name.startswith(("guide.publish", "tools.bench", "tools.searcheval", "mkdocs", "material"))]
    assert not heavy, f"`tools parity` imported {heavy}"


def test_hooks_that_share_an_event_and_priority_are_listed_in_the_order_they_must_run():
    # MkDocs runs hooks of one event and priority in the order mkdocs.yml lists
    # them: the HTML allowlist sees the content before the rewriters
    # (checks, pages), the index gets the rewritten content (pages, search),
    # the policy sees the final page (pages, csp; both -100), assets are
    # minified before the indexes are written (minify, search; both -110).
    # Every hook file is listed, and the three-language fixture lists the same.
    from guide import siteconfig

    hooks = siteconfig.load_config(ROOT / "mkdocs.yml")["hooks"]
    assert hooks[0] == "hooks/material_theme.py"
    for before, after in (("checks", "pages"), ("pages", "search"), ("pages", "csp"), ("minify", "search")):
        assert hooks.index(f"hooks/{before}.py") < hooks.index(f"hooks/{after}.py"), (before, after)
    assert sorted(hooks) == sorted(p for p in ADAPTERS if p.startswith("hooks/"))
    fixture = siteconfig.load_config(ROOT / "tests" / "fixtures" / "threelang" / "mkdocs.yml")["hooks"]
    assert fixture == hooks
