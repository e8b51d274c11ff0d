"""ProperDocs, the maintained fork of MkDocs 1.6, is the tested successor
engine: the same sources built with it (in its own environment, without the
mkdocs package) give the same site as MkDocs 1.6.1, file for file and byte for
byte, apart from the generator meta tag. Also: the one switch that picks the
engine, and its error for an unknown one."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from guide import engine

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
ENV = {"SITE_URL": "https://example.org/guide/"}


def build(target: Path, name: str) -> Path:
    proc = engine.build_site(target, env=ENV, engine=name)
    assert proc.returncode == 0, f"{name} build failed:\n{proc.stderr[-4000:]}"
    return target


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def both_sites(tmp_path_factory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("engines")
    return build(out / "mkdocs", "mkdocs"), build(out / "properdocs", "properdocs")


@pytest.mark.site
def test_properdocs_environment_has_no_mkdocs():
    python = engine.engine_python("properdocs")
    assert python.parent.parent == ROOT / ".venv-properdocs"
    probe = ("import importlib.metadata as m\n"
             "print(m.version('properdocs'))\n"
             "try:\n    m.version('mkdocs'); print('mkdocs installed')\n"
             "except m.PackageNotFoundError:\n    print('no mkdocs')\n")
    proc = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=True)
    assert proc.stdout.split() == ["1.6.7", "no", "mkdocs"]


def test_properdocs_builds_the_same_site_apart_from_the_generator_tag(both_sites):
    mkdocs_site, properdocs_site = both_sites
    a, b = tree(mkdocs_site), tree(properdocs_site)
    assert sorted(a) == sorted(b)
    assert len(a) > 50  # both languages, assets, search indexes, sitemaps
    # Each engine names itself in every page's generator tag...
    assert b'content="mkdocs-1.6.1, mkdocs-material"' in a["index.html"]
    assert b'content="mkdocs-ProperDocs 1.6.7, mkdocs-material"' in b["index.html"]
    # ...and that tag is the only difference, in any file.
    different = [name for name in a
                 if GENERATOR.sub(b"<generator>", a[name]) != GENERATOR.sub(b"<generator>", b[name])]
    # The save-for-offline lists hold each page's hash (so the tag) and the
    # version made from them; the files they list are compared above.
    assert sorted(different) in ([], ["offline/ar.json", "offline/en.json"])


def test_engine_switch(monkeypatch):
    monkeypatch.delenv(engine.ENGINE_ENV, raising=False)
    assert engine.engine_command(["build"])[1:] == ["-m", "mkdocs", "build"]
    assert engine.engine_command(["build"])[0] == sys.executable
    monkeypatch.setenv(engine.ENGINE_ENV, "properdocs")
    command = engine.engine_command(["build"])
    assert command[1:] == ["-m", "properdocs", "build"] and ".venv-properdocs" in command[0]
    assert engine.engine_command(["build"], engine="mkdocs")[1:3] == ["-m", "mkdocs"]
    monkeypatch.setenv(engine.ENGINE_ENV, "zensical")
    with pytest.raises(engine.EngineError, match="GUIDE_ENGINE='zensical': unknown engine"):
        engine.engine_command(["build"])


@pytest.mark.slow
def test_build_command_names_an_unknown_engine_in_one_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "tools", "build", "--site-dir", str(tmp_path / "s")],
                          cwd=ROOT, capture_output=True, text=True, env={"GUIDE_ENGINE": "hugo", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 2
    assert proc.stderr.strip() == "build: error: GUIDE_ENGINE='hugo': unknown engine (known: mkdocs, properdocs)"
    assert not (tmp_path / "s").exists()
