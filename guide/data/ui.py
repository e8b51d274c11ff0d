"""The interface strings (``data/ui.yml``): the one reader.

``ui.yml`` is flat: ``key: {<lang>: text, ...}`` for every configured
language. Everything that needs interface strings (page notices, the
templates' ``guide_ui``, the download block, the save-offline files, the PDF
and EPUB covers) reads them here, from the data folder the build uses
(``GUIDE_DATA_DIR``, else the tree's ``data/``). The file is parsed once per
change (cached by modification time and size). Plain Python, no engine.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from guide.data.loader import DATA_DIR_ENV

FILE_NAME = "ui.yml"


class UIError(ValueError):
    """data/ui.yml lacks a key or a language that a part of the site needs."""


def data_dir(root: Path | str) -> Path:
    """The data folder the build uses for the tree at ``root``."""
    return Path(os.environ.get(DATA_DIR_ENV) or Path(root) / "data")


def ui_file(root: Path | str) -> Path:
    return data_dir(root) / FILE_NAME


_CACHE: dict[Path, tuple[tuple[int, int], dict]] = {}


def read(path: Path | str) -> dict:
    """The whole file as a mapping (an empty one for an empty file); parsed
    again only when the file changed."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise UIError(f"{path}: missing ({exc.strerror})") from None
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _CACHE.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise UIError(f"{path}: not a mapping of keys to strings")
    _CACHE[path] = (stamp, data)
    return data


def strings(path: Path | str, lang: str, keys: dict[str, str], needed_by: str) -> dict[str, str]:
    """``{name: text}`` in ``lang`` for ``keys`` (``{name: ui.yml key}``); one
    UIError naming the file and every key or language that is missing."""
    data = read(path)
    result, missing = {}, []
    for name, key in keys.items():
        value = data.get(key)
        if isinstance(value, dict) and isinstance(value.get(lang), str):
            result[name] = value[lang]
        else:
            missing.append(f"{key}.{lang}")
    if missing:
        raise UIError(f"{path}: missing UI string(s) {', '.join(missing)} (needed by {needed_by})")
    return result
