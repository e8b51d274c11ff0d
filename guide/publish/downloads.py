"""The downloads manifest (``dist/downloads.json``) and the download block's data.

Plain logic, no MkDocs: ``guide.publish.offline``, ``guide.publish.pdf`` and ``guide.publish.epub`` record what they
built here; the site build (hook ``hooks/downloads.py``) reads it so each
page can offer the files with their sizes, and copies them into the site.

Manifest format::

    {"files": [{"file": "guide-ar.pdf", "kind": "pdf", "lang": "ar",
                "bytes": 123456, "sha256": "...", "built": "2026-...Z",
                "commit": "abc1234"}, ...]}
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import subprocess
from pathlib import Path

from guide import languages
from guide.data import ui

ROOT = Path(__file__).resolve().parents[2]
MANIFEST_NAME = "downloads.json"
KINDS = ("pdf", "epub", "offline")  # also the order the download block lists them in


class ManifestError(ValueError):
    """The manifest or a file it names is unusable (message names file and entry)."""


def dist_dir() -> Path:
    """Where release files and the manifest live (``GUIDE_DIST_DIR`` overrides ``dist/``)."""
    return Path(os.environ.get("GUIDE_DIST_DIR") or ROOT / "dist")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def version_stamp(root: Path = ROOT) -> dict:
    """``{"built": ISO date (UTC), "commit": short hash}``.

    ``SOURCE_DATE_EPOCH`` fixes the date (reproducible builds); ``GUIDE_COMMIT``
    names the commit when there is no git checkout (e.g. a source tarball).
    Without either, the commit is "unknown (no git)" rather than a failure.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc) if epoch else _dt.datetime.now(_dt.timezone.utc)
    commit = os.environ.get("GUIDE_COMMIT")
    if not commit:
        try:
            commit = subprocess.run(
                ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                capture_output=True, text=True, check=True,
            ).stdout.strip()
            dirty = subprocess.run(
                ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                capture_output=True, text=True, check=True,
            ).stdout.strip()
            if dirty:
                commit += "-dirty"  # built from uncommitted changes: say so
        except (OSError, subprocess.CalledProcessError):
            commit = "unknown (no git)"
    return {"built": when.replace(microsecond=0).isoformat().replace("+00:00", "Z"), "commit": commit}


def file_entry(path: Path, kind: str, lang: str | None, stamp: dict) -> dict:
    if kind not in KINDS:
        raise ValueError(f"unknown download kind {kind!r} (expected one of {KINDS})")
    return {
        "file": path.name, "kind": kind, "lang": lang, "bytes": path.stat().st_size,
        "sha256": sha256_of(path), **stamp,
    }


def load_manifest(directory: Path) -> list[dict] | None:
    """The manifest's entries, checked against the files next to it; None if there is none."""
    path = directory / MANIFEST_NAME
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{path}: not valid JSON (line {exc.lineno}): {exc.msg}") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        raise ManifestError(f"{path}: expected an object with a 'files' list")
    for i, entry in enumerate(files):
        where = f"{path}: files[{i}]"
        for field, kind in (("file", str), ("kind", str), ("bytes", int), ("sha256", str)):
            if not isinstance(entry.get(field), kind):
                raise ManifestError(f"{where}: field '{field}' missing or not a {kind.__name__}")
        if entry["kind"] not in KINDS:
            raise ManifestError(f"{where}: field 'kind' is {entry['kind']!r}, expected one of {KINDS}")
        target = directory / entry["file"]
        if not target.is_file():
            raise ManifestError(f"{where}: file '{entry['file']}' does not exist in {directory}")
        if target.stat().st_size != entry["bytes"]:
            raise ManifestError(
                f"{where}: '{entry['file']}' is {target.stat().st_size} bytes, manifest says {entry['bytes']}"
                " (stale manifest: re-run `python -m tools release`)")
    return files


def update_manifest(directory: Path, entries: list[dict]) -> Path:
    """Add or replace entries (by file name); written atomically."""
    path = directory / MANIFEST_NAME
    current = []
    if path.exists():
        try:
            current = json.loads(path.read_text(encoding="utf-8")).get("files", [])
        except (json.JSONDecodeError, AttributeError):
            current = []  # unreadable old manifest: start afresh rather than fail a release
    names = {e["file"] for e in entries}
    merged = [e for e in current if e.get("file") not in names and (directory / str(e.get("file"))).is_file()]
    merged += entries
    merged.sort(key=lambda e: (KINDS.index(e["kind"]) if e.get("kind") in KINDS else 9, e.get("lang") or "", e["file"]))
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"files": merged}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def human_size(n: int, lang: str, units: dict) -> str:
    """``"1.4 MB"`` / ``"١٫٤ ميغابايت"``; ``units`` has the localized ``kb`` and ``mb``."""
    if n >= 1000 * 1000:
        number, unit = f"{n / 1e6:.1f}", units["mb"]
    else:
        number, unit = f"{max(1, round(n / 1e3))}", units["kb"]
    return f"{languages.load().get(lang).digits_of(number)} {unit}"


def block_items(entries: list[dict] | None, lang: str, labels: dict, offline_edition: bool) -> list[dict]:
    """What the download block shows on a page in ``lang``.

    The reader's language's PDF and EPUB, and the offline archive (omitted
    inside the archive itself). ``labels`` are that language's UI strings:
    ``pdf``, ``epub``, ``offline``, ``kb``, ``mb``.
    """
    items = []
    for entry in entries or []:
        if entry["kind"] in ("pdf", "epub") and entry.get("lang") != lang:
            continue
        if entry["kind"] == "offline" and offline_edition:
            continue
        items.append({
            "file": entry["file"], "kind": entry["kind"],
            "label": labels[entry["kind"]],
            "size": human_size(entry["bytes"], lang, labels),
            "type": TYPES[entry["kind"]][0],
            "mime": TYPES[entry["kind"]][1],
        })
        items[-1]["meta"] = languages.load().get(lang).punctuation("comma").join((items[-1]["type"], items[-1]["size"]))
    return items


TYPES = {"pdf": ("PDF", "application/pdf"), "epub": ("EPUB", "application/epub+zip"),
         "offline": ("ZIP", "application/zip")}
LABEL_KEYS = {"heading": "downloads.heading", "pdf": "downloads.pdf", "epub": "downloads.epub",
              "offline": "downloads.offline",
              "kb": "downloads.kb", "mb": "downloads.mb"}


def load_labels(ui_file: Path, lang: str) -> dict:
    """The download block's strings in ``lang`` from ``data/ui.yml`` (flat ``key: {ar, en}``)."""
    try:
        return ui.strings(ui_file, lang, LABEL_KEYS, "the download block")
    except ui.UIError as exc:
        raise ManifestError(str(exc)) from None
