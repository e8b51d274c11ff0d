"""The file allowlist: which files the build may read from editors, and publish.

MkDocs publishes every file under ``docs/`` as it is. So ``docs/`` may hold
only what the site needs, where it needs it:

* pages: ``docs/<lang>/<name>.md`` (no sub-folders);
* images: ``docs/assets/images/<name>.png|jpg|jpeg|webp|svg``, each at most
  2 MB, its bytes of the kind its name says, an SVG holding drawing elements
  only (no script, no links, no styles, no external references);
* anything else (scripts, stylesheets, fonts, vendored files) only when it is
  listed, with its SHA-256, in ``reviewed-files.yml``, which only maintainers
  may change (.github/CODEOWNERS): a new or changed script is a failure until
  it has been reviewed.

``data/`` holds the data files and their published schemas, nothing else. No
symbolic link anywhere in the build's inputs: a link could publish a file of
the build machine (/etc/passwd, /proc/self/environ, a folder outside the
repository). Plain Python; ``editorcheck`` runs it first, before any page is read.
"""

from __future__ import annotations

import hashlib
import os
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

MANIFEST = "reviewed-files.yml"
# Made on the machine, never committed (.gitignore): not walked for links.
LOCAL = {".git", ".tools", "site", "site-offline", "dist", "test-artifacts", "node_modules"}
IMAGE_DIR = "assets/images"
MAX_IMAGE_BYTES = 2_000_000
_IMAGE_MAGIC = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
    ".webp": (b"RIFF",),
}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

# SVG: the drawing elements and presentation attributes an icon or a chart
# needs. No <script>, <foreignObject>, <use>, <image>, <a>, <style>, no href,
# no event handlers, no style attribute (it can fetch url()s).
SVG_ELEMENTS = {"svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "title", "desc",
                "defs", "linearGradient", "radialGradient", "stop", "clipPath"}
SVG_ATTRIBUTES = {"xmlns", "viewBox", "width", "height", "fill", "fill-rule", "fill-opacity", "stroke",
                  "stroke-width", "stroke-linecap", "stroke-linejoin", "stroke-opacity", "stroke-miterlimit",
                  "opacity", "transform", "d", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry",
                  "points", "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform",
                  "clip-path", "clip-rule", "id", "aria-hidden", "role", "preserveAspectRatio", "version"}
_SVG_NS = "{http://www.w3.org/2000/svg}"
_SVG_VALUE = re.compile(r"^[#\w\s.,()%:/-]*$")


class FileError(Exception):
    """``str()`` is the line shown: ``docs/x.js:1: ...``."""


def _languages(root: Path) -> tuple[str, ...]:
    from guide import siteconfig
    return siteconfig.languages(siteconfig.load_config(root / "mkdocs.yml"))


def reviewed(root: Path) -> dict[str, str]:
    """``{path: sha256}`` from reviewed-files.yml (read as plain data)."""
    from guide.data import yamlinput

    path = root / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = yamlinput.parse(yamlinput.read(path, MANIFEST), MANIFEST).data or {}
    except yamlinput.YAMLInputError as error:
        raise FileError(str(error)) from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise FileError(f"{MANIFEST}:1: expected 'files:' mapping each path to its sha256")
    return files


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _local(folder: Path, name: str, root: Path) -> bool:
    # Made on the machine and git-ignored: the top-level build and tool folders, caches anywhere.
    top = folder == root and (name in LOCAL or name.startswith((".venv", ".site-")))
    return top or name in ("__pycache__", ".pytest_cache")


def no_symlinks(root: Path) -> None:
    """No symbolic link anywhere in the repository (a link at the top could even
    shadow a Python module: .ci/check-tree refuses those before Python starts)."""
    root = Path(root)
    for folder, dirs, names in os.walk(root, followlinks=False):
        here = Path(folder)
        for entry in sorted(dirs + names):
            path = here / entry
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                raise FileError(f"{rel}:1: a symbolic link: the build's inputs are plain files (a link could "
                                f"publish a file from outside the repository); commit the file itself")
            if entry in names and not path.is_file():
                raise FileError(f"{rel}:1: not a regular file (a device, pipe or socket): remove it")
        dirs[:] = sorted(d for d in dirs if not _local(here, d, root))


def svg_problem(raw: bytes) -> str | None:
    """Why an SVG is not plain drawing, or None."""
    # Markup the element tree does not show: a DOCTYPE and entities, processing
    # instructions (<?xml-stylesheet?> runs XSLT, and so script), comments and
    # CDATA. Only the XML declaration itself may open the file.
    # UTF-8 only (a UTF-16 file would hide "<?" from a byte search), read as text.
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "an SVG must be UTF-8 text: export it again as UTF-8"
    declaration = re.match(r"\s*<\?xml\s([^?>]*)\?>", text)
    if text.startswith("\ufeff") or "\x00" in text or (declaration and re.search(
            r"encoding\s*=\s*[\"'](?!utf-8[\"'])", declaration.group(1), re.IGNORECASE)):
        return "an SVG must be UTF-8 text without a byte-order mark: export it again as UTF-8"
    body = text[declaration.end():] if declaration else text
    if "<!" in body or "<?" in body:
        return ("an SVG with a DOCTYPE, entities, processing instructions (<?…?>), comments or CDATA is not "
                "allowed: export a plain SVG")
    try:
        tree = ElementTree.fromstring(raw)
    except ElementTree.ParseError as error:
        return f"not a well-formed SVG ({error})"
    for element in tree.iter():
        tag = element.tag
        if not isinstance(tag, str) or not tag.startswith(_SVG_NS):
            return f"element {str(tag)[:40]!r} is not SVG drawing (only {', '.join(sorted(SVG_ELEMENTS))})"
        name = tag[len(_SVG_NS):]
        if name not in SVG_ELEMENTS:
            return f"<{name[:30]}> is not allowed in SVG (drawing elements only: no script, links, styles or images)"
        for attribute, value in element.attrib.items():
            if attribute not in SVG_ATTRIBUTES:
                return f"<{name} {attribute[:30]}=…> is not allowed in SVG (presentation attributes only)"
            if not _SVG_VALUE.match(value) or "url(" in value.replace(" ", "").lower() and not \
                    re.fullmatch(r"url\(#[\w-]+\)", value.strip()):
                return f"<{name} {attribute}={value[:30]!r}> is not allowed in SVG (no references outside the file)"
    return None


