"""The lock files: every distribution the site, the tests and the tooling
install is pinned with hashes (requirements/site.txt), the ProperDocs
environment's too (requirements/properdocs.txt, without mkdocs), the locks
agree with the pins in pyproject.toml and requirements/*.in, and this
environment holds exactly the locked versions."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
REQ = ROOT / "requirements"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def locked(path: Path) -> dict[str, tuple[str, str | None, int]]:
    """name -> (version, marker, number of hashes) for every entry of a lock."""
    entries: dict[str, tuple[str, str | None, int]] = {}
    name = None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            name = canonicalize_name(match.group(1))
            entries[name] = (match.group(2), match.group(3), 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            version, marker, hashes = entries[name]
            entries[name] = (version, marker, hashes + 1)
    return entries


def pins(requirements: list[str]) -> dict[str, str]:
    out = {}
    for requirement in requirements:
        match = re.match(r"^\s*([A-Za-z0-9._-]+)==(\S+)\s*$", requirement.split("#")[0])
        if match:
            out[canonicalize_name(match.group(1))] = match.group(2)
    return out


PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
SITE = locked(REQ / "site.txt")
PROPERDOCS = locked(REQ / "properdocs.txt")


@pytest.mark.parametrize("lock", ["site.txt", "properdocs.txt", "uv.txt"])
def test_every_locked_distribution_has_hashes(lock):
    entries = locked(REQ / lock)
    assert entries, f"{lock}: no pinned entries"
    assert [name for name, (_, _, hashes) in entries.items() if hashes == 0] == []
    header = (REQ / lock).read_text(encoding="utf-8").splitlines()[:2]
    assert "--generate-hashes" in header[1] and "--universal" in header[1], "regenerate with `make lock`"


def test_site_lock_holds_the_pyproject_pins():
    wanted = pins(PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"])
    assert len(wanted) >= 15
    assert {name: SITE.get(name, ("missing",))[0] for name in wanted} == wanted, "run `make lock`"
    assert "setuptools" in SITE  # the build backend of the editable install, locked too


def test_properdocs_lock_is_the_same_stack_without_mkdocs():
    wanted = pins((REQ / "properdocs.in").read_text(encoding="utf-8").splitlines())
    assert {name: PROPERDOCS.get(name, ("missing",))[0] for name in wanted} == wanted, "run `make lock`"
    assert "properdocs" in wanted and "mkdocs" not in PROPERDOCS and "mkdocs-get-deps" not in PROPERDOCS
    # The plugins and Markdown stack are the ones the MkDocs build uses, so the
    # parity test (tests/test_engines.py) compares engines, nothing else.
    shared = set(PROPERDOCS) & set(SITE)
    assert {"mkdocs-material", "mkdocs-static-i18n", "mkdocs-macros-plugin", "pymdown-extensions", "markdown"} <= shared
    assert {n: PROPERDOCS[n][0] for n in shared} == {n: SITE[n][0] for n in shared}


def test_this_environment_holds_exactly_the_locked_versions():
    # What `make install` promises: a fresh clone installs the locked versions.
    wrong = {}
    for name, (version, marker, _) in SITE.items():
        if marker and not Marker(marker).evaluate():
            continue
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong[name] = (installed, version)
    assert wrong == {}, "installed != locked: run `make install`"


def test_npm_tools_are_locked_with_integrity_hashes():
    import json
    manifest = json.loads((REQ / "npm" / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((REQ / "npm" / "package-lock.json").read_text(encoding="utf-8"))
    packages = {k.removeprefix("node_modules/"): v for k, v in lock["packages"].items() if k}
    assert manifest["dependencies"] and lock["packages"][""]["dependencies"] == manifest["dependencies"]
    assert {name: packages[name]["version"] for name in manifest["dependencies"]} == manifest["dependencies"]
    assert [name for name, entry in packages.items() if not entry.get("integrity", "").startswith("sha512-")] == []
