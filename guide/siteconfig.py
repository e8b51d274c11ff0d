"""Read mkdocs.yml without MkDocs: the one place that knows the page order."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mkdocs.yml"


class _Loader(yaml.SafeLoader):
    pass


# mkdocs.yml uses !ENV and python/ tags; tooling that reads the page order
# does not need their values.
_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def load_config(path: Path = CONFIG) -> dict:
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_Loader) or {}


def nav_slugs(config: dict) -> list[str]:
    """Page slugs (file names without .md) in reading order, home page included."""

    def walk(items):
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                yield from walk(value)
            elif isinstance(value, str) and value.endswith(".md"):
                yield value[:-3]

    return list(walk(config.get("nav") or []))


def languages(config: dict) -> tuple[str, ...]:
    """Language codes of the i18n plugin's languages, the default first
    (the whole registry: ``guide.languages``)."""
    from guide import languages as registry

    try:
        return registry.from_config(config).codes
    except registry.LanguageError:
        return ()
