"""Per-language search indexes, made from the one combined index.

mkdocs-static-i18n writes a single ``search/search_index.json`` at the site
root holding every language (English entries have ``en/...`` locations). A
reader searching an Arabic page should get Arabic pages and download only the
Arabic half, so next to it we write ``search/search_index.<lang>.json`` with
that language's entries, and a search configuration for that language alone
(``lang: ["ar"]``: the Arabic analysis in our lunr.ar override; ``["en"]``:
no extra lunr language file at all). The page loads its own language's file
(see ``overrides/partials/search-lazy.js``); the combined file stays for the
offline bundle (Material's offline plugin inlines it), where the page filters
the entries instead.

Plain Python, no MkDocs import: the hook ``hooks/pages.py`` calls it after the build.
"""

from __future__ import annotations

import json
from pathlib import Path

INDEX = Path("search") / "search_index.json"


class SearchIndexError(ValueError):
    pass


def language_of(location: str, prefixes: dict[str, str], default: str) -> str:
    """The language an index location belongs to (``en/x/#y`` -> ``en``)."""
    for lang, prefix in prefixes.items():
        if prefix and location.startswith(prefix):
            return lang
    return default


def split_index(data: dict, prefixes: dict[str, str], default: str) -> dict[str, dict]:
    """``{lang: index}`` with each language's documents, in their original order
    (Material relies on a page's entry preceding its sections)."""
    if not isinstance(data.get("docs"), list) or not isinstance(data.get("config"), dict):
        raise SearchIndexError("search index has no 'docs' list or 'config' object")
    result = {}
    for lang in prefixes:
        docs = [d for d in data["docs"] if language_of(d.get("location", ""), prefixes, default) == lang]
        config = {**data["config"], "lang": [lang]}
        result[lang] = {**data, "config": config, "docs": docs}
    return result


def write_language_indexes(site_dir: Path, prefixes: dict[str, str], default: str) -> dict[str, Path]:
    """Write ``search/search_index.<lang>.json`` for each language; return the paths.

    ``prefixes`` maps each language to its URL prefix (``{"ar": "", "en": "en/"}``).
    Does nothing when the site has no search index (search plugin disabled).
    """
    source = Path(site_dir) / INDEX
    if not source.is_file():
        return {}
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SearchIndexError(f"{source}: not valid JSON: {exc}") from exc
    written = {}
    for lang, index in split_index(data, prefixes, default).items():
        target = source.with_name(f"search_index.{lang}.json")
        target.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        written[lang] = target
    return written