def _image_problem(path: Path) -> str | None:
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return f"image is {size:,} bytes, more than {MAX_IMAGE_BYTES:,}: make it smaller"
    raw = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return svg_problem(raw)
    if not raw.startswith(_IMAGE_MAGIC[suffix]) or (suffix == ".webp" and raw[8:12] != b"WEBP"):
        return f"the file is not a {suffix[1:].upper()} image (its bytes say otherwise): export it again"
    return None


def check_docs(root: Path) -> None:
    docs = root / "docs"
    languages = _languages(root)
    manifest = reviewed(root)
    allowed = (f"pages docs/<{'|'.join(languages)}>/<name>.md, images docs/{IMAGE_DIR}/<name>."
               f"{'|'.join(sorted(s[1:] for s in _IMAGE_MAGIC))}|svg; anything else only after review, "
               f"listed in {MANIFEST}")
    for path in sorted(p for p in docs.rglob("*") if p.is_file()):
        rel = path.relative_to(docs).as_posix()
        shown = f"docs/{rel}"
        parts = rel.split("/")
        if not all(_NAME.match(part) for part in parts):
            raise FileError(f"{shown}:1: file and folder names under docs/ are letters, digits, "
                            f". _ - (no spaces or other characters): rename it")
        if len(parts) == 2 and parts[0] in languages and path.suffix == ".md":
            continue
        if path.suffix == ".md":
            raise FileError(f"{shown}:1: pages live in docs/<language>/ ({', '.join(languages)}), one level: "
                            f"move it there, or remove it")
        if len(parts) == 3 and "/".join(parts[:2]) == IMAGE_DIR and path.suffix.lower() in (*_IMAGE_MAGIC, ".svg"):
            problem = _image_problem(path)
            if problem:
                raise FileError(f"{shown}:1: {problem}")
            continue
        expected = manifest.get(shown)
        if expected is None:
            raise FileError(f"{shown}:1: this kind of file is not published from docs/ unless a maintainer has "
                            f"reviewed it (allowed: {allowed})")
        if sha256(path) != expected:
            raise FileError(f"{shown}:1: changed since it was reviewed: its SHA-256 differs from {MANIFEST} "
                            f"(a maintainer reviews the change and runs `python -m tools reviewed-files --update`)")
    for listed in sorted(manifest):
        if not (root / listed).is_file():
            raise FileError(f"{MANIFEST}:1: lists {listed}, which does not exist: remove the line")


def check_data(root: Path) -> None:
    data = root / "data"
    for path in sorted(p for p in data.rglob("*") if p.is_file()):
        rel = path.relative_to(data).as_posix()
        if re.fullmatch(r"[a-z]+\.yml|schema/[a-z]+\.schema\.json", rel):
            continue
        raise FileError(f"data/{rel}:1: data/ holds the data files (<kind>.yml) and their schemas only: "
                        f"remove it")


def check(root: Path) -> None:
    """Raise ``FileError`` for the first file the build must not read or publish."""
    no_symlinks(root)
    check_docs(root)
    check_data(root)


def update_manifest(root: Path) -> list[str]:
    """Re-pin every listed file (a maintainer's step after review); the list of changed paths."""
    manifest = reviewed(root)
    changed = [p for p, digest in manifest.items() if (root / p).is_file() and sha256(root / p) != digest]
    write_manifest(root, {p: sha256(root / p) for p in manifest if (root / p).is_file()})
    return changed


def write_manifest(root: Path, files: dict[str, str]) -> None:
    lines = [
        "# Files under docs/ that are published although they are not pages or images:",
        "# scripts, stylesheets, fonts, vendored code. Each was reviewed by a maintainer",
        "# (.github/CODEOWNERS); the build refuses any other such file, and any listed",
        "# file whose bytes no longer match. After reviewing a change:",
        "#   python -m tools reviewed-files --update",
        "files:",
    ]
    lines += [f"  {path}: {digest}" for path, digest in sorted(files.items())]
    (root / MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")


def add_arguments(parser) -> None:
    parser.add_argument("--update", action="store_true",
                        help="re-pin the listed files after review (a maintainer's step)")
    parser.add_argument("--add", nargs="*", default=[], metavar="PATH",
                        help="list new files (docs/...) after review")


def main(args) -> int:
    root = Path(__file__).resolve().parents[2]
    if args.add:
        files = reviewed(root)
        for path in args.add:
            files[Path(path).as_posix()] = sha256(root / path)
        write_manifest(root, files)
    if args.update:
        for path in update_manifest(root):
            print(f"re-pinned {path}")
    try:
        check(root)
    except FileError as error:
        print(f"ERROR    -  {error}")
        return 1
    print(f"files OK: docs/ and data/ hold only pages, images, data and the files in {MANIFEST}")
    return 0
