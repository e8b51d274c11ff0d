"""Every built page passes the Nu HTML checker (vnu), errors only, except the
messages documented in tests/data/vnu-allowlist.yml.

One vnu run over all pages (Java starts once). The checker comes from the
pinned npm package vnu-jar, installed into .tools/ by `make tools` (which
`make test` runs); Java is `default-jre-headless` from `.ci/system-deps`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = Path(os.environ.get("VNU_JAR", ROOT / ".tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"))
ALLOWLIST = Path(__file__).parent / "data" / "vnu-allowlist.yml"


def load_allowlist(path: Path = ALLOWLIST) -> list[dict]:
    entries = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("allow") or []
    for i, entry in enumerate(entries, 1):
        for field in ("message", "reason"):
            if not isinstance(entry.get(field), str) or not entry[field].strip():
                raise ValueError(f"{path.name}: entry #{i}: field '{field}' must be a non-empty string")
        try:
            re.compile(entry["message"])
        except re.error as exc:
            raise ValueError(f"{path.name}: entry #{i}: field 'message' is not a valid regex: {exc}") from exc
    return entries


def run_vnu(files: list[Path]) -> list[dict]:
    java = shutil.which("java")
    if not java:
        pytest.fail("java not found: run `make system-deps` (Debian package default-jre-headless)")
    if not VNU_JAR.is_file():
        pytest.fail(f"{VNU_JAR} missing: run `make tools` (npm install of the pinned vnu-jar)")
    proc = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    try:
        return json.loads(proc.stderr or proc.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"vnu did not report JSON (exit {proc.returncode}):\n{proc.stderr[-2000:]}")


def test_allowlist_is_documented():
    entries = load_allowlist()
    assert all(len(e["reason"]) > 40 for e in entries), "each allow-list entry needs a real reason"


def test_pages_are_valid_html(site_dir, artifacts_dir):
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) >= 20, f"only {len(pages)} pages built"
    messages = run_vnu(pages)
    (artifacts_dir / "vnu.json").write_text(json.dumps(messages, ensure_ascii=False, indent=1), encoding="utf-8")
    allow = load_allowlist()
    used = [0] * len(allow)
    errors = []
    for m in messages:
        if m.get("type") not in ("error", "non-document-error"):
            continue
        hit = next((i for i, a in enumerate(allow) if re.search(a["message"], m.get("message", ""))), None)
        if hit is None:
            where = m.get("url", "?").split(str(site_dir))[-1]
            errors.append(f"{where}:{m.get('lastLine', '?')}: {m.get('message')} [{m.get('extract', '').strip()[:80]}]")
        else:
            used[hit] += 1
    assert not errors, f"{len(errors)} HTML errors:\n  " + "\n  ".join(errors[:40])
    stale = [a["message"] for a, n in zip(allow, used) if n == 0]
    assert not stale, f"allow-list entries that no longer match anything (remove them): {stale}"
